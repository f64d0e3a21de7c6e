"""The shape planner: a stack of layers, its shapes, receptive field and cost."""

import streamlit as st

from ui import frame
from ui.i18n import t
from ui.lessons import planner_paste as paste
from ui.lessons import planner_results as results
from ui.lessons import planner_solver as solver
from ui.lessons import planner_tables as tables
from ui.lessons import planner_view as view
from ui.lessons.planner_params import LESSON, planned


def lesson(page: frame.Frame) -> None:
    rows = page.control_row(), page.control_row()
    shape = tuple(page.number(name, container=rows[i // 2]) for i, name in enumerate("nchw"))
    picture, table = page.stage.container(), page.stage.container()  # the chart on top
    model = paste.paste_box(page, table, shape)  # a pasted model replaces the table
    if model is None:
        stack = view.edit_stack(page, table)
        done = planned(stack, shape)
    else:
        stack, done = None, model.done
    plan = done.plan
    if plan.error is None:  # a stack that runs: what shape comes out of it?
        page.predict(t("pl.predict"), plan.output_shape, {})
    results.metrics(page, plan)
    results.chart(page, plan, picture)

    if plan.error is not None:
        tables.refusal(plan, done.torch_error, page, stack)
    st.subheader(t("pl.results"))
    page.table(tables.results_table(plan))
    note = tables.rf_note(plan)
    if note:
        st.caption(note)
    if model is not None:
        paste.model_notes(model)
    box = None if stack is None else page.section("solver", t("pl.solver"),
                                                  icon=":material/calculate:")
    if box is not None and stack is not None:
        with box:
            solver.solver(page, plan, stack)
    page.check(done.checks)
    page.code(done.code, tables.code_title(plan))
    page.finish()


frame.lesson(LESSON, lesson)
