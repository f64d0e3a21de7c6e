"""Tests every registered page inherits: a clean default run, every widget at both ends
and every option, garbage in every URL parameter, a second run in Chinese, the refusal
path, and the reproduce-in-PyTorch code run and compared with the page's numbers."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from conftest import make_app
from pagekit import (
    EN,
    ZH,
    assert_clean,
    check_passed,
    data_table,
    metrics,
    open_more,
    open_sections,
    vega_charts,
)
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from ui.registry import lessons, page, pages
from ui.urlstate import BoolParam, ChoiceParam, IntParam, Param

STEMS = [p.stem for p in lessons()]
HOME = "pages/home.py"


def declared(stem: str) -> tuple[Param, ...]:
    return page(stem).params


def path(stem: str) -> str:
    return f"pages/{stem}.py"


# ---- every page, home included ------------------------------------------------------------------

@pytest.mark.parametrize("stem", [p.stem for p in pages()])
def test_default_run_is_clean_with_a_title_and_the_menu(stem):
    at = make_app(path(stem))
    assert_clean(at)
    assert at.title and at.title[0].value.strip()
    assert at.session_state["_rerun_seconds"] > 0  # the frame's finish ran
    assert len(at.sidebar.get("page_link")) == len(pages())
    assert not at.error  # the default view is never a refusal


@pytest.mark.parametrize("stem", [p.stem for p in pages()])
def test_second_run_in_chinese(stem):
    """A rerun after a Chinese run formats every widget value outside the script run: a
    format_func calling t() lazily would break it. No xfail: this must pass."""
    at = make_app(path(stem), {"lang": "zh"})
    assert_clean(at)
    at.run()
    assert_clean(at)
    assert at.title[0].value == ZH[f"{next(p for p in pages() if p.stem == stem).ns}.title"]
    at.switch_page(HOME).run()
    assert_clean(at)
    assert at.title[0].value == ZH["home.title"]


@pytest.mark.parametrize("stem", STEMS)
def test_language_survives_a_page_switch(stem):
    at = make_app(HOME)
    at.selectbox(key="app.lang").set_value("zh").run()
    at.switch_page(path(stem)).run()
    assert_clean(at)
    assert at.session_state["app.lang"] == "zh"
    assert at.query_params.get("lang") == "zh"


# ---- every widget at its ends and every option --------------------------------------------------

def _exercise(at: AppTest, set_value: Callable[[Any], Any], values: list[Any], back: Any,
              what: str) -> None:
    for value in values:
        set_value(value)
        at.run()
        assert not at.exception, (what, value, [e.value for e in at.exception])
    set_value(back)
    at.run()


@pytest.mark.parametrize("stem", STEMS)
def test_every_widget_at_both_ends_and_every_option(stem):
    params = {p.name: p for p in declared(stem)}
    at = make_app(path(stem))
    if "more" in page(stem).all_sections:  # its widgets are drawn while open
        open_more(at, stem)
    prefix = f"{stem}."
    seen = 0
    if "lock" in params:  # the frame's height/width lock disables the width settings
        at.toggle(key=prefix + "lock").set_value(False).run()
    for widget in list(at.number_input):
        if not (widget.key or "").startswith(prefix) or widget.proto.disabled:
            continue
        key = widget.key
        _exercise(at, lambda v, k=key: at.number_input(key=k).set_value(v),
                  [widget.min, widget.max], widget.value, key)
        seen += 1
    for widget in list(at.slider):
        if (widget.key or "").startswith(prefix):
            key = widget.key
            _exercise(at, lambda v, k=key: at.slider(key=k).set_value(v),
                      [widget.min, widget.max], widget.value, key)
            seen += 1
    for widget in list(at.toggle):
        if (widget.key or "").startswith(prefix):
            key = widget.key
            _exercise(at, lambda v, k=key: at.toggle(key=k).set_value(v), [True, False],
                      widget.value, key)
            seen += 1
    for widget in list(at.text_input):
        if (widget.key or "").startswith(prefix):
            key = widget.key
            _exercise(at, lambda v, k=key: at.text_input(key=k).input(v),
                      ["13x13", "-2.5", "abc", "9" * 400, ""], "", key)
            seen += 1
    # Choices last: a preset moves every other setting.
    for name, p in params.items():
        if not isinstance(p, ChoiceParam):
            continue
        key = prefix + name
        boxes = [w for w in at.selectbox if w.key == key]
        groups = [w for w in at.button_group if w.key == key]
        if boxes:
            _exercise(at, lambda v, k=key: at.selectbox(key=k).set_value(v), list(p.choices),
                      p.default, key)
        elif groups:
            _exercise(at, lambda v, k=key: at.button_group(key=k).set_value(v),
                      list(p.choices), p.default, key)
        else:
            continue
        seen += 1
    for widget in list(at.button):
        if (widget.key or "").startswith(prefix):
            widget.click().run()
            assert_clean(at)
            seen += 1
    assert seen >= 3, f"{stem}: found only {seen} widgets of its own"


def _drawn_sections(at: AppTest, stem: str) -> set[str]:
    """The collapsible sections this run drew: each keeps its open state under its key."""
    prefix = f"{stem}.open."
    return {k[len(prefix):] for k in at.session_state if k.startswith(prefix)}


@pytest.mark.parametrize("stem", STEMS)
def test_every_section_opens_clean_and_adds_its_content(stem):
    """The sections a lesson record declares (a section it does not declare raises) are
    drawn, and opening them draws their content."""
    at = make_app(path(stem))
    closed = len(list(_elements(at)))
    assert _drawn_sections(at, stem) == page(stem).all_sections  # drawn closed, before
    opened = open_sections(at, stem)
    if not page(stem).all_sections:
        assert not opened  # nothing to open: a page without sections
        return
    assert opened
    assert_clean(at)
    assert len(list(_elements(at))) > closed, f"{stem}: opening its sections drew nothing"


def _elements(at: AppTest) -> Any:
    """Every node of the page's element tree."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "children", {}).values())


