"""The planner reads a model as text (convlab.layers_from_text): ``print(model)`` and
``nn.Sequential`` source, against the real models on the meta device; residual blocks with
their real forward; torchvision's prints as goldens; hostile texts refused, never run."""

from __future__ import annotations

import base64
import inspect
import pickle
import re
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import convlab
from convlab.errors import ConvConfigError
from convlab.planner import MAX_LAYERS, decode_stack, plan_stack, plan_table, stack_code
from convlab.planner.pasted import MAX_LINK, model_code, pack_text, unpack_text
from convlab.planner.printed import printed_model
from convlab.planner.residual import Residual
from convlab.planner.text import LEAVES, layers_from_text, read_model
from convlab.planner.text_tree import TextConfigError

DATA = Path(__file__).parent / "data"
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- the oracle: real modules on the meta device ---------------------------------------------

def row_modules(model: nn.Module) -> list[nn.Module]:
    """The modules the planner makes rows of, in print order: leaves and residual blocks."""
    if isinstance(model, (BasicBlock, Bottleneck)) or not list(model.children()):
        return [model]
    return [m for child in model.children() for m in row_modules(child)]


def torch_rows(model: nn.Module, shape: tuple[int, ...]) -> tuple[list[tuple[int, ...]],
                                                                  int | None]:
    """Every row module's output shape when the real ``model`` runs its own forward on the
    meta device (hooks, in call order), and the row that raised, if any."""
    shapes: list[tuple[int, ...]] = []
    rows = row_modules(model)
    hooks = [m.register_forward_hook(lambda _m, _i, out: shapes.append(tuple(out.shape)))
             for m in rows]
    try:
        model.eval()(torch.empty(shape, device="meta"))
        failed = None
    except Exception:  # PyTorch's own refusal, whatever its type
        failed = len(shapes)
    finally:
        for h in hooks:
            h.remove()
    return shapes, failed


def same(a, b) -> None:
    """Two plans are the same: every row, and the refusal (errors compare by text)."""
    assert (a.input_shape, a.rows, str(a.error)) == (b.input_shape, b.rows, str(b.error))


def params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ---- torchvision's models, built here the way torchvision builds them ------------------------

class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)


class ResNet(nn.Module):
    def __init__(self, block: type[BasicBlock | Bottleneck], layers: list[int]) -> None:
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, 1000)

    def _make_layer(self, block: type[BasicBlock | Bottleneck], planes: int, blocks: int,
                    stride: int = 1) -> nn.Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class VGG(nn.Module):
    def __init__(self, cfg: list[int | str]) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c = 3
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(c, int(v), kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                c = int(v)
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=0.5),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=0.5), nn.Linear(4096, 1000))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class AlexNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=0.5), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, 1000))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


VGG16: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
                          512, 512, 512, "M"]
TORCHVISION = {  # name -> (the model, built on the meta device; its published parameters)
    "vgg16": (lambda: VGG(VGG16), 138_357_544),
    "alexnet": (AlexNet, 61_100_840),
    "resnet18": (lambda: ResNet(BasicBlock, [2, 2, 2, 2]), 11_689_512),
    "resnet34": (lambda: ResNet(BasicBlock, [3, 4, 6, 3]), 21_797_672),
    "resnet50": (lambda: ResNet(Bottleneck, [3, 4, 6, 3]), 25_557_032),
}


def torchvision_model(name: str) -> nn.Module:
    with torch.device("meta"):
        return TORCHVISION[name][0]()


