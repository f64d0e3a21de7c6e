"""The shape planner (convlab.planner) against PyTorch: shapes on the meta device, the
receptive field against autograd, published parameter counts and receptive fields."""

from __future__ import annotations

import copy
import math

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import convlab
from convlab.planner import (
    MAX_LAYERS,
    StackConfigError,
    axis_output,
    check_stack,
    decode_stack,
    encode_stack,
    gradient_receptive_field,
    plan_stack,
    plan_table,
    same_target,
    solve_output,
    stack_code,
)
from convlab.planner.table import KINDS, PAIRED, WORDS, bounds, normal
from convlab.planner.table_build import build_layer

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def torch_shapes(layers: list[nn.Module], shape: tuple[int, ...],
                 device: str = "meta") -> tuple[list, int | None]:
    """The oracle, written here: the real modules, copied, run one by one (eval mode: the
    planner plans inference)."""
    x = torch.zeros(shape, device=device)
    model = copy.deepcopy(nn.Sequential(*layers)).to(device).eval()
    out = []
    for i, m in enumerate(model):
        try:
            x = m(x)
        except (RuntimeError, ValueError):
            return out, i
        out.append(tuple(x.shape))
    return out, None


def beyond_bounds(plan) -> bool:
    """The plan stopped at the planner's own size bound (an up-sampling run away)."""
    return plan.error is not None and plan.error.parameter == "output_size"


# ---- hypothesis: random stacks against torch on the meta device ------------------------------

