"""Predict, then check: the learner types an answer before looking; the box says whether
it is right and, if not, which step of the arithmetic it matches, without giving the
answer away: another try, or "Show me".

In predict mode (the page's ``predict`` setting, ``?predict=1`` in a link) everything the
lesson draws after its question is held back until the question is answered or shown:
the frame draws a notice in the picture's place and stops the run there
(:meth:`ui.frame.Frame.predict`). A question's answer box belongs to that question: when
the settings change the question (or its answer), the box is emptied and the question is
hidden again.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

import convlab
from ui.frame.base import PageContext
from ui.frame.layout import Slots
from ui.frame.widgets import PERSIST
from ui.i18n import t
from ui.registry import PREDICT


def question_id(question: str, truth: Sequence[float]) -> str:
    """A short id of a question and its answer: a new one means a new question.

    >>> question_id("q", (1, 2)) == question_id("q", (1, 2)) != question_id("q", (1, 3))
    True
    """
    return hashlib.blake2s(repr((question, tuple(truth))).encode(), digest_size=6).hexdigest()


def start_question(key: str, qid: str) -> bool:
    """Before the box is drawn: empty the answer box if the question changed. Returns
    whether this question has been answered right or shown (``revealed``)."""
    if st.session_state.get(f"{key}._for") != qid:
        st.session_state[key] = ""
        st.session_state[f"{key}._for"] = qid
        st.session_state[f"{key}._revealed"] = False
        st.session_state[f"{key}._shown"] = False
    return bool(st.session_state.get(f"{key}._revealed"))


@st.fragment
def predict_box(key: str, question: str, truth: Sequence[float],
                slips: Mapping[str, Sequence[float]], hiding: bool = False) -> None:
    """An answer box under ``question``; ``slips`` maps each common mistake
    (``predict.slip.<id>``) to the answer it gives. Call :func:`start_question` first.

    A fragment: an answer typed reruns this box alone (the page's numbers did not move),
    unless it reveals what ``hiding`` holds back, which reruns the page.
    """
    revealed_key = f"{key}._revealed"
    was = bool(st.session_state.get(revealed_key))
    answer = " × ".join(_show(v) for v in truth)
    with st.container(border=True):
        st.markdown(f"**{t('predict.title')}** — {question}")
        guess = st.text_input(t("predict.input"), key=key, placeholder=t("predict.placeholder"))
        shown = st.button(t("predict.show"), key=f"{key}._show", icon=":material/visibility:")
        if shown:
            st.session_state[revealed_key] = st.session_state[f"{key}._shown"] = True
        if st.session_state.get(f"{key}._shown"):
            st.info(t("predict.shown", answer=answer), icon=":material/visibility:")
        elif guess.strip():
            _mark(guess, truth, slips, answer, revealed_key)
    if hiding and not was and st.session_state.get(revealed_key):
        st.rerun()  # what the question held back can be drawn now


def _mark(guess: str, truth: Sequence[float], slips: Mapping[str, Sequence[float]],
          answer: str, revealed_key: str) -> None:
    numbers = parse_numbers(guess)
    if numbers is None:
        st.warning(t("predict.unreadable", text=guess[:40]), icon=":material/help:")
        return
    if len(numbers) == 1 < len(truth):  # "13" for a square 13 x 13
        numbers = numbers * len(truth)
    right, matched = convlab.judge(numbers, tuple(truth),
                                   {k: tuple(v) for k, v in slips.items()})
    if right:
        st.session_state[revealed_key] = True
        st.success(t("predict.right", answer=answer), icon=":material/check_circle:")
    elif matched:
        st.warning(" ".join([t("predict.slip"), *(t(f"predict.slip.{m}") for m in matched),
                             t("predict.try_again")]), icon=":material/lightbulb:")
    else:
        st.warning(t("predict.wrong"), icon=":material/lightbulb:")


def parse_numbers(text: str) -> tuple[float, ...] | None:
    """``"13x13"``, ``"13, 13"``, ``"(1, 8, 13, 13)"`` or ``"-2.5"`` as numbers.

    >>> parse_numbers("(1, 8, 13×13)"), parse_numbers("thirteen"), parse_numbers("nan")
    ((1.0, 8.0, 13.0, 13.0), None, None)
    """
    parts = [p for p in re.split(r"[\s,x×*()\[\]]+", text.strip().lower()) if p]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        return None
    return values if values and all(math.isfinite(v) for v in values) else None


def _show(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.4g}"


def ask(page: PageContext, slots: Slots, question: str, truth: Sequence[float],
        slips: Mapping[str, Sequence[float]], *, container: Any = None,
        name: str = "guess") -> bool:
    """Draw the question's box (the first one under the predict-mode toggle), under the
    controls unless placed (in place inside a picking fragment). Returns whether the run
    must stop here: predict mode is on and the question is neither answered nor shown
    (a notice then stands in the picture's place)."""
    if container is None:
        container = st.container() if slots.in_picking else slots.aside
    key = page.key(name)
    revealed = start_question(key, question_id(question, truth))
    hiding = page.in_predict_mode()
    with container:
        if name == "guess":
            st.toggle(t("predict.mode"), key=page.key(PREDICT), help=t("predict.mode_help"),
                      persist_state=PERSIST)
        predict_box(key, question, tuple(truth), {k: tuple(v) for k, v in slips.items()},
                    hiding)
    if hiding and not revealed:  # predict mode: hold back what answers the question
        (st if slots.in_picking else slots.stage).info(t("predict.hidden"),
                                                      icon=":material/visibility_off:")
        return True
    return False