# ---- goldens: torchvision's prints -----------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TORCHVISION))
def test_printed_models_plan_to_their_published_counts(name):
    model = torchvision_model(name)
    # PyTorch 2.13 prints BatchNorm2d's bias too; the prints people paste mostly do not
    text = str(model).replace(", bias=True, track_running_stats", ", track_running_stats")
    assert text == printed_model(name)  # convlab's written print is PyTorch's own print
    golden = DATA / f"{name}.txt"
    if name != "resnet34":
        assert golden.read_text() == text + "\n"
    read = read_model(text)
    plan = plan_stack(read.layers, (1, 3, 224, 224))
    same(plan_stack(layers_from_text(str(model)), (1, 3, 224, 224)), plan)
    assert plan.output_shape == (1, 1000)
    assert plan.params == params(model) == TORCHVISION[name][1]
    shapes, failed = torch_rows(model, (1, 3, 224, 224))
    assert failed is None and [r.output_shape for r in plan.rows] == shapes
    assert read.form == "print" and read.print_order == ((type(model).__name__, 1),)
    assert plan.rows[-1].layer == "Linear"
    # forward flattens before the first Linear (torchvision's torch.flatten(x, 1))
    # (AlexNet's classifier starts with a Dropout: the flatten comes before it)
    flattened = [r.index for r in plan.rows if r.flattened]
    pool = next(r.index for r in plan.rows if r.layer == "AdaptiveAvgPool2d")
    assert flattened == [pool + 1] and plan.rows[pool + 1].layer == (
        "Dropout" if name == "alexnet" else "Linear")
    # the same layers run by PyTorch (convlab's oracle) agree
    meta, message = convlab.run_modules(list(read.layers), (1, 3, 224, 224))
    assert message is None and meta == shapes


def test_resnet_blocks_are_rows_with_their_shortcut_and_receptive_field():
    plan = plan_stack(layers_from_text(printed_model("resnet18")), (1, 3, 224, 224))
    blocks = [r for r in plan.rows if r.layer == "BasicBlock"]
    assert len(blocks) == 8 and len(plan.rows) == 14
    assert [r.shortcut for r in blocks[:3]] == [(), (), ("Conv2d", "BatchNorm2d")]
    assert all(r.shortcut is None for r in plan.rows if r.layer != "BasicBlock")
    # the receptive field follows the longer path (the main path's two 3x3 convolutions):
    # ResNet-18's last feature map sees 435 x 435 input cells, every 32nd
    assert blocks[-1].receptive_field == (435, 435) and blocks[-1].effective_stride == (32, 32)
    resnet50 = plan_stack(layers_from_text(printed_model("resnet50")), (1, 3, 224, 224))
    assert [r.layer for r in resnet50.rows].count("Bottleneck") == 16
    assert resnet50.params == 25_557_032


def test_a_chain_would_apply_downsample_to_the_main_path():
    """Why blocks: planned as a chain, layer2's downsample reads the main path's output
    (128 channels) and PyTorch refuses it; planned as a block it reads the block input."""
    text = printed_model("resnet18")
    block = read_model(text).layers[6]
    assert isinstance(block, Residual) and block.kind == "BasicBlock"
    chain = [*block.main, *block.shortcut]  # type: ignore[misc]
    plan = plan_stack(chain, (1, 64, 56, 56), partial=True)
    assert plan.error is not None and plan.error.parameter == "in_channels"
    assert plan_stack([block], (1, 64, 56, 56)).output_shape == (1, 128, 28, 28)


def test_a_shortcut_that_does_not_match_is_refused_like_pytorch():
    text = printed_model("resnet18").replace(
        "(downsample): Sequential(\n        (0): Conv2d(64, 128, kernel_size=(1, 1), "
        "stride=(2, 2), bias=False)",
        "(downsample): Sequential(\n        (0): Conv2d(64, 128, kernel_size=(1, 1), "
        "stride=(1, 1), bias=False)")
    layers = layers_from_text(text)
    plan = plan_stack(layers, (1, 3, 224, 224), partial=True)
    assert plan.error is not None and plan.error.index == 6
    assert plan.error.parameter == "shortcut" and plan.error.layer == "BasicBlock"
    assert "stride=2" in plan.error.suggestion["downsample"]
    shapes, message = convlab.run_modules(layers, (1, 3, 224, 224))
    assert message is not None and len(shapes) == 6  # PyTorch refuses the same block


# ---- hypothesis: random stacks, printed and as source ----------------------------------------

