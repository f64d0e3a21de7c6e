"""Many learners at once: concurrent sessions changing widgets against ``streamlit run``.

Each session is a lightweight websocket client speaking Streamlit's own protocol (the
BackMsg / ForwardMsg protobufs the browser sends and receives), not a browser page: ten
headless Chromium pages laying out Vega charts would take this 2-core machine's CPU from
the server they share it with, so the figures would measure the browsers. What a client
sends is what Chromium sends when a number input changes (checked against the frames of a
real tab): the page's script hash, the URL query string the app last wrote, the widget
values it knows, the hashes of the large messages it holds, and, since the lessons run as
fragments (ui/frame.py), the changed widget's fragment id, so the server reruns the lesson
alone, not the page. It then reads every ForwardMsg until the run's ScriptFinished.
Browser-side rendering is not included: benchmarks/browser_latency.py measures that.

Sessions are spread over the lesson pages in turn and start 0.2 s apart. Each changes
one of its page's enabled number inputs (current value +1 or -1 within its bounds, then
back; inputs in turn), waits for the run to finish, thinks for a random 0.5x-1.5x
``--think`` seconds and goes on until ``--seconds`` have passed. Latency: from sending the
rerun request to receiving ScriptFinished. Errors: exception elements (what the browser
shows as stException), runs that did not finish successfully or within 30 s, and
websocket failures. Server CPU: user + system time of the app processes over the run, per
change. Server RSS: VmRSS of each app process and its descendants, sampled every 0.5 s.

    python benchmarks/concurrency.py [--sessions 10] [--seconds 60] [--think 1.0]
    python benchmarks/concurrency.py --sessions 60 --think 0.1 --processes 1,2
    python benchmarks/concurrency.py --url http://host:8080 [--pid PID ...]

``--processes 1`` (the default) starts one ``streamlit run`` and drives it directly;
``--processes N`` starts N behind nginx (deploy/serve.py) and drives the load through nginx;
a list runs each in turn, in the same run. ``--url`` drives a deployment already running
(CPU and memory only for the processes named with ``--pid``).

``--uploads 5`` instead checks pictures (issue #19): that many sessions open the
kernel-learning page with its upload, each uploads the same picture at the limit (the
costliest file ``ui.decoders.picture_io`` accepts: an RGBA PNG of the largest size that fits its
budget), then all send their rerun at once. It reports each run, the errors (an exception
element, a refusal or no picture shown, a failed upload) and the server's peak RSS
(VmHWM, exact, not sampled), against the 600 MB the check allows.

    python benchmarks/concurrency.py --uploads 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Common_pb2 import FileURLs  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.NumberInput_pb2 import NumberInput  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.typing import Subprotocol  # noqa: E402

from tests._server import start_server, stop_server  # noqa: E402
from ui.registry import lessons  # noqa: E402

RUN_TIMEOUT_S = 30.0
PROTOCOL = [Subprotocol("streamlit")]  # what the browser asks for
SAMPLE_S = 0.5
STAGGER_S = 0.2
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


# ---- the server's memory and CPU -------------------------------------------------------------
def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def rss_mb(root: int) -> float:
    """Sum of VmRSS over the process tree, MiB."""
    total_kb = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
                        break
        except OSError:
            continue
    return total_kb / 1024


def hwm_mb(root: int) -> float:
    """Sum of VmHWM (each process's peak resident memory) over the process tree, MiB."""
    total_kb = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/status") as f:
                total_kb += next(int(line.split()[1]) for line in f
                                 if line.startswith("VmHWM:"))
        except (OSError, StopIteration):
            continue
    return total_kb / 1024


def cpu_s(root: int) -> float:
    """User + system CPU seconds of the process tree so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


class Sampler(threading.Thread):
    """Peak RSS of the server's process tree, sampled every ``SAMPLE_S`` seconds."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.samples = pid, 0.0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self.samples += 1
            self.stop.wait(SAMPLE_S)


# ---- one session -------------------------------------------------------------------------
@dataclass
class Widget:
    id: str
    value: float
    lo: float | None
    hi: float | None
    is_int: bool
    fragment: str  # the fragment that drew it ("" outside any): a change reruns that alone


@dataclass
class Stats:
    page: str
    latencies: list[float] = field(default_factory=list)  # s, rerun request to finished
    first: list[float] = field(default_factory=list)  # s, a session's first run
    errors: Counter[str] = field(default_factory=Counter)
    fragment_runs: int = 0  # changes the server answered with a fragment run
    done_at: list[float] = field(default_factory=list)  # monotonic s, each change answered


class Session:
    """A browser tab as the server sees it: one websocket, one page, its widget values.

    Its rerun requests are the browser's (checked against the BackMsg a real Chromium sends
    when a number input changes): the first names the page and its query string; later ones
    carry the page's script hash, every widget value the tab knows (here: its number inputs,
    toggles, checkboxes and text inputs, as drawn), the changed widget's fragment id when it
    was drawn inside a fragment (the server then reruns that fragment alone), and the hashes
    of the large messages it already holds (the server sends a reference instead).
    """

    def __init__(self, ws: ClientConnection, stem: str, stats: Stats) -> None:
        self.ws, self.stem, self.stats = ws, stem, stats
        self.query = ""
        self.page_hash = ""
        self.values: dict[str, float] = {}  # by widget key: what this "browser" shows
        self.widgets: dict[str, Widget] = {}  # enabled number inputs on the page
        self.states: dict[str, WidgetState] = {}  # every widget value it would send, by id
        self.fragment_of: dict[str, str] = {}  # widget id -> the fragment that drew it
        self.cache: dict[str, ForwardMsg] = {}  # cacheable messages received, by hash

    async def run(self, changed: Widget | None = None, value: float = 0.0) -> float:
        """Request a rerun (with ``changed`` set to ``value``); seconds until it finished."""
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        if self.page_hash:
            rerun.page_script_hash = self.page_hash
        else:
            rerun.page_name = self.stem
        rerun.cached_message_hashes.extend(self.cache)
        if changed is not None:
            state = WidgetState(id=changed.id)
            if changed.is_int:
                state.int_value = int(value)
            else:
                state.double_value = value
            self.states[changed.id] = state
            rerun.fragment_id = changed.fragment
        for state in self.states.values():
            rerun.widget_states.widgets.append(state)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        widgets: dict[str, Widget] = {}
        fragments: set[str] = set()
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S))
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash" and fwd.ref_hash in self.cache:  # a message it holds
                fwd = self.cache[fwd.ref_hash]
                kind = fwd.WhichOneof("type")
            elif fwd.metadata.cacheable:
                self.cache[fwd.hash] = fwd
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                fragments.add(fwd.delta.fragment_id)
                what = element.WhichOneof("type")
                if what == "exception":
                    self.stats.errors[f"exception: {element.exception.message[:60]}"] += 1
                elif what == "number_input" and not element.number_input.disabled:
                    w = self._widget(element.number_input, fwd.delta.fragment_id)
                    widgets[w.id.split("-", 2)[-1]] = w
                self._remember(element, fwd.delta.fragment_id)
            elif kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "session_event" and fwd.session_event.HasField(
                    "script_compilation_exception"):
                self.stats.errors["script compilation error"] += 1
            elif kind == "script_finished":
                took = time.perf_counter() - start
                if fwd.script_finished not in FINISHED_OK:
                    self.stats.errors[f"run ended: {fwd.script_finished}"] += 1
                if fwd.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    # What the fragments that ran drew replaces theirs; the rest stays.
                    self.stats.fragment_runs += changed is not None
                    fragments.add(changed.fragment if changed is not None else "")
                    self.widgets = {k: w for k, w in self.widgets.items()
                                    if w.fragment not in fragments} | widgets
                else:
                    self.widgets = widgets
                self.values.update({k: w.value for k, w in widgets.items()})
                return took

    def _widget(self, proto: NumberInput, fragment: str) -> Widget:
        key = proto.id.split("-", 2)[-1]
        value = proto.value if proto.set_value else self.values.get(key, proto.default)
        return Widget(proto.id, value, proto.min if proto.has_min else None,
                      proto.max if proto.has_max else None,
                      proto.data_type == NumberInput.INT, fragment)

    def _remember(self, element: Element, fragment: str) -> None:
        """The value the browser would send back for a widget it draws (number inputs,
        toggles and checkboxes, text inputs: the kinds whose value is plain in the proto)."""
        what = element.WhichOneof("type")
        if what == "number_input":
            w = element.number_input
            state = WidgetState(id=w.id)
            if w.data_type == NumberInput.INT:
                state.int_value = int(w.value if w.set_value else
                                      self._known(w.id, "int_value", w.default))
            else:
                state.double_value = (w.value if w.set_value else
                                      self._known(w.id, "double_value", w.default))
        elif what == "checkbox":
            c = element.checkbox
            state = WidgetState(id=c.id, bool_value=c.value if c.set_value else
                                self._known(c.id, "bool_value", c.default))
        elif what == "text_input":
            x = element.text_input
            state = WidgetState(id=x.id, string_value=x.value if x.set_value else
                                self._known(x.id, "string_value", x.default))
        else:
            return
        self.states[state.id] = state

    def _known(self, widget_id: str, kind: str, default: Any) -> Any:
        known = self.states.get(widget_id)
        return (getattr(known, kind) if known is not None and known.WhichOneof("value") == kind
                else default)


