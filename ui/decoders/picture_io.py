"""Turn an uploaded picture file into a small grayscale array, or refuse it with a code.

Pure Python (Pillow and NumPy, no Streamlit), so it is tested without a page. A refusal
is a :class:`PictureError` carrying an identifier; the page translates it into words.

Memory: what decoding a picture costs is computed from its header
(:mod:`ui.decoders.picture_budget`,
whose names are importable from here too) and an upload over the budget refused before a
pixel is decoded. At most ``DECODERS`` uploads are decoded at once, so the server's total
stays bounded too.
"""

from __future__ import annotations

import io
import math
import struct
import threading

import numpy as np
from PIL import (
    BmpImagePlugin,  # noqa: F401  (importing a plugin registers its format)
    GifImagePlugin,  # noqa: F401
    Image,
    ImageFile,
    JpegImagePlugin,  # noqa: F401
    PngImagePlugin,  # noqa: F401
    WebPImagePlugin,  # noqa: F401
)

from ui.decoders.picture_budget import (
    BUDGET,
    DECODER_BYTES,
    MAX_PIXELS,
    MAX_PIXELS_JPEG,
    MAX_PIXELS_PROGRESSIVE,
    REDUCING_GAP,
    TILE,
    TILE_BYTES,
    bytes_per_pixel,
    decode_cost,
    largest_size,
    pixel_cap,
    reduction_factors,
    target_size,
    tile_step,
)

# The cost model is re-exported: tests and benchmarks import it as ``ui.decoders.picture_io``'s.
__all__ = ["BUDGET", "DECODERS", "DECODER_BYTES", "ERROR_CODES", "FORMATS", "MAX_BYTES",
           "MAX_PIXELS", "MAX_PIXELS_JPEG", "MAX_PIXELS_PROGRESSIVE", "MAX_SIDE_LIMIT",
           "REDUCING_GAP", "TILE", "TILE_BYTES", "PictureError", "bytes_per_pixel",
           "decode_cost", "decode_upload", "largest_size", "pixel_cap", "target_size"]

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
MAX_BYTES = 20 * 1024 * 1024
MAX_SIDE_LIMIT = 4096
DECODERS = 2  # uploads decoded at once, server-wide (the machine has 2 cores)
ERROR_CODES = ("empty_file", "not_an_image", "file_too_big", "too_large", "too_many_pixels",
               "corrupt")
_ORIENTATION = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                8: Image.Transpose.ROTATE_90}
_decoding = threading.BoundedSemaphore(DECODERS)


class PictureError(ValueError):
    """An upload that cannot become a picture; ``code`` is one of ``ERROR_CODES``.

    ``values`` holds what a message may quote (``{"limit": 50000000}``).

    >>> str(PictureError("too_many_pixels", {"pixels": 10, "limit": 5}))
    "too_many_pixels {'pixels': 10, 'limit': 5}"
    """

    def __init__(self, code: str, values: dict[str, int | str] | None = None) -> None:
        self.code = code
        self.values = dict(values or {})
        super().__init__(f"{code} {self.values}" if self.values else code)

    def __reduce__(self) -> tuple[object, ...]:  # a cached decode hands back a copy
        return (PictureError, (self.code, self.values))


def decode_upload(data: bytes, max_side: int = 256) -> np.ndarray:
    """Decode a PNG/JPEG (or GIF, BMP, WebP) file into grayscale values in ``[0, 1]``.

    Colour is converted with ITU-R 601 luma (Pillow's ``"L"``), a transparent background
    becomes white, the EXIF orientation is applied, 16-bit files keep their range, and
    a picture whose longest side exceeds ``max_side`` is shrunk to it (aspect kept; a small
    picture is never enlarged). An animated file gives its first frame.

    Args:
        data: the file's bytes.
        max_side: the longest side of the result, in ``[1, 4096]``.

    Returns:
        float32 array ``(H, W)`` with ``max(H, W) <= max_side``.

    Raises:
        PictureError: ``"empty_file"``; ``"file_too_big"`` for more than ``MAX_BYTES``
            bytes; ``"too_large"`` when decoding would cost more than ``BUDGET`` bytes and
            ``"too_many_pixels"`` for more than :func:`pixel_cap` pixels, both from the
            header, with the picture's size and the largest size of
            that shape that fits; ``"not_an_image"`` when no supported format recognises
            it; ``"corrupt"`` when it is recognised but cannot be decoded (truncated).
        ValueError: for a ``max_side`` out of range (a programming error, not the file's).

    >>> buf = io.BytesIO()
    >>> Image.new("RGB", (600, 300), (255, 255, 255)).save(buf, format="PNG")
    >>> a = decode_upload(buf.getvalue())
    >>> a.shape, float(a.min()), a.dtype
    ((128, 256), 1.0, dtype('float32'))
    """
    if isinstance(max_side, bool) or not isinstance(max_side, int) \
            or not 1 <= max_side <= MAX_SIDE_LIMIT:
        raise ValueError(f"max_side must be an integer in [1, {MAX_SIDE_LIMIT}], "
                         f"but got {max_side!r}")
    if not data:
        raise PictureError("empty_file")
    if len(data) > MAX_BYTES:
        raise PictureError("file_too_big", {"bytes": len(data), "limit": MAX_BYTES})
    try:
        with _open(data) as im:
            _refuse_if_too_large(im, max_side)
            target = target_size(im.size, max_side)
            with _decoding:  # a refusal from the header does not wait for this
                if im.format == "JPEG":
                    im.draft("L", target)  # decode at 1/2, 1/4 or 1/8 scale
                im.load()  # the first frame only, for an animated GIF or WebP
                orientation = im.getexif().get(0x0112, 1)
                gray, scale = _gray_reduced(im, target)
    except PictureError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError):
        # Pillow's decoders report damage as any of these
        raise PictureError("corrupt") from None
    if orientation in _ORIENTATION:
        gray = gray.transpose(_ORIENTATION[orientation])
    a = np.asarray(gray, dtype=np.float32) / np.float32(scale)
    return np.clip(a, 0.0, 1.0)


