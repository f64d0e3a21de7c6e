"""Every view a link can reach opens twice in one process (issue 26, item 1).

``st.cache_data`` hands back unpickled copies of what it stored, so a cached value (a
result, or a refusal carried in one) that does not survive a pickle round trip works the
first time a view is computed and crashes every later visit: a teacher's link would work
for one student only. Every error type is checked here too, discovered, not listed.
"""

from __future__ import annotations

import importlib
import pickle
import pkgutil

import pytest
from conftest import make_app
from test_pages_generic import REFUSALS, declared, path

import convlab
from ui.decoders.picture_io import PictureError
from ui.registry import lessons, page
from ui.urlstate import BoolParam, ChoiceParam, IntParam


def _views(stem: str) -> list[dict[str, str]]:
    """Every preset, every choice, both ends of every number, and the refusal link."""
    views: list[dict[str, str]] = [{}]
    for p in declared(stem):
        if isinstance(p, IntParam):
            views += [{p.name: str(p.lo)}, {p.name: str(p.hi)}]
        elif isinstance(p, ChoiceParam):
            views += [{p.name: c} for c in p.choices if c != p.default]
        elif isinstance(p, BoolParam):
            views.append({p.name: "0" if p.default else "1"})
    if stem in REFUSALS:
        views.append(REFUSALS[stem])
    return views


# the repro: a kernel larger than the input (the planner's record's refusal link)
PLANNER_REFUSAL = dict(page("planner").refusal or {})


@pytest.mark.parametrize("stem", [p.stem for p in lessons()])
def test_every_view_opens_twice_in_one_process(stem):
    views = _views(stem)
    for query in views:
        for visit in (1, 2):
            at = make_app(path(stem), query)
            assert not at.exception, (stem, query, visit, [e.value for e in at.exception])


def test_the_planner_refusal_link_is_explained_on_every_visit():
    for _ in range(3):
        at = make_app("pages/planner.py", PLANNER_REFUSAL)
        assert not at.exception
        assert len(at.error) == 1


def _error_types() -> set[type]:
    """Every subclass of ConvConfigError in convlab (every module imported first)."""
    for info in pkgutil.walk_packages(convlab.__path__, "convlab."):
        importlib.import_module(info.name)
    found: set[type] = set()
    todo: list[type] = [convlab.ConvConfigError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def _samples() -> list[BaseException]:
    inner = convlab.ConvConfigError("padding", (1, 2), "padding is too large", {"padding": 1},
                                    stage="construct", code="not_positive",
                                    values={"limit": 3})
    from convlab.planner.text_tree import TextConfigError

    return [inner, convlab.StackConfigError(4, "Conv2d", inner),
            TextConfigError("unknown_module", "open", 2, 5, "open is not a layer",
                            {"layer": "Conv2d"}, {"layer": "open"}),
            PictureError("too_many_pixels", {"pixels": 10, "limit": 5})]


def test_every_error_type_has_a_sample_here():
    assert _error_types() <= {type(e) for e in _samples()}


@pytest.mark.parametrize("err", _samples(), ids=lambda e: type(e).__name__)
def test_every_error_type_survives_a_pickle_round_trip(err):
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err)
    assert str(copy) == str(err)
    assert vars(copy) == vars(err)


def test_a_page_keeps_its_state_when_the_learner_comes_back():
    at = make_app("pages/output_size.py", {"h": "12", "kh": "5"})
    at.query_params.clear()  # the menu's link carries no settings
    at.switch_page("pages/multichannel.py").run()
    at.query_params.clear()
    at.switch_page("pages/output_size.py").run()
    assert not at.exception
    assert at.session_state["output_size.h"] == 12 and at.session_state["output_size.kh"] == 5
    assert at.query_params.get("h") == "12"  # and the URL shows it


def test_a_link_names_the_open_sections_and_reopens_them():
    at = make_app("pages/conv_transpose.py", {"open": "overlap,round_trip"})
    assert not at.exception
    assert at.session_state["conv_transpose.open.overlap"] is True
    assert at.session_state["conv_transpose.open.round_trip"] is True
    assert set(at.query_params.get("open", "").split(",")) >= {"overlap", "round_trip"}
    at = make_app("pages/output_size.py", {"open": "Bad!,x" * 50})  # garbage opens nothing
    assert not at.exception


def test_an_undeclared_parameter_is_named():
    from ui.frame.base import PageContext
    from ui.registry import page
    from ui.urlstate import IntParam, PageState

    context = PageContext(page("output_size"), PageState("output_size", [IntParam("h", 8, 1, 9)]))
    with pytest.raises(KeyError, match="'stride'.*does not declare.*h"):
        context.param("stride")  # what every widget and setting looks its name up through