# ---- the URL ------------------------------------------------------------------------------------

GARBAGE = ["abc", "1e999", "-5", "", "%%", "9" * 5000, "nan", "-inf", "1.5e3", "0x10", "  "]


@pytest.mark.parametrize("raw", GARBAGE, ids=lambda r: repr(r[:8]) + (f"..{len(r)}" if
                                                                       len(r) > 8 else ""))
@pytest.mark.parametrize("stem", STEMS)
def test_garbage_in_every_url_parameter(stem, raw):
    params = declared(stem)
    at = make_app(path(stem), {p.name: raw for p in params})
    assert_clean(at)
    assert at.title and at.title[0].value.strip()
    for p in params:  # every value is legal after correction
        value = at.session_state[f"{stem}.{p.name}"]
        if isinstance(p, IntParam):
            assert p.lo <= value <= p.hi, p.name
        elif isinstance(p, ChoiceParam):
            assert value in p.choices, p.name
        elif isinstance(p, BoolParam):
            assert isinstance(value, bool), p.name


@pytest.mark.parametrize("stem", STEMS)
def test_garbage_in_one_parameter_is_named_in_a_notice(stem):
    for p in declared(stem):
        if isinstance(p, (IntParam, ChoiceParam, BoolParam)):
            at = make_app(path(stem), {p.name: "abc"})
            assert_clean(at)
            notices = [w.value for w in at.warning if EN["url.corrected_title"] in w.value]
            assert len(notices) == 1 and f"`{p.name}=abc`" in notices[0], p.name
            assert at.session_state[f"{stem}.{p.name}"] == p.default


@pytest.mark.parametrize("stem", STEMS)
def test_the_url_round_trips(stem):
    """A page's own URL reopens the same numbers, after a preset or a moved widget."""
    params = {p.name: p for p in declared(stem)}
    at = make_app(path(stem))
    if "preset" in params:
        choices = params["preset"].choices  # type: ignore[attr-defined]
        at.selectbox(key=f"{stem}.preset").set_value(choices[min(1, len(choices) - 1)]).run()
    assert_clean(at)
    reopened = make_app(path(stem), dict(at.query_params))
    assert_clean(reopened)
    assert not [w for w in reopened.warning if EN["url.corrected_title"] in w.value]
    assert metrics(reopened) == metrics(at)
    assert [c.value for c in reopened.code] == [c.value for c in at.code]


# ---- the refusal path ---------------------------------------------------------------------------

# A settings link each page that can refuse must explain instead of computing: its record's.
REFUSALS = {p.stem: p.refusal for p in lessons() if p.refusal is not None}


@pytest.mark.parametrize("stem", sorted(REFUSALS))
def test_the_refusal_path(stem):
    at = make_app(path(stem), REFUSALS[stem])
    assert_clean(at)
    assert len(at.error) == 1
    body = at.error[0].value
    assert body.startswith("**PyTorch refuses "), body
    assert EN["error.nearest"] in body
    assert EN["error.torch_says"] in [m.value for m in at.markdown]
    assert check_passed(at)  # ConvLab refuses exactly what PyTorch refuses


def test_every_page_with_layer_controls_has_a_refusal_case():
    with_layer = [s for s in STEMS if {"groups", "ph"} & {p.name for p in declared(s)}]
    assert with_layer and set(with_layer) <= set(REFUSALS)