@st.composite
def layer(draw, channels: int) -> tuple[nn.Module, int]:
    kind = draw(st.sampled_from(["conv", "conv", "convt", "max", "avg", "bn", "relu", "up",
                                 "adaptive"]))
    k, s = draw(st.integers(1, 7)), draw(st.integers(1, 4))
    p, d = draw(st.integers(0, 3)), draw(st.integers(1, 3))
    if kind == "conv":
        out = draw(st.sampled_from([1, 2, 4, 6]))
        g = draw(st.sampled_from([g for g in (1, 2) if channels % g == 0 and out % g == 0]))
        return nn.Conv2d(channels, out, k, s, p, d, groups=g), out
    if kind == "convt":
        out = draw(st.integers(1, 4))
        return nn.ConvTranspose2d(channels, out, k, s, p, dilation=d), out
    if kind == "max":
        return nn.MaxPool2d(k, s, min(p, k // 2), d, ceil_mode=draw(st.booleans())), channels
    if kind == "avg":
        return nn.AvgPool2d(k, s, min(p, k // 2), ceil_mode=draw(st.booleans())), channels
    if kind == "bn":
        return nn.BatchNorm2d(channels), channels
    if kind == "up":
        return nn.Upsample(scale_factor=draw(st.integers(1, 3))), channels
    if kind == "adaptive":
        return nn.AdaptiveAvgPool2d(draw(st.integers(1, 5))), channels
    return nn.ReLU(), channels


@st.composite
def stacks(draw) -> tuple[list[nn.Module], tuple[int, ...]]:
    channels = draw(st.integers(1, 4))
    shape = (draw(st.integers(1, 2)), channels, draw(st.integers(1, 24)), draw(st.integers(1, 24)))
    layers = []
    for _ in range(draw(st.integers(1, 6))):
        m, channels = draw(layer(channels))
        layers.append(m)
    if draw(st.booleans()):
        layers += [nn.Flatten(), nn.Linear(draw(st.integers(1, 50)), 3)]
    return layers, shape


@SETTINGS
@given(stacks())
def test_shapes_and_refusals_match_torch(case):
    """Small stacks run for real on the CPU; convlab's own oracle (the meta device, which
    skips some of the CPU kernels' checks, with a CPU probe for those) must agree."""
    layers, shape = case
    plan = plan_stack(layers, shape, partial=True)
    if beyond_bounds(plan):
        return
    shapes, failed = torch_shapes(layers, shape, "cpu")
    empty = next((i for i, s in enumerate(shapes) if 0 in s), None)
    if empty is not None:  # a 1x1 transposed convolution's CPU path returns an empty map
        assert plan.error is not None and plan.error.index == empty
        assert [r.output_shape for r in plan.rows] == shapes[:empty]
        return
    assert [r.output_shape for r in plan.rows] == shapes
    assert (plan.error.index if plan.error else None) == failed
    meta_shapes, message = convlab.run_modules(layers, shape)
    assert meta_shapes == shapes and (message is None) == (failed is None)
    assert convlab.shapes_check(plan, meta_shapes, message).passed


@SETTINGS
@given(stacks())
def test_plan_raises_the_partial_plans_error(case):
    layers, shape = case
    plan = plan_stack(layers, shape, partial=True)
    if plan.error is None:
        assert plan_stack(layers, shape).rows == plan.rows
    else:
        with pytest.raises(StackConfigError) as err:
            plan_stack(layers, shape)
        assert str(err.value) == str(plan.error)
        assert str(err.value).startswith(f"layer {plan.error.index} ({plan.error.layer}): ")


# ---- the receptive field against autograd ----------------------------------------------------

@st.composite
def conv_stacks(draw) -> list[nn.Module]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        k, s, p, d = (draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(0, 2)),
                      draw(st.integers(1, 2)))
        kind = draw(st.sampled_from(["conv", "max", "avg"]))
        if kind == "conv":
            out.append(nn.Conv2d(1, 1, k, s, p, d, bias=False))
        elif kind == "max":
            out.append(nn.MaxPool2d(k, s, min(p, k // 2), d))
        else:
            out.append(nn.AvgPool2d(k, s, min(p, k // 2)))
    return out


def autograd_window(layers: list[nn.Module], size: int, cell: tuple[int, int]):
    """Written here: real modules, all-ones weights, a positive input, so no gradient
    cancels; max pools become average pools (a max would pass one cell only)."""
    x = torch.rand(1, 1, size, size, dtype=torch.float64) + 1
    x.requires_grad_(True)
    y = x
    for m in layers:
        if isinstance(m, nn.MaxPool2d):
            if m.dilation != 1:
                return None
            m = nn.AvgPool2d(m.kernel_size, m.stride, m.padding)
        m = m.double()
        for w in m.parameters():
            w.data.fill_(1.0)
        y = m(y)
    y[0, 0, cell[0], cell[1]].backward()
    hit = torch.nonzero(x.grad[0, 0])
    return ((int(hit[:, 0].min()), int(hit[:, 0].max())),
            (int(hit[:, 1].min()), int(hit[:, 1].max())))


@SETTINGS
@given(conv_stacks(), st.integers(16, 40))
def test_receptive_field_is_where_the_gradient_is_not_zero(layers, size):
    plan = plan_stack(layers, (1, 1, size, size), partial=True)
    if plan.error is not None:
        return
    last = plan.rows[-1]
    r, j, p = last.receptive_field[0], last.effective_stride[0], last.effective_padding[0]
    inside = [c for c in range(last.output_shape[-1]) if c * j - p >= 0 and c * j - p + r <= size]
    if not inside:
        return
    c = inside[len(inside) // 2]
    found = autograd_window(layers, size, (c, c))
    if found is None:
        return
    assert found == ((c * j - p, c * j - p + r - 1),) * 2
    assert gradient_receptive_field(layers, (size, size), (c, c)) == found


def test_receptive_field_check_passes_on_vgg16_features():
    layers = vgg(VGG["16"], classifier=False)
    check = convlab.receptive_field_check(layers, plan_stack(layers, (1, 3, 224, 224)))
    assert check is not None and check.passed and dict(check.args)["rf"] == 212


def test_upsampling_marks_the_receptive_field_instead_of_a_wrong_number():
    plan = plan_stack([nn.Conv2d(1, 1, 3), nn.Upsample(scale_factor=2), nn.Conv2d(1, 1, 3),
                       nn.ConvTranspose2d(1, 1, 3)], (1, 1, 16, 16))
    assert plan.rows[0].receptive_field == (3, 3)
    assert [r.receptive_field for r in plan.rows[1:]] == [None] * 3
    assert {r.rf_note for r in plan.rows[1:]} == {"upsampled"}
    stride1 = plan_stack([nn.ConvTranspose2d(1, 1, 3, padding=1)], (1, 1, 8, 8)).rows[0]
    assert stride1.receptive_field == (3, 3) and stride1.effective_padding == (1, 1)


# ---- golden: torchvision's published numbers, networks written here --------------------------

VGG = {"11": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
       "16": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
              512, 512, 512, "M"],
       "19": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
              512, 512, 512, 512, "M"]}


def vgg(config: list, classifier: bool = True) -> list[nn.Module]:
    """torchvision.models.vgg's layers (no batch norm), built on meta."""
    with torch.device("meta"):
        layers: list[nn.Module] = []
        c = 3
        for v in config:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
                c = v
        if classifier:
            layers += [nn.AdaptiveAvgPool2d(7), nn.Flatten(), nn.Linear(512 * 7 * 7, 4096),
                       nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(True),
                       nn.Dropout(), nn.Linear(4096, 1000)]
    return layers


@pytest.mark.parametrize("name, count", [("11", 132_863_336), ("16", 138_357_544),
                                         ("19", 143_667_240)])
def test_vgg_parameter_counts_match_torchvision(name, count):
    layers = vgg(VGG[name])
    plan = plan_stack(layers, (1, 3, 224, 224))
    assert plan.params == count == sum(p.numel() for m in layers for p in m.parameters())
    assert plan.output_shape == (1, 1000)
    assert plan.rows[-10].output_shape == (1, 512, 7, 7)  # the last pool


def _block(cin: int, width: int, stride: int, bottleneck: bool) -> tuple[list, list]:
    """A ResNet block's main path and its shortcut (torchvision, v1.5: stride on the 3x3)."""
    out = width * (4 if bottleneck else 1)
    if bottleneck:
        main = [nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width),
                nn.ReLU(), nn.Conv2d(width, out, 1, bias=False), nn.BatchNorm2d(out)]
    else:
        main = [nn.Conv2d(cin, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width),
                nn.ReLU(), nn.Conv2d(width, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width)]
    short = ([nn.Conv2d(cin, out, 1, stride, bias=False), nn.BatchNorm2d(out)]
             if stride != 1 or cin != out else [])
    return main, short


@pytest.mark.parametrize("blocks, bottleneck, count", [
    ((2, 2, 2, 2), False, 11_689_512), ((3, 4, 6, 3), False, 21_797_672),
    ((3, 4, 6, 3), True, 25_557_032)], ids=["resnet18", "resnet34", "resnet50"])
def test_resnet_parameter_counts_match_torchvision(blocks, bottleneck, count):
    """ResNet is no stack: each block's main path and shortcut are planned on the block's
    input, and the main path's output must be the shortcut's (the sum needs it)."""
    with torch.device("meta"):
        stem = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                nn.MaxPool2d(3, 2, 1)]
        plan = plan_stack(stem, (1, 3, 224, 224))
        total, shape, cin, every = plan.params, plan.output_shape, 64, list(stem)
        for stage, (n, width) in enumerate(zip(blocks, (64, 128, 256, 512), strict=True)):
            for b in range(n):
                main, short = _block(cin, width, 2 if stage and not b else 1, bottleneck)
                path = plan_stack(main, shape)
                if short:
                    assert plan_stack(short, shape).output_shape == path.output_shape
                    total += plan_stack(short, shape).params
                total += path.params
                shape, cin, every = path.output_shape, path.output_shape[1], every + main + short
        head = [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 1000)]
        total += plan_stack(head, shape).params
    assert shape == (1, cin, 7, 7)
    assert total == count == sum(p.numel() for m in every + head for p in m.parameters())


def alexnet_features(conv1_padding: int) -> list[nn.Module]:
    return [nn.Conv2d(3, 64, 11, 4, conv1_padding), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
            nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 256, 3, padding=1),
            nn.ReLU(), nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2)]


def test_alexnet_features_are_256x6x6_and_its_count_is_torchvision_s():
    features = alexnet_features(2)  # torchvision.models.alexnet
    classifier = [nn.AdaptiveAvgPool2d(6), nn.Flatten(), nn.Dropout(), nn.Linear(9216, 4096),
                  nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000)]
    plan = plan_stack(features + classifier, (1, 3, 224, 224))
    assert plan.rows[12].output_shape == (1, 256, 6, 6)
    assert plan.rows[14].output_shape == (1, 9216)
    assert plan.params == 61_100_840


# google-research/receptive_field README (the Distill article's authors), TF-Slim models:
# alexnet_v2 195 / 32 / 64 and vgg_16 212 / 32 / 90 (receptive field, effective stride,
# effective padding) at the last pooling layer.
@pytest.mark.parametrize("name, layers, rf, stride, padding", [
    ("alexnet_v2", alexnet_features(0), 195, 32, 64),
    ("vgg_16", vgg(VGG["16"], classifier=False), 212, 32, 90)])
def test_receptive_fields_of_the_distill_table(name, layers, rf, stride, padding):
    last = plan_stack(layers, (1, 3, 224, 224)).rows[-1]
    assert last.receptive_field == (rf, rf)
    assert last.effective_stride == (stride, stride)
    assert last.effective_padding == (padding, padding)


# ---- refusals --------------------------------------------------------------------------------

def test_a_linear_with_the_wrong_in_features_names_the_right_one():
    layers = alexnet_features(2) + [nn.Flatten(), nn.Linear(4096, 10)]
    with pytest.raises(convlab.ConvConfigError) as err:
        plan_stack(layers, (1, 3, 224, 224))
    assert (err.value.index, err.value.layer) == (14, "Linear")
    assert err.value.suggestion == {"in_features": 9216}
    assert torch_shapes(layers, (1, 3, 224, 224))[1] == 14  # PyTorch refuses there too


def test_a_kernel_larger_than_its_padded_input_names_padding_and_input_size():
    layers = [nn.Conv2d(1, 4, 3), nn.MaxPool2d(2), nn.Conv2d(4, 4, 5)]
    with pytest.raises(StackConfigError) as err:
        plan_stack(layers, (1, 1, 8, 8))
    assert (err.value.index, err.value.layer, err.value.parameter) == (2, "Conv2d",
                                                                       "kernel_size")
    assert err.value.suggestion == {"kernel_size": 3, "padding": 1, "input_size": 5}
    fixed = [nn.Conv2d(1, 4, 3), nn.MaxPool2d(2), nn.Conv2d(4, 4, 5, padding=1)]
    assert plan_stack(fixed, (1, 1, 8, 8)).output_shape == (1, 4, 1, 1)


def test_channel_mismatch_and_unsupported_layers_are_refused_with_their_index():
    with pytest.raises(StackConfigError) as err:
        plan_stack([nn.Conv2d(3, 8, 3), nn.BatchNorm2d(4)], (1, 3, 8, 8))
    assert (err.value.index, err.value.suggestion) == (1, {"num_features": 8})
    with pytest.raises(StackConfigError) as err:
        plan_stack([nn.ReLU(), nn.LSTM(3, 3)], (1, 3, 8, 8))
    assert (err.value.index, err.value.layer) == (1, "LSTM")


def test_bounds_on_layers_and_sizes():
    with pytest.raises(convlab.ConvConfigError, match="at most 64 layers"):
        plan_stack([nn.ReLU()] * (MAX_LAYERS + 1), (1, 1, 4, 4))
    with pytest.raises(convlab.ConvConfigError) as err:
        plan_stack([nn.ReLU()], (1, 1, 10**6, 4))
    assert err.value.suggestion == {"input_shape": (1, 1, 8192, 4)}
    with pytest.raises(StackConfigError):  # an up-sampling run away
        plan_stack([nn.Upsample(scale_factor=8)] * 3, (1, 1, 64, 64))


# ---- plan_stack never changes what it is given -----------------------------------------------

def _devices() -> list[str]:
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


@pytest.mark.parametrize("device", _devices())
def test_planning_leaves_the_callers_model_on_its_device_with_its_weights(device):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.Flatten(), nn.Linear(8 * 6 * 6, 2)).to(device)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    training = model.training
    plan = plan_stack(model, (2, 3, 8, 8))
    shapes, message = convlab.run_modules(model, (2, 3, 8, 8))
    assert convlab.shapes_check(plan, shapes, message).passed
    after = model.state_dict()
    assert before.keys() == after.keys()
    for k, v in before.items():
        assert after[k].device.type == device
        torch.testing.assert_close(after[k], v, rtol=0, atol=0)
    assert model.training == training


# ---- the solver ------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(0, 3),
       st.integers(1, 2), st.integers(1, 30), st.booleans())
