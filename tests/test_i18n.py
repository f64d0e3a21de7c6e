"""The translation table: complete, consistent, every key the code uses exists, and no
English sentence left on a page shown in Chinese."""

from __future__ import annotations

import ast
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, make_app
from google.protobuf.message import Message
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from ui import output_size_view
from ui.i18n import LANGUAGES, TEXT
from ui.shell import PAGES

SOURCES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "streamlit_app.py"])
NAMESPACES = {k.split(".")[0] for k in TEXT}
KEY_SHAPE = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _expansions() -> dict[str, tuple[str, ...]]:
    """Known values of the variable in f-string keys (others are checked by pattern)."""
    known = {
        "os.preset.{k}": tuple(output_size_view.PRESETS),
        "os.pad.{k}": tuple(output_size_view.PAD_KINDS),
        # the labels the padded-grid chart needs (ui.charts.padded_grid_chart)
        "os.role.{k}": ("input", "padding", "tap", "unread", "coverage", "role"),
    }
    try:
        from ui import multichannel_view as mc
    except ImportError:  # the page is optional here; its keys are then checked by pattern
        return known
    for template, name in (("mc.preset.{k}", "PRESETS"), ("mc.pad.{k}", "PAD_KINDS")):
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
    assert {"os.title", "home.title", "os.preset.{k}", "check.title"} <= keys


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
    assert all(title in TEXT for _, title, _ in PAGES)


# ---- nothing left in English on a Chinese page -------------------------------------------------

def _probes() -> dict[str, str]:
    """key -> a piece of its English text that a Chinese page must not show.

    An English text of at least 12 characters that differs from its Chinese one, with
    placeholders cut out (the longest literal piece), and not quoted inside any Chinese
    text (``padding_mode`` is part of the Chinese label too).
    """
    zh_all = "\n".join(e["zh"] for e in TEXT.values())
    out = {}
    for key, entry in TEXT.items():
        en, zh = entry["en"], entry["zh"]
        if en == zh:
            continue
        pieces = [literal for literal, *_ in string.Formatter().parse(en)]
        piece = max(pieces, key=len).strip()
        if len(piece) >= 12 and piece not in zh_all:
            out[key] = piece
    return out


def _strings(message: Message) -> Iterator[str]:
    """Every string field of a protobuf message, nested and repeated ones included."""
    for field, value in message.ListFields():
        scalar = isinstance(value, (str, bytes, bool, int, float, Message))
        items = [value] if scalar else list(value)
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                yield from _strings(item)
        elif field.type == field.TYPE_STRING:
            yield from items


def visible_text(at: AppTest) -> list[str]:
    """Every string the page sends to the browser except code blocks (code and PyTorch's own
    messages stay in English): titles, markdown, captions, alerts, widget labels, help and
    options, metric labels, expander labels, chart specs, table headers and cells."""
    out: list[str] = []

    def walk(node) -> None:
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind == "Code":
            return
        if kind == "Dataframe":
            frame = node.value
            out.extend(map(str, frame.columns))
            out.extend(str(v) for v in frame.to_numpy().ravel())
        elif proto is not None:
            out.extend(_strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def test_visible_text_sees_labels_and_alerts():
    at = make_app("pages/output_size.py", {"h": "abc"})
    text = "\n".join(visible_text(at))
    for key in ("os.title", "os.h", "os.preset.custom", "url.corrected_title", "os.out_shape",
                "check.col_result", "os.coverage", "shell.device_help", "os.out_title"):
        assert TEXT[key]["en"] in text, key
    # ...so the probes of the Chinese test below do find English where there is some.
    assert len([k for k, piece in _probes().items() if piece in text]) >= 30


def _english_only() -> set[str]:
    """Whole English texts that no Chinese text equals: a label showing one is untranslated."""
    zh = {e["zh"] for e in TEXT.values()}
    return {e["en"] for e in TEXT.values() if e["en"] != e["zh"] and e["en"] not in zh
            and not _fields(e["en"])}


def chart_labels(at: AppTest) -> list[str]:
    """Every chart's titles, scale domains (legend entries) and string data cells."""
    out: list[str] = []

    def spec_strings(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    out.append(value)
                elif key == "domain" and isinstance(value, list):
                    out.extend(v for v in value if isinstance(v, str))
                elif key != "datasets":
                    spec_strings(value)
        elif isinstance(node, list):
            for item in node:
                spec_strings(item)

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "VegaLiteChart":
            spec_strings(json.loads(proto.spec))
            for dataset in proto.datasets:
                frame = convert_arrow_bytes_to_pandas_df(dataset.data.data)
                for column in frame.columns:
                    if frame[column].dtype == object:
                        out.extend(map(str, frame[column]))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def test_chart_labels_are_seen():
    at = make_app("pages/output_size.py")
    labels = set(chart_labels(at))
    assert {TEXT["os.role.input"]["en"], TEXT["os.out_title"]["en"]} <= labels


ZH_RUNS = [(path, {}) for path, _, _ in PAGES] + [
    ("pages/output_size.py", {"h": "abc", "kh": "99"}),  # URL corrections
    ("pages/output_size.py", {"sh": "0"}),  # a refusal
    ("pages/output_size.py", {"pad": "same", "sh": "1", "kh": "4", "h": "6"}),  # uneven pad
    ("pages/output_size.py", {"h": "7", "sh": "3"}),  # the floor drops a remainder
]


@pytest.mark.parametrize("path,query", ZH_RUNS,
                         ids=[f"{Path(p).stem}-{'&'.join(q) or 'default'}" for p, q in ZH_RUNS])
def test_no_english_left_on_a_chinese_page(path, query):
    at = make_app(path, {"lang": "zh", **query})
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(visible_text(at))
    assert TEXT[PAGES[0][1]]["zh"] in text  # the menu is in Chinese, so the walk worked
    left = {key: piece for key, piece in _probes().items() if piece in text}
    assert not left
    # Short labels too, where they are whole strings: widget options, chart legends and data.
    whole = set(chart_labels(at)) | {s.strip() for s in visible_text(at)}
    assert not sorted(whole & _english_only())
