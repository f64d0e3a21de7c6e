"""The translation table: complete, consistent, every key the code uses exists, and no
English sentence left on a page shown in Chinese."""

from __future__ import annotations

import ast
import importlib
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, make_app
from pagekit import chart_labels, english_words, open_sections, visible_text

from ui.frame.controls import PAD_KINDS
from ui.i18n import LANGUAGES, TEXT
from ui.lessons import output_size_view
from ui.registry import lessons, pages

SOURCES = sorted([*ROOT.glob("pages/*.py"), ROOT / "streamlit_app.py",
                  *(p for p in ROOT.glob("ui/**/*.py") if "text" not in p.parts)])
NAMESPACES = {k.split(".")[0] for k in TEXT}
KEY_SHAPE = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _expansions() -> dict[str, tuple[str, ...]]:
    """Known values of the variable in f-string keys (others are checked by pattern)."""
    known = {
        "os.preset.{k}": tuple(output_size_view.PRESETS),
        "conv.pad.{k}": PAD_KINDS,
        # the labels the padded-grid chart needs (ui.pictures.charts.padded_grid_chart)
        "os.role.{k}": ("input", "padding", "tap", "unread", "coverage", "role"),
    }
    try:
        from ui.lessons import multichannel_view as mc
    except ImportError:  # the page is optional here; its keys are then checked by pattern
        return known
    for template, name in (("mc.preset.{k}", "PRESETS"),):
        if hasattr(mc, name):
            known[template] = tuple(getattr(mc, name))
    return known


# ---- the table itself --------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_entry_has_both_languages_and_the_same_placeholders(key):
    entry = TEXT[key]
    assert set(entry) == set(LANGUAGES), key
    assert all(entry[lang].strip() for lang in LANGUAGES), key
    assert _fields(entry["en"]) == _fields(entry["zh"]), key


@pytest.mark.parametrize("key", sorted(TEXT))
def test_format_never_fails_with_its_own_placeholders(key):
    entry = TEXT[key]
    values = {name: 1 for name in _fields(entry["en"])}
    for lang in LANGUAGES:
        assert entry[lang].format(**values).strip()  # a stray brace would raise here


# ---- every key used in the code exists ---------------------------------------------------------

def _t_calls() -> Iterator[tuple[Path, bool, str]]:
    """(file, is an f-string, key) of every ``t(...)`` call whose key is written out.

    An f-string key comes back as its template, e.g. ``os.preset.{k}``.
    """
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "t" and node.args):
                continue
            key = node.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield path, False, key.value
            elif isinstance(key, ast.JoinedStr):
                yield path, True, "".join(
                    part.value if isinstance(part, ast.Constant)
                    else "{" + ast.unparse(part.value) + "}" for part in key.values)


def test_the_scan_finds_the_calls():
    keys = {key for _, _, key in _t_calls()}
    assert {"os.formula", "home.title", "check.title"} <= keys


def test_every_literal_key_exists():
    missing = sorted({f"{path.relative_to(ROOT)}: {key}" for path, is_f, key in _t_calls()
                      if not is_f and key not in TEXT})
    assert not missing


def test_every_f_string_key_exists():
    known = _expansions()
    missing = []
    for path, is_f, template in _t_calls():
        if not is_f:
            continue
        if template in known:
            missing += [f"{path.relative_to(ROOT)}: {template} ({v})" for v in known[template]
                        if template.replace("{k}", v) not in TEXT]
        else:  # unknown values: at least some key must fit the pattern
            pattern = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[A-Za-z0-9_]+",
                                              re.escape(template)) + "$")
            if not any(pattern.match(k) for k in TEXT):
                missing.append(f"{path.relative_to(ROOT)}: {template} (no key fits)")
    assert not missing


def test_every_key_like_string_literal_exists():
    """Keys passed around before reaching t(): page titles, card titles, label tables."""
    missing = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and KEY_SHAPE.match(node.value) and node.value.split(".")[0] in NAMESPACES
                    and node.value not in TEXT):
                missing.add(f"{path.relative_to(ROOT)}: {node.value}")
    assert not sorted(missing)


def test_page_titles_exist():
    for info in pages():
        assert info.title_key in TEXT
        assert f"{info.ns}.title" in TEXT
        if info.lesson:
            assert f"{info.ns}.intro" in TEXT and f"home.card.{info.stem}" in TEXT



def _words_modules() -> dict[str, object]:
    """Every module file in ``ui/text/``, by name, found on disk (not the way i18n finds them)."""
    return {path.stem: importlib.import_module(f"ui.text.{path.stem}")
            for path in sorted((ROOT / "ui" / "text").glob("*.py")) if path.stem != "__init__"}


@pytest.mark.parametrize("stem", [info.stem for info in lessons()])
def test_a_lessons_menu_title_and_home_card_live_in_its_own_words_module(stem):
    module = _words_modules().get(stem)
    assert module is not None, f"no ui/text/{stem}.py"
    own = getattr(module, "TEXT", {})
    for key in (f"nav.{stem}", f"home.card.{stem}"):
        assert key in own, f"{key} is not in ui/text/{stem}.py"
        assert all(own[key].get(lang, "").strip() for lang in LANGUAGES), key