def _open(data: bytes) -> ImageFile.ImageFile:
    """The file's header, read by the first plugin that accepts it; nothing decoded.

    Unlike ``Image.open`` this leaves the size check to :func:`_refuse_if_too_large`
    (Pillow's own DecompressionBombError would hide the size a refusal should name).
    """
    fp = io.BytesIO(data)
    for fmt in FORMATS:
        factory, accept = Image.OPEN[fmt]
        accepted = accept is None or accept(data[:16])
        if not accepted or isinstance(accepted, str):  # a str: recognised but refused
            continue
        fp.seek(0)
        try:
            return factory(fp, "")
        except (SyntaxError, IndexError, TypeError, struct.error):
            continue  # not this format after all (as Image.open decides; other errors are
            # damage in a recognised file)
    raise PictureError("not_an_image")


def _refuse_if_too_large(im: Image.Image, max_side: int) -> None:
    """Refuse, from the header, a picture that would cost over ``BUDGET`` bytes or
    ``MAX_PIXELS`` pixels, naming the largest size of its shape that fits."""
    fmt, mode, (w, h) = im.format or "", im.mode, im.size
    if w < 1 or h < 1:
        raise PictureError("corrupt")
    progressive, planes = False, 3.0
    if isinstance(im, JpegImagePlugin.JpegImageFile) and im.layer:
        progressive = bool(im.info.get("progressive"))
        hmax, vmax = max(c[1] for c in im.layer) or 1, max(c[2] for c in im.layer) or 1
        planes = sum(c[1] * c[2] for c in im.layer) / (hmax * vmax)
    fit = largest_size(fmt, mode, (w, h), max_side, progressive, planes)
    if fit == (w, h):
        return
    values: dict[str, int | str] = {"width": w, "height": h, "format": fmt, "mode": mode,
                                    "fit_width": fit[0], "fit_height": fit[1]}
    need = decode_cost(fmt, mode, (w, h), max_side, progressive, planes)
    if need > BUDGET:
        raise PictureError("too_large", {**values, "need_mb": math.ceil(need / 2**20),
                                         "limit_mb": BUDGET // 2**20})
    raise PictureError("too_many_pixels", {**values, "pixels": w * h,
                                           "limit": pixel_cap(fmt, progressive)})



def _gray_reduced(im: Image.Image, target: tuple[int, int]) -> tuple[Image.Image, float]:
    """``im`` in gray (``"L"``, or ``"F"`` for 16-bit) at ``target`` size, and its scale.

    One tile at a time is converted (transparency onto white, colour to luma) and
    box-reduced, so no second full-size copy of the picture is ever made; then Lanczos
    takes the reduced picture to ``target``, as ``resize(..., reducing_gap=3)`` does.
    """
    sixteen = im.mode.startswith("I;16") or im.mode == "I"
    scale = 255.0
    if sixteen:
        # 16-bit gray: keep the depth, "L" would clip everything above 255
        hi = float(im.getextrema()[1])  # type: ignore[index, arg-type]
        scale = 65535.0 if im.mode.startswith("I;16") or hi > 255 else 255.0
    if im.mode == "P":
        _gray_palette(im)
    w, h = im.size
    fx, fy = reduction_factors(im.size, target)
    out = Image.new("F" if sixteen else "L", (-(-w // fx), -(-h // fy)))
    sx, sy = tile_step(fx), tile_step(fy)
    for y in range(0, h, sy):
        for x in range(0, w, sx):
            tile = _gray(im.crop((x, y, min(w, x + sx), min(h, y + sy))), sixteen)
            out.paste(tile.reduce((fx, fy)) if (fx, fy) != (1, 1) else tile, (x // fx, y // fy))
    if out.size != target:
        out = out.resize(target, Image.Resampling.LANCZOS, box=(0, 0, w / fx, h / fy))
    return out, scale


def _gray_palette(im: Image.Image) -> None:
    """Make ``im``'s palette gray, transparency composited onto white, in place: its tiles
    then convert to gray by palette lookup (compositing each tile took 10x longer)."""
    palette = im.getpalette("RGB") or []
    entries = Image.new("P", (256, 1))
    entries.putdata(range(256))
    entries.putpalette(palette + [0] * (768 - len(palette)))
    if "transparency" in im.info:
        entries.info["transparency"] = im.info.pop("transparency")
    gray = list(_gray(entries, False).getdata())
    im.putpalette([v for g in gray for v in (g, g, g)])


def _gray(tile: Image.Image, sixteen: bool) -> Image.Image:
    """One tile as gray: 16-bit as ``"F"``; transparency composited onto white."""
    if sixteen:
        return tile.convert("I").convert("F")
    key = tile.info.get("transparency")
    if tile.mode == "L" and isinstance(key, int):  # one transparent gray level: white
        return tile.point([255 if i == key else i for i in range(256)])
    if "A" in tile.mode or "transparency" in tile.info:  # (a P tile without: palette luma)
        rgba = tile.convert("RGBA")
        tile = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return tile.convert("L")
