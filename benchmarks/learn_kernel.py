"""Time of ``learn_kernel`` at d2l's preset and at larger settings, both models; and of
``apply_kernel`` on a 256 x 256 picture. Target: d2l's preset under 1 s on the CPU.

    python benchmarks/learn_kernel.py [--runs 20] [--device cpu]

Each row is the median over ``--runs`` calls after one warm-up call; the first call of
the process (oneDNN and autograd starting up) is printed apart, as "cold".
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from convlab.learn.pictures import apply_kernel, synthetic_scene  # noqa: E402
from convlab.learn.problems import learning_problem, max_stable_lr  # noqa: E402
from convlab.learn.training import learn_kernel  # noqa: E402

TARGET_S = 1.0


def seconds(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def settings() -> list[tuple[str, dict[str, Any]]]:
    X, _, Y = learning_problem("stripe", "edge")
    rows: list[tuple[str, dict[str, Any]]] = [
        ("d2l preset: 6x8, (1, 2), 10 epochs", dict(X=X, Y=Y)),
        ("d2l, 500 epochs", dict(X=X, Y=Y, epochs=500)),
    ]
    Xr, _, Yr = learning_problem("random", "sobel_x")
    rows.append(("random 8x8, 3x3, 100 epochs", dict(X=Xr, Y=Yr, kernel_size=3, lr=1e-2,
                                                       epochs=100)))
    gen = torch.Generator().manual_seed(0)
    X64 = torch.rand(64, 64, generator=gen)
    Y64 = apply_kernel(X64, torch.randn(7, 7, generator=gen), padding="valid")
    for epochs in (100, 500):
        for bias in (False, True):
            lr = 0.5 * max_stable_lr(X64, 7, bias)
            rows.append((f"64x64, 7x7, {epochs} epochs, bias={bias}",
                         dict(X=X64, Y=Y64, kernel_size=7, lr=lr, epochs=epochs, bias=bias)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, device {args.device}, "
          f"{torch.get_num_threads()} intra-op threads outside training")
    X, _, Y = learning_problem("stripe", "edge")
    start = time.perf_counter()
    learn_kernel(X, Y, device=args.device)
    print(f"cold first call, d2l preset, nn: {1e3 * (time.perf_counter() - start):.1f} ms\n")
    print(f"{'setting':42s} {'nn ms':>9s} {'handwritten ms':>15s}")
    worst_default = 0.0
    for name, kwargs in settings():
        ms = []
        for module in ("nn", "handwritten"):
            call = partial(learn_kernel, **kwargs, module=module, device=args.device)
            s = seconds(call, args.runs)
            ms.append(1e3 * s)
            if name.startswith("d2l preset"):
                worst_default = max(worst_default, s)
        print(f"{name:42s} {ms[0]:9.2f} {ms[1]:15.2f}")
    S = synthetic_scene(256).to(args.device)
    K = torch.randn(7, 7)
    for padding_mode in ("zeros", "replicate"):
        s = seconds(partial(apply_kernel, S, K, padding_mode=padding_mode), args.runs)
        print(f"{'apply_kernel 256x256, 7x7, ' + padding_mode:42s} {1e3 * s:9.2f}")
    s = seconds(partial(synthetic_scene, 256), args.runs)
    print(f"{'synthetic_scene(256)':42s} {1e3 * s:9.2f}")
    verdict = "meets" if worst_default < TARGET_S else "MISSES"
    print(f"\nd2l preset: {1e3 * worst_default:.2f} ms, {verdict} the {TARGET_S:g} s target")


if __name__ == "__main__":
    main()
