"""Fully-connected ≡ convolution, both ways, with the study notes' exact numbers."""

import streamlit as st
import torch

import convlab
from ui import fc_conv_view as view
from ui import frame
from ui.i18n import t

page = frame.open_page("fc_conv", view.PARAMS, preset_values=view.preset_values)
checks: list[convlab.CheckResult] = []

# ---- 1. fully connected -> convolution -------------------------------------------------------
st.header(t("fc.part1"))
ex = convlab.fc_example(page["preset"], device=page.device)
c, h, w = ex.input_shape
st.caption(t("fc.part1_caption", c=c, h=h, w=w, n=ex.linear.in_features,
             o=ex.linear.out_features))
with torch.no_grad():
    act = torch.relu if ex.relu else (lambda y: y)
    y = {"linear": act(ex.linear(ex.x)),
         "full": act(convlab.linear_to_conv2d(ex.linear, ex.input_shape)(ex.x.view(1, c, h, w))),
         "pointwise": act(convlab.linear_to_conv2d(ex.linear, ex.input_shape, "pointwise")(
             ex.x.view(1, c * h * w, 1, 1)))}
    no_bias = float(act(ex.x @ ex.linear.weight.T)[0, 0])
page.predict(t("fc.predict"), (float(y["linear"][0, 0]),), {"no_bias": (no_bias,)})
if ex.relu:
    st.info(t("fc.relu_note"), icon=":material/info:")
st.dataframe(view.outputs_table(y), hide_index=True)
view.weight_mapping(page, ex.linear, ex.input_shape)
checks += convlab.equivalence_checks(ex.linear, ex.input_shape, ex.x)
page.code(convlab.linear_to_conv2d_code(page["preset"], "full"), t("fc.code_full"))
page.code(convlab.linear_to_conv2d_code(page["preset"], "pointwise"), t("fc.code_pointwise"))

# ---- 2. convolution -> fully connected --------------------------------------------------------
st.header(t("fc.part2"))
st.caption(t("fc.part2_caption"))
for col, name in zip(st.columns(4), view.INPUT, strict=True):
    page.number(name, container=col, disabled=name == "w" and page["lock"])
conv = page.conv2d(page["cin"], page["cout"])
shape = (page["cin"], page["h"], page["w"])
if conv.error is not None:
    page.refuse(conv.error, conv.kwargs, (1, *shape))
else:
    check = page.attempt(view.unrolled, page, conv.kwargs, shape, page["seed"],
                         conv_kwargs=conv.kwargs, input_shape=(1, *shape))
    if check is not None:
        checks.append(check)
        page.code(convlab.conv2d_to_linear_code(conv.kwargs, shape, seed=page["seed"]),
                  t("fc.code_unroll"))
view.growth(page, page["cin"], page["cout"], (page["kh"], page["kw"]))

# ---- 3. sliding: the converted layer on a larger input ----------------------------------------
st.header(t("fc.part3"))
st.caption(t("fc.part3_caption"))
extra = page.slider("extra", 0, 6)
gen = torch.Generator().manual_seed(page["seed"])
X = torch.randn(1, c, h + extra, w + extra, generator=gen).to(page.device)
with torch.no_grad():
    Y = convlab.linear_to_conv2d(ex.linear, ex.input_shape)(X)[0]  # (out, extra+1, extra+1)
view.output_maps(page, Y.cpu().double().numpy())
checks.append(convlab.crops_check(ex.linear, ex.input_shape, X))

page.check(checks, t("fc.check_note", n=(extra + 1) ** 2))
page.finish()