async def session(url: str, stem: str, stats: Stats, deadline: float, think: float,
                  delay: float, rng: random.Random) -> None:
    await asyncio.sleep(delay)
    try:
        async with connect(url, subprotocols=PROTOCOL,
                           max_size=None, open_timeout=RUN_TIMEOUT_S) as ws:
            s = Session(ws, stem, stats)
            stats.first.append(await s.run())
            turn, undo = 0, None
            while time.monotonic() < deadline:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                if time.monotonic() >= deadline:
                    break
                if undo is not None and undo[0] in s.widgets:
                    key, value = undo
                    undo = None
                else:
                    if not s.widgets:
                        stats.errors["no enabled number input"] += 1
                        return
                    keys = sorted(s.widgets)
                    key = keys[turn % len(keys)]
                    turn += 1
                    w = s.widgets[key]
                    value = w.value + 1 if w.hi is None or w.value + 1 <= w.hi else w.value - 1
                    if w.lo is not None and value < w.lo:
                        continue
                    undo = (key, w.value)
                s.values[key] = value
                stats.latencies.append(await s.run(s.widgets[key], value))
                stats.done_at.append(time.monotonic())
    except TimeoutError:
        stats.errors[f"no ScriptFinished within {RUN_TIMEOUT_S:.0f} s"] += 1
    except Exception as e:  # websocket failures: refused, closed, protocol errors
        stats.errors[f"websocket: {type(e).__name__}: {str(e)[:60]}"] += 1


