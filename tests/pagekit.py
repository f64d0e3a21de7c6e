"""What the page tests share: reading an AppTest's elements, its visible text, its charts."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pandas as pd
from google.protobuf.message import Message
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from ui.i18n import TEXT
from ui.registry import page

EN = {k: v["en"] for k, v in TEXT.items()}
ZH = {k: v["zh"] for k, v in TEXT.items()}


def assert_clean(at: AppTest) -> None:
    """The run raised nothing (an exception is shown as an element, not raised)."""
    assert not at.exception, [e.value for e in at.exception]


def open_sections(at: AppTest, stem: str) -> int:
    """Open every collapsible section (``Frame.section`` and "More settings") the page
    ``stem`` declares in its lesson record and run again; how many there were."""
    keys = sorted(f"{stem}.open.{name}" for name in page(stem).all_sections)
    for key in keys:
        at.session_state[key] = True
    at.run()
    return len(keys)


def open_more(at: AppTest, stem: str) -> AppTest:
    """Open the page's "More settings" section and run again (its widgets are drawn only
    while it is open)."""
    at.session_state[f"{stem}.open.more"] = True
    return at.run()


def more_label(at: AppTest, lang: str = "en") -> str | None:
    """The "More settings" section's label (with its count), or None if the page has none."""
    words = EN if lang == "en" else ZH
    return next((e.label for e in at.expander if e.label.startswith(words["frame.more"])), None)


def more_open(at: AppTest) -> bool:
    """Whether the "More settings" section is open in this run."""
    return any(e.proto.expanded for e in at.expander
               if e.label.startswith((EN["frame.more"], ZH["frame.more"])))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _check_markdowns(at: AppTest) -> list[str]:
    """Every check panel's markdown (headline line, then table), in page order."""
    return [str(m.value) for m in at.markdown
            if m.value.startswith((f"**{EN['check.title']}**", f"**{ZH['check.title']}**"))]


def _check_markdown(at: AppTest, index: int = 0) -> str:
    """The ``index``-th check panel's markdown: its headline line, then its table."""
    found = _check_markdowns(at)
    if len(found) <= index:
        raise AssertionError(f"no check panel {index} on the page: "
                             f"{[m.value for m in at.markdown]}")
    return found[index]


def markdown_table(text: str) -> pd.DataFrame:
    """The first markdown table in ``text`` as strings (``\\|`` inside a cell kept)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("|")]
    assert len(lines) >= 2, text
    rows = [[c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", ln)[1:-1]]
            for ln in lines]
    return pd.DataFrame(rows[2:], columns=rows[0])


def check_table(at: AppTest, index: int = 0) -> pd.DataFrame:
    """The ``index``-th check panel's table (-1 the last): one row per comparison."""
    return markdown_table(_check_markdown(at, index if index >= 0 else
                                           len(_check_markdowns(at)) + index))


def data_table(at: AppTest, index: int = 0) -> pd.DataFrame:
    """The page's ``index``-th table of numbers (``Frame.table``) other than the check
    panel, cells as the page prints them."""
    found = [m.value for m in at.markdown if m.value.lstrip().startswith("|")]
    assert len(found) > index, [m.value for m in at.markdown]
    return markdown_table(found[index])


def every_check_passed(at: AppTest) -> bool:
    """Every check panel on the page (a page may check each of its parts) passes."""
    panels = _check_markdowns(at)
    assert panels, "no check panel on the page"
    return all(markdown_table(p)[EN["check.col_result"]].str.endswith(EN["check.pass"]).all()
               and p.splitlines()[0].endswith(EN["check.all_pass"]) for p in panels)


def check_passed(at: AppTest) -> bool:
    """The check panel's headline says everything agrees and every row says pass."""
    headline = _check_markdown(at).splitlines()[0]
    results = check_table(at)[EN["check.col_result"]].tolist()
    assert results, "an empty check table"
    return headline.endswith(EN["check.all_pass"]) and all(
        r.endswith(EN["check.pass"]) for r in results)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# Proto fields that carry identifiers, not words a user reads.