ACTS = ["ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "GELU", "SiLU", "Mish",
        "Sigmoid", "Tanh", "Hardswish", "Hardsigmoid", "Hardtanh", "Softplus", "Identity",
        "Dropout", "Dropout2d", "AlphaDropout"]


@st.composite
def activation(draw, channels: int) -> nn.Module:
    name = draw(st.sampled_from(ACTS))
    cls = getattr(nn, name)
    if name == "LeakyReLU":
        return cls(draw(st.sampled_from([0.01, 0.2])), inplace=draw(st.booleans()))
    if name == "PReLU":
        return cls(draw(st.sampled_from([1, channels])), init=0.1, device="meta")
    if name == "ELU":
        return cls(alpha=draw(st.sampled_from([1.0, 0.5])))
    if name == "GELU":
        return cls(approximate=draw(st.sampled_from(["none", "tanh"])))
    if name == "Softplus":
        return cls(beta=2.0, threshold=10.0)
    if name == "Hardtanh":
        return cls(-2.0, 3.5)
    if name.endswith("Dropout") or name.startswith("Dropout"):
        return cls(p=draw(st.sampled_from([0.0, 0.25, 0.5])))
    if name in ("ReLU", "ReLU6", "SELU", "SiLU", "Mish", "Hardswish", "Hardsigmoid"):
        return cls(inplace=draw(st.booleans()))
    return cls()


