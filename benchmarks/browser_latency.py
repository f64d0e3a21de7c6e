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
* cell click: on a page with a window explorer (keyed ``<stem>.pick``), a click on
  another output cell, which the server must answer (the URL, multichannel's
  term-by-term sum), timed from mousedown to "drawn" as above.
* explorer, in the browser alone: hover on an output cell, on an input cell, and an
  arrow key, each dispatched at the start of a frame and timed inside the page with
  performance.now() to the end of its handler and forced layout and to the rendering of
  that frame; Play at its fastest setting on a 32 x 32 output, in steps per second; and
  the script runs these caused (none expected).
* first render: a deep link opened in a fresh browser context (new session), from
  navigation start to "drawn" with the page's number inputs on screen; median of
  ``--renders`` visits.

Ratios divide by the trivial app's figure (its typed interaction for clicks too).

    python benchmarks/browser_latency.py [--pages output_size ...] [--runs 15] [--renders 5]
        [--events 40] [--play-seconds 4]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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

from benchmarks.stats import med, p90  # noqa: E402
from tests._server import (  # noqa: E402
    launch_chromium,
    page_url,
    start_server,
    stop_server,
)
from ui.registry import lessons  # noqa: E402

TRIVIAL = "trivial"
# Pages with a window explorer, and the view Play is timed on (a 32 x 32 output).
EXPLORER_PAGES = [("output_size", "pages/output_size.py", "h=32&lock=1&kh=3&ph=1&sh=1"),
                  ("multichannel", "pages/multichannel.py", None)]
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
    """The cells a click picks in the page's window explorer (keyed ``<stem>.pick``): the
    first grid of the pick space (output cells; input cells on conv_transpose, whose pick
    is a stamp's source). Playwright's CSS reaches into the component's shadow root."""
    return f".st-key-{stem}-pick .cx-grid.cx-pick >> nth=0 >> [data-k]"


# ---- the window explorer: what answers in the browser alone ----------------------------------

# Hover (or arrow key) -> outline drawn, measured inside the page: at the start of a frame
# (a requestAnimationFrame callback) the event is dispatched on a cell; "script" is the
# handler plus the style and layout it forces (offsetHeight); "frame" runs to a message
# posted from that callback, which the browser delivers once the frame it started is
# rendered. Both in ms, per event. Also the script runs and messages sent meanwhile.
HOVER_JS = r"""
async ([n]) => {
  const host = document.querySelector("[data-testid='stBidiComponentIsolated']");
  const root = host.shadowRoot.querySelector(".cx-root");
  const out = root.querySelector(".cx-grid[data-panel='y']");
  const inp = root.querySelector(".cx-grid[data-panel^='x']");
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const rendered = () => new Promise(r => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r(performance.now());
    ch.port2.postMessage(0);
  });
  const b = window.__bench, finished = b.finished.length;
  const res = {hover_output: [], hover_input: [], arrow: [], missed: 0};
  // consecutive cells differ (a hover on the cell already shown draws nothing)
  const cell = (grid, i) => grid.children[(i * 7919 + 1) % grid.children.length];
  const hover = c => c.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
  const keys = ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"];
  const events = [
    ["hover_output", i => cell(out, i), hover],
    ["hover_input", i => cell(inp, i), hover],
    ["arrow", i => keys[i % 4],
     key => out.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}))],
  ];
  for (let i = 0; i < n; i++) {
    for (const [kind, target, fire] of events) {
      const t = target(i);
      await frame();
      const draws = Number(root.dataset.draws);
      const t0 = performance.now();
      const done = rendered();
      fire(t);
      void root.offsetHeight;
      const t1 = performance.now();
      const t2 = await done;
      if (Number(root.dataset.draws) === draws) res.missed += 1;
      res[kind].push([t1 - t0, t2 - t0]);
    }
  }
  res.runs = b.finished.length - finished;
  return res;
}
"""

# Play at full speed for ``seconds``: steps per second counted by the page itself.
PLAY_JS = r"""
async ([seconds]) => {
  const host = document.querySelector("[data-testid='stBidiComponentIsolated']");
  const root = host.shadowRoot.querySelector(".cx-root");
  const speed = root.querySelector(".cx-speed input");
  speed.value = speed.max;
  speed.dispatchEvent(new Event("input"));
  const b = window.__bench, finished = b.finished.length;
  const s0 = Number(root.dataset.steps || 0), t0 = performance.now();
  root.querySelector(".cx-play").click();
  await new Promise(r => setTimeout(r, seconds * 1000));
  const s1 = Number(root.dataset.steps || 0), t1 = performance.now();
  if (root.dataset.playing === "1") root.querySelector(".cx-play").click();
  return {rate: (s1 - s0) / (t1 - t0) * 1000, max: Number(speed.max),
          cells: root.querySelector(".cx-grid[data-panel='y']").children.length,
          runs: b.finished.length - finished};
}
"""


@dataclass
class ExplorerResult:
    name: str
    hover: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    play_rate: float = float("nan")  # steps per second at the fastest setting
    play_max: float = float("nan")
    play_cells: int = 0
    runs: int = 0  # script runs finished during hover, keys and Play (should be 0)
    missed: int = 0  # events that drew nothing