NOT_SHOWN = {"id", "form_id", "page_script_hash", "page", "url_path", "icon", "type",
             "language", "format", "spec", "theme", "key", "data", "label_visibility",
             "selection_mode", "dtype", "value_type", "element_type", "width", "height",
             "format_func", "class_name", "fragment_id", "anchor", "url", "markup"}


def _strings(message: Message) -> Iterator[str]:
    """Every string field a user may read in a protobuf message, nested ones included."""
    for desc, value in message.ListFields():
        if desc.name in NOT_SHOWN:
            continue
        scalar = isinstance(value, (str, bytes, bool, int, float, Message))
        items = [value] if scalar else list(value)
        if desc.type == desc.TYPE_MESSAGE:
            for item in items:
                yield from _strings(item)
        elif desc.type == desc.TYPE_STRING:
            yield from items


def visible_text(at: AppTest) -> list[str]:
    """Every string the page sends to the browser except code blocks (code and PyTorch's own
    messages stay in English) and chart specs (see :func:`chart_labels`): titles, markdown,
    captions, alerts, widget labels, help and options, metric labels, expander labels,
    table headers and cells, and the titles, tooltips and legends of HTML pictures."""
    out: list[str] = []

    def walk(node: Any) -> None:
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind == "Code":
            return
        if kind == "Dataframe":
            frame = node.value
            out.extend(map(str, frame.columns))
            out.extend(str(v) for v in frame.to_numpy().ravel())
        elif type(proto).__name__ == "VegaLiteChart":
            pass
        elif type(proto).__name__ == "Html":  # a picture: its words, not its markup
            out.extend(w for f in figures(proto.body) for w in f.words())
        elif type(proto).__name__ == "BidiComponent":  # the explorer: its words, not its code
            out.extend(explorer_words(_payload(proto)))
        elif proto is not None:
            out.extend(_strings(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def chart_labels(at: AppTest) -> list[str]:
    """Every chart's titles (chart, axis, legend), tooltip titles, scale domains (legend
    entries), text marks' constant strings and string data cells."""
    out: list[str] = []

    def spec_strings(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "text") and isinstance(value, str):
                    out.append(value)
                elif key == "title" and isinstance(value, dict):
                    out.extend(v for v in value.values() if isinstance(v, str))
                elif key == "tooltip":
                    for tip in value if isinstance(value, list) else [value]:
                        if isinstance(tip, dict):
                            out.append(str(tip.get("title", tip.get("field", ""))))
                elif key == "domain" and isinstance(value, list):
                    out.extend(v for v in value if isinstance(v, str))
                elif key != "datasets":
                    spec_strings(value)
        elif isinstance(node, list):
            for item in node:
                spec_strings(item)

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "VegaLiteChart":
            spec = json.loads(proto.spec)
            spec_strings(spec)
            for dataset in proto.datasets:
                frame = convert_arrow_bytes_to_pandas_df(dataset.data.data)
                for column in frame.columns:
                    if frame[column].dtype == object or str(frame[column].dtype) == "str":
                        out.extend(map(str, frame[column]))
            for values in spec.get("datasets", {}).values():
                for row in values if isinstance(values, list) else []:
                    out.extend(v for v in row.values() if isinstance(v, str))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


# ---- English left on a Chinese page ------------------------------------------------------------

# Words a Chinese page may show: code and PyTorch's names, tensor names, units, proper names.
ALLOWED_WORDS = {
    # proper names and products
    "pytorch", "convlab", "torch", "cuda", "cpu", "gpu", "mps", "apple", "nvidia", "d2l",
    "english", "sobel", "hessian", "okabe", "ito", "streamlit", "python", "numpy", "relu", "tpu",
    "dcgan", "odena", "dumoulin", "olah", "visin",
    # PyTorch's API, as code
    "nn", "conv1d", "conv2d", "conv3d", "linear", "einsum", "unfold", "fold", "matmul",
    "flatten", "view", "flip",
    "convtranspose2d", "conv_transpose2d", "output_padding", "output_size",
    "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
    "bias", "padding_mode", "same", "valid", "zeros", "reflect", "replicate", "circular",
    "dtype", "float32", "float64", "shape", "weight", "in_features", "out_features",
    "manual_seed", "randn", "rand", "fan_in", "kaiming", "kaiming_uniform_", "state_dict",
    "load_state_dict", "normal", "mse", "sgd", "lr", "corr2d", "corr2d_multi_in_out",
    "corr2d_multi_in", "conv2d_to_linear", "linear_to_conv2d", "eff", "pad", "out",
    "text", "before", "after", "left", "lfloor", "rfloor", "frac", "cdot", "right", "ldots",
    # units
    "ms", "gflop", "gflops", "mb", "kb", "png", "jpeg", "jpg", "khz",
    # the shape planner: networks, authors, PyTorch's layers, units, Python's booleans
    "alexnet", "lenet", "vgg", "resnet", "mobilenet", "unet", "araujo", "norris", "distill",
    "tensorflow", "maxpool2d", "avgpool2d", "adaptiveavgpool2d", "batchnorm2d", "relu6",
    "leakyrelu", "gelu", "silu", "sigmoid", "tanh", "dropout", "upsample", "kib", "mib", "gib",
    "true", "false", "meta", "torchvision", "basicblock", "bottleneck", "sequential",
    "residual",  # the table's block row (convlab.Residual)
}


def english_words(text: str) -> list[str]:
    """The English words in ``text`` outside code spans, LaTeX and allowed names."""
    import re

    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # display LaTeX
    # inline code is code, unless it holds prose: four or more words in a row
    prose = [m.group(0) for span in re.findall(r"`([^`]*)`", text)
             for m in re.finditer(r"[A-Za-z]{2,}(?:'[a-z]+)?(?: [A-Za-z]{2,}(?:'[a-z]+)?){3,}",
                                  span)]
    text = re.sub(r"`[^`]*`", " ", text) + " " + " ".join(prose)
    text = re.sub(r"\$[^$]*\$", " ", text)  # LaTeX
    text = re.sub(r":material/[a-z_]+:", " ", text)  # icons
    words = re.findall(r"[A-Za-z][A-Za-z_0-9]*", text)
    return [w for w in words if len(w) > 2 and w.lower() not in ALLOWED_WORDS
            and not re.fullmatch(r"[A-Z]_?[a-z]{0,3}", w)]  # tensor names: X, K, C_in, H_out


@dataclass
class Figure:
    """One :mod:`ui.pictures.grids` figure as the browser gets it."""

    title: str = ""
    cols: int = 0  # from the grid's column template (index column not counted)
    texts: list[str] = field(default_factory=list)  # data cells, row-major
    tips: list[str] = field(default_factory=list)
    fills: list[str] = field(default_factory=list)
    highlighted: list[int] = field(default_factory=list)  # flat indices of outlined cells
    indexed: bool = False  # rows and columns carry index labels
    legend: list[str] = field(default_factory=list)
    # axis titles and their colours: rows, then columns
    axes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.texts) // max(self.cols, 1)

    def grid(self) -> list[list[str]]:
        return [self.texts[r * self.cols:(r + 1) * self.cols] for r in range(self.rows)]

    def words(self) -> list[str]:
        """Everything in it a user reads: title, axis titles, tooltips, legend."""
        return [self.title, *(a for a, _ in self.axes), *self.tips, *self.legend]


class _FigureParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: list[Figure] = []
        self.stack: list[str] = []  # the role of each open element
        self.other: list[str] = []  # text outside every figure

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "")
        parent = self.stack[-1] if self.stack else ""
        role = tag
        if cls == "clg-fig":
            self.figures.append(Figure())
            role = "fig"
        elif cls == "clg-grid":
            m = re.search(r"repeat\((\d+),", a.get("style", ""))
            self.figures[-1].cols = int(m.group(1)) if m else 0
            self.figures[-1].indexed = "px repeat" in a.get("style", "")
            role = "grid"
        elif parent == "grid" and "title" in a:
            fig = self.figures[-1]
            if cls == "clg-hl":
                fig.highlighted.append(len(fig.texts))
            fig.tips.append(a["title"])
            fig.fills.append(re.search(r"background:([^;]+)", a.get("style", "")).group(1))
            fig.texts.append("")
            role = "cell"
        elif parent == "grid":
            role = "index"
        elif cls in ("clg-xtitle", "clg-ytitle"):
            colour = re.search(r"color:([^;]+)", a.get("style", ""))
            self.figures[-1].axes.append(("", colour.group(1) if colour else ""))
            role = cls
        elif cls == "clg-title":
            role = cls
        elif tag == "span" and "clg-leg" in self.stack:
            role = "legend"
        elif cls == "clg-leg":
            role = "clg-leg"
        if tag not in ("i", "br"):
            self.stack.append(role)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("i", "br") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        role = self.stack[-1] if self.stack else ""
        if "style" in self.stack or not data.strip():
            return
        if not self.figures or "fig" not in self.stack:
            self.other.append(data)
        elif role == "cell":
            self.figures[-1].texts[-1] += data
        elif role == "clg-title":
            self.figures[-1].title += data
        elif role in ("clg-xtitle", "clg-ytitle"):
            title, colour = self.figures[-1].axes[-1]
            self.figures[-1].axes[-1] = (title + data, colour)
        elif role == "legend":
            self.figures[-1].legend.append(data)


