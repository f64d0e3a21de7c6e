"""Hostile picture files, made on the fly: the issue #19 table and crafted headers.

Shared by tests/test_picture_io.py and benchmarks/memory.py, which decode each file in a
fresh process and measure its memory and time (see :func:`measure_decode`).
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

# The issue's table: each one flat colour, made with Pillow (203 KB ... 750 KB on disk).
ISSUE_TABLE: dict[str, tuple[str, str, int, int, Any]] = {
    "PNG RGBA 7000x7000": ("PNG", "RGBA", 7000, 7000, (200, 100, 50, 128)),
    "GIF 6000x6000": ("GIF", "P", 6000, 6000, 3),
    "WebP RGB 5000x5000": ("WEBP", "RGB", 5000, 5000, (200, 100, 50)),
    "PNG RGB 6000x6000": ("PNG", "RGB", 6000, 6000, (200, 100, 50)),
    "PNG L 7000x7000": ("PNG", "L", 7000, 7000, 120),
    "JPEG RGB 7000x7000": ("JPEG", "RGB", 7000, 7000, (200, 100, 50)),
}


def encode(im: Image.Image, fmt: str = "PNG", **kw: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def flat(fmt: str, mode: str, width: int, height: int, colour: Any, **kw: Any) -> bytes:
    """One flat colour of ``mode``, saved as ``fmt``: tiny on disk, huge once decoded."""
    return encode(Image.new(mode, (width, height), colour), fmt, **kw)


def issue_file(name: str) -> bytes:
    fmt, mode, w, h, colour = ISSUE_TABLE[name]
    return flat(fmt, mode, w, h, colour)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def png_claiming(width: int, height: int, color_type: int = 6, bit_depth: int = 8,
                 rows: int = 1) -> bytes:
    """A valid PNG header claiming ``width x height`` over a data stream of ``rows`` rows.

    color_type 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA: the file stays a few
    hundred bytes whatever it claims.
    """
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    row = b"\0" + bytes(-(-width * channels * bit_depth // 8))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    plte = _chunk(b"PLTE", bytes(range(256)) * 3) if color_type == 3 else b""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + plte
            + _chunk(b"IDAT", zlib.compress(row * rows, 9)) + _chunk(b"IEND", b""))


def animated(fmt: str, frames: int, size: tuple[int, int]) -> bytes:
    """``frames`` frames, each one flat grey level (the first is 0, black)."""
    ims = [Image.new("L" if fmt == "GIF" else "RGB", size, i % 2 * 255 if fmt == "GIF"
                     else (i % 2 * 255,) * 3) for i in range(frames)]
    return encode(ims[0], fmt, save_all=True, append_images=ims[1:], duration=40,
                  **({"lossless": True} if fmt == "WEBP" else {}))


def sixteen_bit_png(width: int, height: int) -> bytes:
    """A 16-bit grayscale PNG (Pillow mode I;16), a ramp from 0 to 65535 along a row."""
    import numpy as np

    a = np.broadcast_to(np.linspace(0, 65535, width).astype(np.uint16), (height, width))
    return encode(Image.fromarray(np.ascontiguousarray(a)))


def palette_png_with_transparency(width: int, height: int) -> bytes:
    """A palette PNG: index 0 fully transparent black, index 1 opaque black; left half
    transparent, right half opaque."""
    im = Image.new("P", (width, height), 0)
    im.putpalette([0, 0, 0, 0, 0, 0] + [0] * (3 * 254))
    im.paste(1, (width // 2, 0, width, height))
    return encode(im, transparency=bytes([0, 255]))


def measure_decode(data: bytes, path: Path, max_side: int = 256) -> dict[str, Any]:
    """Decode ``data`` with ``ui.decoders.picture_io.decode_upload`` in a fresh process.

    Returns ``{"seconds", "rss_mb", "shape"}`` or ``{"seconds", "rss_mb", "code",
    "values"}``: rss_mb is the peak resident memory during the decode minus the resident
    memory just before it (after imports and a warm-up decode; the file's bytes already
    read, as Streamlit holds them).
    """
    path.write_bytes(data)
    done = subprocess.run([sys.executable, __file__, str(path), str(max_side)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def status_mb(field: str) -> float:
    """A ``/proc/self/status`` memory field (``VmRSS``, ``VmHWM``, ...) in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def _child(path: str, max_side: int) -> dict[str, Any]:
    import time

    sys.path.insert(0, str(ROOT))
    from ui.decoders.picture_io import PictureError, decode_upload

    data = Path(path).read_bytes()
    decode_upload(encode(Image.new("RGBA", (300, 200), (1, 2, 3, 4))), max_side)  # warm up
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak (VmHWM) to the current resident size
    before = status_mb("VmRSS")
    start = time.perf_counter()
    try:
        out: dict[str, Any] = {"shape": list(decode_upload(data, max_side).shape)}
    except PictureError as err:
        out = {"code": err.code, "values": err.values}
    out["seconds"] = time.perf_counter() - start
    out["rss_mb"] = status_mb("VmHWM") - before
    return out


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], int(sys.argv[2]))))