# ---- the reproduce-in-PyTorch code --------------------------------------------------------------

def run_code(code: str) -> tuple[dict[str, Any], str]:
    """Execute a page's reproduce code; its variables and what it printed."""
    out = io.StringIO()
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<reproduce>", "exec"), namespace)  # noqa: S102
    return namespace, out.getvalue()


def _output_size(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    shape = " × ".join(map(str, ns["y"].shape))
    assert metrics(at)[EN["os.out_shape"]] == shape
    assert f"parameters {metrics(at)[EN['count.params']].replace(',', '')}" in printed


def _conv_transpose(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    assert metrics(at)[EN["ct.out_shape"]] == " × ".join(map(str, ns["y"].shape))
    assert f"parameters {metrics(at)[EN['count.params']].replace(',', '')}" in printed
    assert float(printed.rsplit("max_abs_diff", 1)[1]) < 1e-5  # the zero-insertion form


def _multichannel(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    arithmetic = next(c.value for c in at.code if " = " in c.value and "×" in c.value)
    total = float(arithmetic.rsplit("=", 1)[1])
    o, i, j = (at.session_state[f"multichannel.{k}"] for k in ("o", "oi", "oj"))
    assert abs(float(ns["Y"][o, i, j]) - total) < 1e-3
    assert re.search(r"tensor\(", printed)


def _fc_conv(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    table = data_table(at)  # the outputs side by side
    linear = [round(float(v), 4) for v in table.iloc[:, 0]]
    diff = float(printed.rsplit("max_abs_diff", 1)[1].split()[0])
    assert diff < 1e-5  # the two forms agree when a learner runs them too
    if "in_features" not in printed:  # the Linear -> Conv2d scripts print the page's outputs
        assert [round(v, 4) for v in ns["y_linear"].flatten().tolist()] == linear


def _pointwise(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    table = data_table(at)  # the picked pixel's outputs
    i, j, n = (at.session_state[f"pointwise.{k}"] for k in ("oi", "oj", "img"))
    Y = ns["Y1"] if ns["Y1"].dim() == 4 else ns["Y1"][None]
    conv = [round(float(v), 4) for v in table.iloc[:, 1]]
    assert [round(float(v), 4) for v in Y[n, :, i, j]] == conv
    assert printed.strip()


def _learn_kernel(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    losses = [float(m) for m in re.findall(r"loss ([-+0-9.e]+)", printed)]
    chart = next(c for c in vega_charts(at) if EN["lk.loss_title"] in c.spec)
    shown = convert_arrow_bytes_to_pandas_df(chart.datasets[0].data.data)["loss"].tolist()
    assert len(losses) == len(shown)
    assert all(abs(a - b) <= 1e-4 * max(1.0, abs(b)) for a, b in zip(losses, shown, strict=True))


def _planner(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    table = data_table(at)  # the layer table: the input row, one per layer, the totals
    lines = printed.strip().splitlines()
    shown = table[EN["pl.th.shape"]].tolist()[1:-1]
    assert [" × ".join(re.findall(r"\d+", ln.split(" ", 2)[2])) for ln in lines[:-1]] == shown
    assert lines[-1] == "parameters " + table[EN["pl.th.params"]].iloc[-1].replace(",", "")


def _pooling(at: AppTest, ns: dict[str, Any], printed: str) -> None:
    shown = metrics(at)
    assert shown[EN["pool.out_shape"]] == " × ".join(map(str, ns["Y"].shape))
    i, j = (at.session_state[f"pooling.{k}"] for k in ("oi", "oj"))
    value = shown[EN["pool.value"].format(i=i, j=j)]
    assert abs(float(ns["Y"].detach()[0, i, j]) - float(value)) < 1e-3
    assert re.search(r"tensor\(", printed)


CODE_CHECKS: dict[str, Callable[[AppTest, dict[str, Any], str], None]] = {
    "planner": _planner,
    "learn_kernel": _learn_kernel,
    "pointwise": _pointwise,
    "fc_conv": _fc_conv,
    "output_size": _output_size,
    "multichannel": _multichannel,
    "conv_transpose": _conv_transpose,
    "pooling": _pooling,
}


def test_every_lesson_has_a_code_check():
    assert set(STEMS) <= set(CODE_CHECKS)


@pytest.mark.parametrize("stem", STEMS)
def test_reproduce_code_prints_the_page_numbers(stem):
    at = make_app(path(stem))
    assert_clean(at)
    scripts = [c.value for c in at.code if c.language == "python"]
    assert scripts, "no reproduce-in-PyTorch block"
    for script in scripts:  # a page may reproduce each of its parts
        ns, printed = run_code(script)
        CODE_CHECKS[stem](at, ns, printed)
