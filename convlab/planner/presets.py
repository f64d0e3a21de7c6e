"""Well-known stacks, as the planner's table rows: the page's examples and their numbers.

Each is ``(input shape (N, C, H, W), the stack in its link form)``; :data:`STACKS` holds
them decoded.

>>> from .table_build import plan_table
>>> plan_table(STACKS["vgg16"], PRESETS["vgg16"][0]).params  # torchvision's VGG-16 features
14714688

:data:`PRINTED` holds whole models as ``print(model)`` shows them, for the pasted-model box:

>>> from .plan import plan_stack
>>> from .text import layers_from_text
>>> shape, text = PRINTED["resnet18"]
>>> plan = plan_stack(layers_from_text(text), shape)
>>> plan.output_shape, plan.params
((1, 1000), 11689512)
"""

from __future__ import annotations

from .printed import printed_model
from .table import Stack
from .table_link import decode_stack


def _vgg(config: list[int | str], bn: bool = False) -> str:
    layers, unit = [], "conv.o{}k3p1" + ("b0_bn" if bn else "") + "_relu"
    for v in config:
        layers.append("maxpool.k2s2" if v == "M" else unit.format(v))
    return "_".join(layers)


VGG16: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
                          512, 512, 512, "M"]
VGG19: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
                          512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]
# id -> ((N, C, H, W), the stack in its link form)
PRESETS: dict[str, tuple[tuple[int, int, int, int], str]] = {
    "lenet": ((1, 1, 28, 28), "conv.o6k5p2_sigmoid_avgpool.k2s2_conv.o16k5_sigmoid_avgpool.k2s2_"
              "flatten_linear.o120_sigmoid_linear.o84_sigmoid_linear.o10"),
    "alexnet": ((1, 3, 224, 224), "conv.o64k11s4p2_relu_maxpool.k3s2_conv.o192k5p2_relu_"
                "maxpool.k3s2_conv.o384k3p1_relu_conv.o256k3p1_relu_conv.o256k3p1_relu_"
                "maxpool.k3s2_flatten_linear.o4096"),
    "vgg16": ((1, 3, 224, 224), _vgg(VGG16)),
    "resnet": ((1, 3, 224, 224), "conv.o64k7s2p3b0_bn_relu_maxpool.k3s2p1_"
               "conv.o64k3p1b0_bn_relu_conv.o64k3p1b0_bn_relu_"
               "conv.o64k1b0_bn_relu_conv.o64k3p1b0_bn_relu_conv.o256k1b0_bn_relu"),
    "mobilenet": ((1, 32, 112, 112), "conv.o32k3p1g32b0_bn_relu6_conv.o64k1b0_bn_relu6"),
    "unet": ((1, 64, 64, 64), "maxpool.k2s2_conv.o128k3p1_relu_conv.o128k3p1_relu_"
             "convt.o64k2s2_conv.o64k3p1_relu_conv.o64k3p1_relu"),
    "dcgan": ((1, 100, 1, 1), "convt.o512k4b0_bn_relu_convt.o256k4s2p1b0_bn_relu_"
              "convt.o128k4s2p1b0_bn_relu_convt.o64k4s2p1b0_bn_relu_convt.o3k4s2p1b0_tanh"),
    "vgg19bn": ((1, 3, 224, 224), _vgg(VGG19, bn=True)),
}


STACKS: dict[str, Stack] = {k: decode_stack(text) for k, (_, text) in PRESETS.items()}

# id -> ((N, C, H, W), the model as print(model) shows it with torchvision): the planner's
# pasted-model presets, residual blocks and the classifier's flatten included
PRINTED: dict[str, tuple[tuple[int, int, int, int], str]] = {
    "resnet18": ((1, 3, 224, 224), printed_model("resnet18")),
    "vgg16_print": ((1, 3, 224, 224), printed_model("vgg16")),
    "alexnet_print": ((1, 3, 224, 224), printed_model("alexnet")),
}
