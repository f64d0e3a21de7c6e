"""AppTest of the learning-a-kernel page: d2l's defaults, the lesson's points, a diverging
learning rate, and uploads (a picture, and a file that is not one)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from conftest import make_app
from pagekit import EN, all_figures, assert_clean, check_passed, vega_charts
from PIL import Image

LK = "pages/learn_kernel.py"


def chart_titled(at, title: str) -> dict:
    for proto in vega_charts(at):
        spec = json.loads(proto.spec)
        if title in proto.spec:
            return spec
    raise AssertionError(f"no chart titled {title!r}")


def test_d2l_defaults_learn_the_edge_kernel():
    at = make_app(LK)
    assert_clean(at)
    assert check_passed(at)  # within 0.05 of [1, -1]; the hand-written module agrees
    assert at.slider(key="learn_kernel.epoch").value == 10
    assert chart_titled(at, EN["lk.loss_title"])
    assert not at.error


def test_epoch_slider_scrubs_the_kernel():
    at = make_app(LK)
    at.slider(key="learn_kernel.epoch").set_value(0).run()
    assert_clean(at)
    assert EN["lk.learned_title"].format(e=0) in [f.title for f in all_figures(at)]


def test_flipped_target_learns_the_flipped_kernel():
    at = make_app(LK, {"preset": "flipped"})
    assert_clean(at)
    assert EN["lk.flip_note"] in [c.value for c in at.caption]
    assert check_passed(at)  # learned within 0.05 of K flipped, [[-1, 1]]


# What each preset teaches, as the answer to "after the last epoch, is the learned kernel K?"
# (1 yes, 0 no), and the slip a wrong answer gets: why training did (not) find K.
ANSWERS = {"d2l": (1, "lk_found"), "flipped": (0, "lk_flipped"), "sobel": (1, "lk_found"),
           "blur_bias": (1, "lk_found"), "not_identifiable": (0, "lk_not_identifiable"),
           "diverge": (0, "lk_diverged")}


@pytest.mark.parametrize("preset", list(ANSWERS))
def test_the_question_is_what_training_finds(preset: str):
    at = make_app(LK, {"preset": preset})
    assert_clean(at)
    question = next(m.value for m in at.markdown if EN["predict.title"] in m.value)
    assert "transposed" not in question and "epochs" in question
    answer, slip = ANSWERS[preset]
    at.text_input(key="learn_kernel.guess").input(str(1 - answer)).run()
    assert len(at.warning) == 1 and EN[f"predict.slip.{slip}"] in at.warning[0].value
    assert "working below" not in at.warning[0].value
    at.text_input(key="learn_kernel.guess").input(str(answer)).run()
    assert at.success and not at.warning
    # the pictures answer it: the learned kernel and the kernel that made Y are drawn
    titles = [f.title for f in all_figures(at)]
    assert EN["check.oracle.true_kernel"] in titles


def test_presets_say_which_image_they_use():
    for preset, image in (("blur_bias", "random"), ("not_identifiable", "checkerboard")):
        at = make_app(LK, {"preset": preset})
        assert at.selectbox(key="learn_kernel.image").value == image
        label = EN[f"lk.preset.{preset}"].split("→")[0]
        assert ("random" in label) is (image == "random")
        assert ("checkerboard" in label) is (image == "checkerboard")


def test_a_diverging_learning_rate_is_explained_with_a_bounded_chart():
    at = make_app(LK, {"preset": "diverge"})
    assert_clean(at)
    assert len(at.error) == 1 and "0.0333" in at.error[0].value
    loss = chart_titled(at, EN["lk.loss_title"])
    assert loss  # the epochs before divergence, all finite
    assert at.slider(key="learn_kernel.epoch").max < 30


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray((np.arange(64 * 48) % 255).reshape(48, 64).astype(np.uint8)).save(
        buffer, format="PNG")
    return buffer.getvalue()


def test_uploads_a_picture_and_refuses_a_non_image():
    at = make_app(LK, {"picture": "upload"})
    assert_clean(at)
    uploader = at.get("file_uploader")[0]
    uploader.upload("notes.png", b"this is not a picture", "image/png").run()
    assert_clean(at)
    assert any("notes.png" in w.value for w in at.warning)
    at.get("file_uploader")[0].upload("ramp.png", _png(), "image/png").run()
    assert_clean(at)
    assert not at.warning
    assert len(at.get("imgs")) == 1 or len(at.get("image")) >= 1


def test_a_custom_kernel_is_learned_and_its_code_runs():
    at = make_app(LK, {"kernel": "custom", "K": "1,2;3,4", "kh": "2", "kw": "2", "lr": "0.01",
                       "image": "random",
                       "epochs": "200"})
    assert_clean(at)
    script = [c.value for c in at.code if c.language == "python"][-1]
    assert "torch.tensor([[1.0, 2.0], [3.0, 4.0]])" in script
    assert check_passed(at)  # converged: within 0.05 of the learner's kernel
