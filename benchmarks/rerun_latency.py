"""Server-side rerun time of every registered page while its widgets move (AppTest).

For each page, from its default view and from each of its presets: every number input
and slider moved one step and back, every toggle flipped and back, every selectbox and
segmented-control option chosen. Two figures per interaction: the page script's own time
(what the frame records between start and finish) and the AppTest round trip (script plus
AppTest's protobuf handling). Targets (issue #7): round trip median <= 20 ms, p90 <= 50 ms,
no single interaction over 100 ms.

    python benchmarks/rerun_latency.py
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from benchmarks.stats import p90  # noqa: E402
from ui.registry import page, pages  # noqa: E402

HOME = "pages/home.py"
Move = tuple[str, str, Any]  # (widget kind, key, value)


def apply(at: AppTest, move: Move) -> None:
    kind, key, value = move
    if kind == "selectbox":
        at.selectbox(key=key).select_index(value)
    elif kind:
        getattr(at, kind)(key=key).set_value(value)


def open_page(path: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params.update(query or {})
    at.run()
    if path != HOME:
        at.query_params.update(query or {})
        at.switch_page(path).run()
    if at.exception:
        raise RuntimeError(f"{path}: {[e.value for e in at.exception]}")
    return at


def moves(at: AppTest, prefix: str) -> list[Move]:
    """Every interaction of the page's own widgets, each followed by its undo."""
    out: list[Move] = []
    for w in at.number_input:
        key = w.key or ""
        if key.startswith(prefix) and not w.proto.disabled and w.value is not None:
            v, hi, lo = float(w.value), float(w.max or w.value), float(w.min or w.value)
            step = v + 1 if v < hi else v - 1
            if lo <= step <= hi:
                out += [("number_input", key, step),
                        ("number_input", key, v)]
    for s in at.slider:
        key = s.key or ""
        if key.startswith(prefix):
            current_value: Any = s.value
            at_value = int(current_value)
            nxt = at_value + 1 if at_value < int(s.max) else at_value - 1
            out += [("slider", key, nxt), ("slider", key, at_value)]
    for tg in at.toggle:
        key = tg.key or ""
        if key.startswith(prefix):
            out += [("toggle", key, not tg.value),
                    ("toggle", key, tg.value)]
    for sb in at.selectbox:
        key = sb.key or ""
        if key.startswith(prefix) and not key.endswith(".preset"):
            for i in [*range(len(sb.options)), sb.index or 0]:
                out.append(("selectbox", key, i))
    for bg in at.button_group:
        key = bg.key or ""
        if key.startswith(prefix):
            current = bg.value
            for option in _choices(key):
                out.append(("button_group", key, option))
            out.append(("button_group", key, current))
    return out


def _choices(key: str) -> tuple[str, ...]:

    stem, name = key.split(".", 1)
    for p in page(stem).params:
        if p.name == name:
            return tuple(getattr(p, "choices", ()))
    return ()


def measure(path: str) -> dict[str, Any]:
    stem = Path(path).stem
    starts: list[dict[str, str]] = [{}]
    probe = open_page(path)
    presets = [w for w in probe.selectbox if w.key == f"{stem}.preset"]
    if presets:
        starts += [{"preset": o} for o in _preset_ids(stem)]
    server, wall, worst, errors = [], [], ("", 0.0), 0
    for query in starts:
        at = open_page(path, query)
        for move in moves(at, f"{stem}.") or [("", "rerun", None)]:
            apply(at, move)
            what = move[1]
            start = time.perf_counter()
            at.run()
            took = time.perf_counter() - start
            wall.append(took)
            server.append(at.session_state["_rerun_seconds"])
            errors += bool(at.exception)
            if took > worst[1]:
                worst = (f"{what} {query or ''}".strip(), took)
    return {"page": stem, "n": len(wall), "server_median": _ms(statistics.median(server)),
            "server_p90": _ms(p90(server)), "wall_median": _ms(statistics.median(wall)),
            "wall_p90": _ms(p90(wall)), "wall_max": _ms(max(wall)), "worst": worst[0],
            "errors": errors}


def _preset_ids(stem: str) -> list[str]:

    for p in page(stem).params:
        if p.name == "preset":
            return [c for c in getattr(p, "choices", ()) if c != p.default]
    return []


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="page stems (default: every page)")
    args = parser.parse_args()
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.state.session_state_proxy"):
        logging.getLogger(name).disabled = True  # AppTest: "missing ScriptRunContext"
    heads = ["page", "n", "server_median", "server_p90", "wall_median", "wall_p90", "wall_max",
             "errors", "worst"]
    print("Rerun time per interaction, ms (server = page script; wall = AppTest round trip)")
    print("  ".join(f"{h:>13}" for h in heads))
    for info in pages():
        if args.pages and info.stem not in args.pages:
            continue
        row = measure(info.path)
        print("  ".join(f"{str(row[h]):>13}" for h in heads), flush=True)


if __name__ == "__main__":
    main()