def test_every_solution_reaches_the_target_in_torch(n, k, s, p, d, target, transposed):
    found = solve_output(n, k, s, p, d, target=target, transposed=transposed)
    ranks = [f.rank for f in found]
    assert ranks == sorted(ranks)  # the smallest change first
    cls = nn.ConvTranspose2d if transposed else nn.Conv2d
    eff = d * (k - 1) + 1
    for f in found:
        # nothing absurd: a padding below the window, a stride at most the window
        assert f.padding <= max(eff - 1, p) and f.stride <= max(eff, s, 2)
        extra = {"output_padding": (f.output_padding, 0)} if transposed else {}
        with torch.device("meta"):
            y = cls(1, 1, (k, 1), (f.stride, 1), "same" if f.same else (f.padding, 0),
                    dilation=(d, 1), **extra)(torch.empty(1, 1, f.input_size, 3))
        assert y.shape[2] == target
        if not f.same:
            assert target == axis_output(f.input_size, k, f.stride, f.padding, d,
                                         transposed=transposed,
                                         output_padding=f.output_padding)


def test_same_padding_at_a_stride():
    want = same_target(224, 2)
    found = solve_output(224, 7, 2, 0, target=want, keep_stride=True)
    assert want == 112 and found[0].padding == 3 and all(f.stride == 2 for f in found)


