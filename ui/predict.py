"""Predict, then check: the learner types an answer before looking; the box says whether
it is right and, if not, which step of the arithmetic it matches."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import streamlit as st

import convlab

from .i18n import t


@st.fragment
def predict_box(key: str, question: str, truth: Sequence[float],
                slips: Mapping[str, Sequence[float]]) -> None:
    """An optional answer box under ``question``; ``slips`` maps each common mistake
    (``predict.slip.<id>``) to the answer it gives.

    A fragment: an answer typed reruns this box alone (the page's numbers did not move).
    """
    with st.container(border=True):
        st.markdown(f"**{t('predict.title')}** — {question}")
        guess = st.text_input(t("predict.input"), key=key, placeholder=t("predict.placeholder"))
        if not guess.strip():
            return
        numbers = parse_numbers(guess)
        if numbers is None:
            st.warning(t("predict.unreadable", text=guess[:40]), icon=":material/help:")
            return
        if len(numbers) == 1 < len(truth):  # "13" for a square 13 x 13
            numbers = numbers * len(truth)
        right, matched = convlab.judge(numbers, tuple(truth),
                                       {k: tuple(v) for k, v in slips.items()})
        answer = " × ".join(_show(v) for v in truth)
        if right:
            st.success(t("predict.right", answer=answer), icon=":material/check_circle:")
        elif matched:
            st.warning(t("predict.slip", answer=answer) + " " +
                       " ".join(t(f"predict.slip.{m}") for m in matched),
                       icon=":material/lightbulb:")
        else:
            st.warning(t("predict.wrong", answer=answer), icon=":material/lightbulb:")


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
