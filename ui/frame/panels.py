"""Panels every page shows: the PyTorch check, the reproduce-in-PyTorch code, errors."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import streamlit as st

import convlab
from ui.i18n import language, reason, t
from ui.text.code_comments import COMMENTS


def check_panel(results: Sequence[convlab.CheckResult], note: str | None = None) -> None:
    """What was compared with what, on which device and dtype, how close, pass or fail.

    The headline and the table are one markdown element: a few rows read as well as a
    data grid, and cost the browser far less to draw again on every rerun.
    """
    with st.container(border=True):
        st.markdown(check_markdown(results))
        if note:
            st.caption(note)


def check_markdown(results: Sequence[convlab.CheckResult]) -> str:
    """The check panel's headline and table. The verdict is the first column: a table
    wider than a narrow column scrolls sideways, and what scrolls out of sight is the
    detail (device, dtype, difference), never pass or fail."""
    ok = all(r.passed for r in results)
    head = [t("check.col_result"), t("check.col_what"), t("check.col_oracle"),
            t("check.col_diff"), t("check.col_device"), t("check.col_dtype")]
    rows = [["✅ " + t("check.pass") if r.passed else "❌ " + t("check.fail"),
             t(f"check.what.{r.what}", **_args(r)), t(f"check.oracle.{r.oracle}", **_args(r)),
             f"{r.max_abs_diff:.3g}", r.device, r.dtype] for r in results]
    return "\n".join([
        f"**{t('check.title')}** — " + (t("check.all_pass") if ok else t("check.some_fail")),
        "", _markdown_table(head, rows)])


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
    """Self-contained PyTorch code that prints this page's numbers, its comments in the
    page's language."""
    label = t("code.title") + (f": {title}" if title else "")
    with st.expander(label, icon=":material/code:"):
        st.caption(t("code.caption"))
        st.code(translate_comments(code, language()), language="python")


_COMMENT = re.compile(r"^(?P<code>(?:[^#'\"]|'[^']*'|\"[^\"]*\")*?)(?P<gap>\s*)# (?P<text>.+)$")


def translate_comments(code: str, lang: str) -> str:
    """Each comment of ``code`` that has a wording in ``lang`` replaced by it (a ``#``
    inside a string literal is not a comment).

    >>> translate_comments("Y = Y + b  # one bias per output channel", "zh")
    'Y = Y + b  # 每个输出通道一个偏置'
    >>> translate_comments("x = '#'  # one bias per output channel", "en")
    "x = '#'  # one bias per output channel"
    """
    if lang == "en":
        return code
    lines = []
    for line in code.split("\n"):
        m = _COMMENT.match(line)
        if m and m["text"] in COMMENTS:
            line = f"{m['code']}{m['gap']}# {COMMENTS[m['text']]}"
        lines.append(line)
    return "\n".join(lines)


def error_box(err: convlab.ConvConfigError, torch_message: str | None = None,
              module: str = "nn.Conv2d") -> None:
    """A refused configuration explained: parameter, value, reason, nearest valid setting
    (``module``: the layer PyTorch refuses to build)."""
    stage = t({"construct": "error.stage_construct", "lab": "error.stage_lab"}.get(
        err.stage, "error.stage_forward"), module=module)
    title = "error.title_lab" if err.stage == "lab" else "error.title"
    lines = [f"**{t(title, parameter=err.parameter, value=repr(err.value))}**",
             f"{t('error.why')} {reason(err)}", stage]
    if err.suggestion:
        # two entries are two fixes, either of which fits: "kernel_size=6, or padding=3"
        fix = t("error.or").join(f"`{k}={v!r}`" for k, v in err.suggestion.items())
        lines.append(f"{t('error.nearest')} {fix}")
    st.error("\n\n".join(lines), icon=":material/block:")
    if torch_message:
        st.markdown(t("error.torch_says"))
        st.code(torch_message, language="text")
