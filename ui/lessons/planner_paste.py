"""The shape planner's pasted model: the "Paste your model" box, the model's cached plan,
why a text cannot be read and what the planner assumed of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

import convlab
from convlab.planner.text_tree import MAX_TEXT
from ui.frame import Frame
from ui.i18n import reason, t
from ui.lessons.planner_params import PRINTED, Planned


@dataclass(frozen=True)


class PlannedModel:
    """A pasted model's plan and checks (``done``) and what the page says about its text:
    the line each row was read from, the containers planned in print order, the arguments
    a print leaves out (taken at PyTorch's defaults)."""

    done: Planned
    lines: tuple[int, ...]
    print_order: tuple[tuple[str, int], ...]
    assumed: tuple[tuple[str, tuple[str, ...]], ...]


@st.cache_data(max_entries=16, show_spinner=False)


def planned_model(text: str, shape: tuple[int, ...]) -> PlannedModel | convlab.TextConfigError:
    """The plan of a pasted model on ``shape`` (read, never run), PyTorch's shapes for the
    same layers on the meta device, the receptive-field check and the code; or why the text
    cannot be read."""
    try:
        read = convlab.read_model(text)
    except convlab.TextConfigError as err:
        return err
    layers = list(read.layers)
    plan = convlab.plan_stack(layers, shape, partial=True)
    shapes, torch_error = convlab.run_modules(layers, shape)
    checks = [convlab.shapes_check(plan, shapes, torch_error)]
    rf = convlab.receptive_field_check(layers, plan)
    if rf is not None:
        checks.append(rf)
    done = Planned(plan, tuple(checks), torch_error, convlab.planner.model_code(text, shape))
    return PlannedModel(done, read.lines, read.print_order, read.assumed)


def paste_box(page: Frame, container: Any, shape: tuple[int, ...]) -> PlannedModel | None:
    """The "Paste your model" section: a text area and Apply. A model read from it (or
    from the link, or a printed preset) replaces the table and lives in the link; its plan
    is returned (``None``: the table plans). A text that cannot be read is named at its
    line and column and changes nothing."""
    text = page["model"]
    model = planned_model(text, shape) if text else None
    key, problem = page.key("paste_text"), page.key("paste_problem")
    box = page.section("paste", t("pl.paste"), icon=":material/content_paste:",
                       container=container, opens_for=tuple(PRINTED))
    if box is not None:
        with box:
            if text:  # the model planned now (a link's, a preset's or the last pasted)
                st.markdown(t("pl.paste.current"))
                st.code(text, language="python" if "nn." in text else "text", height=200)
            st.text_area(t("pl.paste.label"), key=key, height=220, max_chars=MAX_TEXT,
                         placeholder=t("pl.paste.placeholder"))
            left, right = st.columns(2)
            left.button(t("pl.paste.apply"), key=page.key("paste_apply"), type="primary",
                        on_click=_apply_paste, args=(page,), icon=":material/play_arrow:")
            if text:
                right.button(t("pl.paste.back"), key=page.key("paste_back"),
                             on_click=_back_to_table, args=(page,), icon=":material/table:")
            if st.session_state.get(problem) is not None:  # under the button that found it
                text_error(*st.session_state[problem])
            st.caption(t("pl.paste.caption"))
    if isinstance(model, convlab.ConvConfigError):  # a link's text that cannot be read
        text_error(model, text)
        return None
    return model


def _apply_paste(page: Frame) -> None:
    text = st.session_state.get(page.key("paste_text")) or ""
    if not text.strip():
        return
    try:
        convlab.read_model(text)
        convlab.planner.pack_text(text)  # it must fit in a link
    except convlab.ConvConfigError as err:
        st.session_state[page.key("paste_problem")] = (err, text)
        return
    st.session_state[page.key("paste_problem")] = None
    st.session_state[page.key("paste_text")] = ""  # now shown above as the model planned
    page["model"] = text
    page["preset"] = "custom"


def _back_to_table(page: Frame) -> None:
    st.session_state[page.key("paste_problem")] = None
    page["model"] = ""
    page["preset"] = "custom"


def text_error(err: convlab.ConvConfigError, text: str) -> None:
    """Why a pasted text cannot be read: its line and column, what was found there and the
    nearest setting, with the line itself and a caret under the column."""
    if "line" not in err.values:  # readable, but longer than a link keeps
        st.error(reason(err), icon=":material/block:")
        return
    line, column = int(err.values["line"]), int(err.values.get("column", 1))
    parts = [f"**{t('pl.paste.error', line=line, column=column)}** {reason(err)}"]
    if err.suggestion:
        fix = t("error.or").join(f"`{k}={v!r}`" for k, v in err.suggestion.items())
        parts.append(f"{t('error.nearest')} {fix}")
    st.error("\n\n".join(parts), icon=":material/block:")
    source = text.splitlines()
    if 1 <= line <= len(source):
        start = max(0, column - 60)
        shown = source[line - 1][start:start + 100]
        st.code(f"{line:>5} | {shown}\n{' ' * 8}{' ' * (column - 1 - start)}^",
                language="text")
    if err.values.get("torch"):  # PyTorch's own message, as PyTorch wrote it
        st.markdown(t("error.torch_says"))
        st.code(str(err.values["torch"]), language="text")


def model_notes(model: PlannedModel) -> None:
    """What the planner assumed of a pasted model: containers planned in print order (their
    forward is not read; it flattens where the features match), arguments a print leaves
    out, and the text line of a refused layer."""
    if model.print_order:
        names = ", ".join(t("pl.paste.at_line", name=name, line=line)
                          for name, line in model.print_order)
        st.info(t("pl.paste.print_order", names=names), icon=":material/info:")
    if model.assumed:
        items = "; ".join(f"`{m}`: " + ", ".join(f"`{a}`" for a in args)
                          for m, args in model.assumed)
        st.caption(t("pl.paste.assumed", items=items))
    err = model.done.plan.error
    if err is not None and err.index < len(model.lines):
        st.caption(t("pl.paste.refused_line", index=err.index, layer=err.layer,
                     line=model.lines[err.index]))
