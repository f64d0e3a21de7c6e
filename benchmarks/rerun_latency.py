"""Server-side rerun time of every page while its widgets move (AppTest, no browser).

The time is what ``ui.shell`` records between ``shell.start()`` and ``shell.finish()`` in
``st.session_state["_rerun_seconds"]``: the page script itself, not the websocket or the
browser's drawing. Target: 50 ms per rerun.

    python benchmarks/rerun_latency.py [--runs 30]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.registry import PAGES  # noqa: E402

TARGET_MS = 50.0
HOME = "pages/home.py"


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    if path != HOME:
        at.switch_page(path).run()
    if at.exception:
        raise RuntimeError(f"{path}: {[e.value for e in at.exception]}")
    return at


def output_size_moves() -> Iterator[tuple[str, str, int]]:
    """(widget kind, key, value): height, kernel, stride and the picked output row in turn."""
    heights = itertools.cycle([9, 12, 16, 24, 32, 48, 64, 20, 8])
    kernels = itertools.cycle([5, 2, 7, 3, 1, 4])
    strides = itertools.cycle([1, 3, 2])
    rows = itertools.cycle([1, 2, 0, 3])
    while True:
        yield "number_input", "output_size.h", next(heights)
        yield "number_input", "output_size.kh", next(kernels)
        yield "number_input", "output_size.sh", next(strides)
        yield "slider", "output_size.oi", next(rows)


def generic_moves(at: AppTest, prefix: str) -> Iterator[tuple[str, str, int]]:
    """Each enabled number input and slider of the page in turn, stepped within its range."""
    step = itertools.count(1)
    while True:
        widgets = [("number_input", w) for w in at.number_input
                   if w.key and w.key.startswith(prefix) and not w.disabled]
        widgets += [("slider", w) for w in at.slider if w.key and w.key.startswith(prefix)]
        if not widgets:
            yield "", "", 0  # nothing to move: just rerun
            continue
        kind, w = widgets[next(step) % len(widgets)]
        lo, hi = int(w.min), int(w.max)
        yield kind, w.key, int(w.value) + 1 if w.value < hi else lo


def measure(path: str, runs: int) -> dict[str, float | int | str]:
    at = open_page(path)
    stem = Path(path).stem
    if stem == "output_size":
        moves: Iterator[tuple[str, str, int]] = output_size_moves()
    elif stem == "home":
        moves = itertools.repeat(("", "", 0))
    else:
        moves = generic_moves(at, f"{stem}.")
    server, wall, failed = [], [], 0
    for _ in range(runs):
        kind, key, value = next(moves)
        if kind:
            widget = getattr(at, kind)(key=key)
            if widget.key is not None and not getattr(widget, "disabled", False):
                widget.set_value(value)
        start = time.perf_counter()
        at.run()
        wall.append(time.perf_counter() - start)
        if at.exception:
            failed += 1
        server.append(at.session_state["_rerun_seconds"])
    ms = sorted(1000 * s for s in server)
    warm = [1000 * s for s in server[len(server) // 2:]]  # caches and templates filled
    return {"page": stem, "runs": runs, "median": statistics.median(ms),
            "p90": ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))], "max": ms[-1],
            "warm": statistics.median(warm), "wall": 1000 * statistics.median(wall),
            "errors": failed}


def table(rows: list[dict], columns: list[tuple[str, str, Callable]]) -> str:
    cells = [[fmt(r[key]) for _, key, fmt in columns] for r in rows]
    heads = [h for h, _, _ in columns]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    line = "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in
                     enumerate(zip(heads, widths, strict=True)))
    out = [line, "-" * len(line)]
    for c in cells:
        out.append("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in
                             enumerate(zip(c, widths, strict=True))))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="reruns per page (>= 20)")
    args = parser.parse_args()
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.state.session_state_proxy"):
        logging.getLogger(name).disabled = True  # AppTest: "missing ScriptRunContext"
    rows = [measure(path, max(args.runs, 20)) for path in [p.path for p in PAGES]]
    ms = lambda v: f"{v:.1f}"  # noqa: E731
    for r in rows:
        r["verdict"] = "ok" if r["p90"] <= TARGET_MS else "over"
    print(f"Server-side rerun time per page (target {TARGET_MS:.0f} ms), widgets moving, "
          "first run excluded")
    print(table(rows, [("page", "page", str), ("reruns", "runs", str),
                       ("median ms", "median", ms), ("p90 ms", "p90", ms), ("max ms", "max", ms),
                       ("2nd-half median ms", "warm", ms),
                       ("AppTest wall ms", "wall", ms), ("exceptions", "errors", str),
                       (f"p90 <= {TARGET_MS:.0f} ms", "verdict", str)]))


if __name__ == "__main__":
    main()