def test_an_even_kernel_at_stride_1_is_offered_same_padding():
    """No symmetric padding keeps 8 with a 4x4 kernel; 'same' (1 before, 2 after) does."""
    found = solve_output(8, 4, 1, 0, target=8, keep_stride=True)
    assert found[0].same and found[0].changed == ("padding",)
    with torch.device("meta"):
        y = nn.Conv2d(1, 1, 4, padding="same")(torch.empty(1, 1, 8, 8))
    assert y.shape[-1] == 8


def test_a_transposed_convolution_is_offered_output_padding():
    """4 -> 8 with kernel 3, stride 2, padding 1: output_padding=1, the smallest change."""
    f = solve_output(4, 3, 2, 1, target=8, transposed=True)[0]
    assert f.changed == ("output_padding",) and f.output_padding == 1
    with torch.device("meta"):
        y = nn.ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1)(torch.empty(1, 1, 4, 4))
    assert y.shape[-1] == 8


def test_the_smallest_change_comes_first_and_nothing_absurd():
    """'padding 1' before 'input height 34'; no stride-3-padding-58 kind of answer."""
    found = solve_output(32, 3, 1, 0, target=32)
    assert [f.changed for f in found[:2]] == [("padding",), ("input_size",)]
    assert found[0].padding == 1
    for n, k, target in ((224, 3, 56), (32, 5, 8), (7, 3, 1)):
        for f in solve_output(n, k, 1, 0, target=target):
            assert f.padding <= k - 1 and f.stride <= max(k, 2)


def test_the_input_sizes_of_a_unet_step_are_the_even_ones():
    from convlab.planner.solve import input_sizes
    stack = decode_stack("maxpool.k2s2_conv.o8k3p1_relu_convt.o4k2s2")
    sizes = input_sizes(stack, (1, 4, 64, 64), hi=40)
    assert sizes.runs == tuple(range(2, 41))
    assert sizes.exact == tuple(range(2, 41, 2))
    for h in sizes.exact:  # the way up meets the way down
        assert plan_table(stack, (1, 4, h, 64)).output_shape[-2] == h
    for h in set(sizes.runs) - set(sizes.exact):
        assert plan_table(stack, (1, 4, h, 64)).output_shape[-2] == h - 1


# ---- the table: compact text, modules, code --------------------------------------------------

