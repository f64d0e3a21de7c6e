"""Time to first render of every page in headless Chromium against a real ``streamlit run``.

Two ways, both measured from the browser's navigation start (``performance.now()``):

* cold: a freshly started server per page, its first visitor (imports, caches and
  Altair templates all empty, as after a deploy);
* warm: one server for all pages, already visited once, a fresh browser context (new
  session, empty browser cache) per visit; median of ``--repeat`` visits.

"script done" is the app root's ``data-test-script-state='notRunning'`` after the first
run; "drawn" also waits for lazily loaded elements (no ``stSkeleton`` left) and every
chart's SVG. Target: 4 s.

    python benchmarks/first_render.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests._server import IDLE, launch_chromium, page_url, start_server, stop_server  # noqa: E402
from ui.registry import pages  # noqa: E402

TARGET_S = 4.0
DRAWN = """() => !document.querySelector("[data-testid='stSkeleton']") &&
    [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
        .every(c => c.querySelector('svg, canvas'))"""


def visit(browser: Browser, url: str) -> tuple[float, float]:
    """Seconds from navigation start to (script done, drawn) in a fresh context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("h1")  # the first run has begun drawing...
        page.wait_for_selector(IDLE)  # ...and is over
        done = page.evaluate("() => performance.now()") / 1000
        page.wait_for_function(DRAWN, polling=20)
        drawn = page.evaluate("() => performance.now()") / 1000
        if page.locator("[data-testid='stException']").count():
            raise RuntimeError(f"{url} shows an exception")
        return done, drawn
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm visits per page")
    args = parser.parse_args()
    rows = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            cold = {}
            for path in [p.path for p in pages()]:  # a fresh server per page
                proc, base = start_server()
                try:
                    cold[path] = visit(browser, page_url(base, path))
                finally:
                    stop_server(proc)
            proc, base = start_server()  # one server for the warm visits
            try:
                for path in [p.path for p in pages()]:
                    visit(browser, page_url(base, path))  # fill the server's caches
                for path in [p.path for p in pages()]:
                    warm = [visit(browser, page_url(base, path)) for _ in range(args.repeat)]
                    rows.append((Path(path).stem, *cold[path],
                                 statistics.median(w[0] for w in warm),
                                 statistics.median(w[1] for w in warm)))
            finally:
                stop_server(proc)
        finally:
            browser.close()
    print(f"First render in headless Chromium, seconds from navigation start "
          f"(target {TARGET_S:.0f} s)")
    print("cold: fresh `streamlit run` server per page, first visit; warm: one server, "
          f"fresh browser context per visit, median of {args.repeat}")
    head = (f"{'page':<14}{'cold done':>11}{'cold drawn':>12}{'warm done':>11}"
            f"{'warm drawn':>12}{'worst <= 4 s':>14}")
    print(head)
    print("-" * len(head))
    for stem, c_done, c_drawn, w_done, w_drawn in rows:
        verdict = "ok" if max(c_drawn, w_drawn) <= TARGET_S else "over"
        print(f"{stem:<14}{c_done:>11.2f}{c_drawn:>12.2f}{w_done:>11.2f}{w_drawn:>12.2f}"
              f"{verdict:>14}")


if __name__ == "__main__":
    main()
