"""The learning-a-kernel page: parameters, presets, cached training and its pictures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
import torch

import convlab
from convlab.learn import KERNEL_TOL, learning_outcome
from ui.decoders import tensor_text as tt
from ui.decoders.picture_io import PictureError, decode_upload
from ui.frame import Frame, preset_param
from ui.i18n import t
from ui.pictures import charts, grids
from ui.registry import Lesson, Shown
from ui.urlstate import BoolParam, ChoiceParam, IntParam, TextParam

LRS = ("0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10")
KERNELS = (*convlab.KERNEL_IDS, "custom")
MAX_K = (5, 5)
PRESETS: dict[str, dict[str, Any]] = {
    "d2l": {"image": "stripe", "kernel": "edge", "lr": "0.03", "epochs": 10, "seed": 0,
            "bias": False, "flip": False},
    "flipped": {"image": "stripe", "kernel": "edge", "lr": "0.03", "epochs": 20, "seed": 0,
                "bias": False, "flip": True},
    "sobel": {"image": "random", "kernel": "sobel_x", "lr": "0.01", "epochs": 100, "seed": 0,
              "bias": False, "flip": False},
    "blur_bias": {"image": "random", "kernel": "blur", "lr": "0.003", "epochs": 200, "seed": 0,
                  "bias": True, "flip": False},
    "not_identifiable": {"image": "checkerboard", "kernel": "blur", "lr": "0.003",
                         "epochs": 200, "seed": 0, "bias": True, "flip": False},
    "diverge": {"image": "stripe", "kernel": "edge", "lr": "0.1", "epochs": 30, "seed": 0,
                "bias": False, "flip": False},
    "custom": {},
}
DEFAULTS = PRESETS["d2l"]
# Beside the picture: the preset, the data, the target kernel, the learning rate, the
# epochs and the epoch shown; the rest in "More settings".
MORE = ("seed", "bias", "flip", "module")
PARAMS = [preset_param(list(PRESETS)),
          ChoiceParam("image", "stripe", convlab.IMAGE_IDS),
          ChoiceParam("kernel", "edge", KERNELS),
          TextParam("K", "1,-1", decode=lambda s: tt.encode(tt.decode(s, 2, MAX_K)), encode=str),
          IntParam("kh", 1, 1, 5), IntParam("kw", 2, 1, 5),
          ChoiceParam("lr", "0.03", LRS), IntParam("epochs", 10, 1, 200),
          IntParam("seed", 0, 0, 9999), BoolParam("bias", False), BoolParam("flip", False),
          ChoiceParam("module", "nn", convlab.MODULES), IntParam("epoch", 10, 0, 200),
          BoolParam("log", True), ChoiceParam("picture", "scene", ("scene", "upload")),
          ChoiceParam("apply", "learned", ("learned", "target"))]


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    values = PRESETS.get(name) or {}
    return {**values, "epoch": values["epochs"]} if values else {}


def target(v: Mapping[str, Any]) -> torch.Tensor:
    """The target kernel: a named one, or the learner's own fitted to ``kh x kw``.

    The layer learns a kernel of the target's size, so that its output and Y line up.
    """
    if v["kernel"] == "custom":
        K = tt.fit(tt.decode(v["K"], 2, MAX_K), (v["kh"], v["kw"]))
        return torch.tensor(K, dtype=torch.float32)
    return convlab.target_kernel(v["kernel"])


@st.cache_data(max_entries=128, show_spinner=False)
def train(image: str, kernel: tuple[tuple[float, ...], ...], lr: float, epochs: int, seed: int,
          bias: bool, flip: bool, module: str,
          device: str) -> tuple[convlab.LearnHistory, np.ndarray, np.ndarray]:
    """Training cached on its inputs: the history, X and the target Y."""
    X = convlab.input_image(image)
    K = torch.tensor(kernel)
    Y = convlab.corr2d(X, K.flip(-2, -1) if flip else K)
    size = (int(K.shape[0]), int(K.shape[1]))
    history = convlab.learn_kernel(X, Y, size, lr, epochs, seed, bias, module, device)
    return history, X.numpy(), Y.numpy()


def kernel_question(history: convlab.LearnHistory, X: np.ndarray, K: torch.Tensor,
                    v: Mapping[str, Any], lr: float
                    ) -> tuple[str, tuple[int], dict[str, tuple[int]]]:
    """Predict what training finds: is the last epoch's kernel the target K (1) or not (0)?
    The pictures answer it (the learned kernel beside the one that made Y, the loss). A
    wrong answer is matched to why: ``predict.slip.lk_<outcome>`` (convlab.learn.OUTCOMES)."""
    outcome = learning_outcome(history, X, K, lr=lr, bias=v["bias"], convolution=v["flip"])
    found = int(outcome == "found")
    question = t("lk.predict", epochs=v["epochs"], lr=lr, tol=KERNEL_TOL)
    return question, (found,), {f"lk_{outcome}": (1 - found,)}


def loss_chart(page: Frame, history: convlab.LearnHistory, log: bool, epoch: int) -> None:
    frame = pd.DataFrame({"epoch": range(len(history.losses)),
                          "loss": np.maximum(history.losses, 1e-12),
                          "now": [e == epoch for e in range(len(history.losses))]})
    page.chart(charts.spec(charts.loss_chart, frame, t("lk.loss_title"), t("lk.epoch"),
                           t("lk.loss"), log), "loss")


def kernels_picture(page: Frame, learned: np.ndarray, true: np.ndarray, epoch: int) -> None:
    """The learned kernel at ``epoch`` beside the kernel that made the target."""
    words = charts.cell_words()
    page.picture([grids.heatmap(learned, t("lk.learned_title", e=epoch), words,
                                bound=float(np.abs(true).max() or 1), px_budget=160),
                  grids.heatmap(true, t("check.oracle.true_kernel"), words, px_budget=160)])


def maps_picture(page: Frame, X: np.ndarray, Y: np.ndarray, Y_hat: np.ndarray) -> None:
    words = charts.cell_words()
    page.picture([grids.heatmap(X, t("lk.x_title"), words, px_budget=220),
                  grids.heatmap(Y, t("lk.y_title"), words, px_budget=220),
                  grids.heatmap(Y_hat, t("lk.yhat_title"), words,
                                bound=float(np.abs(Y).max() or 1), px_budget=220)])


@st.cache_data(max_entries=8, show_spinner=False)
def _decoded(data: bytes) -> np.ndarray:
    """An upload decoded once (up to a second of work), not again on every rerun; a
    refusal raises and is not cached, and costs only a header read."""
    return decode_upload(data)


def picture(page: Frame, choice: str) -> np.ndarray | None:
    """The picture to apply a kernel to: the built-in scene, or the learner's upload."""
    if choice == "scene":
        return scene()
    upload = st.file_uploader(t("lk.upload"), type=["png", "jpg", "jpeg"], key=page.key("file"))
    if upload is None:
        st.caption(t("lk.upload_hint"))
        return None
    try:
        return _decoded(upload.getvalue())
    except PictureError as err:
        st.warning(t(f"lk.picture_error.{err.code}", name=upload.name[:60], **err.values),
                   icon=":material/image_not_supported:")
        return None