@st.composite
def rows(draw):
    """A table row with every argument the table takes: pairs, words, flags."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    _, takes, needs = KINDS[kind]
    args = []
    for key in takes:
        if key in needs or draw(st.booleans()) or (kind == "upsample" and key == "o"
                                                   and not args):
            words = WORDS.get((kind, key), ())
            if key == "m" or (words and draw(st.booleans())):
                value = draw(st.sampled_from(words))
            else:
                one = st.integers(*bounds(kind, key))
                value = draw(st.one_of(one, st.tuples(one, one).map(normal))
                             if key in PAIRED else one)
            args.append((key, value))
    return kind, tuple(args)


@SETTINGS
@given(st.lists(rows(), min_size=1, max_size=8))
def test_the_compact_text_round_trips(stack):
    text = encode_stack(stack)
    assert decode_stack(text) == tuple(stack)
    assert len(text) < 64 * len(stack)


@pytest.mark.parametrize("text", ["", "conv", "conv.k3", "conv.o8k0", "conv.o8k3x2x1",
                                  "conv.o8k3x", "conv.o8mnearest", "maxpool.k2psame",
                                  "upsample", "upsample.mbilinear",
                                  "relu.k3", "nope", "conv.o8k3k3", "_".join(["relu"] * 65),
                                  "conv.o8k99999999"])
def test_unreadable_or_out_of_bounds_text_is_refused(text):
    with pytest.raises(ValueError):
        decode_stack(text)


@SETTINGS
@given(st.lists(rows(), min_size=1, max_size=6), st.integers(1, 3), st.integers(1, 20))
def test_the_table_plans_like_the_modules_it_builds_and_torch(stack, c, h):
    shape = (1, c, h, h + 1)
    plan = plan_table(stack, shape)
    shapes, message = convlab.run_table(stack, shape)
    if beyond_bounds(plan):  # PyTorch would go on: the planner stops at its bound
        assert [r.output_shape for r in plan.rows] == shapes[:len(plan.rows)]
        return
    assert [r.output_shape for r in plan.rows] == shapes
    assert (plan.error is None) == (message is None)
    sizes = [shape, *shapes]
    modules = [build_layer(i, r, sizes[i]) for i, r in enumerate(stack[:len(plan.rows)])]
    assert plan_stack(modules, shape).rows == plan.rows if modules else True


def test_the_code_runs_and_prints_the_planned_shapes():
    stack = check_stack(decode_stack("conv.o6k5p2_relu_avgpool.k2s2_conv.o16k5_relu_"
                                     "avgpool.k2s2_flatten_linear.o120_relu_linear.o84_"
                                     "relu_linear.o10"))
    plan = plan_table(stack, (1, 1, 28, 28))
    assert plan.rows[6].output_shape == (1, 400) and plan.params == 61_706  # d2l LeNet-5
    assert_code_prints_the_plan(stack, plan)


def test_macs_of_one_convolution():
    row = plan_stack([nn.Conv2d(3, 64, 7, 2, 3, bias=False)], (1, 3, 224, 224)).rows[0]
    assert row.macs == 112 * 112 * 64 * 3 * 49 == 118_013_952
    assert row.activation_bytes == 64 * 112 * 112 * 4
    assert math.prod(row.output_shape) == 64 * 112 * 112


# ---- golden: the disagreements hypothesis found, each settled against PyTorch ----------------

def _cpu(layers: list[nn.Module], shape: tuple[int, ...], dtype=torch.float32):
    """The layers run for real on the CPU: the output shape, or None where PyTorch refuses."""
    try:
        with torch.no_grad():
            return tuple(nn.Sequential(*layers).to(dtype).eval()(
                torch.zeros(shape, dtype=dtype)).shape)
    except (RuntimeError, ValueError, IndexError):  # IndexError: Flatten's dims
        return None


def test_a_transposed_convolution_with_no_output_is_refused_as_float64_refuses_it():
    """float32 returns an empty map where float64 (and every Conv2d) refuses: a refusal."""
    stack = (("convt", (("o", 1), ("k", 53), ("p", 31))),)
    layer = nn.ConvTranspose2d(1, 1, 53, padding=31)
    assert _cpu([layer], (1, 1, 10, 11)) == (1, 1, 0, 1)
    assert _cpu([layer], (1, 1, 10, 11), torch.float64) is None
    plan = plan_table(stack, (1, 1, 10, 11))
    assert plan.rows == () and plan.error.parameter == "padding"
    assert plan.error.suggestion == {"padding": (30, 31)}  # the most padding that runs
    assert _cpu([nn.ConvTranspose2d(1, 1, 53, padding=(30, 31))], (1, 1, 10, 11),
                torch.float64) == (1, 1, 2, 1)
    shapes, message = convlab.run_table(stack, (1, 1, 10, 11))
    assert shapes == [] and message.startswith("ConvTranspose2d: the output size is too small")
    assert convlab.shapes_check(plan, shapes, message).passed


def test_adaptive_pooling_of_a_flattened_map_is_refused_for_every_output_size():
    """PyTorch's output-size-1 shortcut (a mean) skips the rank check that refuses a 2-D
    input for every other output size: refused, and the oracle counts it so."""
    assert _cpu([nn.Flatten(), nn.AdaptiveAvgPool2d(1)], (1, 1, 1, 1)) == (1, 1)
    assert _cpu([nn.Flatten(), nn.AdaptiveAvgPool2d(2)], (1, 1, 1, 1)) is None
    for o in (1, 2):
        stack = (("flatten", ()), ("adaptive", (("o", o),)))
        plan = plan_table(stack, (1, 1, 1, 1))
        assert [r.output_shape for r in plan.rows] == [(1, 1)]
        assert (plan.error.index, plan.error.parameter) == (1, "input")
        shapes, message = convlab.run_table(stack, (1, 1, 1, 1))
        assert shapes == [(1, 1)] and "Expected 3D or 4D" in message
        assert not convlab.shapes_check(plan, shapes, None).passed  # a refusal must match one


def test_upsampling_an_unbatched_map_scales_its_last_dim_only_as_torch_does():
    """A 3-D input to Upsample is (N, C, L) to PyTorch: one-dimensional signals."""
    stack = (("upsample", (("s", 2),)),)
    plan = plan_table(stack, (2, 3, 4))
    assert plan.output_shape == (2, 3, 8) == _cpu([nn.Upsample(scale_factor=2)], (2, 3, 4))
    assert plan.rows[0].rf_note == "upsampled"
    assert convlab.run_table(stack, (2, 3, 4)) == ([(2, 3, 8)], None)
    for layer, planned in [(nn.Upsample(scale_factor=2, mode="linear"), (2, 3, 8)),
                           (nn.Upsample(scale_factor=2, mode="bilinear"), None),
                           (nn.Upsample(size=(5, 6)), None), (nn.Upsample(size=5), (2, 3, 5))]:
        got = plan_stack([layer], (2, 3, 4), partial=True)
        assert (got.output_shape if got.error is None else None) == planned
        assert _cpu([layer], (2, 3, 4)) == planned
    assert plan_stack([nn.Upsample(scale_factor=2, mode="linear")], (1, 2, 3, 4),
                      partial=True).error.suggestion == {"mode": "nearest"}


def test_a_dilated_max_pool_may_pad_half_its_kernel_size_not_of_its_window():
    """PyTorch bounds a max pool's padding by kernel_size // 2, dilation left out."""
    refused = (("maxpool", (("k", 2), ("p", 2), ("d", 5))),)
    plan = plan_table(refused, (1, 3, 12, 13))
    assert plan.error.parameter == "padding" and plan.error.suggestion == {"padding": 1}
    assert _cpu([nn.MaxPool2d(2, padding=2, dilation=5)], (1, 3, 12, 13)) is None
    assert convlab.run_table(refused, (1, 3, 12, 13))[1].startswith("pad should be")
    fine = plan_table((("maxpool", (("k", 2), ("p", 1), ("d", 5))),), (1, 3, 12, 13))
    assert fine.output_shape == (1, 3, 5, 5) == _cpu([nn.MaxPool2d(2, padding=1, dilation=5)],
                                                     (1, 3, 12, 13))
    assert all(s.padding <= 1 for s in solve_output(12, 2, 1, 0, 5, target=4, pool=True))


