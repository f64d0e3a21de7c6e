"""Turn an uploaded picture file into a small grayscale array, or refuse it with a code.

Pure Python (Pillow and NumPy, no Streamlit), so it is tested without a page. A refusal
is a :class:`PictureError` carrying an identifier; the page translates it into words.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
MAX_BYTES = 20 * 1024 * 1024
# A phone photo is 12-50 megapixels; a file claiming more is refused before decoding,
# which is what stops a decompression bomb (a small file that inflates to gigabytes).
MAX_PIXELS = 50_000_000
MAX_SIDE_LIMIT = 4096
ERROR_CODES = ("empty_file", "not_an_image", "too_large", "corrupt")


class PictureError(ValueError):
    """An upload that cannot become a picture; ``code`` is one of ``ERROR_CODES``.

    ``values`` holds the numbers a message may quote (``{"limit": 50000000}``).

    >>> str(PictureError("too_large", {"pixels": 10, "limit": 5}))
    "too_large {'pixels': 10, 'limit': 5}"
    """

    def __init__(self, code: str, values: dict[str, int] | None = None) -> None:
        self.code = code
        self.values = dict(values or {})
        super().__init__(f"{code} {self.values}" if self.values else code)


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
        PictureError: ``"empty_file"``; ``"too_large"`` for more than ``MAX_BYTES`` bytes or
            ``MAX_PIXELS`` pixels; ``"not_an_image"`` when no supported format recognises it;
            ``"corrupt"`` when it is recognised but cannot be decoded (truncated, damaged).
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
        raise PictureError("too_large", {"bytes": len(data), "limit": MAX_BYTES})
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as im:
            width, height = im.size  # read from the header; nothing is decoded yet
            if width * height > MAX_PIXELS:
                raise PictureError("too_large", {"pixels": width * height, "limit": MAX_PIXELS})
            return _to_gray(im, max_side)
    except PictureError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own, higher, limit: the header claims an absurd number of pixels
        raise PictureError("too_large", {"limit": MAX_PIXELS}) from None
    except UnidentifiedImageError:
        raise PictureError("not_an_image") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        # Pillow's decoders report damage as any of these
        raise PictureError("corrupt") from None


def _to_gray(im: Image.Image, max_side: int) -> np.ndarray:
    """Orientation, transparency and bit depth handled; then shrink and scale to [0, 1]."""
    if im.format == "JPEG":
        # decode at 1/2, 1/4 or 1/8 scale when that still covers max_side: much faster
        im.draft("L", (max_side, max_side))
    im = ImageOps.exif_transpose(im)
    if im.mode.startswith("I;16") or im.mode == "I":
        # 16-bit gray: keep the depth, "L" would clip everything above 255
        hi = float(im.getextrema()[1])  # type: ignore[index, arg-type]
        scale = 65535.0 if im.mode.startswith("I;16") or hi > 255 else 255.0
        im = im.convert("I").convert("F")
    else:
        scale = 255.0
        if im.mode in ("P", "PA") or "A" in im.mode or "transparency" in im.info:
            rgba = im.convert("RGBA")
            im = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
        im = im.convert("L")
    w, h = im.size
    if max(w, h) > max_side:
        ratio = max_side / max(w, h)
        size = (max(1, round(w * ratio)), max(1, round(h * ratio)))
        # reducing_gap: a fast box pre-shrink, then Lanczos for the last factor of 3
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    a = np.asarray(im, dtype=np.float32) / np.float32(scale)
    return np.clip(a, 0.0, 1.0)
