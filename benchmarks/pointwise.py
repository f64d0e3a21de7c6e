"""How fast a 1x1 convolution runs written four ways: ``F.conv2d``, the matmul form
(``convlab.pointwise.layer.corr2d_multi_in_out_1x1``), ``torch.einsum`` and ``nn.Linear`` on
channels-last data; float32, no bias. Each figure is the median of ``--repeats`` samples,
and the best of ``--passes`` such medians: on a shared machine a neighbour's burst stalls
whole samples (two-thread barriers waiting a scheduler tick), and a later pass is clean.

For each (N, C_in, C_out, H, W), from a small map to a wide layer, it prints the median
time of each form, the matmul form's GFLOP/s, and the ratio matmul / F.conv2d (target:
at most 1.2). ``bare mm`` is the same multiply without convlab's Python around it
(validation and three reshapes): the gap at the smallest sizes is that overhead, a few
microseconds, not the arithmetic. Runs on the CPU, and on CUDA when present (bigger shapes).

    python benchmarks/pointwise.py [--repeats 15] [--passes 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from convlab.pointwise.timing import (  # noqa: E402
    DEFAULT_SHAPES,
    FORM_IDS,
    PointwiseTiming,
    time_pointwise_forms,
)

TARGET_RATIO = 1.2
# The timing panel's sweep, plus the large 224 x 224 map and the widest layer.
CPU_SHAPES = sorted({*DEFAULT_SHAPES, (1, 3, 64, 224, 224), (1, 256, 256, 28, 28),
                     (16, 256, 256, 28, 28)}, key=lambda s: (s[0], s[1] * s[2] * s[3] * s[4]))
CUDA_SHAPES = CPU_SHAPES + [
    (32, 256, 512, 28, 28),
    (64, 512, 512, 14, 14),
    (32, 64, 256, 56, 56),
    (8, 1024, 1024, 32, 32),
]
SHORT = {"conv2d": "conv2d", "matmul": "matmul", "einsum": "einsum",
         "linear_channels_last": "linear_cl"}


def bare_mm_seconds(shape: tuple[int, ...], device: torch.device, repeats: int) -> float:
    """The matmul form's multiply alone, on views made beforehand."""
    n, c_in, c_out, h, w = shape
    X = torch.randn(n, c_in, h, w, device=device)
    Km = torch.randn(c_out, c_in, device=device)
    Xm = X.reshape(c_in, h * w) if n == 1 else X.reshape(n, c_in, h * w)  # (N?, C_in, H*W)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    for _ in range(3):
        torch.matmul(Km, Xm)
    sync()
    begin = time.perf_counter()
    torch.matmul(Km, Xm)
    sync()
    number = max(1, min(1000, int(1e-3 / max(time.perf_counter() - begin, 1e-7))))
    samples = []
    for _ in range(repeats):
        begin = time.perf_counter()
        for _ in range(number):
            torch.matmul(Km, Xm)  # (C_out, C_in) @ (N?, C_in, H*W) -> (N?, C_out, H*W)
        sync()
        samples.append((time.perf_counter() - begin) / number)
    return statistics.median(samples)


def run(device: torch.device, shapes: list[tuple[int, int, int, int, int]], repeats: int,
        passes: int) -> None:
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else (
        f"CPU, {torch.get_num_threads()} threads")
    print(f"\n{name} (torch {torch.__version__}), best of {passes} medians of {repeats}; "
          "times in microseconds")
    best: dict[tuple[tuple[int, ...], str], PointwiseTiming] = {}
    for _ in range(passes):
        for r in time_pointwise_forms(shapes, device=device, repeats=repeats, warmup=3):
            key = (r.shape, r.form_id)
            if key not in best or r.seconds < best[key].seconds:
                best[key] = r
    header = (f"{'N, C_in, C_out, H, W':<24}" + "".join(f"{SHORT[f]:>11}" for f in FORM_IDS)
              + f"{'bare mm':>11}{'GFLOP/s':>9}{'matmul/conv':>13}")
    print(header)
    print("-" * len(header))
    slower = []
    for shape in shapes:
        row = {f: best[(tuple(shape), f)] for f in FORM_IDS}
        ratio = row["matmul"].seconds / row["conv2d"].seconds
        bare = min(bare_mm_seconds(shape, device, repeats) for _ in range(passes))
        flag = "" if ratio <= TARGET_RATIO else "  *"
        if flag:
            slower.append(shape)
        print(f"{', '.join(map(str, shape)):<24}"
              + "".join(f"{row[f].seconds * 1e6:>11.1f}" for f in FORM_IDS)
              + f"{bare * 1e6:>11.1f}{row['matmul'].gflops:>9.1f}{ratio:>13.2f}{flag}")
    print(f"* matmul / conv2d above {TARGET_RATIO}: {len(slower)} of {len(shapes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed samples per form")
    parser.add_argument("--passes", type=int, default=3, help="sweeps; the best median is kept")
    parser.add_argument("--threads", type=int, default=None,
                        help="CPU threads (default: PyTorch's); 1 is steadier on a busy machine")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    run(torch.device("cpu"), CPU_SHAPES, args.repeats, args.passes)
    if torch.cuda.is_available():
        run(torch.device("cuda"), CUDA_SHAPES, args.repeats, args.passes)


if __name__ == "__main__":
    main()