def test_flatten_dims_out_of_range_and_a_per_channel_prelu_are_refused_like_torch():
    with pytest.raises(StackConfigError) as err:
        plan_stack([nn.Flatten(0), nn.Flatten()], (1, 2, 3, 4))
    assert (err.value.index, err.value.parameter, err.value.suggestion) == (
        1, "start_dim", {"start_dim": 0})
    assert _cpu([nn.Flatten(0), nn.Flatten()], (1, 2, 3, 4)) is None
    assert convlab.run_modules([nn.Flatten(0), nn.Flatten()], (1, 2, 3, 4))[0] == [(24,)]
    assert plan_stack([nn.Flatten(2, 3)], (1, 2, 3, 4)).output_shape == (1, 2, 12)
    with pytest.raises(StackConfigError) as err:
        plan_stack([nn.PReLU(3)], (1, 2, 3, 4))
    assert err.value.suggestion == {"num_parameters": 2}
    assert torch_shapes([nn.PReLU(3)], (1, 2, 3, 4))[1] == 0
    assert plan_stack([nn.PReLU(2)], (1, 2, 3, 4)).params == 2


def test_after_a_refusal_the_code_builds_the_layers_up_to_it_and_torch_refuses_there():
    """The code never invents in_features for the layers after a refusal: it stops at the
    refused layer, so running it prints the planned shapes and ends with PyTorch's own
    refusal of that layer (LeNet with a Linear written for 300 features, not 400)."""
    stack = decode_stack("conv.o6k5p2_sigmoid_avgpool.k2s2_conv.o16k5_sigmoid_avgpool.k2s2_"
                         "flatten_linear.i300o120_sigmoid_linear.o84_sigmoid_linear.o10")
    plan = plan_table(stack, (4, 1, 28, 28))
    assert plan.error is not None and plan.error.index == 7
    code = stack_code(stack, plan)
    assert "out_features=84" not in code and "# 8" not in code
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(RuntimeError):
        exec(code, {})  # noqa: S102
    assert out.getvalue().splitlines() == [f"{r.index} {r.layer} {r.output_shape}"
                                           for r in plan.rows]


@pytest.mark.parametrize("text, shape", [
    ("conv.o2k3p3mreflect", (1, 1, 3, 4)), ("conv.o2k3p2mreflect", (1, 1, 3, 4)),
    ("conv.o2k8psamemreflect", (1, 1, 3, 3)), ("conv.o2k3p4mcircular", (1, 1, 3, 5)),
    ("conv.o2k3p3mcircular", (1, 1, 3, 5)), ("conv.o2k1x7psamemreplicate", (1, 1, 2, 9)),
    ("conv.o2k3s2psame", (1, 1, 8, 8)), ("convt.o2k3s2p1q1", (1, 1, 4, 4)),
    ("convt.o2k3s2p1q2", (1, 1, 4, 4)), ("convt.o2k3d2q1", (1, 1, 4, 4)),
    ("convt.o2k3s2x1q1x0", (1, 1, 4, 4)), ("maxpool.k3s2c1", (1, 1, 8, 8)),
    ("avgpool.k2x3s2p1x0c1", (1, 1, 7, 9)), ("upsample.o7mbicubic", (1, 1, 3, 4)),
    ("upsample.s2o4", (1, 1, 3, 4)), ("upsample.s3mbilinear", (1, 1, 3, 4))])
