"""Serve ConvLab from N ``streamlit run`` processes behind nginx, without root.

    python deploy/serve.py --processes 2 --port 8080

starts the processes on free loopback ports (each runs the home page once: see
:func:`warm`), writes ``deploy/nginx.conf.template`` filled in
for them into a fresh run directory (pid, logs and temp folders live there, so nginx needs
no root and touches nothing in /etc or /var), and runs nginx in front on ``--port``, until
Ctrl+C. Every process gets the same random ``server.cookieSecret``: a learner whose process
dies reconnects to another, and the XSRF cookie the first one set stays valid there.

benchmarks/concurrency.py (``--processes N``) and tests/test_deploy.py use :func:`start`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests._server import free_port, start_server, stop_server  # noqa: E402

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
# Passive health checks: one failed connection marks a process down for this long.
SERVER_LINE = "        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"


def nginx_binary() -> str:
    """Path of nginx (Debian's package), or FileNotFoundError naming the install command."""
    found = shutil.which("nginx") or next(
        (p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)
    if found is None:
        raise FileNotFoundError("nginx not found: install Debian's nginx package "
                                "(apt-get install nginx); .ci/run installs it.")
    return found


def warm(base: str, timeout: float = 60.0) -> None:
    """Run the home page once in the process at ``base``, as a first visitor would.

    Its imports (torch, the lessons) then happen before a learner waits for them, and so
    does ``ui.serving.install()``: a process that takes over a tab from one that died must
    already have it (see ui/serving.py) when that tab's first request arrives.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    with connect(url, subprotocols=[Subprotocol("streamlit")], max_size=None,
                 open_timeout=timeout) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = ""
        ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(ws.recv(timeout=timeout))
            if fwd.WhichOneof("type") == "script_finished":
                return


def nginx_config(ports: list[int], listen: str) -> str:
    """The template filled in: one upstream server per app port, listening on ``listen``
    (``host:port``)."""
    servers = "\n".join(SERVER_LINE.format(port=p) for p in ports)
    return (TEMPLATE.read_text().replace("@SERVERS@", servers)
            .replace("@LISTEN@", listen))


@dataclass
class Deployment:
    """Running app processes, nginx in front (``base`` is its URL), and the run directory."""

    servers: list[subprocess.Popen]
    ports: list[int]
    base: str
    run_dir: Path
    nginx: subprocess.Popen | None = None
    stopped: list[int] = field(default_factory=list)

    def stop(self) -> None:
        """nginx first (no new connections), then every app process; remove the run dir."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(timeout=10)
        for proc in self.servers:
            stop_server(proc)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def nginx_log(self) -> str:
        """nginx's error log so far (for failure messages)."""
        path = self.run_dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start(processes: int, listen: int | None = None, host: str = "127.0.0.1",
          timeout: float = 90.0) -> Deployment:
    """``processes`` app processes (on loopback ports) and nginx in front on ``host`` and
    ``listen`` (a free port if None).

    Returns once nginx answers ``/_stcore/health``. Raises RuntimeError if a process or
    nginx does not come up (with its log), FileNotFoundError if nginx is not installed.
    """
    binary = nginx_binary()
    secret = secrets.token_hex(16)
    servers: list[subprocess.Popen] = []
    ports: list[int] = []
    run_dir = Path(tempfile.mkdtemp(prefix="convlab-nginx-"))
    deployment = Deployment(servers, ports, "", run_dir)
    try:
        for _ in range(processes):
            proc, base = start_server(timeout=timeout,
                                      env={"STREAMLIT_SERVER_COOKIE_SECRET": secret})
            servers.append(proc)
            ports.append(int(base.rsplit(":", 1)[1]))
            warm(base, timeout)
        port = listen if listen is not None else free_port()
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_config(ports, f"{host}:{port}"))
        log = open(run_dir / "nginx.out", "wb")  # noqa: SIM115 (closed with the process)
        deployment.nginx = subprocess.Popen(
            [binary, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")],
            cwd=run_dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deployment.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if deployment.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited with {deployment.nginx.returncode}:\n"
                                   f"{(run_dir / 'nginx.out').read_text()}\n"
                                   f"{deployment.nginx_log()}")
            try:
                with urllib.request.urlopen(f"{deployment.base}/_stcore/health",
                                            timeout=2) as r:
                    if r.status == 200:
                        return deployment
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer on {deployment.base}:\n"
                           f"{deployment.nginx_log()}")
    except BaseException:
        deployment.stop()
        raise


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="app processes (default: one per CPU)")
    parser.add_argument("--port", type=int, default=8080, help="nginx listens here")
    parser.add_argument("--host", default="0.0.0.0",
                        help="nginx listens on this address (default: every interface)")
    args = parser.parse_args()
    deployment = start(args.processes, args.port, args.host)
    # `docker stop`, systemd and `timeout` send SIGTERM: stop everything as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"ConvLab: {deployment.base} -> {args.processes} processes on ports "
          f"{', '.join(map(str, deployment.ports))}; run dir {deployment.run_dir}; Ctrl+C stops")
    try:
        while all(p.poll() is None for p in deployment.servers):
            time.sleep(1)
        print("an app process exited; stopping", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()
