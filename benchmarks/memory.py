"""Peak memory of one output-size rerun's computation at the page's worst-case bounds.

Each configuration runs in a fresh subprocess, without Streamlit, doing what a rerun of
pages/output_size.py computes: ``nn.Conv2d`` on a random input (``convlab.run_conv2d``),
the formula, the window index map and coverage, the padded example, the chart frames and
specs, and the reproduce script. Three figures:

* tensors: input + output + weight + bias (+ the padded copy F.pad makes for a
  non-zeros padding_mode), from the shapes: what the layer must hold at least;
* tracemalloc peak: Python and NumPy/pandas allocations of the whole rerun (PyTorch's own
  allocator is invisible to tracemalloc);
* RSS growth: the process's peak resident memory during the rerun minus its peak after a
  warm-up with a tiny layer (measured in another process, without tracemalloc); this
  includes PyTorch's native buffers (e.g. im2col / oneDNN scratch) that neither figure
  above sees.

Budget: 50 MB per rerun.

    python benchmarks/memory.py
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET_MB = 50.0
MB = 2**20


def configs() -> dict[str, dict[str, Any]]:
    """Worst cases within ui.output_size_view.BOUNDS (N, C_in, C_out, H, W at their max)."""
    from ui import output_size_view as view

    hi = {k: b[1] for k, b in view.BOUNDS.items()}
    big = {**{p.name: p.default for p in view.PARAMS}, "lock": False, "groups": 1, "sh": 1,
           "sw": 1, **{k: hi[k] for k in ("n", "cin", "cout", "h", "w", "ph", "pw")}}
    return {
        "all max (k 9, p 16, d 4)": {**big, "kh": hi["kh"], "kw": hi["kw"], "dh": hi["dh"],
                                     "dw": hi["dw"]},
        "k 9, p 16, d 1": {**big, "kh": hi["kh"], "kw": hi["kw"], "dh": 1, "dw": 1},
        "k 9, p 16, d 1, reflect": {**big, "kh": hi["kh"], "kw": hi["kw"], "dh": 1, "dw": 1,
                                    "mode": "reflect"},
        "k 1, p 16 (largest output)": {**big, "kh": 1, "kw": 1, "dh": 1, "dw": 1},
        "k 9, p 16, d 1, stride 2": {**big, "kh": hi["kh"], "kw": hi["kw"], "dh": 1, "dw": 1,
                                     "sh": 2, "sw": 2},
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def rerun(v: dict[str, Any]) -> tuple[tuple[int, ...], int]:
    """What one rerun of the output-size page computes (no Streamlit)."""
    import convlab
    from ui import charts, grids
    from ui import output_size_view as view
    from ui.conv_controls import conv_kwargs

    kwargs = conv_kwargs(v, v["cin"], v["cout"])
    shape = (v["n"], v["cin"], v["h"], v["w"])
    verdict = convlab.run_conv2d(kwargs, shape, "cpu")
    spec = convlab.Conv2dSpec(**kwargs)
    h_ax, w_ax = spec.explain(shape)
    out_shape = spec.output_shape(shape)
    view.formula_latex(h_ax, "H"), view.formula_latex(w_ax, "W")
    pic = convlab.Conv2dSpec(1, 1, spec.kernel_size, spec.stride, spec.padding, spec.dilation,
                             padding_mode=spec.padding_mode).window_picture((v["h"], v["w"]))
    labels = {k: k for k in ("input", "padding", "tap", "unread", "coverage", "role", "row",
                             "col", "value")}
    grids.padded_grid(pic, (0, 0), labels, "grid")
    charts.spec(charts.output_grid_chart, charts.output_grid_frame(h_ax.output, w_ax.output,
                                                                   (0, 0)),
                h_ax.output, w_ax.output, "out", labels)
    grids.coverage(pic, "coverage", "windows", labels)
    index, coverage = pic.index, pic.coverage
    convlab.conv2d_shape_script(kwargs, shape)
    assert verdict.output_shape == out_shape, (verdict, out_shape)
    return out_shape, index.nbytes + coverage.nbytes


def child(v: dict[str, Any], traced: bool) -> dict[str, Any]:
    """Runs in a subprocess: warm up, then measure one rerun.

    RSS and tracemalloc are measured in separate processes: tracemalloc's own bookkeeping
    would inflate the RSS figure.
    """
    small = {**v, "n": 1, "cin": 1, "cout": 1, "h": 8, "w": 8, "ph": 1, "pw": 1, "kh": 3,
             "kw": 3, "dh": 1, "dw": 1}
    rerun(small)  # imports, oneDNN initialisation, Altair schema
    base = peak_rss_mb()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    out_shape, map_bytes = rerun(v)
    seconds = time.perf_counter() - start
    result = {"out": out_shape, "maps": map_bytes / MB, "seconds": seconds,
              "rss": peak_rss_mb() - base}
    if traced:
        result["traced"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    return result


def measure(v: dict[str, Any], traced: bool) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(v),
                           "traced" if traced else "rss"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def tensor_mb(v: dict[str, Any], out: tuple[int, ...]) -> float:
    """Input, output, weight, bias and (for a non-zeros mode) the padded input copy, fp32."""
    x = v["n"] * v["cin"] * v["h"] * v["w"]
    w = v["cout"] * (v["cin"] // v["groups"]) * v["kh"] * v["kw"] + v["cout"]
    padded = 0
    if v["mode"] != "zeros":
        padded = v["n"] * v["cin"] * (v["h"] + 2 * v["ph"]) * (v["w"] + 2 * v["pw"])
    return 4 * (x + math.prod(out) + w + padded) / MB


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(json.loads(sys.argv[2]), sys.argv[3] == "traced")))
        return
    rows = []
    for name, v in configs().items():
        plain, traced = measure(v, traced=False), measure(v, traced=True)
        out = tuple(plain["out"])
        rows.append((name, "x".join(map(str, out)), tensor_mb(v, out), plain["maps"],
                     traced["traced"], plain["rss"], plain["seconds"]))
    print(f"Peak memory of one output-size rerun at the bounds (budget {BUDGET_MB:.0f} MB); "
          "input 4 x 16 x 64 x 64, C_out 16, stride 1 unless named")
    head = (f"{'configuration':<28}{'output':>15}{'tensors MB':>12}{'index+cov MB':>14}"
            f"{'tracemalloc MB':>16}{'RSS growth MB':>15}{'time s':>8}{'worst <= 50 MB':>16}")
    print(head)
    print("-" * len(head))
    for name, shape, tensors, maps, traced, rss, seconds in rows:
        verdict = "ok" if max(tensors, traced, rss) <= BUDGET_MB else "over"
        print(f"{name:<28}{shape:>15}{tensors:>12.1f}{maps:>14.1f}{traced:>16.1f}{rss:>15.1f}"
              f"{seconds:>8.2f}{verdict:>16}")


if __name__ == "__main__":
    main()