def explorer_kinds(browser: Browser, name: str, url: str, play_url: str | None, runs: int,
                   seconds: float) -> ExplorerResult:
    """Hover / arrow key -> outline drawn on one page; Play at ``play_url`` if given."""
    res = ExplorerResult(name)
    with fresh_page(browser) as page:
        open_settled(page, url)
        page.wait_for_selector(".cx-root [data-k]")
        got = page.evaluate(HOVER_JS, [runs])
        res.hover = {k: got[k] for k in ("hover_output", "hover_input", "arrow")}
        res.runs += got["runs"]
        res.missed += got["missed"]
        if play_url is None:
            return res
        open_settled(page, play_url)
        page.wait_for_selector(".cx-root [data-k]")
        play = page.evaluate(PLAY_JS, [seconds])
        res.play_rate, res.play_max, res.play_cells = play["rate"], play["max"], play["cells"]
        res.runs += play["runs"]
    return res


def report_explorer(results: list[ExplorerResult], runs: int) -> None:
    print()
    print(f"Window explorer, in the browser alone ({runs} events of each kind per page; "
          "ms from dispatch at a frame's start): script = handler + forced style/layout, "
          "frame = until that frame is rendered; target p90 <= 16 ms, Play >= 20 steps/s "
          "on a 32 x 32 output, 0 script runs")
    head = (f"{'page':<22}{'event':<14}{'script med':>11}{'script p90':>11}"
            f"{'frame med':>11}{'frame p90':>11}")
    print(head)
    print("-" * len(head))
    for r in results:
        for kind, values in r.hover.items():
            script, frame = [v[0] for v in values], [v[1] for v in values]
            print(f"{r.name:<22}{kind:<14}{med(script):>11.1f}{p90(script):>11.1f}"
                  f"{med(frame):>11.1f}{p90(frame):>11.1f}")
        if r.play_cells:
            print(f"{r.name:<22}{'Play':<14}{r.play_rate:>11.1f} steps/s at the fastest "
                  f"setting ({r.play_max:.0f}/s) over {r.play_cells} outputs")
        print(f"{r.name:<22}script runs during all of these: {r.runs}; events that drew "
              f"nothing: {r.missed}")


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


@contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (:func:`new_context`), closed when the block ends."""
    context = new_context(browser)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_settled(page: Page, url: str) -> None:
    """Open ``url`` and wait until its first run has settled.

    Raises:
        RuntimeError: if it does not settle within the timeout.
    """
    page.goto(url)
    if settle(page, action=False) is None:
        raise RuntimeError(f"{url} did not settle")


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
        with fresh_page(browser) as page:
            page.goto(url)
            got = settle(page, action=False)
            if got is None:
                res.missed += 1
                continue
            res.renders.append(got[1])
            res.errors += has_exception(page)


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
    with fresh_page(browser) as page:
        open_settled(page, url)
        typed(page, res, runs)
        if name != TRIVIAL and page.locator(cells_selector(name)).count():
            clicks(page, name, res, runs)
    return res


def warm(browser: Browser, urls: list[str]) -> None:
    """Visit every page once: the server's imports and caches, the browser's chart code."""
    with fresh_page(browser) as page:
        for url in urls:
            page.goto(url)
            settle(page, action=False)


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
    parser.add_argument("--events", type=int, default=40,
                        help="explorer hovers (output, input) and arrow keys per page")
    parser.add_argument("--play-seconds", type=float, default=4.0,
                        help="how long Play runs on the 32 x 32 output")
    args = parser.parse_args()
    chosen = [p for p in lessons() if not args.pages or p.stem in args.pages]
    if args.pages and len(chosen) != len(args.pages):
        known = ", ".join(p.stem for p in lessons())
        parser.error(f"unknown page among {args.pages}; known: {known}")
    start = time.monotonic()
    load_start = os.getloadavg()
    app, app_base = start_server()
    try:
        trivial, trivial_base = start_server(script=TRIVIAL_SCRIPT)
        try:
            targets = [(TRIVIAL, f"{trivial_base}/")]
            targets += [(p.stem, page_url(app_base, p.path)) for p in chosen]
            with sync_playwright() as pw:
                browser = launch_chromium(pw)
                try:
                    warm(browser, [url for _, url in targets])
                    results = []
                    for name, url in targets:
                        results.append(measure(browser, name, url, args.runs, args.renders))
                        print(f"  {name}: {time.monotonic() - start:.0f} s", file=sys.stderr,
                              flush=True)
                    explored = [explorer_kinds(browser, stem, page_url(app_base, path),
                                               f"{app_base}/{stem}?{play}" if play else None,
                                               args.events, args.play_seconds)
                                for stem, path, play in EXPLORER_PAGES
                                if not args.pages or stem in args.pages]
                finally:
                    browser.close()
        finally:
            stop_server(trivial)
    finally:
        stop_server(app)
    load = os.getloadavg()
    report(results, args.runs, args.renders, time.monotonic() - start)
    report_explorer(explored, args.events)
    print(f"load average (1, 5, 15 min) at the start: {load_start[0]:.2f} {load_start[1]:.2f} "
          f"{load_start[2]:.2f}; at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