def test_every_words_module_is_merged():
    modules = _words_modules()
    tables = {name: m.TEXT for name, m in modules.items() if hasattr(m, "TEXT")}
    # a module without TEXT is skipped by the merge: only the reproduce scripts' comments are
    assert sorted(set(modules) - set(tables)) == ["code_comments"]
    assert {"common", "home", "output_size", "pooling"} <= set(tables)
    for name, table in tables.items():
        assert {k: TEXT.get(k) for k in table} == table, name
    assert len(TEXT) == sum(len(table) for table in tables.values())  # nothing from elsewhere


# ---- nothing left in English on a Chinese page -------------------------------------------------

def test_the_word_scan_sees_english():
    """The detector itself: English prose is found; code, names, tensors and units are not."""
    assert english_words("vectorised convolution (unfold + einsum)") == ["vectorised",
                                                                          "convolution"]
    assert english_words("`F.conv2d(X, K)` 与 PyTorch 核对：C_in × H_out，3.2 ms") == []
    assert english_words("$H_{\\text{out}}$ 输出 X[0] K[1, 0]") == []
    # prose in a code span is still prose; code in one is not
    assert english_words("原因：`kernel size can't be greater than the padded input`") == [
        "kernel", "size", "can", "greater", "than", "the", "padded", "input"]
    assert english_words("`nn.Conv2d(3, 8, kernel_size=3, padding='same')`") == []


def test_the_page_walk_sees_labels_alerts_pictures_and_charts():
    at = make_app("pages/output_size.py", {"h": "abc"})
    text = "\n".join(visible_text(at))
    for key in ("os.title", "conv.h", "frame.preset.custom", "url.corrected_title", "os.out_shape",
                "check.col_result", "os.coverage", "shell.device_help",
                # the window explorer's words: a legend, a panel title, a button, a status
                "os.role.input", "os.out_title", "ex.play"):
        assert TEXT[key]["en"] in text, key
    assert TEXT["ex.status_output"]["en"].format(row=1, col=2, n=3, m=3) in text
    assert "clg-" not in text and "export default" not in text  # words, not markup or code
    at = make_app("pages/multichannel.py", {"cin": "4", "cout": "4", "groups": "2"})
    assert TEXT["mc.wiring_in"]["en"] in " ".join(chart_labels(at))


def _runs() -> list[tuple[str, dict[str, str]]]:
    """Every page by default, every preset of every page, and a few special views."""
    runs: list[tuple[str, dict[str, str]]] = [(p.path, {}) for p in pages()]
    for info in lessons():
        make_app(info.path)  # records the page's declared parameters
        for p in info.params:
            if p.name == "preset":
                runs += [(info.path, {"preset": k}) for k in p.choices if k != p.default]
    return runs + [
        ("pages/output_size.py", {"h": "abc", "kh": "99"}),  # URL corrections
        ("pages/output_size.py", {"sh": "0"}),  # a refusal
        ("pages/output_size.py", {"h": "7", "sh": "3"}),  # the floor drops a remainder
        ("pages/multichannel.py", {"flip": "1"}),
        ("pages/multichannel.py", {"groups": "3"}),  # a refusal
        ("pages/multichannel.py", {"cin": "4", "cout": "4", "groups": "2"}),  # wiring
        # refusals: each reason is worded by ui, not quoted from convlab
        ("pages/output_size.py", {"kh": "9", "h": "4", "w": "4"}),  # kernel too big
        ("pages/output_size.py", {"pad": "same", "sh": "2"}),  # 'same' at a stride
        ("pages/output_size.py", {"kh": "0"}),
        ("pages/output_size.py", {"mode": "reflect", "ph": "5", "h": "4", "w": "4"}),
        ("pages/conv_transpose.py", {"oph": "2"}),
        ("pages/fc_conv.py", {"groups": "2"}),
        ("pages/planner.py", {"preset": "custom", "n": "1", "c": "3", "h": "3", "w": "3",
                              "stack": "conv.o866k5"}),
    ] + [(info.path, {OPEN: "1"}) for info in lessons()]  # every collapsible section open


OPEN = "_open"  # not a URL parameter: the test opens every section of the page


RUNS = _runs()


@pytest.mark.parametrize("path,query", RUNS,
                         ids=[f"{Path(p).stem}-{'&'.join(f'{k}={v}' for k, v in q.items())}"
                              for p, q in RUNS])
def test_no_english_left_on_a_chinese_page(path, query):
    query = dict(query)
    opened = query.pop(OPEN, None)
    at = make_app(path, {"lang": "zh", **query})
    if opened:
        open_sections(at, Path(path).stem)
    assert not at.exception, [e.value for e in at.exception]
    strings = visible_text(at) + chart_labels(at)
    assert TEXT[pages()[0].title_key]["zh"] in strings  # the menu is in Chinese: the walk worked
    left = sorted({f"{w!r} in {s[:80]!r}" for s in strings for w in english_words(s)})
    assert not left
    # the reproduce code's comments too: prose in a comment is prose (code stays code)
    comments = [line.split("# ", 1)[1] for c in at.code if c.language == "python"
                for line in c.value.split("\n") if "# " in line]
    assert not sorted({c for c in comments if english_words(f"`{c}`")})
