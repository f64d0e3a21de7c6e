"""Panels every page shows: the PyTorch check, the reproduce-in-PyTorch code, errors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

import convlab

from .i18n import t


def check_panel(results: Sequence[convlab.CheckResult], note: str | None = None) -> None:
    """What was compared with what, on which device and dtype, how close, pass or fail.

    The headline and the table are one markdown element: a few rows read as well as a
    data grid, and cost the browser far less to draw again on every rerun.
    """
    ok = all(r.passed for r in results)
    head = [t("check.col_what"), t("check.col_oracle"), t("check.col_device"),
            t("check.col_dtype"), t("check.col_diff"), t("check.col_result")]
    rows = [[t(f"check.what.{r.what}", **_args(r)), t(f"check.oracle.{r.oracle}", **_args(r)),
             r.device, r.dtype, f"{r.max_abs_diff:.3g}",
             "✅ " + t("check.pass") if r.passed else "❌ " + t("check.fail")] for r in results]
    with st.container(border=True):
        st.markdown("\n".join([
            f"**{t('check.title')}** — " + (t("check.all_pass") if ok else t("check.some_fail")),
            "", _markdown_table(head, rows)]))
        if note:
            st.caption(note)


def table(frame: pd.DataFrame, digits: int = 4) -> None:
    """A small table of numbers as markdown (floats to ``digits`` places): it reads as well
    as a data grid and costs the browser far less to draw again on every rerun."""
    def cell(v: object) -> str:
        return f"{v:.{digits}f}" if isinstance(v, (float, np.floating)) else str(v)

    st.markdown(_markdown_table([str(c) for c in frame.columns],
                                [[cell(v) for v in row] for row in frame.itertuples(index=False)]))


def _markdown_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return "\n".join([_table_line(head), "|" + " --- |" * len(head),
                      *(_table_line(row) for row in rows)])


def _table_line(cells: Sequence[str]) -> str:
    """One markdown table row; a ``|`` or line break inside a cell cannot break the table."""
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _args(r: convlab.CheckResult) -> dict[str, str]:
    """A check's placeholder values as shown: shapes as ``(1, 4, 4, 4)``."""
    return {k: str(tuple(v)) if isinstance(v, (tuple, list)) else str(v) for k, v in r.args}


def code_block(code: str, title: str | None = None) -> None:
    """Self-contained PyTorch code that prints this page's numbers."""
    label = t("code.title") + (f": {title}" if title else "")
    with st.expander(label, icon=":material/code:"):
        st.caption(t("code.caption"))
        st.code(code, language="python")


def error_box(err: convlab.ConvConfigError, torch_message: str | None = None) -> None:
    """A refused configuration explained: parameter, value, reason, nearest valid setting."""
    stage = t({"construct": "error.stage_construct", "lab": "error.stage_lab"}.get(
        err.stage, "error.stage_forward"))
    title = "error.title_lab" if err.stage == "lab" else "error.title"
    lines = [f"**{t(title, parameter=err.parameter, value=repr(err.value))}**",
             f"{t('error.why')} `{err.reason}`", stage]
    if err.suggestion:
        fix = ", ".join(f"`{k}={v!r}`" for k, v in err.suggestion.items())
        lines.append(f"{t('error.nearest')} {fix}")
    st.error("\n\n".join(lines), icon=":material/block:")
    if torch_message:
        st.markdown(t("error.torch_says"))
        st.code(torch_message, language="text")
