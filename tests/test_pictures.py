"""Pictures: the images and kernels by id (and their PyTorch source), the synthetic scene,
a kernel's response against ``F.conv2d``, and decoding uploads into grayscale arrays."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from convlab.correlation.correlate import corr2d
from convlab.errors import ConvConfigError
from convlab.learn.pictures import (
    IMAGE_IDS,
    KERNEL_IDS,
    MAX_KERNEL_SIDE,
    apply_kernel,
    image_code,
    input_image,
    kernel_code,
    synthetic_scene,
    target_kernel,
)
from ui.decoders.picture_io import MAX_BYTES, MAX_PIXELS, PictureError, decode_upload

# F.conv2d's note that padding='same' with an even kernel copies the input: expected here
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")


def run_snippet(code: str, name: str) -> torch.Tensor:
    scope: dict[str, Any] = {"torch": torch}
    exec(code, scope)
    return scope[name]


# ---- images and kernels by id ----------------------------------------------------------------
def test_stripe_is_d2ls_image() -> None:
    X = input_image("stripe")
    assert X.shape == (6, 8) and X.dtype == torch.float32
    assert X.tolist() == [[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]] * 6
    assert torch.equal(input_image("stripe_t"), X.t())


def test_image_shapes_and_values() -> None:
    shapes = {"stripe": (6, 8), "stripe_t": (8, 6), "checkerboard": (8, 8), "diagonal": (8, 8),
              "random": (8, 8)}
    assert set(shapes) == set(IMAGE_IDS)
    for image_id, shape in shapes.items():
        X = input_image(image_id)
        assert X.shape == shape and X.dtype == torch.float32
        assert bool((X >= 0).all() and (X <= 1).all())
    C = input_image("checkerboard")
    assert C[:2, :2].tolist() == [[0.0, 0.0], [0.0, 0.0]] and C[0, 2] == 1 and C[2, 0] == 1
    assert torch.equal(C, C.t()) and C.sum() == 32
    assert torch.equal(input_image("diagonal"), torch.tril(torch.ones(8, 8)))


def test_random_image_is_seeded() -> None:
    assert torch.equal(input_image("random", 3), input_image("random", 3))
    assert not torch.equal(input_image("random", 3), input_image("random", 4))
    assert torch.equal(input_image("stripe", 3), input_image("stripe"))  # the seed is unused


def test_kernels() -> None:
    assert target_kernel("edge").tolist() == [[1.0, -1.0]]
    assert target_kernel("edge_t").tolist() == [[1.0], [-1.0]]
    sobel_x = target_kernel("sobel_x")
    assert sobel_x.tolist() == [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]
    assert torch.equal(target_kernel("sobel_y"), sobel_x.t())
    assert torch.equal(target_kernel("blur"), torch.full((3, 3), 1 / 9))
    for kernel_id in KERNEL_IDS:
        K = target_kernel(kernel_id)
        assert K.dtype == torch.float32 and max(K.shape) <= MAX_KERNEL_SIDE


@pytest.mark.parametrize("seed", [0, 5, 2**32 - 1])
@pytest.mark.parametrize("image_id", IMAGE_IDS)
def test_image_code_rebuilds_the_image(image_id: str, seed: int) -> None:
    X = run_snippet(image_code(image_id, seed), "X")
    assert X.dtype == torch.float32 and torch.equal(X, input_image(image_id, seed))


@pytest.mark.parametrize("kernel_id", KERNEL_IDS)
def test_kernel_code_rebuilds_the_kernel(kernel_id: str) -> None:
    K = run_snippet(kernel_code(kernel_id), "K")
    assert K.dtype == torch.float32 and torch.equal(K, target_kernel(kernel_id))


@pytest.mark.parametrize("call, parameter", [
    pytest.param(lambda: input_image("cat"), "image_id", id="unknown-image"),
    pytest.param(lambda: input_image(3),  # type: ignore[arg-type]
                 "image_id", id="image-not-a-string"),
    pytest.param(lambda: input_image("random", -1), "seed", id="seed-negative"),
    pytest.param(lambda: input_image("random", 2**32), "seed", id="seed-too-big"),
    pytest.param(lambda: input_image("random", 1.5),  # type: ignore[arg-type]
                 "seed", id="seed-float"),
    pytest.param(lambda: target_kernel("laplace"), "kernel_id", id="unknown-kernel"),
    pytest.param(lambda: image_code("cat"), "image_id", id="code-unknown-image"),
    pytest.param(lambda: kernel_code("laplace"), "kernel_id", id="code-unknown-kernel"),
    pytest.param(lambda: synthetic_scene(8), "size", id="scene-too-small"),
    pytest.param(lambda: synthetic_scene(4096), "size", id="scene-too-big"),
    pytest.param(lambda: synthetic_scene(64.0),  # type: ignore[arg-type]
                 "size", id="scene-float"),
])
def test_bad_ids_are_refused(call: Any, parameter: str) -> None:
    with pytest.raises(ConvConfigError) as info:
        call()
    assert info.value.parameter == parameter and info.value.suggestion


# ---- the vertical-edge lesson ----------------------------------------------------------------
def test_edge_kernel_finds_the_stripes_edges_and_not_the_transposed_ones() -> None:
    X, K = input_image("stripe"), target_kernel("edge")
    assert apply_kernel(X, K, padding="valid").tolist() == [[0.0, 1, 0, 0, 0, -1, 0]] * 6
    assert torch.equal(corr2d(input_image("stripe_t"), K), torch.zeros(8, 5))
    assert torch.equal(apply_kernel(input_image("stripe_t"), K, padding="valid"),
                       torch.zeros(8, 5))
    # with 'same' padding the only responses are at the right border, against the zeros
    same = apply_kernel(input_image("stripe_t"), K)
    assert torch.equal(same[:, :-1], torch.zeros(8, 5))
    assert torch.equal(same[:, -1], input_image("stripe_t")[:, -1])
    assert torch.equal(apply_kernel(input_image("stripe_t"), K, padding_mode="replicate"),
                       torch.zeros(8, 6))


# ---- the synthetic scene ---------------------------------------------------------------------
@pytest.mark.parametrize("size", [16, 64, 128, 257, 512])
def test_scene_is_a_grayscale_picture(size: int) -> None:
    S = synthetic_scene(size)
    assert S.shape == (size, size) and S.dtype == torch.float32
    assert float(S.min()) >= 0.0 and float(S.max()) <= 1.0
    assert torch.equal(S, synthetic_scene(size))
    assert len(torch.unique(S)) >= 5  # background gradient, disc, rectangle, stripes, strokes


def test_scene_has_its_shapes() -> None:
    S = synthetic_scene(128)
    assert S[int(0.28 * 128), int(0.27 * 128)] == pytest.approx(0.9)  # the disc's centre
    assert S[int(0.73 * 128), int(0.25 * 128)] == pytest.approx(0.6)  # the rectangle
    stripe_row = S[int(0.25 * 128), int(0.56 * 128): int(0.92 * 128)]
    assert {round(v, 4) for v in stripe_row.tolist()} == {1.0, 0.05}
    assert int((stripe_row[1:] != stripe_row[:-1]).sum()) >= 8  # many vertical edges
    letters = S[int(0.6 * 128): int(0.86 * 128), int(0.52 * 128): int(0.93 * 128)]
    assert int((letters == 0).sum()) > 100  # the strokes of "CNN" are black
    # every direction of edge is present: vertical, horizontal and diagonal responses
    for kernel_id in ("sobel_x", "sobel_y"):
        assert float(apply_kernel(S, target_kernel(kernel_id)).abs().max()) > 2
    diagonal = torch.tensor([[0.0, 1.0], [-1.0, 0.0]])
    assert float(apply_kernel(S, diagonal).abs().max()) > 0.5


# ---- apply_kernel against F.conv2d -----------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(h=st.integers(1, 20), w=st.integers(1, 20), kh=st.integers(1, MAX_KERNEL_SIDE),
       kw=st.integers(1, MAX_KERNEL_SIDE), seed=st.integers(0, 2**16))
def test_same_response_is_conv2d_same(h: int, w: int, kh: int, kw: int, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    X, K = torch.rand(h, w, generator=gen), torch.randn(kh, kw, generator=gen)
    Y = apply_kernel(X, K)
    assert Y.shape == (h, w)
    torch.testing.assert_close(Y, F.conv2d(X[None, None], K[None, None], padding="same")[0, 0])
    torch.testing.assert_close(Y, corr2d(X, K, padding="same"))


@settings(max_examples=60, deadline=None)
@given(kh=st.integers(1, MAX_KERNEL_SIDE), kw=st.integers(1, MAX_KERNEL_SIDE),
       extra=st.tuples(st.integers(0, 12), st.integers(0, 12)), seed=st.integers(0, 2**16))
def test_valid_response_is_corr2d(kh: int, kw: int, extra: tuple[int, int], seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    X = torch.rand(kh + extra[0], kw + extra[1], generator=gen)
    K = torch.randn(kh, kw, generator=gen)
    Y = apply_kernel(X, K, padding="valid")
    assert Y.shape == (extra[0] + 1, extra[1] + 1)
    torch.testing.assert_close(Y, corr2d(X, K))
    torch.testing.assert_close(Y, F.conv2d(X[None, None], K[None, None])[0, 0])


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 12), w=st.integers(1, 12), kh=st.integers(1, MAX_KERNEL_SIDE),
       kw=st.integers(1, MAX_KERNEL_SIDE), seed=st.integers(0, 2**16))
def test_replicate_response_is_conv2d_with_replicate_padding(h: int, w: int, kh: int, kw: int,
                                                              seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    X, K = torch.rand(h, w, generator=gen), torch.randn(kh, kw, generator=gen)
    layer = torch.nn.Conv2d(1, 1, (kh, kw), padding="same", padding_mode="replicate",
                            bias=False)
    with torch.no_grad():
        layer.weight.copy_(K[None, None])
        expected = layer(X[None, None])[0, 0]
    torch.testing.assert_close(apply_kernel(X, K, padding_mode="replicate"), expected)


def test_blur_keeps_a_flat_picture_flat_with_replicate() -> None:
    flat = torch.full((10, 12), 0.4)
    torch.testing.assert_close(apply_kernel(flat, target_kernel("blur"),
                                            padding_mode="replicate"), flat)


def test_large_picture_and_dtypes() -> None:
    S = synthetic_scene(256)
    K = torch.randn(7, 7, generator=torch.Generator().manual_seed(0))
    Y = apply_kernel(S, K)
    assert Y.shape == (256, 256) and Y.dtype == torch.float32
    torch.testing.assert_close(Y, F.conv2d(S[None, None], K[None, None], padding=3)[0, 0])
    assert apply_kernel(S.double(), K).dtype == torch.float64
    ints = (S * 255).round().to(torch.uint8)
    torch.testing.assert_close(apply_kernel(ints, K), apply_kernel(ints.float(), K))


@pytest.mark.parametrize("call, parameter", [
    pytest.param(lambda: apply_kernel(torch.ones(3, 4, 4), torch.ones(2, 2)), "image",
                 id="image-3d"),
    pytest.param(lambda: apply_kernel(torch.ones(4, 4), torch.ones(1, 2, 2)), "kernel",
                 id="kernel-3d"),
    pytest.param(lambda: apply_kernel(torch.ones(4, 1025), torch.ones(2, 2)), "image",
                 id="image-too-big"),
    pytest.param(lambda: apply_kernel(torch.ones(4, 0), torch.ones(2, 2)), "image",
                 id="image-empty"),
    pytest.param(lambda: apply_kernel(torch.ones(9, 9), torch.ones(8, 8)), "kernel",
                 id="kernel-too-big"),
    pytest.param(lambda: apply_kernel(torch.ones(3, 3), torch.ones(4, 2), padding="valid"),
                 "kernel", id="valid-kernel-does-not-fit"),
    pytest.param(lambda: apply_kernel(torch.ones(3, 3), torch.ones(2, 2), padding="full"),
                 "padding", id="unknown-padding"),
    pytest.param(lambda: apply_kernel(torch.ones(3, 3), torch.ones(2, 2), padding_mode="wrap"),
                 "padding_mode", id="unknown-padding-mode"),
    pytest.param(lambda: apply_kernel(np.ones((3, 3)), torch.ones(2, 2)),  # type: ignore[arg-type]
                 "image", id="numpy-image"),
    pytest.param(lambda: apply_kernel(torch.ones(3, 3, dtype=torch.bool), torch.ones(2, 2)),
                 "image", id="bool-image"),
])
def test_apply_refusals(call: Any, parameter: str) -> None:
    with pytest.raises(ConvConfigError) as info:
        call()
    assert info.value.parameter == parameter


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_apply_on_cuda_matches_cpu() -> None:
    S = synthetic_scene(256)
    K = target_kernel("sobel_x")
    Y = apply_kernel(S.cuda(), K)
    assert Y.is_cuda
    torch.testing.assert_close(Y.cpu(), apply_kernel(S, K), atol=1e-3, rtol=1e-3)


# ---- decoding uploads ------------------------------------------------------------------------
def encode(im: Image.Image, fmt: str = "PNG", **options: Any) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **options)
    return buf.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width x height`` pixels, with one tiny data chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))
            + chunk(b"IEND", b""))


def gradient(width: int, height: int) -> np.ndarray:
    """uint8 (height, width) rising from 0 on the left to 255 on the right."""
    row = np.linspace(0, 255, width).round().astype(np.uint8)
    return np.tile(row, (height, 1))


def test_small_gray_png_is_exact() -> None:
    a = gradient(40, 30)
    out = decode_upload(encode(Image.fromarray(a)))
    assert out.shape == (30, 40) and out.dtype == np.float32
    np.testing.assert_allclose(out, a / 255.0, atol=1e-6)


@pytest.mark.parametrize("colour, luma", [((255, 0, 0), 0.299), ((0, 255, 0), 0.587),
                                          ((0, 0, 255), 0.114), ((255, 255, 255), 1.0)])
def test_colour_becomes_luma(colour: tuple[int, int, int], luma: float) -> None:
    out = decode_upload(encode(Image.new("RGB", (20, 10), colour)))
    np.testing.assert_allclose(out, luma, atol=1 / 255)


@pytest.mark.parametrize("size, expected", [((1000, 500), (128, 256)), ((500, 1000), (256, 128)),
                                            ((300, 300), (256, 256)), ((100, 50), (50, 100)),
                                            ((5000, 3), (1, 256))])
def test_longest_side_is_shrunk_to_max_side(size: tuple[int, int],
                                            expected: tuple[int, int]) -> None:
    out = decode_upload(encode(Image.fromarray(gradient(*size))))
    assert out.shape == expected
    assert 0.0 <= float(out.min()) and float(out.max()) <= 1.0
    if expected[1] > 2:  # the left-to-right ramp survives the shrinking
        assert out[0, 0] < 0.1 and out[0, -1] > 0.9


def test_max_side_argument() -> None:
    data = encode(Image.fromarray(gradient(640, 480)))
    assert decode_upload(data, max_side=64).shape == (48, 64)
    assert decode_upload(data, max_side=1024).shape == (480, 640)
    for bad in (0, 5000, 2.5, True):
        with pytest.raises(ValueError):
            decode_upload(data, max_side=bad)  # type: ignore[arg-type]


def test_jpeg_photo_is_decoded_and_shrunk() -> None:
    a = gradient(1600, 1200)
    out = decode_upload(encode(Image.fromarray(a).convert("RGB"), "JPEG", quality=90))
    assert out.shape == (192, 256)
    expected = np.asarray(Image.fromarray(a).resize((256, 192)), dtype=np.float32) / 255
    np.testing.assert_allclose(out, expected, atol=0.03)  # JPEG and draft-mode scaling


def test_transparent_background_becomes_white() -> None:
    im = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    im.putpixel((5, 5), (0, 0, 0, 255))
    out = decode_upload(encode(im))
    assert out[5, 5] == 0.0 and out[0, 0] == 1.0
    palette = Image.new("P", (8, 8), 0)
    palette.putpalette([0, 0, 0, 255, 255, 255])
    palette.info["transparency"] = 0
    assert float(decode_upload(encode(palette, transparency=0)).min()) == 1.0


def test_sixteen_bit_png_keeps_its_range() -> None:
    a = np.linspace(0, 65535, 64 * 32).reshape(32, 64).astype(np.uint16)
    out = decode_upload(encode(Image.fromarray(a)))
    np.testing.assert_allclose(out, a / 65535.0, atol=1e-6)


def test_exif_orientation_is_applied() -> None:
    im = Image.fromarray(gradient(40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    out = decode_upload(encode(im.convert("RGB"), "JPEG", exif=exif.tobytes(), quality=95))
    assert out.shape == (40, 20)


def test_gif_gives_its_first_frame() -> None:
    frames = [Image.new("L", (12, 12), v) for v in (0, 255)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    assert float(decode_upload(buf.getvalue()).max()) == 0.0


@pytest.mark.parametrize("data, code", [
    pytest.param(b"", "empty_file", id="empty"),
    pytest.param(b"this is not a picture at all", "not_an_image", id="text"),
    pytest.param(bytes(range(256)) * 8, "not_an_image", id="garbage"),
    pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not_an_image", id="pdf"),
    pytest.param(png_header(100_000, 100_000), "too_large", id="bomb-header"),
    pytest.param(png_header(10_000, 6_000), "too_many_pixels", id="sixty-megapixels"),
    pytest.param(b"\0" * (MAX_BYTES + 1), "file_too_big", id="too-many-bytes"),
])
def test_refused_uploads_say_why(data: bytes, code: str) -> None:
    with pytest.raises(PictureError) as info:
        decode_upload(data)
    assert info.value.code == code


def test_pixel_limit_is_the_documented_one() -> None:
    with pytest.raises(PictureError) as info:
        decode_upload(png_header(10_000, 6_000))
    assert info.value.values == {"pixels": 60_000_000, "limit": MAX_PIXELS, "width": 10_000,
                                 "height": 6_000, "format": "PNG", "mode": "L",
                                 "fit_width": 9129, "fit_height": 5477}


def test_damaged_files_are_corrupt() -> None:
    png = encode(Image.fromarray(gradient(64, 64)))
    jpeg = encode(Image.fromarray(gradient(64, 64)), "JPEG")
    for data in (png[: len(png) // 2], png[:60], jpeg[: len(jpeg) // 3]):
        with pytest.raises(PictureError) as info:
            decode_upload(data)
        assert info.value.code == "corrupt"


def test_unsupported_format_is_not_an_image() -> None:
    with pytest.raises(PictureError) as info:
        decode_upload(encode(Image.new("L", (8, 8)), "TIFF"))
    assert info.value.code == "not_an_image"


def test_decoded_upload_feeds_apply_kernel() -> None:
    out = decode_upload(encode(Image.fromarray(gradient(300, 200))))
    Y = apply_kernel(torch.from_numpy(out), target_kernel("sobel_x"), padding_mode="replicate")
    assert Y.shape == out.shape and float(Y[:, 1:-1].min()) > 0  # a rising ramp
