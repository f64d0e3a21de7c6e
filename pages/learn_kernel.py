"""Learning a kernel by gradient descent, then seeing what a kernel does to a picture."""

import numpy as np
import streamlit as st
import torch

import convlab
from ui import frame
from ui.i18n import t
from ui.lessons import learn_kernel_view as view


def lesson(page: frame.Frame) -> None:
    # ---- the data and the training settings: beside the picture --------------------------------
    row = page.control_row()
    image, kernel = page.choice("image", container=row), page.choice("kernel", container=row)
    if kernel == "custom":
        view.custom_kernel(page)
    row = page.control_row()
    lr = float(page.choice("lr", container=row))
    page.number("epochs", container=row)
    page.toggle("flip")  # "More settings", with the seed, the bias and the module
    page.toggle("bias")
    page.number("seed")
    page.choice("module")
    v = page.values
    K = view.target(v)
    with st.spinner(t("lk.training")):
        history, X, Y = view.train(image, tuple(map(tuple, K.tolist())), lr, v["epochs"], v["seed"],
                                   v["bias"], v["flip"], v["module"], page.device)
    expected = (K.flip(-2, -1) if v["flip"] else K).numpy()

    # ---- training: the kernel learned by the epoch shown, and the loss -------------------------
    kernel_size = (int(K.shape[0]), int(K.shape[1]))
    limit = f"{convlab.max_stable_lr(torch.from_numpy(X), kernel_size, v['bias']):.3g}"
    last = len(history.losses) - 1
    epoch = page.slider("epoch", 0, last)
    # the question before the pictures that answer it (held back in predict mode)
    page.predict(*view.kernel_question(history, X, K, v, lr))
    with page.stage:
        if history.diverged_at is not None:
            st.error(t("lk.diverged", e=history.diverged_at, lr=lr, limit=limit),
                     icon=":material/trending_up:")
        elif lr >= float(limit):
            st.warning(t("lk.unstable", lr=lr, limit=limit), icon=":material/trending_up:")
        view.kernels_picture(page, np.array(history.kernels[epoch]), expected, epoch)
        st.caption(t("lk.flip_note") if v["flip"] else t("lk.kernel_note"))
        page.toggle("log", custom=False, container=page.stage)
        view.loss_chart(page, history, v["log"], epoch)
    view.maps_picture(page, X, Y, np.array(history.prediction))

    # ---- the lesson's points ---------------------------------------------------------------
    checks = view.checks(history, expected, image, K, v, lr, page.device)
    page.check(checks, t("lk.check_note"))
    page.code(view.code(image, K, v, lr))

    # ---- a kernel on a picture -----------------------------------------------------------
    st.header(t("lk.on_picture"))
    row = frame.row()
    source = page.choice("picture", segmented=True, container=row, custom=False)
    which = page.choice("apply", segmented=True, container=row, custom=False)
    pic = view.picture(page, source)
    if pic is not None:
        shown, resp = view.response(pic, np.array(history.final_kernel) if which == "learned"
                                    else K.numpy())
        left, right = st.columns(2)
        left.image(shown, caption=t("lk.picture_in"), clamp=True, width="stretch")
        right.image(resp, caption=t("lk.picture_out"), clamp=True, width="stretch")
    page.finish()


frame.lesson(view.LESSON, lesson)