async def load(url: str, stems: list[str], sessions: int, seconds: float, think: float,
               seed: int) -> dict[str, Stats]:
    stats = {stem: Stats(stem) for stem in stems}
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(
        session(url, stems[i % len(stems)], stats[stems[i % len(stems)]], deadline, think,
                i * STAGGER_S, random.Random(seed + i))
        for i in range(sessions)))
    return stats


async def warm(url: str, stems: list[str]) -> None:
    """One visit per page: the server's imports and caches, as after earlier visitors."""
    for stem in stems:
        async with connect(url, subprotocols=PROTOCOL,
                           max_size=None) as ws:
            await Session(ws, stem, Stats(stem)).run()


# ---- uploads at the limit ------------------------------------------------------------------
UPLOAD_PEAK_MB = 600.0  # what the check allows the server (a Cloud box has ~690 MB)


def limit_picture() -> bytes:
    """The costliest picture ui.decoders.picture_io accepts: an RGBA PNG of the largest
    fitting size."""
    from tests._pictures import flat
    from ui.decoders.picture_io import largest_size

    w, h = largest_size("PNG", "RGBA", (10_000, 10_000))
    return flat("PNG", "RGBA", w, h, (200, 100, 50, 128))


def xsrf_token(base: str) -> str:
    """The XSRF cookie the server sets (the browser echoes it in X-Xsrftoken)."""
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as r:
        for header in r.headers.get_all("Set-Cookie") or []:
            if header.startswith("_streamlit_xsrf="):
                return header.split(";", 1)[0].split("=", 1)[1]
    return ""


