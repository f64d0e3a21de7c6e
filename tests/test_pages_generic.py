"""Tests every registered page inherits: a clean default run, every widget at both ends
and every option, garbage in every URL parameter, a second run in Chinese, the refusal
path, and the reproduce-in-PyTorch code run and compared with the page's numbers."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
import torch
from conftest import make_app
from pagekit import (
    EN,
    ZH,
    assert_clean,
    check_passed,
    markdown_table,
    metrics,
    open_more,
    open_sections,
    vega_charts,
)
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from ui.registry import Shown, lessons, page, pages
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


def _chart_title(spec: dict[str, Any]) -> str | None:
    """A Vega-Lite chart's title: the spec's own, else its first titled layer's."""
    for part in [spec, *spec.get("layer", [])]:
        title = part.get("title")
        if title:
            return title if isinstance(title, str) else title.get("text")
    return None


def shown(at: AppTest, stem: str) -> Shown:
    """What a run of page ``stem`` showed, for its record's ``code_check``."""
    tables = [m.value for m in at.markdown if m.value.lstrip().startswith("|")]
    charts = {}
    for chart in vega_charts(at):
        title = _chart_title(json.loads(chart.spec))
        if title and chart.datasets:
            charts[title] = convert_arrow_bytes_to_pandas_df(chart.datasets[0].data.data)
    return Shown(
        metrics=metrics(at),
        values={p.name: at.session_state[f"{stem}.{p.name}"] for p in declared(stem)},
        table=markdown_table(tables[0]) if tables else None,
        charts=charts,
        blocks=[c.value for c in at.code if c.language != "python"],
        word=EN.__getitem__,
    )


def test_every_lesson_has_a_code_check():
    assert all(p.code_check is not None for p in lessons()), \
        [p.stem for p in lessons() if p.code_check is None]


@pytest.mark.parametrize("stem", STEMS)
def test_reproduce_code_prints_the_page_numbers(stem):
    at = make_app(path(stem))
    assert_clean(at)
    scripts = [c.value for c in at.code if c.language == "python"]
    assert scripts, "no reproduce-in-PyTorch block"
    check = page(stem).code_check
    assert check is not None
    seen = shown(at, stem)
    for script in scripts:  # a page may reproduce each of its parts
        ns, printed = run_code(script)
        assert check(seen, ns, printed) == []


def test_a_code_check_catches_code_that_computes_something_else():
    """The checks can fail: the output-size check given a ``y`` of another shape, or code
    that does not print the page's parameter count."""
    at = make_app(path("output_size"))
    seen = shown(at, "output_size")
    script = next(c.value for c in at.code if c.language == "python")
    ns, printed = run_code(script)
    check = page("output_size").code_check
    assert check is not None and check(seen, ns, printed) == []
    wrong = check(seen, {**ns, "y": torch.zeros(1, 1, 99, 98)}, printed)
    assert len(wrong) == 1 and "99 × 98" in wrong[0]
    assert len(check(seen, ns, printed.replace("parameters", "params"))) == 1