def test_every_table_argument_plans_and_refuses_as_torch(text, shape):
    """Rectangular kernels, padding='same' and padding modes, output_padding, ceil_mode,
    Upsample's size and mode: the same shapes as PyTorch, refused where PyTorch refuses."""
    stack = decode_stack(text)
    plan = plan_table(stack, shape)
    shapes, message = convlab.run_table(stack, shape)
    assert [r.output_shape for r in plan.rows] == shapes
    assert (plan.error is None) == (message is None), (plan.error, message)


@SETTINGS
@given(st.lists(rows(), min_size=1, max_size=4), st.integers(1, 3), st.integers(1, 12))
def test_the_input_sizes_a_stack_takes_are_those_it_plans(stack, c, w):
    from convlab.planner.solve import input_sizes
    shape = (1, c, 5, w)
    sizes = input_sizes(stack, shape, hi=24)
    planned = [h for h in range(1, 25) if plan_table(stack, (1, c, h, w)).error is None]
    assert list(sizes.runs) == planned
    assert set(sizes.exact) <= set(sizes.runs)


# ---- a residual block as one row of the table --------------------------------------------------

def _torchvision_block(kind: str, inplanes: int, planes: int, stride: int, down: bool):
    from test_planner_text import BasicBlock, Bottleneck
    cls = BasicBlock if kind == "basic" else Bottleneck
    out = planes * cls.expansion
    with torch.device("meta"):
        downsample = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride, bias=False),
                                   nn.BatchNorm2d(out)) if down else None
        return cls(inplanes, planes, stride, downsample)


def _block_text(kind: str, planes: int, stride: int, down: bool) -> str:
    """The same block as the table's link writes it."""
    s = f"s{stride}" if stride > 1 else ""
    if kind == "basic":
        main = f"conv.o{planes}k3{s}p1b0_bn_relu_conv.o{planes}k3p1b0_bn"
        out = planes
    else:
        main = (f"conv.o{planes}k1b0_bn_relu_conv.o{planes}k3{s}p1b0_bn_relu_"
                f"conv.o{planes * 4}k1b0_bn")
        out = planes * 4
    short = f"conv.o{out}k1{s}b0_bn" if down else ""
    return f"res({main})({short})(relu)"


def _real_row(block: nn.Module, shape: tuple[int, ...]):
    out = block.eval()(torch.empty(shape, device="meta"))
    return tuple(out.shape), sum(p.numel() for p in block.parameters())


@pytest.mark.parametrize("kind, inplanes, planes, stride, down, shape", [
    ("basic", 64, 64, 1, False, (1, 64, 56, 56)),    # resnet18 layer1
    ("basic", 64, 128, 2, True, (2, 64, 56, 56)),    # resnet18 layer2.0
    ("bottleneck", 64, 64, 1, True, (1, 64, 56, 56)),  # resnet50 layer1.0
    ("bottleneck", 256, 128, 2, True, (1, 256, 56, 56)),  # resnet50 layer2.0
    ("bottleneck", 512, 128, 1, False, (1, 512, 28, 28))])
def test_a_block_row_plans_as_the_torchvision_block(kind, inplanes, planes, stride, down,
                                                     shape):
    """BasicBlock and Bottleneck (with and without downsample) entered as one table row:
    the same shape and parameters as the real module on the meta device, and the same row
    as the planner gives the real block (shortcut shown, receptive field of the longer
    path)."""
    text = _block_text(kind, planes, stride, down)
    stack = decode_stack(text)
    assert convlab.encode_stack(stack) == text
    plan = plan_table(stack, shape)
    block = _torchvision_block(kind, inplanes, planes, stride, down)
    out, n = _real_row(block, shape)
    row = plan.rows[0]
    assert (row.output_shape, row.params) == (out, n)
    assert row.layer == "Residual"
    assert row.shortcut == (("Conv2d", "BatchNorm2d") if down else ())
    real = plan_stack([convlab.Residual(_main(block),
                                        block.downsample, nn.ReLU())], shape).rows[0]
    assert (real.output_shape, real.params, real.receptive_field, real.effective_stride,
            real.macs) == (row.output_shape, row.params, row.receptive_field,
                           row.effective_stride, row.macs)
    assert convlab.run_table(stack, shape) == ([out], None)


def _main(block: nn.Module) -> list[nn.Module]:
    names = ["conv1", "bn1", "relu", "conv2", "bn2"] if not hasattr(block, "conv3") else [
        "conv1", "bn1", "relu", "conv2", "bn2", "relu", "conv3", "bn3"]
    return [getattr(block, n) for n in names]


def test_a_resnet18_stem_and_stage_as_rows_plans_to_its_published_shapes():
    """ResNet-18 written as table rows (stem, 8 basic blocks, head): (1, 1000) and its
    published 11,689,512 parameters; its link reads back to the same stack."""
    stages = []
    for planes, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        stages.append(_block_text("basic", planes, stride, planes != 64))
        stages.append(_block_text("basic", planes, 1, False))
    text = "_".join(["conv.o64k7s2p3b0_bn_relu_maxpool.k3s2p1", *stages,
                     "adaptive.o1_flatten_linear.o1000"])
    stack = decode_stack(text)
    assert convlab.encode_stack(stack) == text
    plan = plan_table(stack, (1, 3, 224, 224))
    assert plan.error is None and plan.output_shape == (1, 1000)
    assert plan.params == 11_689_512
    assert [r.output_shape[1:] for r in plan.rows if r.layer == "Residual"][1::2] == [
        (64, 56, 56), (128, 28, 28), (256, 14, 14), (512, 7, 7)]
    shapes, message = convlab.run_table(stack, (1, 3, 224, 224))
    assert message is None and shapes == [r.output_shape for r in plan.rows]