def put_file(base: str, session_id: str, file_id: str, name: str, data: bytes,
             token: str) -> int:
    """What the browser's uploader does: one multipart PUT per file; the HTTP status."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        f"{base}/_stcore/upload_file/{session_id}/{file_id}", data=body, method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "X-Xsrftoken": token, "Cookie": f"_streamlit_xsrf={token}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status


async def read_until(ws: ClientConnection, kind: str) -> list[ForwardMsg]:
    """ForwardMsgs up to and including the first of ``kind``."""
    out = []
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S))
        out.append(fwd)
        if fwd.WhichOneof("type") == kind:
            return out


async def upload_session(url: str, base: str, token: str, data: bytes,
                         go: asyncio.Event, ready: list[int], errors: Counter[str],
                         took: list[float]) -> None:
    """Open the page with its uploader, upload ``data``, wait for ``go``, then rerun with
    the file and check that a picture (no refusal, no exception) came back."""
    try:
        async with connect(url, subprotocols=PROTOCOL, max_size=None,
                           open_timeout=RUN_TIMEOUT_S) as ws:
            first = BackMsg()
            first.rerun_script.page_name = "learn_kernel"
            first.rerun_script.query_string = "picture=upload"
            await ws.send(first.SerializeToString())
            msgs = await read_until(ws, "script_finished")
            session_id = next(m.new_session.initialize.session_id for m in msgs
                              if m.WhichOneof("type") == "new_session")
            uploader = next(m.delta.new_element.file_uploader.id for m in msgs
                            if m.WhichOneof("type") == "delta"
                            and m.delta.new_element.WhichOneof("type") == "file_uploader")
            query = next((m.page_info_changed.query_string for m in msgs
                          if m.WhichOneof("type") == "page_info_changed"), "picture=upload")
            ask = BackMsg()
            ask.file_urls_request.request_id = uuid.uuid4().hex
            ask.file_urls_request.file_names.append("limit.png")
            ask.file_urls_request.session_id = session_id
            await ws.send(ask.SerializeToString())
            urls = (await read_until(ws, "file_urls_response"))[-1].file_urls_response.file_urls[0]
            status = await asyncio.to_thread(put_file, base, session_id, urls.file_id,
                                             "limit.png", data, token)
            if status != 204:
                errors[f"upload answered HTTP {status}"] += 1
                return
            ready[0] += 1
            await go.wait()
            run = BackMsg()
            run.rerun_script.page_name = "learn_kernel"
            run.rerun_script.query_string = query
            state = run.rerun_script.widget_states.widgets.add()
            state.id = uploader
            info = state.file_uploader_state_value.uploaded_file_info.add()
            info.name, info.size, info.file_id = "limit.png", len(data), urls.file_id
            info.file_urls.CopyFrom(FileURLs(file_id=urls.file_id, upload_url=urls.upload_url,
                                             delete_url=urls.delete_url))
            start = time.perf_counter()
            await ws.send(run.SerializeToString())
            msgs = await read_until(ws, "script_finished")
            took.append(time.perf_counter() - start)
            kinds = [m.delta.new_element.WhichOneof("type") for m in msgs
                     if m.WhichOneof("type") == "delta"]
            if msgs[-1].script_finished not in FINISHED_OK:
                errors[f"run ended: {msgs[-1].script_finished}"] += 1
            if "exception" in kinds:
                errors["exception element"] += 1
            if "imgs" not in kinds:
                errors["no picture shown (refused?)"] += 1
    except TimeoutError:
        errors[f"no answer within {RUN_TIMEOUT_S:.0f} s"] += 1
    except Exception as e:  # websocket or HTTP failures
        errors[f"{type(e).__name__}: {str(e)[:60]}"] += 1


async def upload_load(url: str, base: str, count: int, data: bytes,
                      errors: Counter[str], took: list[float]) -> None:
    token = xsrf_token(base)
    go, ready = asyncio.Event(), [0]
    tasks = [asyncio.create_task(upload_session(url, base, token, data, go, ready, errors,
                                                took)) for _ in range(count)]
    while ready[0] < count and not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    go.set()  # every session has its file on the server: all rerun at once
    await asyncio.gather(*tasks)


def uploads_check(count: int) -> None:
    from ui.decoders.picture_io import BUDGET, DECODERS

    data = limit_picture()
    proc, base = start_server()
    errors: Counter[str] = Counter()
    took: list[float] = []
    try:
        url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        asyncio.run(warm(url, ["learn_kernel"]))
        idle, before_hwm = rss_mb(proc.pid), hwm_mb(proc.pid)
        sampler = Sampler(proc.pid)
        sampler.start()
        asyncio.run(upload_load(url, base, count, data, errors, took))
        sampler.stop.set()
        sampler.join()
        peak = hwm_mb(proc.pid)
    finally:
        stop_server(proc)
    print(f"{count} uploads at the limit at once against one `streamlit run` "
          f"({os.cpu_count()} CPUs): a {len(data) // 1024} KB RGBA PNG of the largest size "
          f"that fits the {BUDGET // 2**20} MB budget; at most {DECODERS} decoded at once")
    print(f"runs (rerun with the file -> ScriptFinished): "
          f"{', '.join(f'{1000 * s:.0f}' for s in sorted(took))} ms")
    print(f"server RSS: {idle:.0f} MiB warm and idle (peak so far {before_hwm:.0f}); peak "
          f"{peak:.0f} MiB (VmHWM) during the uploads, {sampler.peak:.0f} MiB sampled every "
          f"{SAMPLE_S} s; limit {UPLOAD_PEAK_MB:.0f} MiB: "
          f"{'ok' if peak <= UPLOAD_PEAK_MB else 'OVER'}")
    if errors or len(took) != count:
        print("errors:")
        for what, n in errors.most_common():
            print(f"  {n:>4}  {what}")
    else:
        print("errors: none (every run finished, showed the picture, no exception)")


# ---- report -----------------------------------------------------------------------------
def p90(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(0.9 * (len(s) - 1)))] if s else float("nan")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Target:
    """Where the load goes: a websocket URL, the app processes behind it (to read their CPU
    and memory; none for a deployment given by ``--url``), nginx's process if any."""

    label: str
    url: str
    pids: list[int]
    nginx_pid: int | None = None
    direct: list[str] = field(default_factory=list)  # each process's own URL, to warm it


