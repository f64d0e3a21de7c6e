"""Many learners at once: concurrent sessions changing widgets against one ``streamlit run``.

Each session is a lightweight websocket client speaking Streamlit's own protocol (the
BackMsg / ForwardMsg protobufs the browser sends and receives), not a browser page: ten
headless Chromium pages laying out Vega charts would take this 2-core machine's CPU from
the server they share it with, so the figures would measure the browsers. What a client
does is what the browser's widget code sends: a rerun request carrying the changed
number input's new value (and the URL query string the app last wrote), then it reads
every ForwardMsg until the run's ScriptFinished. Browser-side rendering is not included:
benchmarks/browser_latency.py measures that for one session.

Sessions are spread over the lesson pages in turn and start 0.2 s apart. Each changes
one of its page's enabled number inputs (current value +1 or -1 within its bounds, then
back; inputs in turn), waits for the run to finish, thinks for a random 0.5x-1.5x
``--think`` seconds and goes on until ``--seconds`` have passed. Latency: from sending the
rerun request to receiving ScriptFinished. Errors: exception elements (what the browser
shows as stException), runs that did not finish successfully or within 30 s, and
websocket failures. Server RSS: VmRSS of the server process and its descendants, sampled
every 0.5 s.

    python benchmarks/concurrency.py [--sessions 10] [--seconds 60] [--think 1.0]

``--uploads 5`` instead checks pictures (issue #19): that many sessions open the
kernel-learning page with its upload, each uploads the same picture at the limit (the
costliest file ``ui.picture_io`` accepts: an RGBA PNG of the largest size that fits its
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Common_pb2 import FileURLs  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.NumberInput_pb2 import NumberInput  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.typing import Subprotocol  # noqa: E402

from tests._server import start_server, stop_server  # noqa: E402
from ui.registry import LESSONS  # noqa: E402

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


@dataclass
class Stats:
    page: str
    latencies: list[float] = field(default_factory=list)  # s, rerun request to finished
    first: list[float] = field(default_factory=list)  # s, a session's first run
    errors: Counter[str] = field(default_factory=Counter)


class Session:
    """A browser tab as the server sees it: one websocket, one page, its widget values."""

    def __init__(self, ws: ClientConnection, stem: str, stats: Stats) -> None:
        self.ws, self.stem, self.stats = ws, stem, stats
        self.query = ""
        self.values: dict[str, float] = {}  # by widget key: what this "browser" shows
        self.widgets: dict[str, Widget] = {}  # enabled number inputs of the last run

    async def run(self, changed: Widget | None = None, value: float = 0.0) -> float:
        """Request a rerun (with ``changed`` set to ``value``); seconds until it finished."""
        msg = BackMsg()
        msg.rerun_script.page_name = self.stem
        msg.rerun_script.query_string = self.query
        if changed is not None:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = changed.id
            if changed.is_int:
                state.int_value = int(value)
            else:
                state.double_value = value
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        widgets: dict[str, Widget] = {}
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    self.stats.errors[f"exception: {element.exception.message[:60]}"] += 1
                elif what == "number_input" and not element.number_input.disabled:
                    w = self._widget(element.number_input)
                    widgets[w.id.split("-", 2)[-1]] = w
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "session_event" and fwd.session_event.HasField(
                    "script_compilation_exception"):
                self.stats.errors["script compilation error"] += 1
            elif kind == "script_finished":
                took = time.perf_counter() - start
                if fwd.script_finished not in FINISHED_OK:
                    self.stats.errors[f"run ended: {fwd.script_finished}"] += 1
                self.widgets = widgets
                self.values.update({k: w.value for k, w in widgets.items()})
                return took

    def _widget(self, proto: NumberInput) -> Widget:
        key = proto.id.split("-", 2)[-1]
        value = proto.value if proto.set_value else self.values.get(key, proto.default)
        return Widget(proto.id, value, proto.min if proto.has_min else None,
                      proto.max if proto.has_max else None,
                      proto.data_type == NumberInput.INT)


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
    """The costliest picture ui.picture_io accepts: an RGBA PNG of the largest fitting size."""
    from tests._pictures import flat
    from ui.picture_io import largest_size

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
    from ui.picture_io import BUDGET, DECODERS

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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they run")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a run's end and the next change, s")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--uploads", type=int, default=0,
                        help="instead: this many uploads at the limit at once (issue #19)")
    args = parser.parse_args()
    if args.uploads:
        uploads_check(args.uploads)
        return
    stems = [p.stem for p in LESSONS]
    proc, base = start_server()
    try:
        url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        asyncio.run(warm(url, stems))
        idle_rss = rss_mb(proc.pid)
        sampler = Sampler(proc.pid)
        sampler.start()
        cpu0, t0 = cpu_s(proc.pid), time.monotonic()
        stats = asyncio.run(load(url, stems, args.sessions, args.seconds, args.think,
                                 args.seed))
        wall, cpu = time.monotonic() - t0, cpu_s(proc.pid) - cpu0
        sampler.stop.set()
        sampler.join()
        peak = max(sampler.peak, rss_mb(proc.pid))
    finally:
        stop_server(proc)

    print(f"{args.sessions} concurrent sessions for {args.seconds:.0f} s against one "
          f"`streamlit run` ({os.cpu_count()} CPUs), think time {args.think:.1f} s "
          "(x0.5-1.5)")
    print("clients: websocket clients speaking Streamlit's protobuf protocol, not browser "
          "pages (10 Chromium pages would saturate the 2 cores they share with the server); "
          "latency: rerun request to ScriptFinished, server side + transport, no drawing")
    head = (f"{'page':<14}{'sessions':>9}{'changes':>9}{'median ms':>11}{'p90 ms':>9}"
            f"{'max ms':>9}{'first run p90 ms':>18}{'errors':>8}")
    print(head)
    print("-" * len(head))
    every = Stats("all")
    for stem, s in stats.items():
        n = sum(1 for i in range(args.sessions) if stems[i % len(stems)] == stem)
        if not n:
            continue
        every.latencies += s.latencies
        every.first += s.first
        every.errors.update(s.errors)
        print(f"{stem:<14}{n:>9}{len(s.latencies):>9}{1000 * med(s.latencies):>11.0f}"
              f"{1000 * p90(s.latencies):>9.0f}{1000 * max(s.latencies, default=0):>9.0f}"
              f"{1000 * p90(s.first):>18.0f}{sum(s.errors.values()):>8}")
    print("-" * len(head))
    print(f"{'all':<14}{args.sessions:>9}{len(every.latencies):>9}"
          f"{1000 * med(every.latencies):>11.0f}{1000 * p90(every.latencies):>9.0f}"
          f"{1000 * max(every.latencies, default=0):>9.0f}{1000 * p90(every.first):>18.0f}"
          f"{sum(every.errors.values()):>8}")
    print(f"throughput {len(every.latencies) / wall:.1f} changes/s; server CPU "
          f"{cpu:.0f} s in {wall:.0f} s ({100 * cpu / wall:.0f}% of one core)")
    print(f"server RSS (process tree): {idle_rss:.0f} MiB warm and idle, peak {peak:.0f} MiB "
          f"under load (+{peak - idle_rss:.0f} MiB; {sampler.samples} samples every "
          f"{SAMPLE_S} s)")
    if every.errors:
        print("errors:")
        for what, count in every.errors.most_common():
            print(f"  {count:>4}  {what}")
    else:
        print("errors: none (no exception element, every run finished, no websocket failure)")


if __name__ == "__main__":
    main()