def figures(body: str) -> list[Figure]:
    """The :mod:`ui.pictures.grids` figures in one HTML element's body, in order."""
    parser = _FigureParser()
    parser.feed(body)
    assert not parser.other, f"text outside every figure: {parser.other}"
    return parser.figures


def pictures(at: AppTest) -> list[list[Figure]]:
    """Every HTML picture on the page (``Frame.picture``): its figures, in order."""
    return [figures(h.proto.body) for h in at.get("html")]


def all_figures(at: AppTest) -> list[Figure]:
    return [f for picture in pictures(at) for f in picture]


def vega_charts(at: AppTest) -> list[Any]:
    """The protos of every Vega-Lite chart on the page, in order."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "VegaLiteChart":
            found.append(proto)
            return
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


# ---- the window explorer (ui/explorer.py) ------------------------------------------------------

def _payload(proto: Any) -> dict[str, Any]:
    return json.loads(proto.json or proto.mixed.json or "{}")


def explorers(at: AppTest) -> list[dict[str, Any]]:
    """The payload of every window explorer on the page, in page order (AppTest shows a
    custom component as an unknown element holding its ``BidiComponent`` proto)."""
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "BidiComponent" and proto.component_name == "convlab.explorer":
            out.append(_payload(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def _fill(template: str, values: dict[str, Any]) -> str:
    """A browser-side template filled as the component's JavaScript fills it."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def tooltip(panel: dict[str, Any], k: int) -> str:
    """Cell ``k``'s tooltip, as the browser builds it."""
    values: dict[str, Any] = {"row": k // panel["cols"], "col": k % panel["cols"]}
    values.update({name: cells[k] for name, cells in panel["fields"].items()})
    if panel["names"]:
        values["role"] = panel["names"][panel["fill"][k]]
    return _fill(panel["tip"], values)


def explorer_words(data: dict[str, Any]) -> list[str]:
    """Everything in an explorer a user reads: its buttons, hint and status lines (numbers
    filled in), panel titles, every distinct tooltip, the legend."""
    counts = {"row": 1, "col": 2, "n": 3, "m": 3, "q": 3, "weight": 4}
    out = [_fill(w, counts) for w in data["words"].values()]
    for row in data["rows"]:
        for panel in row:
            out.append(panel["title"])
            out.extend({tooltip(panel, k) for k in range(panel["rows"] * panel["cols"])})
    out.extend(label for _, label, _ in data["legend"])
    return out


def click_explorer(at: AppTest, cell: Any, index: int = 0) -> AppTest:
    """Run again as the browser does after a click on ``cell`` (``(i, j)``, or anything
    else a tampered browser could send) in the ``index``-th window explorer: the widget
    states plus the component's ``pick`` trigger."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    protos: list[Any] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "BidiComponent" and proto.component_name == "convlab.explorer":
            protos.append(proto)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(protos[index].id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "pick", "value": cell}])
    return at._run(states)

