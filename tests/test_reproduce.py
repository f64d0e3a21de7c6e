"""The "reproduce in PyTorch" code of the output-size page, run: it prints the page's numbers."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from typing import Any

import pytest

import convlab
from ui.frame.controls import PAIRS, conv_kwargs
from ui.lessons import output_size_view as view

BASE = {p.name: p.default for p in view.PARAMS}


def page_values(**changes: Any) -> dict[str, Any]:
    """The page's widget values: defaults, then ``changes`` (width follows height if locked)."""
    v = {**BASE, **changes}
    if v["lock"]:
        for a, b in PAIRS:
            v[b] = v[a]
    return v


def preset_values(name: str) -> dict[str, Any]:
    return page_values(**{**view.PRESET_FIELDS, **view.PRESETS[name]})


CONFIGS = {"default": page_values()}
CONFIGS |= {name: preset_values(name) for name in view.PRESETS if name != "custom"}
CONFIGS |= {
    "rectangular_dilated": page_values(lock=False, h=11, w=7, kh=2, kw=4, sh=1, sw=3, ph=0,
                                       pw=2, dh=2, dw=1),
    "groups_no_bias": page_values(cin=4, cout=6, groups=2, bias=False),
    "valid": page_values(pad="valid", h=9, kh=4, sh=1),
    "reflect": page_values(mode="reflect", h=5, ph=2, sh=1),
    "circular_batch": page_values(mode="circular", n=3, h=6, ph=3, sh=2),
    "max_bounds": page_values(**{k: hi for k, (lo, hi) in view.BOUNDS.items()}, lock=False),
}

REFUSED = {
    "stride_0": page_values(sh=0),
    "kernel_9_on_4x4": page_values(h=4, kh=9, ph=0),
    "groups_3_channels_4": page_values(cin=4, cout=4, groups=3),
    "same_with_stride_2": page_values(pad="same", sh=2),
    "reflect_pad_4_on_4x4": page_values(mode="reflect", h=4, ph=4),
    "dilation_0": page_values(dh=0),
    "padding_minus_1": page_values(ph=-1),
}


def run_script(code: str) -> dict[str, Any]:
    """Exec the script as a learner would paste it; parse its printed ``name value`` lines."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<reproduce>", "exec"), {"__name__": "__reproduce__"})
    printed = {}
    for line in out.getvalue().splitlines():
        m = re.fullmatch(r"(output shape|weight shape|parameters) (.+)", line)
        assert m, f"unexpected output line {line!r}"
        printed[m.group(1)] = ast.literal_eval(m.group(2))
    return printed


def script_for(v: dict[str, Any]) -> tuple[str, dict[str, Any], tuple[int, ...]]:
    kwargs = conv_kwargs(v, v["cin"], v["cout"])
    shape = (v["n"], v["cin"], v["h"], v["w"])
    return convlab.conv2d_shape_script(kwargs, shape), kwargs, shape


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("name", list(CONFIGS))
def test_script_prints_the_page_numbers(name):
    code, kwargs, shape = script_for(CONFIGS[name])
    spec = convlab.Conv2dSpec(**kwargs)
    printed = run_script(code)
    assert printed == {"output shape": spec.output_shape(shape),
                       "weight shape": spec.weight_shape,
                       "parameters": spec.num_parameters}


def test_the_seed_numbers():
    """The textbook numbers, as the scripts print them."""
    expected = {"notes_4x4": (1, 1, 2, 2), "d2l_pad1": (1, 1, 8, 8), "d2l_5x3": (1, 1, 8, 8),
                "d2l_stride2": (1, 1, 4, 4), "d2l_3x5_s34": (1, 1, 2, 2),
                "why_13": (1, 8, 13, 13), "default": (1, 4, 4, 4)}
    got = {name: run_script(script_for(CONFIGS[name])[0])["output shape"] for name in expected}
    assert got == expected
    assert run_script(script_for(CONFIGS["notes_4x4"])[0])["weight shape"] == (1, 1, 3, 3)


def test_script_writes_arguments_as_pytorch_names_them():
    code, _, _ = script_for(CONFIGS["rectangular_dilated"])
    assert "nn.Conv2d(3, 4, kernel_size=(2, 4), stride=(1, 3), padding=(0, 2), " \
           "dilation=(2, 1))" in code
    code, _, _ = script_for(CONFIGS["same_even"])
    assert "padding='same'" in code


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_script_raises_as_pytorch_does(name):
    code, kwargs, shape = script_for(REFUSED[name])
    with pytest.raises(convlab.ConvConfigError):
        convlab.Conv2dSpec(**kwargs).output_shape(shape)
    with pytest.raises((RuntimeError, ValueError)) as info:
        run_script(code)
    torch_message = convlab.run_conv2d(kwargs, shape).error
    assert torch_message and torch_message in str(info.value)
