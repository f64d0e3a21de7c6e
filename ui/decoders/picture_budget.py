"""What decoding an upload costs, from its header alone: the memory and time limits, the
cost model of :func:`ui.decoders.picture_io.decode_upload`, and the largest picture of a
shape that fits.

Pure arithmetic on a format, a mode and a size (no Pillow, no Streamlit): the decoder reads
those from the file's header and refuses a picture over the limits before a pixel is
decoded, naming :func:`largest_size`. A small file can claim a huge picture (a PNG of one
flat colour compresses 1000-fold), so the file's size says nothing. The cost counts what
Pillow holds for the full-size frame (its mode's bytes per pixel; libwebp's canvases), and
nothing else at full size: the decoder converts to gray and box-reduces a tile at a time
(tiles of :func:`tile_step` pixels, reduced by :func:`reduction_factors`, shared with it so the two
agree), decodes JPEG at 1/2-1/8 scale and gives an animated file's first frame only.
"""

from __future__ import annotations

BUDGET = 64 * 1024 * 1024  # transient bytes one upload may cost while it is decoded
# Time: decoding more full-size pixels than this takes over ~1 s on 2 cores. JPEG decodes
# at 1/8 scale (the entropy decoding stays), so it may have more, unless progressive: its
# scans pass over every coefficient several times (4000 x 4000 of noise: 0.4-0.9 s).
MAX_PIXELS = 50_000_000
MAX_PIXELS_JPEG = 150_000_000
MAX_PIXELS_PROGRESSIVE = 16_000_000
# Bytes a decoder holds per full-size pixel beside Pillow's image: libwebp keeps the canvas
# and a copy of the previous frame, and hands Pillow the frame as bytes (4 bytes each).
DECODER_BYTES = {"WEBP": 12}
TILE = 256  # gray conversion works on tiles of TILE..2*TILE pixels a side
TILE_BYTES = 24  # per tile pixel: crop, RGBA copy, white, composite, gray (I and F for 16-bit)
REDUCING_GAP = 3.0  # box-reduce to within 3x of the target, then Lanczos (Pillow's gap)


def target_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """``size`` shrunk so that its longest side is ``max_side`` (never enlarged).

    >>> target_size((7000, 3500), 256), target_size((40, 30), 256)
    ((256, 128), (40, 30))
    """
    w, h = size
    if max(w, h) <= max_side:
        return w, h
    ratio = max_side / max(w, h)
    return max(1, round(w * ratio)), max(1, round(h * ratio))


def bytes_per_pixel(mode: str) -> int:
    """Bytes Pillow stores per pixel of ``mode`` (RGB is padded to 4).

    >>> [bytes_per_pixel(m) for m in ("L", "P", "I;16", "RGB", "RGBA")]
    [1, 1, 2, 4, 4]
    """
    return 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4


def decode_cost(fmt: str, mode: str, size: tuple[int, int], max_side: int = 256,
                progressive: bool = False, planes: float = 3.0) -> int:
    """Bytes :func:`decode_upload` holds at most for a ``fmt`` picture of ``mode``, ``size``.

    The decoded full-size frame (a JPEG's at the scale its draft decode reaches; a
    progressive JPEG also keeps all its DCT coefficients, 2 bytes per sample of its
    ``planes`` sample planes, e.g. 1 + 1/4 + 1/4 for 4:2:0 colour), the decoder's own
    buffers, one tile in conversion, the reduced gray picture and the result.

    >>> [decode_cost("PNG", mode, (7000, 7000)) // 2**20 for mode in ("RGBA", "L")]
    [189, 49]
    """
    w, h = size
    target = target_size(size, max_side)
    full = w * h * (bytes_per_pixel(mode) + DECODER_BYTES.get(fmt, 0))
    if fmt == "JPEG":
        s = _draft_scale(size, target)
        dw, dh = -(-w // s), -(-h // s)
        full = dw * dh * (4 if mode == "CMYK" else 1)  # draft "L" unless CMYK
        full += int(2 * planes * w * h) if progressive else 0
        w, h = dw, dh
    fx, fy = reduction_factors((w, h), target)
    sixteen = mode.startswith("I;16") or mode == "I"
    reduced = -(-w // fx) * -(-h // fy) * (4 if sixteen else 1)
    tile = min(w, tile_step(fx)) * min(h, tile_step(fy)) * TILE_BYTES
    result = target[0] * target[1] * 16  # gray, float32 array, scaled and clipped copies
    return full + reduced + tile + result


def largest_size(fmt: str, mode: str, size: tuple[int, int], max_side: int = 256,
                 progressive: bool = False, planes: float = 3.0) -> tuple[int, int]:
    """The largest picture of ``size``'s shape that :func:`decode_upload` accepts.

    >>> largest_size("PNG", "RGBA", (7000, 7000)), largest_size("PNG", "L", (7000, 7000))
    ((3995, 3995), (7000, 7000))
    """
    cap = pixel_cap(fmt, progressive)

    def fits(scale: float) -> bool:
        w, h = max(1, int(size[0] * scale)), max(1, int(size[1] * scale))
        return w * h <= cap and decode_cost(fmt, mode, (w, h), max_side, progressive,
                                            planes) <= BUDGET

    lo, hi = 0.0, 1.0
    if fits(1.0):
        return size
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return max(1, int(size[0] * lo)), max(1, int(size[1] * lo))


def pixel_cap(fmt: str, progressive: bool = False) -> int:
    """The most pixels a ``fmt`` picture may have (decoding time).

    >>> pixel_cap("PNG"), pixel_cap("JPEG"), pixel_cap("JPEG", progressive=True)
    (50000000, 150000000, 16000000)
    """
    if fmt != "JPEG":
        return MAX_PIXELS
    return MAX_PIXELS_PROGRESSIVE if progressive else MAX_PIXELS_JPEG


def _draft_scale(size: tuple[int, int], target: tuple[int, int]) -> int:
    """The scale (1, 2, 4 or 8) of ``JpegImageFile.draft(mode, target)``."""
    scale = min(size[0] // target[0], size[1] // target[1])
    return next(s for s in (8, 4, 2, 1) if scale >= s)


def reduction_factors(size: tuple[int, int], target: tuple[int, int]) -> tuple[int, int]:
    """The box-reduce factors of Pillow's ``resize(..., reducing_gap=REDUCING_GAP)``."""
    return (max(1, int(size[0] / target[0] / REDUCING_GAP)),
            max(1, int(size[1] / target[1] / REDUCING_GAP)))


def tile_step(factor: int) -> int:
    """A tile side: a multiple of ``factor``, so tiles reduce exactly like the whole."""
    return factor * max(1, TILE // factor)

