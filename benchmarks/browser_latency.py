"""What a learner waits for in a real browser: interaction latency and warm first render,
every lesson page against a trivial Streamlit app served beside it (the floor).

Two ``streamlit run`` servers in one run, both warmed (every page visited once): the app
and benchmarks/trivial_app.py (three number inputs and their sum). Headless Chromium.

* interaction: type a number into one of the page's enabled number inputs and press
  Enter (inputs in turn; each move, current value +1 or -1 within its bounds, is
  followed by its undo), timed from the Enter keydown to
  - "done": the app root's ``data-test-script-state`` went to ``running`` and back to
    ``notRunning`` (a MutationObserver installed before the page loads records every
    transition, so a quick rerun cannot slip between two polls), and
  - "drawn": also every ``stVegaLiteChart`` holds an svg or canvas again, no
    ``stSkeleton`` is left, and the last change inside a chart is over (the latest of
    the two times; a change counts once nothing in a chart moved for 300 ms).
* cell click: on a page with a clickable output grid (the chart keyed ``<stem>.pick``),
  a click on another cell, timed from mousedown to "drawn" as above.
* first render: a deep link opened in a fresh browser context (new session), from
  navigation start to "drawn" with the page's number inputs on screen; median of
  ``--renders`` visits.

Ratios divide by the trivial app's figure (its typed interaction for clicks too).

    python benchmarks/browser_latency.py [--pages output_size ...] [--runs 15] [--renders 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Page,
    sync_playwright,  # noqa: E402
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests._server import (  # noqa: E402
    launch_chromium,
    page_url,
    start_server,
    stop_server,
)
from ui.registry import LESSONS  # noqa: E402

TRIVIAL = "trivial"
TRIVIAL_SCRIPT = "benchmarks/trivial_app.py"
QUIET_MS = 300  # nothing in a chart (nor the script state) changed for this long: drawn
SETTLE_TIMEOUT_MS = 20_000
VIEWPORT = {"width": 1400, "height": 1000}

# Installed in every document before the app's own scripts, timed by performance.now():
# * script-state transitions of the app root (a MutationObserver);
# * the arrival of every ScriptFinished message on the app's websocket: when a rerun's
#   messages arrive within a few ms, React renders them in one commit and the root's
#   script state never visibly leaves "notRunning", so the attribute alone misses it;
# * the last change inside any chart (or to a loading skeleton).
INIT_JS = r"""
(() => {
  const CHART = "[data-testid='stVegaLiteChart']", SKEL = "[data-testid='stSkeleton']";
  const ATTR = "data-test-script-state";
  const b = window.__bench = {t0: null, armed: false, states: [], chartAt: 0, finished: []};
  // ForwardMsg field 6 (script_finished, a varint): scan the top-level fields.
  const scriptFinished = buf => {
    const a = new Uint8Array(buf);
    let i = 0;
    const varint = () => {
      let v = 0, m = 1, byte;
      do { byte = a[i++]; v += (byte & 127) * m; m *= 128; } while (byte & 128 && i < a.length);
      return v;
    };
    while (i < a.length) {
      const tag = varint(), wire = tag % 8;
      if (tag === 48) return true;
      if (wire === 0) varint();
      else if (wire === 1) i += 8;
      else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", e => {
        if (e.data instanceof ArrayBuffer && scriptFinished(e.data)) {
          b.finished.push(performance.now());
        }
      });
    }
  };
  const touches = n => n.nodeType === 1 && (n.matches(CHART) || n.matches(SKEL)
      || n.closest(CHART) || n.querySelector(CHART + ", " + SKEL));
  new MutationObserver(records => {
    const now = performance.now();
    records.forEach((r, i) => {
      if (r.type === "attributes" && r.attributeName === ATTR) {
        let value = null;  // the new value: the next record's old one, else the current
        for (let j = i + 1; j < records.length && value === null; j++) {
          if (records[j].target === r.target && records[j].attributeName === ATTR) {
            value = records[j].oldValue;
          }
        }
        b.states.push([now, value ?? r.target.getAttribute(ATTR)]);
        return;
      }
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if ((el && el.closest(CHART)) || [...r.addedNodes].some(touches)
          || [...r.removedNodes].some(touches)) {
        b.chartAt = now;
      }
    });
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        characterData: true, attributeOldValue: true});
  const press = () => { if (b.armed && b.t0 === null) b.t0 = performance.now(); };
  document.addEventListener("keydown", e => { if (e.key === "Enter") press(); }, true);
  document.addEventListener("mousedown", press, true);
  b.arm = () => { b.armed = true; b.t0 = null; b.states = []; b.chartAt = 0; b.finished = []; };
})();
"""

# Truthy ({t0, done, drawn} in ms) once settled. ``action``: a run must have finished
# after the armed keydown/mousedown; otherwise (first render) t0 is navigation start.
# done: the later of the last ScriptFinished arrival and the root's last switch to
# "notRunning"; drawn: also the last change inside a chart.
SETTLED_JS = r"""
([quiet, action]) => {
  const b = window.__bench, now = performance.now();
  const app = document.querySelector("[data-testid='stApp']");
  if (!b || !app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  if (!charts.every(c => c.querySelector("svg, canvas"))) return false;
  if (!document.querySelector("[data-testid='stNumberInput'] input")) return false;
  const finished = b.finished.length ? b.finished[b.finished.length - 1] : 0;
  if (action && (b.t0 === null || finished < b.t0)) return false;
  const idle = b.states.filter(s => s[1] === "notRunning");
  const done = Math.max(finished, idle.length ? idle[idle.length - 1][0] : 0);
  const drawn = Math.max(done, b.chartAt);
  const last = Math.max(drawn, b.states.length ? b.states[b.states.length - 1][0] : 0);
  if (now - last < quiet) return false;
  return {t0: action ? b.t0 : 0, done: done, drawn: drawn};
}
"""

# The page's enabled number inputs: container key class, value, bounds.
INPUTS_JS = r"""
() => [...document.querySelectorAll("[data-testid='stNumberInput'] input")]
  .filter(i => !i.disabled)
  .map(i => ({key: (i.closest("[class*='st-key-']")?.className.match(/st-key-\S+/) || [""])[0],
              value: i.value, min: i.getAttribute("min"), max: i.getAttribute("max")}))
  .filter(i => i.key)
"""


def cells_selector(stem: str) -> str:
    """The clickable output grid's cells: the chart keyed ``<stem>.pick``."""
    return (f".st-key-{stem}-pick [data-testid='stVegaLiteChart'] "
            "path[aria-label*='row: '][aria-label*='col: ']")


@dataclass
class Result:
    name: str
    done: list[float] = field(default_factory=list)  # ms, typed interaction
    drawn: list[float] = field(default_factory=list)
    clicks: list[float] = field(default_factory=list)  # ms, cell click to drawn
    renders: list[float] = field(default_factory=list)  # ms, first render to drawn
    missed: int = 0  # actions that started no rerun within the timeout
    errors: int = 0  # settled states showing an stException


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(60_000)
    context.add_init_script(INIT_JS)
    return context


def settle(page: Page, action: bool) -> tuple[float, float] | None:
    """(done, drawn) in ms from the armed press (or navigation start); None on timeout."""
    try:
        handle = page.wait_for_function(SETTLED_JS, arg=[QUIET_MS, action], polling=50,
                                        timeout=SETTLE_TIMEOUT_MS)
    except PlaywrightTimeout:
        return None
    r: dict[str, float] = handle.json_value()
    return r["done"] - r["t0"], r["drawn"] - r["t0"]


def has_exception(page: Page) -> bool:
    return page.locator("[data-testid='stException']").count() > 0


def first_renders(browser: Browser, url: str, res: Result, n: int) -> None:
    for _ in range(n):
        context = new_context(browser)
        try:
            page = context.new_page()
            page.goto(url)
            got = settle(page, action=False)
            if got is None:
                res.missed += 1
                continue
            res.renders.append(got[1])
            res.errors += has_exception(page)
        finally:
            context.close()


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


def typed(page: Page, res: Result, runs: int) -> None:
    """``runs`` typed changes: a move of one input, then its undo, input after input."""
    undo: tuple[str, float] | None = None
    turn = 0
    for _ in range(runs):
        inputs: list[dict[str, Any]] = page.evaluate(INPUTS_JS)
        keys = [i["key"] for i in inputs]
        if undo is not None and undo[0] in keys:
            key, value = undo
            undo = None
        else:
            if not inputs:
                raise RuntimeError(f"{page.url}: no enabled number input")
            inp = inputs[turn % len(inputs)]
            turn += 1
            now = _number(inp["value"]) or 0.0
            hi, lo = _number(inp["max"]), _number(inp["min"])
            key = inp["key"]
            value = now + 1 if hi is None or now + 1 <= hi else now - 1
            if lo is not None and value < lo:
                continue  # a single-valued input: nothing to move
            undo = (key, now)
        box = page.locator(f".{key} input")
        box.fill(_fmt(value))
        page.evaluate("window.__bench.arm()")
        box.press("Enter")
        got = settle(page, action=True)
        if got is None:
            res.missed += 1
            continue
        res.done.append(got[0])
        res.drawn.append(got[1])
        res.errors += has_exception(page)


def clicks(page: Page, stem: str, res: Result, runs: int) -> None:
    """``runs`` clicks on output-grid cells, each on another cell than the last."""
    cells = page.locator(cells_selector(stem))
    previous = 0  # the page opens with cell (0, 0) picked
    for i in range(runs):
        n = cells.count()
        if n < 2:
            return
        j = (1 + 7 * i) % n
        if j == previous:
            j = (j + 1) % n
        previous = j
        cell = cells.nth(j)
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        if box is None:
            res.missed += 1
            continue
        page.evaluate("window.__bench.arm()")
        # Off-centre: a heatmap prints its value over the cell's centre.
        page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
        got = settle(page, action=True)
        if got is None:
            res.missed += 1
            continue
        res.clicks.append(got[1])
        res.errors += has_exception(page)


def measure(browser: Browser, name: str, url: str, runs: int, renders: int) -> Result:
    res = Result(name)
    first_renders(browser, url, res, renders)
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(url)
        if settle(page, action=False) is None:
            raise RuntimeError(f"{url} did not settle")
        typed(page, res, runs)
        if name != TRIVIAL and page.locator(cells_selector(name)).count():
            clicks(page, name, res, runs)
    finally:
        context.close()
    return res


def warm(browser: Browser, urls: list[str]) -> None:
    """Visit every page once: the server's imports and caches, the browser's chart code."""
    context = new_context(browser)
    try:
        page = context.new_page()
        for url in urls:
            page.goto(url)
            settle(page, action=False)
    finally:
        context.close()


def p90(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(0.9 * (len(s) - 1)))] if s else float("nan")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(results: list[Result], runs: int, renders: int, seconds: float) -> None:
    floor = results[0]
    floor_p90, floor_render = p90(floor.drawn), med(floor.renders)
    print(f"Browser latency, headless Chromium against warm `streamlit run` servers, ms "
          f"({runs} typed changes per page, {renders} first renders; ratios: / {TRIVIAL})")
    print("typed: Enter keydown to script done / to drawn (charts redrawn, nothing left "
          "loading); click: mousedown on an output-grid cell to drawn; first render: "
          "navigation start to drawn, fresh session")
    head = (f"{'page':<22}{'n':>4}{'done med':>10}{'done p90':>10}{'drawn med':>11}"
            f"{'drawn p90':>11}{'p90 ratio':>11}{'render med':>12}{'render ratio':>14}"
            f"{'missed':>8}{'errors':>8}")
    print(head)
    print("-" * len(head))
    for r in results:
        print(f"{r.name:<22}{len(r.drawn):>4}{med(r.done):>10.0f}{p90(r.done):>10.0f}"
              f"{med(r.drawn):>11.0f}{p90(r.drawn):>11.0f}{p90(r.drawn) / floor_p90:>11.1f}"
              f"{med(r.renders):>12.0f}{med(r.renders) / floor_render:>14.1f}"
              f"{r.missed:>8}{r.errors:>8}")
        if r.clicks:
            print(f"{'  ' + r.name + ' click':<22}{len(r.clicks):>4}{'':>10}{'':>10}"
                  f"{med(r.clicks):>11.0f}{p90(r.clicks):>11.0f}"
                  f"{p90(r.clicks) / floor_p90:>11.1f}")
    print(f"total {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="page stems (default: every lesson page)")
    parser.add_argument("--runs", type=int, default=15,
                        help="typed changes (and cell clicks) per page")
    parser.add_argument("--renders", type=int, default=5, help="first renders per page")
    args = parser.parse_args()
    lessons = [p for p in LESSONS if not args.pages or p.stem in args.pages]
    if args.pages and len(lessons) != len(args.pages):
        known = ", ".join(p.stem for p in LESSONS)
        parser.error(f"unknown page among {args.pages}; known: {known}")
    start = time.monotonic()
    app, app_base = start_server()
    try:
        trivial, trivial_base = start_server(script=TRIVIAL_SCRIPT)
        try:
            targets = [(TRIVIAL, f"{trivial_base}/")]
            targets += [(p.stem, page_url(app_base, p.path)) for p in lessons]
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                try:
                    warm(browser, [url for _, url in targets])
                    results = []
                    for name, url in targets:
                        results.append(measure(browser, name, url, args.runs, args.renders))
                        print(f"  {name}: {time.monotonic() - start:.0f} s", file=sys.stderr,
                              flush=True)
                finally:
                    browser.close()
        finally:
            stop_server(trivial)
    finally:
        stop_server(app)
    report(results, args.runs, args.renders, time.monotonic() - start)


if __name__ == "__main__":
    main()
