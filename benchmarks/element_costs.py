"""What one Streamlit element costs a rerun in a real browser: the floor under every page.

Small synthetic apps, each one number input plus twenty elements of one kind (or three
8 x 8 grids of numbers: drawn by Vega-Lite, as an SVG in markdown, or as HTML cells in
``st.html``, which strips SVG), served and timed exactly as benchmarks/browser_latency.py
times a lesson page (a number typed, Enter, until the script is idle and every chart is
drawn again), beside the trivial app. The difference to the trivial app, divided by the
number of elements, is what each element of that kind adds to a rerun; "static" elements
are sent again unchanged, "changing" ones show the typed number. Elements outside the
fragment that reruns are not sent at all.

    python benchmarks/element_costs.py [--runs 12] [--kinds caption latex ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import browser_latency as bl  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests._server import launch_chromium, start_server, stop_server  # noqa: E402

N = 20
HEAD = ("import pandas as pd\nimport streamlit as st\n"
        "a = st.number_input('a', 0, 100, 1, key='a')\n")
LOOP = f"for i in range({N}):\n    "
CELLS = ("pd.DataFrame([(r, c, (r * c + SEED) % 7) for r in range(8) for c in range(8)], "
         "columns=['r', 'c', 'v'])")
HEATMAP = ("{'data': {'name': 'cells'}, 'datasets': {'cells': " + CELLS + "}, "
           "'mark': 'rect', 'encoding': {'x': {'field': 'c', 'type': 'ordinal'}, "
           "'y': {'field': 'r', 'type': 'ordinal'}, "
           "'color': {'field': 'v', 'type': 'quantitative'}}}")
# kind -> (body after HEAD, elements it draws)
APPS: dict[str, tuple[str, int]] = {
    "markdown static": (LOOP + "st.markdown(f'line {i}')\n", N),
    "markdown changing": (LOOP + "st.markdown(f'line {i}: {a * i}')\n", N),
    "caption changing": (LOOP + "st.caption(f'line {i}: {a * i}')\n", N),
    "metric changing": (LOOP + "st.metric(f'm{i}', a * i)\n", N),
    "number input": (LOOP + "st.number_input(f'n{i}', 0, 100, 1, key=f'n{i}')\n", N),
    "number input, help": (LOOP + "st.number_input(f'n{i}', 0, 100, 1, key=f'n{i}', "
                           "help='A **help** text.')\n", N),
    "number input, in a row": ("row = st.container(horizontal=True)\n" + LOOP
                               + "row.number_input(f'n{i}', 0, 100, 1, key=f'n{i}', "
                               "width=200)\n", N),
    "selectbox": (LOOP + "st.selectbox(f's{i}', ['a', 'b', 'c'], key=f's{i}')\n", N),
    "toggle": (LOOP + "st.toggle(f't{i}', key=f't{i}')\n", N),
    "svg markdown changing": (LOOP + "st.markdown(f'<svg width=\"60\" height=\"20\">"
                              "<rect width=\"{a % 50 + 5}\" height=\"20\"/></svg>', "
                              "unsafe_allow_html=True)\n", N),
    "code changing": (LOOP + "st.code(f'x = {a * i}')\n", N),
    "latex changing": (LOOP + "st.latex(rf'\\frac{{{a}}}{{{i + 1}}}')\n", N),
    "dataframe changing": (LOOP + "st.dataframe(pd.DataFrame({'a': [i, a]}))\n", N),
    "columns (block)": (LOOP + "st.columns(2)[0].caption(f'{a * i}')\n", N),
    "expander (block)": (LOOP + "st.expander(f'e{i}').caption(f'{a * i}')\n", N),
    "vega chart, data changing": (
        "for j in range(3):\n    st.vega_lite_chart(" + HEATMAP.replace("SEED", "a")
        + ", key=f'c{j}', width='content')\n", 3),
    "svg grid in markdown, changing": (
        "for j in range(3):\n    st.markdown('<svg width=\"240\" height=\"240\">' + ''.join("
        "f'<g><title>row {r}, col {c}: {(r * c + a) % 7}</title><rect x=\"{c * 30}\" "
        "y=\"{r * 30}\" width=\"29\" height=\"29\" "
        "fill=\"hsl(210,60%,{90 - (r * c + a) % 7 * 8}%)\"/>"
        "<text x=\"{c * 30 + 15}\" y=\"{r * 30 + 19}\" text-anchor=\"middle\" "
        "font-size=\"11\">{(r * c + a) % 7}</text></g>' for r in range(8) for c in range(8)) "
        "+ '</svg>', unsafe_allow_html=True)\n", 3),
    "html grid, changing": (
        "for j in range(3):\n    st.html('<style>.g{display:grid;grid-template-columns:"
        "repeat(8,30px);grid-auto-rows:30px;gap:1px;font-size:12px}.g>div{display:flex;"
        "align-items:center;justify-content:center}</style><div class=\"g\">' + ''.join("
        "f'<div title=\"row {r}, col {c}: {(r * c + a) % 7}\" style=\"background:"
        "hsl(210,60%,{90 - (r * c + a) % 7 * 8}%)\">{(r * c + a) % 7}</div>' "
        "for r in range(8) for c in range(8)) + '</div>')\n", 3),
    "vega chart, unchanged": (
        "for j in range(3):\n    st.vega_lite_chart(" + HEATMAP.replace("SEED", "j")
        + ", key=f'c{j}', width='content')\n", 3),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=12, help="typed changes per app")
    parser.add_argument("--kinds", nargs="*", choices=list(APPS), help="default: all")
    args = parser.parse_args()
    kinds = args.kinds or list(APPS)
    rows: list[tuple[str, int, bl.Result]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            apps = [(bl.TRIVIAL, str(ROOT / bl.TRIVIAL_SCRIPT), 0)]
            for i, kind in enumerate(kinds):
                body, count = APPS[kind]
                path = Path(tmp) / f"app{i}.py"
                path.write_text(HEAD + body)
                apps.append((kind, str(path), count))
            for kind, script, count in apps:
                proc, base = start_server(script=script)
                try:
                    bl.warm(browser, [f"{base}/"])
                    # Measured as the floor is: typed numbers only, no cell clicks.
                    rows.append((kind, count, bl.measure(browser, bl.TRIVIAL, f"{base}/",
                                                         args.runs, 0)))
                finally:
                    stop_server(proc)
                print(f"  {kind}", file=sys.stderr, flush=True)
        finally:
            browser.close()
    floor = bl.med(rows[0][2].drawn)
    print(f"One element's cost to a rerun, headless Chromium, ms ({args.runs} typed changes "
          "per app; per element = (drawn median - trivial's) / elements)")
    head = f"{'app':<28}{'elements':>9}{'drawn med':>11}{'drawn p90':>11}{'per element':>13}"
    print(head)
    print("-" * len(head))
    for kind, count, r in rows:
        per = (bl.med(r.drawn) - floor) / count if count else float("nan")
        print(f"{kind:<28}{count:>9}{bl.med(r.drawn):>11.0f}{bl.p90(r.drawn):>11.0f}"
              f"{per:>13.1f}")


if __name__ == "__main__":
    main()