@st.composite
def spatial(draw, c: int, printable: bool) -> tuple[nn.Module, int]:
    kind = draw(st.sampled_from(["conv", "conv", "convt", "max", "avg", "adaptive", "bn", "up",
                                 "act", "act"]))
    k, s, p, d = (draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(0, 2)),
                  draw(st.integers(1, 2)))
    meta = {"device": "meta"}
    if kind == "conv":
        out, g = draw(st.sampled_from([1, 2, 4])), draw(st.sampled_from([1, 2]))
        g = g if c % g == 0 and out % g == 0 else 1
        pad = "same" if s == 1 and draw(st.booleans()) else p
        mode = draw(st.sampled_from(["zeros", "zeros", "replicate", "circular"]))
        return nn.Conv2d(c, out, (k, draw(st.integers(1, 3))), s, pad, d, g,
                         draw(st.booleans()), mode, **meta), out
    if kind == "convt":
        out = draw(st.integers(1, 3))
        return nn.ConvTranspose2d(c, out, k, s, p, output_padding=min(s, d) - 1,
                                  dilation=d, bias=draw(st.booleans()), **meta), out
    if kind == "max":
        return nn.MaxPool2d(k, draw(st.sampled_from([None, s])), min(p, k // 2), d,
                            ceil_mode=draw(st.booleans())), c
    if kind == "avg":
        # a print leaves ceil_mode out: a printable stack keeps PyTorch's default
        return nn.AvgPool2d(k, s, min(p, k // 2), ceil_mode=draw(st.booleans()) and not printable,
                            count_include_pad=draw(st.booleans())), c
    if kind == "adaptive":
        return nn.AdaptiveAvgPool2d(draw(st.sampled_from([1, 3, (2, None), (None, 4)]))), c
    if kind == "bn":
        return nn.BatchNorm2d(c, momentum=draw(st.sampled_from([0.1, None])),
                              affine=draw(st.booleans()), **meta), c
    if kind == "up":
        if draw(st.booleans()):
            return nn.Upsample(scale_factor=draw(st.sampled_from([1, 2, 1.5])),
                               mode=draw(st.sampled_from(["nearest", "bilinear"]))), c
        return nn.Upsample(size=(draw(st.integers(1, 9)), draw(st.integers(1, 9)))), c
    return draw(activation(c)), c


@st.composite
def flat(draw, features: int) -> tuple[nn.Module, int]:
    if draw(st.booleans()):
        out = draw(st.integers(1, 12))
        return nn.Linear(features, out, bias=draw(st.booleans()), device="meta"), out
    return draw(activation(features)), features


def nest(draw, layers: list[nn.Module], depth: int = 0) -> list[nn.Module]:
    """Group runs of ``layers`` into nested Sequentials, some with named children."""
    out: list[nn.Module] = []
    i = 0
    while i < len(layers):
        n = draw(st.integers(1, 4))
        run = layers[i:i + n]
        i += n
        if depth < 3 and len(run) > 1 and draw(st.booleans()):
            inner = nest(draw, run, depth + 1)
            if draw(st.booleans()):
                names = [draw(st.sampled_from(["conv", "features", "head", "x"])) + str(j)
                         for j in range(len(inner))]
                out.append(nn.Sequential(OrderedDict(zip(names, inner, strict=True))))
            else:
                out.append(nn.Sequential(*inner))
        else:
            out.extend(run)
    return out


@st.composite
def models(draw, printable: bool = False) -> tuple[nn.Sequential, tuple[int, ...]]:
    c = draw(st.integers(1, 4))
    shape = (draw(st.integers(1, 2)), c, draw(st.integers(3, 20)), draw(st.integers(3, 20)))
    layers = []
    for _ in range(draw(st.integers(1, 7))):
        m, c = draw(spatial(c, printable))
        layers.append(m)
    if draw(st.booleans()):
        layers.append(nn.Flatten())
        features = draw(st.integers(1, 400))
        layers.append(nn.Linear(features, 5, device="meta"))
        features = 5
        for _ in range(draw(st.integers(0, 3))):
            m, features = draw(flat(features))
            layers.append(m)
    return nn.Sequential(*nest(draw, layers)), shape


def same_plan(text: str, model: nn.Module, shape: tuple[int, ...]) -> None:
    """``text`` read back plans exactly as ``model``, and as PyTorch runs ``model``."""
    layers = layers_from_text(text)
    assert [repr(m) for m in layers] == [repr(m) for m in row_modules(model)]
    plan = plan_stack(layers, shape, partial=True)
    same(plan, plan_stack(model, shape, partial=True))
    if plan.error is not None and plan.error.parameter == "output_size":
        return  # beyond the planner's own bound: PyTorch would run it
    shapes, failed = torch_rows(model, shape)
    empty = next((i for i, s in enumerate(shapes) if 0 in s), None)
    if empty is not None:  # PyTorch's float32 kernels return an empty map: a refusal
        shapes, failed = shapes[:empty], empty
    assert [r.output_shape for r in plan.rows] == shapes
    assert (plan.error.index if plan.error else None) == failed
    if failed is None:
        assert plan.params == params(model)


@SETTINGS
@given(models(printable=True))
def test_a_printed_stack_plans_as_the_real_model(case):
    model, shape = case
    same_plan(str(model), model, shape)


def source(m: nn.Module, draw, indent: str = "") -> str:
    """``m`` as Python source, written here from the module's attributes: ``nn.``,
    ``torch.nn.`` or no prefix, positional or keyword arguments, comments, trailing commas."""
    prefix = draw(st.sampled_from(["nn.", "torch.nn.", ""]))
    name = type(m).__name__
    if isinstance(m, nn.Sequential):
        inner = indent + "    "
        items = [inner + source(c, draw, inner) + "," + draw(st.sampled_from(["", "  # x"]))
                 for c in m]
        return f"{prefix}{name}(\n" + "\n".join(items) + f"\n{indent})"
    args = []
    params_ = [p for p in list(inspect.signature(type(m).__init__).parameters.values())[1:]
               if p.name not in ("device", "dtype") and p.kind != p.VAR_POSITIONAL
               and p.kind != p.VAR_KEYWORD and hasattr(m, p.name)]  # not Hardtanh's min_value
    positional = draw(st.integers(0, 2))
    for i, p in enumerate(params_):
        if p.name == "bias":
            value = getattr(m, "bias", None) is not None or not getattr(m, "affine", True)
        else:
            value = getattr(m, p.name)
        keyword = i >= positional or p.kind == p.KEYWORD_ONLY
        args.append(f"{p.name}={value!r}" if keyword else repr(value))
    comma = draw(st.sampled_from(["", ","])) if args else ""
    return f"{prefix}{name}(" + ", ".join(args) + comma + ")"


@SETTINGS
@given(models(), st.data())
def test_a_stack_written_as_source_plans_as_the_real_model(case, data):
    model, shape = case
    text = source(model, data.draw)
    if data.draw(st.booleans()):  # a list of layers, with a script around it
        text = "import torch\nfrom torch import nn\n\nlayers = [\n" + ",\n".join(
            source(c, data.draw) for c in model) + ",\n]\nprint(layers)\n"
    same_plan(text, model, shape)


@st.composite
def blocks(draw) -> tuple[nn.Module, tuple[int, ...]]:
    cin = draw(st.sampled_from([2, 4]))
    kind = draw(st.sampled_from([BasicBlock, Bottleneck]))
    planes, stride = draw(st.sampled_from([1, 2, 4])), draw(st.integers(1, 2))
    down = None
    with torch.device("meta"):
        if stride != 1 or cin != planes * kind.expansion or draw(st.booleans()):
            down = nn.Sequential(nn.Conv2d(cin, planes * kind.expansion, 1,
                                           draw(st.sampled_from([stride, 1])), bias=False),
                                 nn.BatchNorm2d(planes * kind.expansion))
        model = nn.Sequential(nn.Conv2d(cin, cin, 3, padding=1), kind(cin, planes, stride, down))
    return model, (1, cin, draw(st.integers(1, 12)), draw(st.integers(1, 12)))


@SETTINGS
@given(blocks())
def test_printed_residual_blocks_plan_as_their_forward(case):
    model, shape = case
    layers = layers_from_text(str(model))
    assert isinstance(layers[1], Residual)
    plan = plan_stack(layers, shape, partial=True)
    shapes, failed = torch_rows(model, shape)
    assert [r.output_shape for r in plan.rows] == shapes
    assert (plan.error.index if plan.error else None) == failed
    if failed is None:
        assert plan.params == params(model)
        block = plan.rows[1]
        assert block.shortcut == (() if model[1].downsample is None else
                                  ("Conv2d", "BatchNorm2d"))


def test_every_module_the_planner_knows_is_read():
    from convlab.planner.layers import SUPPORTED
    assert set(SUPPORTED) <= set(LEAVES)


# ---- where forward is not the print order ----------------------------------------------------

class Net(nn.Module):
    """A custom forward the print does not show (the PyTorch tutorial's pattern)."""

    def __init__(self, features: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(features, 10)


def test_a_custom_container_flattens_where_the_features_match_and_says_so():
    read = read_model(str(Net(4 * 3 * 3)))
    assert read.print_order == (("Net", 1),)
    plan = plan_stack(read.layers, (2, 3, 8, 8))
    assert plan.output_shape == (2, 10) and plan.rows[-1].flattened
    assert plan.rows[-1].receptive_field == (8, 8)  # it reads the whole 8 x 8 input
    with pytest.raises(ConvConfigError) as err:  # no flatten fits: refused, features named
        plan_stack(layers_from_text(str(Net(50))), (2, 3, 8, 8))
    assert err.value.suggestion == {"in_features": 36} and err.value.index == 2


def test_a_sequential_never_flattens_implicitly():
    text = str(nn.Sequential(nn.Conv2d(3, 4, 3), nn.Linear(36, 10)))
    assert read_model(text).print_order == ()
    with pytest.raises(ConvConfigError) as err:
        plan_stack(layers_from_text(text), (2, 3, 8, 8))
    assert err.value.suggestion == {"in_features": 6}  # as today: the last size


def test_unprinted_arguments_take_pytorchs_defaults_and_are_reported():
    read = read_model(str(nn.Sequential(nn.AvgPool2d(3, ceil_mode=True), nn.ReLU())))
    assert read.layers[0].ceil_mode is False
    assert dict(read.assumed)["AvgPool2d"] == ("ceil_mode", "count_include_pad",
                                               "divisor_override")
    conv = layers_from_text("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=same, "
                            "padding_mode=reflect)")[0]
    assert (conv.padding, conv.padding_mode) == ("same", "reflect")


def test_repeats_named_children_and_module_lists():
    text = str(nn.ModuleList([nn.Conv2d(3, 3, 3), nn.ReLU(), nn.ReLU(), nn.ReLU()]))
    assert "(1-3): 3 x ReLU()" in text
    read = read_model(text)
    assert [type(m).__name__ for m in read.layers] == ["Conv2d", "ReLU", "ReLU", "ReLU"]
    assert read.print_order == (("ModuleList", 1),)


# ---- the planner's own code block reads back -------------------------------------------------

@pytest.mark.parametrize("preset", ["lenet", "alexnet", "vgg16", "dcgan", "vgg19bn"])
def test_the_planners_code_block_reads_back_to_the_same_stack(preset):
    from convlab.planner.presets import PRESETS, STACKS
    shape = PRESETS[preset][0]
    plan = plan_table(STACKS[preset], shape)
    code = stack_code(STACKS[preset], plan)
    same(plan_stack(layers_from_text(code), shape, partial=True), plan)


# ---- refusals: where, what, and nothing run --------------------------------------------------

HOSTILE = [
    ("__import__('os').system('touch {p}')", "attribute"),
    ("__import__('os')", "unknown_module"),
    ("open('{p}', 'w')", "unknown_module"),
    ("nn.Sequential(nn.Conv2d(3, 8, 3), os.system('touch {p}'))", "attribute"),
    ("nn.Sequential(nn.ReLU().__class__.__base__)", "attribute"),
    ("nn.Sequential(nn.Conv2d(3, (lambda: 8)(), 3))", "lambda"),
    ("nn.Sequential(nn.Conv2d(3, int('8'), 3))", "call"),
    ("nn.Sequential(nn.Conv2d(3, 8, kernel_size=lambda: 3))", "lambda"),
    ("[nn.ReLU() for _ in range(10**9)]", "comprehension"),
    ("nn.Sequential(*[nn.ReLU()] * 10**9)", "expression"),
    ("nn.Sequential(nn.Conv2d(3, x, 3))", "name"),
    ("nn.Sequential(nn.Conv2d(3, 8, 3, padding=open('{p}')))", "call"),
    ("import os\nos.system('touch {p}')", "statement"),
    ("exec('open(\"{p}\", \"w\")')", "unknown_module"),
    ("Sequential(\n  (0): Conv2d(3, 8, kernel_size=__import__('os'))\n)", "call"),
    ("Sequential(\n  (0): Conv2d(3, 8, 3)\n  (1): Evil(x=1)\n)", "unknown_module"),
    ("nn.Linear(10**12, 10)", "value"),
    ("Sequential(\n  (0): Linear(in_features=1000000000000, out_features=10, bias=True)\n)",
     "value"),
    ("nn.Conv2d(3, 8, 2**100000)", "value"),
    ("nn.Conv2d(3, 8, 99999999999999999999999999999999999999999999999999)", "value"),
    ("nn.Upsample(scale_factor=1e308)", "value"),
    ("nn.MaxPool2d(2, return_indices=True)", "value"),
    ("nn.Conv2d(3, 8, 3, device='cuda')", "argument"),
]


@pytest.mark.parametrize("text,found", HOSTILE)
def test_hostile_texts_are_refused_with_no_side_effect(text, found, tmp_path):
    target = tmp_path / "ran"
    text = text.replace("{p}", str(target))
    tracemalloc.start()
    try:
        with pytest.raises(TextConfigError) as err:
            layers_from_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.found == found, str(err.value)
    assert err.value.line >= 1 and err.value.column >= 1
    assert not target.exists() and peak < 8 * 2**20


def test_the_readers_never_execute_or_import():
    import convlab.planner.repr_form as r
    import convlab.planner.source_form as s
    import convlab.planner.text as t
    import convlab.planner.text_tree as tt
    for mod in (r, s, t, tt):
        code = Path(mod.__file__).read_text()
        for word in ("eval(", "exec(", "__import__", "importlib", "getattr(nn", "pickle"):
            assert word not in code, (mod.__name__, word)
        assert not re.search(r"(?<!re\.)compile\(", code)


@pytest.mark.parametrize("text", [
    "nn.ReLU()\n" * 1_000_000,  # 10 MB
    "(" * 10_000 + ")" * 10_000,
    "nn.Sequential(" * 10_000 + ")" * 10_000,
    "Sequential(\n" + "  (0): Sequential(\n" * 10_000 + ")" * 10_000,
    "[" * 5_000 + "]" * 5_000,
    "1" + "+1" * 30_000,
    "nn.Conv2d(3, 8, " + "1" * 5000 + ")",
])
def test_huge_and_deep_texts_are_refused_fast_in_little_memory(text):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(TextConfigError) as err:
            layers_from_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 1.0
    assert peak < 16 * 2**20, peak
    assert err.value.found in ("too_long", "too_deep", "syntax", "value")


def test_an_error_names_line_column_and_what_was_found():
    text = "nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.Conv2D(8, 8, 3),\n)"
    with pytest.raises(TextConfigError) as err:
        layers_from_text(text)
    e = err.value
    assert (e.line, e.column, e.found, e.value) == (3, 5, "unknown_module", "Conv2D")
    assert e.suggestion == {"layer": "Conv2d"} and str(e).startswith("line 3, column 5: ")
    copy = pickle.loads(pickle.dumps(e))
    assert (copy.line, copy.column, copy.found, str(copy)) == (3, 5, "unknown_module", str(e))
    with pytest.raises(TextConfigError) as err:
        layers_from_text("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), paddin=1)\n)")
    assert (err.value.line, err.value.found, err.value.suggestion) == (
        2, "argument", {"paddin": "padding"})


def test_too_many_layers_points_at_the_first_one_past_the_bound():
    text = "[\n" + "nn.ReLU(),\n" * (MAX_LAYERS + 1) + "]"
    with pytest.raises(TextConfigError) as err:
        layers_from_text(text)
    assert err.value.found == "too_many_layers" and err.value.line == MAX_LAYERS + 2
    assert len(layers_from_text("[\n" + "nn.ReLU(),\n" * MAX_LAYERS + "]")) == MAX_LAYERS


def test_table_stacks_keep_refusing_a_linear_on_a_feature_map():
    plan = plan_table(decode_stack("conv.o4k3_linear.i36o10"), (2, 3, 8, 8))
    assert plan.error is not None and plan.error.layer == "Linear"


# ---- any text: a model or a ConvConfigError, never another exception -------------------------

FUZZ_BASE = [printed_model("resnet18")[:1200] + "\n)\n)\n)", printed_model("alexnet"),
             "nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), "
             "nn.Flatten(), nn.Linear(8 * 16 * 16, 10))",
             "[nn.Conv2d(3, 8, (3, 5)), nn.Upsample(scale_factor=2.0, mode='bilinear'), "
             "nn.AdaptiveAvgPool2d((None, 3))]"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FUZZ_BASE), st.lists(st.tuples(
    st.floats(0, 1), st.sampled_from(list("()[],=:.'\"-019 \nxTN_*#") +
                                     ["None", "True", "65537", "-1", "0", "(1, 2)", "1e9"])),
    min_size=1, max_size=4))
def test_any_edit_of_a_model_reads_or_is_refused_never_crashes(base, edits):
    text = base
    for where, piece in edits:
        i = int(where * len(text))
        text = text[:i] + piece + text[i + (len(piece) % 2):]
    try:
        layers = layers_from_text(text)
    except ConvConfigError as err:
        assert isinstance(err, TextConfigError) and err.line >= 1
        return
    for shape in ((1, 3, 224, 224), (2, 3, 9, 9), (3, 16, 16)):
        plan_stack(layers, shape, partial=True)  # a refusal is returned, nothing raised


# ---- the pasted model in a link, in code, and as presets -------------------------------------

def test_a_pasted_model_lives_in_a_link():
    text = printed_model("resnet50")
    token = pack_text(text)
    assert unpack_text(token) == text and len(token) < 1200
    bomb = "z" + base64.urlsafe_b64encode(zlib.compress(b"(" * 5 * 10**6, 9)).decode().rstrip("=")
    assert len(bomb) < MAX_LINK
    for bad in (bomb, "zzzz", "x" + token[1:], token[:-5], "z" + "A" * (MAX_LINK + 1), "", None):
        with pytest.raises(ConvConfigError):
            unpack_text(bad)
    with pytest.raises(ConvConfigError):
        pack_text(str(list(range(20000))))  # too long for a link


def test_the_pasted_models_code_plans_it(tmp_path):
    text = printed_model("alexnet")
    script = tmp_path / "plan.py"
    script.write_text(model_code(text, (1, 3, 224, 224)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=Path(__file__).parents[1], timeout=120,
                         env={"PYTHONPATH": str(Path(__file__).parents[1]), "PATH": ""})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[-1] == "parameters 61100840" and lines[-2] == "20 Linear (1, 1000)"


@pytest.mark.parametrize("name,count", [("resnet18", 11_689_512), ("vgg16_print", 138_357_544),
                                        ("alexnet_print", 61_100_840)])
def test_printed_presets_plan_to_their_published_counts(name, count):
    from convlab.planner.presets import PRINTED
    shape, text = PRINTED[name]
    plan = plan_stack(layers_from_text(text), shape)
    assert plan.output_shape == (1, 1000) and plan.params == count


@pytest.mark.parametrize("depth", [8, 9])
def test_containers_nest_at_most_eight_deep(depth):
    model: nn.Module = nn.ReLU()
    for _ in range(depth):
        model = nn.Sequential(model)
    source_text = "nn.Sequential(" * depth + "nn.ReLU()" + ")" * depth
    for text in (str(model), source_text):
        if depth <= 8:
            assert [type(m) for m in layers_from_text(text)] == [nn.ReLU]
        else:
            with pytest.raises(TextConfigError) as err:
                layers_from_text(text)
            assert err.value.found == "too_deep"


def test_source_reads_ordered_dicts_and_scripts():
    text = ("import torch\nfrom collections import OrderedDict\nfrom torch import nn\n\n"
            "with torch.device('meta'):\n    model = nn.Sequential(OrderedDict([\n"
            "        ('conv1', nn.Conv2d(1, 20, 5)),  # the first layer\n"
            "        ('relu1', nn.ReLU()),\n    ]))\nx = model(torch.empty(1, 1, 28, 28))\n")
    read = read_model(text)
    assert [type(m) for m in read.layers] == [nn.Conv2d, nn.ReLU] and read.lines == (7, 8)


def test_a_dropout_before_the_classifier_flattens_and_the_linear_names_the_features():
    """AlexNet's classifier starts with a Dropout: forward flattens before it. Where the
    features do not match, the Linear is refused with the flattened count as its fix."""
    text = printed_model("alexnet").replace("in_features=9216", "in_features=9000")
    plan = plan_stack(layers_from_text(text), (1, 3, 224, 224), partial=True)
    assert plan.error is not None and plan.error.index == 15 and plan.error.layer == "Linear"
    assert plan.error.suggestion == {"in_features": 9216}
    assert plan.error.code == "flatten_features" and plan.rows[14].layer == "Dropout"


@pytest.mark.parametrize("name,count", [("resnet101", 44_549_160), ("resnet152", 60_192_808)])
def test_deeper_printed_resnets_fit_the_planner_and_their_published_counts(name, count):
    read = read_model(printed_model(name))
    plan = plan_stack(read.layers, (1, 3, 224, 224))
    assert plan.output_shape == (1, 1000) and plan.params == count
    assert len(read.layers) <= MAX_LAYERS  # a block is one row
