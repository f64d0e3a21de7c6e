"""Every input path's worst case, memory and time: ``python benchmarks/memory.py [part ...]``.

Parts (all by default): ``output_size`` (one rerun at the output-size page's bounds),
``uploads`` (picture files: the issue #19 table, crafted headers, each format at its
limit), ``inputs`` (URL text, edited tables, the multichannel and kernel-on-a-picture
computations at their bounds, the pointwise timing sweep). Each case runs in a fresh
process; "RSS growth" is its peak resident memory during the case minus its resident
memory just before (imports done, a small warm-up run), which includes PyTorch's and
Pillow's native buffers that tracemalloc cannot see.

Output-size page: each configuration runs in a fresh subprocess, without Streamlit, doing
what a rerun of pages/output_size.py computes: ``nn.Conv2d`` on a random input
(``convlab.run_conv2d``), the formula, the window index map and coverage, the padded
example, the chart frames and specs, and the reproduce script. Three figures:

* tensors: input + output + weight + bias (+ the padded copy F.pad makes for a
  non-zeros padding_mode), from the shapes: what the layer must hold at least;
* tracemalloc peak: Python and NumPy/pandas allocations of the whole rerun (PyTorch's own
  allocator is invisible to tracemalloc);
* RSS growth: the process's peak resident memory during the rerun minus its peak after a
  warm-up with a tiny layer (measured in another process, without tracemalloc); this
  includes PyTorch's native buffers (e.g. im2col / oneDNN scratch) that neither figure
  above sees.

Budget: 50 MB per rerun; 64 MB and 1 s per upload (ui.decoders.picture_io.BUDGET).

    python benchmarks/memory.py                 # everything
    python benchmarks/memory.py uploads         # the picture files only
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
    """Worst cases within ui.lessons.output_size_view.BOUNDS (N, C_in, C_out, H, W at their max)."""
    from ui.lessons import output_size_view as view

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
    from ui.frame.controls import conv_kwargs
    from ui.lessons import output_size_view as view
    from ui.pictures import grids

    kwargs = conv_kwargs(v, v["cin"], v["cout"])
    shape = (v["n"], v["cin"], v["h"], v["w"])
    verdict = convlab.run_conv2d(kwargs, shape, "cpu")
    layer = convlab.conv_layer(2, kwargs, shape)  # what the page asks, once
    out_shape = layer.output_shape
    h_ax, w_ax = layer.axes
    view.formula_latex(h_ax, "H"), view.formula_latex(w_ax, "W")
    plane = layer.plane(view.MAX_STRIP)
    assert plane is not None
    pic = plane.spec.window_picture(plane.size)
    labels = {k: k for k in ("input", "padding", "tap", "unread", "coverage", "role", "row",
                             "col", "value")}
    view._explorer_data(plane.spec, plane.size, "en")  # the window explorer
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


def output_size() -> None:
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



# ---- uploads ---------------------------------------------------------------------------------
def upload_files() -> dict[str, bytes]:
    """The issue's table, crafted files, and each format at the largest size it accepts."""
    from PIL import Image

    from tests import _pictures as pics
    from ui.decoders.picture_io import MAX_BYTES, MAX_PIXELS_JPEG, largest_size

    files = {f"issue: {name}": pics.issue_file(name) for name in pics.ISSUE_TABLE}
    files |= {
        "IHDR 100000x100000 RGBA, 1 row": pics.png_claiming(100_000, 100_000),
        "IHDR 3995x3995 RGBA, 1 row": pics.png_claiming(3995, 3995),
        "GIF, 300 frames 1000x1000": pics.animated("GIF", 300, (1000, 1000)),
        "WebP, 300 frames 1000x1000": pics.animated("WEBP", 300, (1000, 1000)),
        "PNG 16-bit 5000x5000": pics.sixteen_bit_png(5000, 5000),
        "PNG palette + tRNS 6000x6000": pics.palette_png_with_transparency(6000, 6000),
    }
    png = pics.issue_file("PNG RGB 6000x6000")
    files["PNG RGB 6000x6000 cut in half"] = png[: len(png) // 2]
    at_limit = {"PNG RGBA": ("PNG", "RGBA", (200, 100, 50, 128)),
                "PNG RGB": ("PNG", "RGB", (200, 100, 50)), "PNG L": ("PNG", "L", 120),
                "PNG I;16": ("PNG", "I;16", 30000), "GIF": ("GIF", "P", 3),
                "WebP RGBA": ("WEBP", "RGBA", (200, 100, 50, 128))}
    for name, (fmt, mode, colour) in at_limit.items():
        w, h = largest_size(fmt, mode, (100_000, 100_000))
        files[f"at limit: {name} {w}x{h}"] = pics.flat(fmt, mode, w, h, colour)
    side = int((MAX_BYTES / 3) ** 0.5) - 2  # BMP is uncompressed: its bytes bound it
    files[f"at limit: BMP RGB {side}x{side}"] = pics.flat("BMP", "RGB", side, side, (9, 9, 9))
    side = int(MAX_PIXELS_JPEG**0.5)
    files[f"at limit: JPEG {side}x{side}"] = pics.flat("JPEG", "RGB", side, side, (200, 100, 50))
    noisy = Image.effect_noise((5000, 5000), 60).convert("RGB")  # 17 MB: near MAX_BYTES
    files["JPEG noise 5000x5000, q90"] = pics.encode(noisy, "JPEG", quality=90)
    w, h = largest_size("JPEG", "RGB", (100_000, 100_000), progressive=True, planes=1.5)
    files[f"at limit: JPEG progressive noise {w}x{h}"] = pics.encode(
        noisy.crop((0, 0, w, h)), "JPEG", quality=90, progressive=True)
    return files


def refused(r: dict[str, Any]) -> str:
    """A refusal's code and numbers, short."""
    v = r["values"]
    if r["code"] == "too_large":
        return (f"too_large: {v['width']}x{v['height']} {v['mode']} needs {v['need_mb']} MB; "
                f"fits {v['fit_width']}x{v['fit_height']}")
    if r["code"] == "too_many_pixels":
        return (f"too_many_pixels: {v['pixels']} > {v['limit']}; fits "
                f"{v['fit_width']}x{v['fit_height']}")
    return f"{r['code']} {v}" if v else r["code"]


def uploads() -> None:
    import tempfile

    from tests._pictures import measure_decode
    from ui.decoders.picture_io import BUDGET

    print(f"\nUploads: ui.decoders.picture_io.decode_upload in a fresh process (budget "
          f"{BUDGET // MB} MB, 1 s)")
    head = f"{'file':<40}{'on disk':>10}{'time s':>8}{'RSS growth MB':>15}  result"
    print(head)
    print("-" * (len(head) + 40))
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in upload_files().items():
            r = measure_decode(data, Path(tmp) / "upload")
            result = "x".join(map(str, r["shape"])) if "shape" in r else refused(r)
            over = " OVER" if r["rss_mb"] > BUDGET / MB or r["seconds"] > 1 else ""
            print(f"{name:<40}{len(data) / 1024:>8.0f}KB{r['seconds']:>8.2f}"
                  f"{r['rss_mb']:>15.1f}  {result}{over}")


# ---- every other input path --------------------------------------------------------------------
def case_url_text() -> None:
    """Every URL parameter kind given MAX_RAW characters (the longest looked at)."""
    from ui.lessons import learn_kernel_view, multichannel_view
    from ui.urlstate import MAX_RAW

    for params in (multichannel_view.PARAMS, learn_kernel_view.PARAMS):
        for p in params:
            for raw in ("9" * MAX_RAW, "1," * (MAX_RAW // 2), "1;" * (MAX_RAW // 2)):
                p.parse(raw[:MAX_RAW])


def case_edited_tables() -> None:
    """The multichannel page's 8 X tables (16 x 16) and 8 K tables, every cell edited to
    a 2000-character string (a hostile client's widget state), then to numbers."""
    import pandas as pd

    from ui.decoders.tensor_text import table_to_matrix

    for cell in ("9" * 2000, "1e5"):
        for _ in range(16):
            table_to_matrix(pd.DataFrame([[cell] * 16] * 16))


def case_multichannel() -> None:
    """The multichannel correlation at its bounds (8 -> 8 channels, 16 x 16, kernel 1 and
    5, padding 4): vectorised, loop reference and F.conv2d."""
    import torch

    import convlab

    X = torch.randn(8, 16, 16)
    for k in (1, 5):
        convlab.multichannel_correlation(X, torch.randn(8, 8, k, k), torch.randn(8),
                                         padding=4)


def case_kernel_on_picture() -> None:
    """A 5 x 5 kernel on the largest picture an upload gives (256 x 256)."""
    import torch

    import convlab

    convlab.apply_kernel(torch.rand(256, 256), torch.randn(5, 5), padding_mode="replicate")


def case_pointwise_timing() -> None:
    """The pointwise page's timing sweep (ui.lessons.pointwise_view.SWEEP, fixed sizes)."""
    import convlab
    from ui.lessons.pointwise_view import SWEEP

    convlab.time_pointwise_forms(SWEEP, "cpu")


def case_planner() -> None:
    """The planner's 64 layers (convlab.MAX_LAYERS) of Conv2d(4096, 4096, 11) on its largest
    input (64, 4096, 2048, 2048): planned, run on the meta device, receptive field, code."""
    import convlab
    from ui.lessons import planner_params

    stack = convlab.decode_stack("_".join(["conv.o4096k11p5"] * convlab.MAX_LAYERS))
    shape = tuple(b[1] for b in planner_params.SHAPE_BOUNDS.values())
    planner_params.planned.__wrapped__(stack, shape)  # type: ignore[attr-defined]


def case_transpose() -> None:
    """The transposed-convolution page's checks at its bounds (3 -> 3 channels, 10 x 10,
    kernel 6, stride 4, dilation 3, output_padding 3)."""
    from ui.lessons import conv_transpose_view as view

    kwargs = {"in_channels": 3, "out_channels": 3, "kernel_size": 6, "stride": 4,
              "padding": 0, "output_padding": 3, "groups": 1, "bias": True, "dilation": 3,
              "padding_mode": "zeros"}
    view.checks.__wrapped__(tuple(kwargs.items()), (4, 3, 10, 10), "cpu")  # type: ignore[attr-defined]


CASES = {"URL text, 2000 chars per parameter": case_url_text,
         "edited tables, 16 x 16 x 16 cells": case_edited_tables,
         "multichannel at its bounds": case_multichannel,
         "kernel on a 256 x 256 picture": case_kernel_on_picture,
         "pointwise timing sweep": case_pointwise_timing,
         "planner, 64 layers at the largest input": case_planner,
         "transposed convolution at its bounds": case_transpose}


def case_child(name: str) -> dict[str, float]:
    import pandas as pd
    import streamlit  # noqa: F401  (as the server has it)
    import torch
    import torch.nn.functional as F

    import convlab  # noqa: F401
    from tests._pictures import status_mb
    from ui.decoders.tensor_text import table_to_matrix
    from ui.lessons import learn_kernel_view, multichannel_view, pointwise_view  # noqa: F401

    torch.set_num_threads(2)
    # warm up small: imports and oneDNN's first call, not the case's own (larger) buffers
    F.conv2d(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 3, 3)) @ torch.ones(2, 2)
    table_to_matrix(pd.DataFrame([[1.0]]))
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # the peak (VmHWM) restarts from the current resident size
    before = status_mb("VmRSS")
    start = time.perf_counter()
    CASES[name]()
    cold = {"seconds": time.perf_counter() - start, "rss": status_mb("VmHWM") - before}
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = status_mb("VmRSS")
    start = time.perf_counter()
    CASES[name]()  # again, as on a server that has run it before
    return {**cold, "warm_seconds": time.perf_counter() - start,
            "warm_rss": status_mb("VmHWM") - before}


def inputs() -> None:
    print("\nOther inputs: each case in a fresh process (imports and a tiny convolution first)")
    print("first: the case's first run in the process (lazy initialisation included); "
          "again: its second run, as on a server that has run it before")
    head = (f"{'input path':<38}{'first s':>8}{'first MB':>9}{'again s':>8}{'again MB':>9}"
            "  what")
    print(head)
    print("-" * (len(head) + 40))
    for name, fn in CASES.items():
        done = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        what = " ".join((fn.__doc__ or "").split())
        print(f"{name:<38}{r['seconds']:>8.2f}{r['rss']:>9.1f}{r['warm_seconds']:>8.2f}"
              f"{r['warm_rss']:>9.1f}  {what[:90]}")


PARTS = {"output_size": output_size, "uploads": uploads, "inputs": inputs}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(json.loads(sys.argv[2]), sys.argv[3] == "traced")))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(case_child(sys.argv[2])))
        return
    for part in sys.argv[1:] or list(PARTS):
        PARTS[part]()


if __name__ == "__main__":
    main()
