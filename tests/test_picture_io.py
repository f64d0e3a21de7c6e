"""Uploads within a memory budget (issue #19): hostile files are decoded small or refused
from their header, each within ``BUDGET`` bytes, measured in a fresh process.

Time is asserted loosely (3 s for a decode, 0.2 s for a refusal from the header): the
machine's 2 cores are shared with other test runs, so the 1 s target is measured by
``python benchmarks/memory.py uploads`` instead.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import GifImagePlugin, Image, WebPImagePlugin

from tests import _pictures as pics
from ui.decoders import picture_io
from ui.decoders.picture_io import (
    BUDGET,
    ERROR_CODES,
    PictureError,
    decode_cost,
    decode_upload,
    largest_size,
    pixel_cap,
)
from ui.i18n import TEXT

BUDGET_MB = BUDGET / 2**20
SLACK_MB = 4.0  # the allocator's rounding and arenas beyond what the estimate counts


def refusal(data: bytes) -> PictureError:
    with pytest.raises(PictureError) as info:
        decode_upload(data)
    return info.value


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads") / "upload"


# ---- the issue's table -----------------------------------------------------------------------
ISSUE_EXPECTED = {
    "PNG RGBA 7000x7000": ("too_large", (3995, 3995)),
    "GIF 6000x6000": (None, None),
    "WebP RGB 5000x5000": ("too_large", (1992, 1992)),
    "PNG RGB 6000x6000": ("too_large", (3995, 3995)),
    "PNG L 7000x7000": (None, None),
    "JPEG RGB 7000x7000": (None, None),
}


@pytest.mark.parametrize("name", list(pics.ISSUE_TABLE))
def test_issue_table_is_decoded_small_or_refused_within_budget(name: str, tmp: Path) -> None:
    code, fit = ISSUE_EXPECTED[name]
    r = pics.measure_decode(pics.issue_file(name), tmp)
    assert r["rss_mb"] <= BUDGET_MB + SLACK_MB, r
    if code is None:
        assert r["shape"] == [256, 256] and r["seconds"] < 3.0, r
    else:
        w, h = pics.ISSUE_TABLE[name][2:4]
        assert r["code"] == code and r["seconds"] < 0.2, r
        assert (r["values"]["width"], r["values"]["height"]) == (w, h)
        assert (r["values"]["fit_width"], r["values"]["fit_height"]) == fit
        assert r["values"]["need_mb"] > r["values"]["limit_mb"] == BUDGET_MB


def test_flat_pictures_stay_flat() -> None:
    for name in ("GIF 6000x6000", "PNG L 7000x7000", "JPEG RGB 7000x7000"):
        a = decode_upload(pics.issue_file(name))
        assert float(a.max() - a.min()) < 1e-6, name
    assert float(decode_upload(pics.issue_file("PNG L 7000x7000"))[0, 0]) == pytest.approx(
        120 / 255)


# ---- crafted files ---------------------------------------------------------------------------
def test_header_claiming_a_huge_picture_is_refused_before_decoding(tmp: Path) -> None:
    r = pics.measure_decode(pics.png_claiming(100_000, 100_000), tmp)
    assert r["code"] == "too_large" and r["rss_mb"] < 2 and r["seconds"] < 0.2, r
    v = r["values"]
    assert (v["width"], v["height"], v["format"], v["mode"]) == (100_000, 100_000, "PNG", "RGBA")
    assert v["need_mb"] == -(-decode_cost("PNG", "RGBA", (100_000, 100_000)) // 2**20)
    assert v["fit_width"] * v["fit_height"] * 4 <= BUDGET


def test_header_at_the_limit_over_a_tiny_stream_is_a_black_picture(tmp: Path) -> None:
    w, h = largest_size("PNG", "RGBA", (10_000, 10_000))
    r = pics.measure_decode(pics.png_claiming(w, h), tmp)
    assert r["shape"] == [256, 256] and r["rss_mb"] <= BUDGET_MB + SLACK_MB, r
    assert refusal(pics.png_claiming(w + 1, h + 1)).code == "too_large"


def test_animated_gif_decodes_its_first_frame_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    seek = GifImagePlugin.GifImageFile._seek

    def spy(self: Any, frame: int, *args: Any, **kwargs: Any) -> None:
        seen.append(frame)
        seek(self, frame, *args, **kwargs)

    monkeypatch.setattr(GifImagePlugin.GifImageFile, "_seek", spy)
    data = pics.animated("GIF", 300, (600, 600))
    start = time.perf_counter()
    a = decode_upload(data)
    assert time.perf_counter() - start < 1.0
    assert seen == [0] and float(a.max()) == 0.0  # frame 0 is black, frame 1 white


def test_animated_webp_decodes_its_first_frame_only(monkeypatch: pytest.MonkeyPatch) -> None:
    frames: list[int] = []
    get_next = WebPImagePlugin.WebPImageFile._get_next

    def spy(self: Any) -> Any:
        frames.append(1)
        return get_next(self)

    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "_get_next", spy)
    a = decode_upload(pics.animated("WEBP", 300, (600, 600)))
    assert len(frames) == 1 and float(a.max()) == 0.0


def test_large_animated_files_within_budget(tmp: Path) -> None:
    for fmt in ("GIF", "WEBP"):
        r = pics.measure_decode(pics.animated(fmt, 40, (1500, 1500)), tmp)
        assert r["shape"] == [256, 256] and r["rss_mb"] <= BUDGET_MB + SLACK_MB, (fmt, r)


def test_sixteen_bit_png_keeps_its_range_within_budget(tmp: Path) -> None:
    a = decode_upload(pics.sixteen_bit_png(4096, 64), max_side=4096)
    np.testing.assert_allclose(a[0], np.linspace(0, 1, 4096), atol=1e-4)
    w, h = largest_size("PNG", "I;16", (10_000, 10_000))
    assert w * h * 2 <= BUDGET and (w, h) > (5000, 5000)
    r = pics.measure_decode(pics.sixteen_bit_png(w, h), tmp)
    assert r["shape"] == [256, 256] and r["rss_mb"] <= BUDGET_MB + SLACK_MB, r


def test_palette_png_with_transparency_is_white_where_transparent(tmp: Path) -> None:
    a = decode_upload(pics.palette_png_with_transparency(512, 64))
    assert a.shape == (32, 256)
    assert float(a[:, :120].min()) == 1.0 and float(a[:, 136:].max()) == 0.0
    r = pics.measure_decode(pics.palette_png_with_transparency(6000, 6000), tmp)
    assert r["shape"] == [256, 256] and r["rss_mb"] <= BUDGET_MB + SLACK_MB, r


def test_truncated_file_is_corrupt_within_budget(tmp: Path) -> None:
    png = pics.flat("PNG", "RGB", 3000, 3000, (1, 2, 3))
    for data in (png[: len(png) // 2], png[:100]):
        r = pics.measure_decode(data, tmp)
        assert r["code"] == "corrupt" and r["rss_mb"] <= BUDGET_MB + SLACK_MB, r


def test_progressive_jpeg_counts_its_coefficients() -> None:
    baseline = pics.flat("JPEG", "RGB", 6000, 6000, (200, 100, 50))
    progressive = pics.flat("JPEG", "RGB", 6000, 6000, (200, 100, 50), progressive=True)
    assert decode_upload(baseline).shape == (256, 256)
    err = refusal(progressive)
    assert err.code == "too_large" and int(err.values["fit_width"]) < 4700


def test_at_the_limit_each_format_fits_its_budget(tmp: Path) -> None:
    for fmt, mode, colour in (("PNG", "RGBA", (200, 100, 50, 128)),
                              ("WEBP", "RGBA", (200, 100, 50, 128))):
        w, h = largest_size(fmt, mode, (10_000, 10_000))
        r = pics.measure_decode(pics.flat(fmt, mode, w, h, colour), tmp)
        assert r["shape"] == [256, 256] and r["rss_mb"] <= BUDGET_MB + SLACK_MB, (fmt, r)


# ---- the cost model and the refusal's numbers ------------------------------------------------
@pytest.mark.parametrize("fmt, mode", [("PNG", "RGBA"), ("PNG", "L"), ("PNG", "I;16"),
                                       ("GIF", "P"), ("WEBP", "RGB"), ("BMP", "RGB"),
                                       ("JPEG", "RGB"), ("JPEG", "CMYK")])
@pytest.mark.parametrize("shape", [(1, 1), (3, 1), (16, 9), (1, 40)])
def test_largest_size_is_the_largest_that_fits(fmt: str, mode: str,
                                               shape: tuple[int, int]) -> None:
    size = (shape[0] * 20_000, shape[1] * 20_000)
    w, h = largest_size(fmt, mode, size)
    assert decode_cost(fmt, mode, (w, h)) <= BUDGET and w * h <= pixel_cap(fmt)
    bigger = (int(w * 1.01) + 1, int(h * 1.01) + 1)
    assert decode_cost(fmt, mode, bigger) > BUDGET or bigger[0] * bigger[1] > pixel_cap(fmt)
    assert abs(w / h - size[0] / size[1]) <= 2 * max(1, size[0] / size[1]) / min(w, h)


def test_pixel_cap_refusal_names_the_cap() -> None:
    err = refusal(pics.png_claiming(10_000, 6_000, color_type=0))
    assert err.code == "too_many_pixels"
    assert err.values["limit"] == pixel_cap("PNG") and err.values["pixels"] == 60_000_000
    assert int(err.values["fit_width"]) * int(err.values["fit_height"]) <= pixel_cap("PNG")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_refusal_is_worded_with_its_numbers(lang: str) -> None:
    errors = {"empty_file": refusal(b""), "not_an_image": refusal(b"not a picture"),
              "file_too_big": refusal(b"\0" * (picture_io.MAX_BYTES + 1)),
              "too_large": refusal(pics.png_claiming(7000, 7000)),
              "too_many_pixels": refusal(pics.png_claiming(10_000, 6_000, color_type=0)),
              "corrupt": refusal(pics.flat("PNG", "L", 300, 300, 1)[:80])}
    assert set(errors) == set(ERROR_CODES) and all(e.code == c for c, e in errors.items())
    for code, err in errors.items():
        text = TEXT[f"lk.picture_error.{code}"][lang].format(name="cat.png", **err.values)
        assert "cat.png" in text
        if code in ("too_large", "too_many_pixels"):
            v = err.values
            for part in (f"{v['width']}×{v['height']}", f"{v['fit_width']}×{v['fit_height']}"):
                assert part in text, (code, text)
        if code == "too_large":
            assert f"{err.values['need_mb']} MB" in text and "64 MB" in text


# ---- conversions: the tiles give what converting the whole picture gives ----------------------
def reference(im: Image.Image, max_side: int) -> np.ndarray:
    """The straightforward path (whole-picture copies): composite on white, luma, resize."""
    if "A" in im.mode or "transparency" in im.info or im.mode == "P":
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, (255,) * 4), rgba)
    im = im.convert("L")
    im = im.resize(picture_io.target_size(im.size, max_side), Image.Resampling.LANCZOS,
                   reducing_gap=3.0)
    return np.asarray(im, dtype=np.float32) / 255


@pytest.mark.parametrize("size, max_side", [((1031, 517), 256), ((517, 1031), 100),
                                            ((300, 7), 256), ((2000, 2000), 37)])
@pytest.mark.parametrize("mode", ["RGBA", "RGB", "P", "LA", "L"])
def test_tiled_conversion_equals_converting_the_whole(size: tuple[int, int], max_side: int,
                                                      mode: str) -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (size[1], size[0], 4), dtype=np.uint8)
    im = Image.fromarray(a, "RGBA").convert(mode)
    if mode in ("P", "L"):
        im.info["transparency"] = 7  # one transparent palette index / gray level
    data = pics.encode(im)
    with Image.open(io.BytesIO(data)) as decoded:
        expected = reference(decoded, max_side)
    np.testing.assert_allclose(decode_upload(data, max_side), expected, atol=1.5 / 255)


def test_at_most_two_uploads_are_decoded_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    running, peak = [0], [0]
    lock = threading.Lock()
    convert = picture_io._gray_reduced

    def slow(*args: Any) -> Any:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return convert(*args)

    monkeypatch.setattr(picture_io, "_gray_reduced", slow)
    data = pics.flat("PNG", "L", 64, 64, 9)
    threads = [threading.Thread(target=decode_upload, args=(data,)) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert peak[0] == picture_io.DECODERS == 2


def test_streamlit_holds_no_larger_upload_than_the_app_accepts() -> None:
    """Streamlit keeps an upload in memory before the app sees it: its limit (MiB) is ours."""
    import tomllib

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit/config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == picture_io.MAX_BYTES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_names_the_size_the_limit_and_what_fits(lang: str) -> None:
    from conftest import make_app
    from pagekit import assert_clean

    at = make_app("pages/learn_kernel.py", {"picture": "upload", "lang": lang})
    at.get("file_uploader")[0].upload("huge.png", pics.png_claiming(7000, 7000),
                                      "image/png").run()
    assert_clean(at)
    (warning,) = [w.value for w in at.warning if "huge.png" in w.value]
    for part in ("7000×7000", "3995×3995", "64 MB", "190 MB"):
        assert part in warning, warning
    assert ("内存" in warning) == (lang == "zh"), warning