@dataclass
class Result:
    target: Target
    stats: dict[str, Stats]
    wall: float
    cpu: float | None  # s, the app processes (their trees) together
    nginx_cpu: float | None
    client_cpu: float  # s, this process: the load clients
    idle_mb: float | None
    peak_mb: float | None
    samples: int
    steady_from: float = 0.0  # monotonic s: every session has started (the ramp is over)
    until: float = 0.0  # monotonic s: the run's end


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + \
        "/_stcore/stream"


def measure(target: Target, stems: list[str], args: argparse.Namespace) -> Result:
    for base in target.direct or [target.url]:
        asyncio.run(warm(ws_url(base), stems))
    idle = sum(rss_mb(pid) for pid in target.pids) if target.pids else None
    samplers = [Sampler(pid) for pid in target.pids]
    for sampler in samplers:
        sampler.start()
    cpu0 = sum(cpu_s(pid) for pid in target.pids)
    nginx0 = cpu_s(target.nginx_pid) if target.nginx_pid else 0.0
    client0, t0 = time.process_time(), time.monotonic()
    stats = asyncio.run(load(ws_url(target.url), stems, args.sessions, args.seconds,
                             args.think, args.seed))
    wall = time.monotonic() - t0
    client = time.process_time() - client0
    cpu = sum(cpu_s(pid) for pid in target.pids) - cpu0
    nginx = cpu_s(target.nginx_pid) - nginx0 if target.nginx_pid else None
    for sampler in samplers:
        sampler.stop.set()
        sampler.join()
    # Each process's own peak, added: an upper bound on the peaks' moment together.
    peak = sum(max(s.peak, rss_mb(s.pid)) for s in samplers) if samplers else None
    return Result(target, stats, wall, cpu if target.pids else None, nginx, client, idle,
                  peak, min((s.samples for s in samplers), default=0),
                  t0 + args.sessions * STAGGER_S, t0 + wall)