@st.composite
def block_rows(draw) -> tuple[str, int]:
    """A small random block (convolutions, pools, activations; a shortcut or not) and the
    input channels."""
    c = draw(st.integers(1, 4))
    main = [f"conv.o{draw(st.integers(1, 4))}k{draw(st.integers(1, 3))}"
            f"s{draw(st.integers(1, 2))}p{draw(st.integers(0, 1))}"]
    main += draw(st.lists(st.sampled_from(["bn", "relu", "maxpool.k2s1", "conv.o3k1",
                                           "avgpool.k1"]), max_size=3))
    short = draw(st.sampled_from(["", "conv.o3k1", "conv.o3k1s2_bn", "avgpool.k2s2"]))
    after = draw(st.sampled_from(["", "relu", "bn"]))
    groups = ["_".join(main), short, after]
    while groups and not groups[-1]:
        groups.pop()
    return "res" + "".join(f"({g})" for g in groups), c


@SETTINGS
@given(block_rows(), st.integers(1, 9), st.integers(0, 1))
def test_random_block_rows_plan_refuse_and_read_back_as_torch(case, h, before):
    """A random block row (after a convolution or not): PyTorch's shapes and refusals on
    the meta device, the link read back, the code block builds and prints the same."""
    text, c = case
    text = ("conv.o3k1_" if before else "") + text
    stack = decode_stack(text)
    assert convlab.encode_stack(stack) == text
    shape = (2, c, h, h + 1)  # two images: the code's BatchNorm (training mode) runs on 1x1
    plan = plan_table(stack, shape)
    shapes, message = convlab.run_table(stack, shape)
    assert [r.output_shape for r in plan.rows] == shapes
    assert (plan.error is None) == (message is None), (plan.error, message)
    if plan.error is None:
        modules = [build_layer(i, r, s) for i, (r, s) in enumerate(zip(
            stack, [shape, *shapes], strict=False))]
        assert plan.params == sum(p.numel() for m in modules for p in m.parameters())
        _runs_the_code(stack, plan)


def _runs_the_code(stack, plan) -> None:
    assert_code_prints_the_plan(stack, plan)


def test_the_code_of_a_stack_with_blocks_builds_the_same_model():
    text = "_".join(["conv.o8k3p1b0_bn_relu", _block_text("basic", 8, 1, False),
                     _block_text("bottleneck", 4, 2, True), "adaptive.o1_flatten_linear.o10"])
    stack = decode_stack(text)
    plan = plan_table(stack, (2, 3, 32, 32))
    assert plan.error is None and plan.output_shape == (2, 10)
    _runs_the_code(stack, plan)


@pytest.mark.parametrize("text, code", [
    ("res(conv.o8k3_(relu))", "nested"), ("res((conv.o8k3))", "nested"),
    ("res(conv.o8k3", "brackets"), ("res(conv.o8k3))", "brackets"),
    ("res(conv.o8k3)x", "brackets"), ("res(conv.o8k3)(relu)(relu)(relu)", "brackets"),
    ("res()", "empty"), ("res()(relu)", "empty"), ("res(relu)()(relu_bn)", "one_layer"),
    ("res(conv.o8k0)", "out_of_range"), ("res(conv.k3)", "required"),
    ("res(relu.k3)", "unused"), ("res(blob)", "unknown_kind"), ("res(conv.o8k3k3)", "twice"),
    ("res(relu)(res)", "nested"), ("res(conv.o8k3%)", "unreadable"),
    ("_".join(["res(" + "_".join(["relu"] * 40) + ")"] * 2), "too_many")])
def test_bad_block_text_is_refused_with_its_reason(text, code):
    """A link's block that cannot be read raises a ValueError (the link names it) with an
    identifier the table's message translates; nothing is built."""
    from convlab.planner.table import StackTextError
    with pytest.raises(StackTextError) as err:
        decode_stack(text)
    assert err.value.code == code


def test_old_links_and_blocks_keep_their_layer_bound():
    """Every layer inside a block counts: 64 in all is the most a stack holds."""
    full = "_".join(["res(" + "_".join(["relu"] * 31) + ")(relu)"] * 2)
    assert len(decode_stack(full)) == 2
    with pytest.raises(ValueError):
        decode_stack(full + "_relu")
    assert decode_stack("conv.o64k3p1_relu_maxpool.k2s2") == (
        ("conv", (("o", 64), ("k", 3), ("p", 1))), ("relu", ()), ("maxpool", (("k", 2), ("s", 2))))


def assert_code_prints_the_plan(stack, plan) -> None:
    """The stack's reproduce code, run: it prints every row's planned shape and the total
    parameters."""
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(stack_code(stack, plan), {})  # noqa: S102
    lines = out.getvalue().splitlines()
    assert lines[:-1] == [f"{r.index} {r.layer} {r.output_shape}" for r in plan.rows]
    assert lines[-1] == f"parameters {plan.params}"