@st.cache_data(show_spinner=False)
def scene() -> np.ndarray:
    return convlab.synthetic_scene(192).numpy()


def response(image: np.ndarray, kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The picture and the kernel's response, both scaled to [0, 1] for display (the
    response centred: mid-grey is zero)."""
    Y = convlab.apply_kernel(torch.from_numpy(image.astype(np.float32)),
                             torch.from_numpy(kernel.astype(np.float32)),
                             padding_mode="replicate").numpy()
    scale = float(np.abs(Y).max()) or 1.0
    return image.clip(0, 1), (0.5 + 0.5 * Y / scale).clip(0, 1)


def custom_kernel(page: Frame) -> None:
    """The learner's own target kernel: its size, then its values in a table."""
    row = page.control_row()
    page.number("kh", container=row)
    page.number("kw", container=row)
    K = tt.fit(tt.decode(page["K"], 2, MAX_K), (page["kh"], page["kw"]))
    with page.controls:
        page["K"] = tt.encode(page.matrix("edK", K, "K"))


def checks(history: convlab.LearnHistory, expected: np.ndarray, image: str, K: torch.Tensor,
           v: Mapping[str, Any], lr: float, device: str) -> list[convlab.CheckResult]:
    """The learned kernel against the one that made the target (when the sizes match), and
    the hand-written module against nn.Conv2d trained the same way."""
    out = []
    learned = torch.tensor(history.final_kernel)
    if learned.shape == expected.shape and history.diverged_at is None:
        # Within 0.05: d2l's 10 epochs leave about 2% of the start's error (convlab.learn).
        out.append(convlab.compare(learned, torch.from_numpy(expected).float(), what="learned",
                                   oracle="true_kernel", atol=KERNEL_TOL, rtol=0.0))
    other = "handwritten" if v["module"] == "nn" else "nn"
    twin, _, _ = train(image, tuple(map(tuple, K.tolist())), lr, v["epochs"], v["seed"],
                       v["bias"], v["flip"], other, device)
    a, b = (history, twin) if v["module"] == "handwritten" else (twin, history)
    n = min(len(a.kernels), len(b.kernels))
    out.append(convlab.compare(torch.tensor(a.kernels[:n]), torch.tensor(b.kernels[:n]),
                               what="handwritten", oracle="nn_conv2d_trained"))
    return out


def code(image: str, K: torch.Tensor, v: Mapping[str, Any], lr: float) -> str:
    """The reproduce script; a custom kernel is written out as a tensor literal."""
    custom = v["kernel"] == "custom"
    size = (int(K.shape[0]), int(K.shape[1]))
    return convlab.learn_kernel_code(image, "edge" if custom else v["kernel"], size, lr,
                                     v["epochs"], v["seed"], v["bias"], convolution=v["flip"],
                                     kernel=K if custom else None)


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The losses the reproduce code prints are the page's loss curve."""
    losses = [float(m) for m in re.findall(r"loss ([-+0-9.e]+)", printed)]
    chart = shown.charts.get(shown.word("lk.loss_title"))
    if chart is None:
        return [f"no chart titled {shown.word('lk.loss_title')!r}: {list(shown.charts)}"]
    curve = chart["loss"].tolist()
    if len(losses) != len(curve):
        return [f"{len(losses)} losses printed, {len(curve)} on the page"]
    far = [(a, b) for a, b in zip(losses, curve, strict=True)
           if not abs(a - b) <= 1e-4 * max(1.0, abs(b))]
    return [f"losses (code, page) differ: {far}"] if far else []


LESSON = Lesson("learn_kernel", "lk", ":material/school:", order=60,
                params=tuple(PARAMS), preset_values=preset_values, more=MORE, code_check=code_check)