def run_processes(n: int, stems: list[str], args: argparse.Namespace) -> Result:
    """``n`` = 1: one ``streamlit run``, driven directly (as before this option existed);
    more: that many behind nginx (deploy/serve.py), driven through nginx."""
    if n == 1:
        proc, base = start_server()
        try:
            return measure(Target("1 process", base, [proc.pid], direct=[base]), stems, args)
        finally:
            stop_server(proc)
    from deploy.serve import start

    deployment = start(n)
    try:
        assert deployment.nginx is not None
        target = Target(f"{n} processes + nginx", deployment.base,
                        [p.pid for p in deployment.servers], deployment.nginx.pid,
                        [f"http://127.0.0.1:{port}" for port in deployment.ports])
        return measure(target, stems, args)
    finally:
        deployment.stop()


def fmt(value: float | None, spec: str, width: int) -> str:
    return f"{value:>{width}{spec}}" if value is not None else f"{'-':>{width}}"


def per_page(result: Result, stems: list[str], sessions: int) -> Stats:
    """The table per page; returns all pages together."""
    head = (f"{'page':<14}{'sessions':>9}{'changes':>9}{'fragment':>9}{'median ms':>11}"
            f"{'p90 ms':>9}{'max ms':>9}{'first run p90 ms':>18}{'errors':>8}")
    print(f"\n{result.target.label}: {result.target.url}")
    print(head)
    print("-" * len(head))
    every = Stats("all")
    for stem, s in result.stats.items():
        n = sum(1 for i in range(sessions) if stems[i % len(stems)] == stem)
        if not n:
            continue
        every.latencies += s.latencies
        every.first += s.first
        every.errors.update(s.errors)
        every.fragment_runs += s.fragment_runs
        every.done_at += s.done_at
        print(f"{stem:<14}{n:>9}{len(s.latencies):>9}{s.fragment_runs:>9}"
              f"{1000 * med(s.latencies):>11.0f}{1000 * p90(s.latencies):>9.0f}"
              f"{1000 * max(s.latencies, default=0):>9.0f}{1000 * p90(s.first):>18.0f}"
              f"{sum(s.errors.values()):>8}")
    print("-" * len(head))
    print(f"{'all':<14}{sessions:>9}{len(every.latencies):>9}{every.fragment_runs:>9}"
          f"{1000 * med(every.latencies):>11.0f}{1000 * p90(every.latencies):>9.0f}"
          f"{1000 * max(every.latencies, default=0):>9.0f}{1000 * p90(every.first):>18.0f}"
          f"{sum(every.errors.values()):>8}")
    if every.errors:
        for what, count in every.errors.most_common():
            print(f"  {count:>4}  {what}")
    return every


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they run")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a run's end and the next change, s")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--processes", default="1",
                        help="app processes: 1 = one `streamlit run` driven directly; N > 1 "
                             "= N behind nginx (deploy/serve.py); a list (1,2) runs each in "
                             "turn, in this one run")
    parser.add_argument("--url", default="",
                        help="instead: drive a deployment already running at this URL "
                             "(http://host:port); its CPU and memory only with --pid")
    parser.add_argument("--pid", type=int, action="append", default=[],
                        help="with --url: an app process to read CPU and memory from "
                             "(repeat for each)")
    parser.add_argument("--uploads", type=int, default=0,
                        help="instead: this many uploads at the limit at once (issue #19)")
    args = parser.parse_args()
    if args.uploads:
        uploads_check(args.uploads)
        return
    stems = [p.stem for p in lessons()]
    if args.url:
        results = [measure(Target(args.url, args.url.rstrip("/"), args.pid), stems, args)]
    else:
        results = [run_processes(int(n), stems, args) for n in args.processes.split(",")]

    print(f"\n{args.sessions} concurrent sessions for {args.seconds:.0f} s "
          f"({os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} now), think time "
          f"{args.think:.1f} s (x0.5-1.5)")
    print("clients: websocket clients speaking Streamlit's protobuf protocol as Chromium does "
          "(a lesson widget's change carries its fragment id), not browser pages; latency: "
          "rerun request to ScriptFinished, server side + transport, no drawing")
    rows = []
    for result in results:
        every = per_page(result, stems, args.sessions)
        changes = len(every.latencies)

        def per(cpu: float | None, n: int = changes) -> float | None:
            return 1000 * cpu / n if cpu is not None and n else None

        growth = (result.peak_mb - result.idle_mb
                  if result.peak_mb is not None and result.idle_mb is not None else None)
        window = result.until - result.steady_from
        steady = (sum(t >= result.steady_from for t in every.done_at) / window
                  if window > 0 else float("nan"))
        rows.append((result.target.label, changes / result.wall, steady,
                     1000 * med(every.latencies),
                     1000 * p90(every.latencies), per(result.cpu), per(result.nginx_cpu),
                     per(result.client_cpu), sum(every.errors.values()),
                     growth / args.sessions if growth is not None else None,
                     result.idle_mb, growth))
    head = (f"\n{'':<22}{'changes/s':>10}{'steady':>8}{'median':>8}{'p90':>8}{'server CPU':>11}"
            f"{'nginx':>7}{'clients':>8}{'errors':>7}{'MiB per':>8}{'idle':>7}{'growth':>7}")
    print(head)
    print(f"{'':<22}{'':>10}{'/s':>8}{'ms':>8}{'ms':>8}{'ms/change':>11}{'ms/ch':>7}{'ms/ch':>8}"
          f"{'':>7}{'session':>8}{'MiB':>7}{'MiB':>7}")
    print("-" * len(head))
    for label, rate, steady, m, q, cpu, ng, cl, errors, mib, idle, growth in rows:
        print(f"{label:<22}{rate:>10.1f}{steady:>8.1f}{m:>8.0f}{q:>8.0f}{fmt(cpu, '.1f', 11)}"
              f"{fmt(ng, '.1f', 7)}{fmt(cl, '.1f', 8)}{errors:>7}{fmt(mib, '.2f', 8)}"
              f"{fmt(idle, '.0f', 7)}{fmt(growth, '.0f', 7)}")
    for row in rows[1:]:
        print(f"{row[0]} vs {rows[0][0]}: {row[1] / rows[0][1]:.2f}x the changes/s, "
              f"{row[2] / rows[0][2]:.2f}x steady")
    print("changes/s: over the whole run, the ramp included (a session starts every "
          f"{STAGGER_S} s); steady: once every session has started")
    print("server CPU: user + system time of the app processes (and their children) per "
          "change; memory: RSS sampled every 0.5 s, peak minus warm idle, over sessions")


if __name__ == "__main__":
    main()
