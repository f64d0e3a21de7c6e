"""AppTest of the output-size page: defaults, bounds, bad URLs, presets, refusals,
language, URL round trip, devices, predict-then-check. (What every page must do is in
test_pages_generic.py.)"""

from __future__ import annotations

import pytest
from conftest import make_app
from pagekit import (
    EN,
    ZH,
    assert_clean,
    check_passed,
    check_table,
    click_explorer,
    metrics,
    more_label,
    more_open,
    open_more,
)
from streamlit.testing.v1 import AppTest

import convlab
from ui.frame.controls import conv_kwargs
from ui.lessons import output_size_view as view

OS = "pages/output_size.py"
STEM = view.LESSON.stem


def set_widgets(at: AppTest, values: dict[str, object]) -> AppTest:
    """Set output-size widgets by parameter name (no run); "More settings" is opened first
    when one of them is there."""
    if set(values) & set(view.MORE) and not more_open(at):
        open_more(at, STEM)
    for name, value in values.items():
        key = f"{STEM}.{name}"
        if name == "pad":
            at.button_group(key=key).set_value(value)
        elif name == "mode":
            at.selectbox(key=key).set_value(value)
        elif name in ("lock", "bias"):
            at.toggle(key=key).set_value(value)
        else:
            at.number_input(key=key).set_value(value)
    return at


def page_values(at: AppTest) -> dict[str, object]:
    """The page's parameter values (a widget that was not drawn, e.g. the output-cell
    sliders of a refused layer, has none)."""
    keys = {p.name: f"{STEM}.{p.name}" for p in view.PARAMS}
    return {name: at.session_state[key] for name, key in keys.items()
            if key in at.session_state}


# ---- output size: defaults -------------------------------------------------------------------

def test_output_size_default_metrics_and_check():
    at = make_app(OS)
    assert_clean(at)
    assert at.title[0].value == EN["os.title"]
    m = metrics(at)
    assert m[EN["os.out_shape"]] == "1 × 4 × 4 × 4"
    assert m[EN["os.weight_shape"]] == "4 × 3 × 3 × 3"
    assert m[EN["count.params"]] == f"{4 * 3 * 3 * 3 + 4:,}"
    assert check_passed(at)
    assert not at.error and not at.warning
    assert dict(at.query_params) == {}  # defaults stay out of the URL


# ---- output size: every numeric widget at its bounds -----------------------------------------

DIMS_OF = {"l": "1", "t": "3", "kt": "3", "st": "3", "pt": "3", "dt": "3"}


@pytest.mark.parametrize("end", ["min", "max"])
@pytest.mark.parametrize("name", list(view.BOUNDS))
def test_number_input_at_bound(name, end):
    lo, hi = view.BOUNDS[name]
    # A length is a 1-D setting and a depth a 3-D one: the link chooses the dimension.
    at = open_more(make_app(OS, {"dims": DIMS_OF.get(name, "2")}), STEM)
    # Width settings are disabled while locked, and padding while 'same'/'valid' is chosen.
    if name != "l":  # a 1-D layer has no width to lock
        at.toggle(key=f"{STEM}.lock").set_value(False).run()
    widget = at.number_input(key=f"{STEM}.{name}")
    assert (widget.min, widget.max) == (lo, hi)
    widget.set_value(lo if end == "min" else hi).run()
    assert_clean(at)
    assert at.session_state[f"{STEM}.{name}"] == (lo if end == "min" else hi)
    # Either the numbers or a refusal (a refused configuration is an st.error, not a crash).
    assert at.metric or at.error


@pytest.mark.parametrize("end", [0, 1])
def test_all_bounds_at_once_from_the_url(end):
    query = {name: str(bounds[end]) for name, bounds in view.BOUNDS.items()}
    at = make_app(OS, {**query, "lock": "0"})
    assert_clean(at)
    assert not at.warning  # every value is in range: nothing to correct
    assert {k: at.session_state[f"{STEM}.{k}"] for k in query} == {
        k: int(v) for k, v in query.items()}
    assert at.metric or at.error


def test_output_cells_picked_in_the_explorer_at_their_ends():
    """A click in the window explorer (its pick trigger) picks the cell, corners included."""
    at = make_app(OS)  # 4 x 4 outputs
    for cell in ((3, 3), (0, 0), (3, 0), (0, 3)):
        click_explorer(at, cell)
        assert_clean(at)
        assert tuple(at.session_state[f"{STEM}.{k}"] for k in ("oi", "oj")) == cell


# ---- output size: garbage in the URL ---------------------------------------------------------



def test_garbage_in_the_shared_parameters():
    at = make_app(OS, {"lang": "klingon", "device": "tpu:7", "h": "12"})
    assert_clean(at)
    assert at.session_state["app.lang"] == "en"
    assert at.session_state["app.device"] == convlab.available_devices()[0].name
    text = "\n".join(w.value for w in at.warning)
    assert "`lang=klingon`" in text and "`device=tpu:7`" in text
    assert at.session_state[f"{STEM}.h"] == 12  # good values are still taken


def test_out_of_range_is_clamped_and_reported():
    at = make_app(OS, {"h": "1000", "kh": "2.6", "sh": "-3"})
    assert_clean(at)
    state = {k: at.session_state[f"{STEM}.{k}"] for k in ("h", "kh", "sh")}
    assert state == {"h": 64, "kh": 3, "sh": 0}
    body = at.warning[0].value
    assert "`h=1000`" in body and "`kh=2.6`" in body and "`sh=-3`" in body


def test_repeated_parameter_uses_the_last_value():
    at = make_app(OS, {"h": ["5", "6"]})
    assert_clean(at)
    assert at.session_state[f"{STEM}.h"] == 6


# ---- output size: presets --------------------------------------------------------------------

PRESET_SHAPES = {  # preset -> (output shape, weight shape)
    "notes_4x4": ("1 × 1 × 2 × 2", "1 × 1 × 3 × 3"),
    "d2l_pad1": ("1 × 1 × 8 × 8", "1 × 1 × 3 × 3"),
    "d2l_5x3": ("1 × 1 × 8 × 8", "1 × 1 × 5 × 3"),
    "d2l_stride2": ("1 × 1 × 4 × 4", "1 × 1 × 3 × 3"),
    "d2l_3x5_s34": ("1 × 1 × 2 × 2", "1 × 1 × 3 × 5"),
    "why_13": ("1 × 8 × 13 × 13", "8 × 3 × 3 × 3"),
    "same_even": ("1 × 1 × 6 × 6", "1 × 1 × 4 × 4"),
    # note 003: nn.Conv1d on a second of 16 kHz audio, nn.Conv3d on a 8-frame clip
    "audio_1d": ("1 × 1 × 8000", "1 × 1 × 3"),
    "video_3d": ("1 × 16 × 8 × 32 × 32", "16 × 3 × 3 × 3 × 3"),
}


def test_every_preset_has_expected_numbers():
    assert set(PRESET_SHAPES) == set(view.PRESETS) - {"custom"}


@pytest.mark.parametrize("preset", list(PRESET_SHAPES))
def test_preset_gives_the_seed_numbers(preset):
    at = make_app(OS)
    at.selectbox(key=f"{STEM}.preset").set_value(preset).run()
    assert_clean(at)
    m = metrics(at)
    assert (m[EN["os.out_shape"]], m[EN["os.weight_shape"]]) == PRESET_SHAPES[preset]
    assert check_passed(at)
    assert at.session_state[f"{STEM}.preset"] == preset
    # The preset's settings are in the URL, so the link reopens the same numbers.
    reopened = make_app(OS, dict(at.query_params))
    assert_clean(reopened)
    assert metrics(reopened) == m


def test_moving_a_widget_after_a_preset_marks_it_custom():
    at = make_app(OS)
    at.selectbox(key=f"{STEM}.preset").set_value("why_13").run()
    at.number_input(key=f"{STEM}.h").set_value(30).run()
    assert_clean(at)
    assert at.session_state[f"{STEM}.preset"] == "custom"
    assert metrics(at)[EN["os.out_shape"]] == "1 × 8 × 14 × 14"


def test_same_even_preset_explains_uneven_padding():
    at = make_app(OS)
    at.selectbox(key=f"{STEM}.preset").set_value("same_even").run()
    assert EN["os.same_uneven"] in [i.value for i in at.info]


# ---- output size: refused configurations -----------------------------------------------------

REFUSED = {  # id -> (widget values, parameter named in the error)
    "stride_0": ({"sh": 0}, "stride"),
    "kernel_9_on_4x4": ({"h": 4, "kh": 9, "ph": 0}, "kernel_size"),
    "groups_3_channels_4": ({"cin": 4, "cout": 4, "groups": 3}, "groups"),
    "same_with_stride_2": ({"pad": "same", "sh": 2}, "padding"),
    "reflect_pad_4_on_4x4": ({"mode": "reflect", "h": 4, "ph": 4}, "padding"),
    "dilation_0": ({"dh": 0}, "dilation"),
    "kernel_0": ({"kh": 0}, "kernel_size"),
    "padding_minus_1": ({"ph": -1}, "padding"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_configuration_is_explained(case):
    values, parameter = REFUSED[case]
    at = set_widgets(make_app(OS), values).run()
    assert_clean(at)
    assert not at.metric  # no numbers for a refused layer
    assert len(at.error) == 1
    body = at.error[0].value
    assert body.startswith(f"**PyTorch refuses {parameter} = "), body
    assert EN["error.nearest"] in body
    # PyTorch's own message, quoted in a code block after its heading.
    v = page_values(at)
    torch_message = convlab.run_conv2d(conv_kwargs(v, v["cin"], v["cout"]),
                                       (v["n"], v["cin"], v["h"], v["w"])).error
    assert torch_message
    assert EN["error.torch_says"] in [m.value for m in at.markdown]
    assert torch_message in [c.value for c in at.code]
    assert check_passed(at)  # ConvLab refuses exactly what PyTorch refuses


# ---- language, URL round trip, devices ---------------------------------------------------------

def test_language_switch_changes_the_title_and_keeps_the_settings():
    at = make_app(OS)
    set_widgets(at, {"h": 10, "pad": "same", "sh": 1}).run()
    before = page_values(at)
    at.selectbox(key="app.lang").set_value("zh").run()
    assert_clean(at)
    assert at.title[0].value == ZH["os.title"]
    assert page_values(at) == before
    assert at.query_params["lang"] == "zh"
    assert ZH["os.out_shape"] in metrics(at)
    at.run()  # a second run in Chinese (labels formatted in Chinese) is fine too
    assert_clean(at)
    assert page_values(at) == before


def test_language_from_the_url():
    at = make_app(OS, {"lang": "zh"})
    assert_clean(at)
    assert at.title[0].value == ZH["os.title"]


def test_url_reflects_widgets_and_round_trips():
    at = make_app(OS)
    set_widgets(at, {"lock": False}).run()
    set_widgets(at, {"n": 2, "cin": 4, "cout": 6, "groups": 2, "h": 11, "w": 7, "kh": 2,
                     "kw": 4, "sh": 1, "sw": 3, "ph": 0, "pw": 2, "dh": 2, "dw": 1,
                     "mode": "circular", "bias": False}).run()
    click_explorer(at, (3, 0))
    assert_clean(at)
    query = dict(at.query_params)
    expected = {"n": "2", "cin": "4", "cout": "6", "groups": "2", "h": "11", "w": "7",
                "kh": "2", "kw": "4", "sh": "1", "sw": "3", "ph": "0", "pw": "2", "dh": "2",
                "mode": "circular", "bias": "0", "lock": "0", "oi": "3",
                "open": "more"}  # the open section is part of the view
    assert query == expected  # defaults (dw, pad, oj) stay out
    reopened = make_app(OS, query)
    assert_clean(reopened)
    assert not reopened.warning  # nothing needed correcting
    assert page_values(reopened) == page_values(at)
    assert metrics(reopened) == metrics(at)


def test_device_selectbox_lists_every_device():
    devices = convlab.available_devices()
    at = make_app(OS)
    box = at.sidebar.selectbox(key="app.device")
    assert len(box.options) == len(devices)
    for d in devices:
        assert any(d.label in option for option in box.options)
        at.sidebar.selectbox(key="app.device").set_value(d.name).run()
        assert_clean(at)
        assert at.session_state["app.device"] == d.name
    assert at.session_state["app.device"] == devices[-1].name


@pytest.mark.parametrize("device", [d.name for d in convlab.available_devices()])
def test_device_from_the_url(device):
    at = make_app(OS, {"device": device})
    assert_clean(at)
    assert at.session_state["app.device"] == device
    assert not at.warning
    assert check_table(at)[EN["check.col_device"]].tolist() == [device]


# ---- predict, then check -----------------------------------------------------------------------

@pytest.mark.parametrize("guess,kind,slip", [
    ("13x13", "success", None),
    ("13", "success", None),  # one number for a square output
    ("13x12", "warning", None),
    ("14, 14", "warning", "predict.slip.ceil"),
    ("12×12", "warning", "predict.slip.no_plus_one"),
    ("26 26", "warning", "predict.slip.no_stride"),
    ("thirteen", "warning", None),
])
def test_predict_the_output_size(guess, kind, slip):
    at = make_app(OS, {"preset": "why_13"})
    at.text_input(key=f"{STEM}.guess").input(guess).run()
    assert_clean(at)
    box = at.success if kind == "success" else at.warning
    assert len(box) == 1
    if kind == "success":
        assert "13 × 13" in box[0].value
    if slip:
        assert EN[slip] in box[0].value
    assert metrics(at)[EN["os.out_shape"]] == "1 × 8 × 13 × 13"  # never blocks the page


def test_a_link_naming_a_preset_opens_it():
    at = make_app(OS, {"preset": "d2l_3x5_s34"})
    assert_clean(at)
    assert metrics(at)[EN["os.out_shape"]] == "1 × 1 × 2 × 2"
    # a parameter given beside the preset wins
    at = make_app(OS, {"preset": "d2l_pad1", "h": "10"})
    assert metrics(at)[EN["os.out_shape"]] == "1 × 1 × 10 × 10"
    assert ZH["os.title"]  # both languages have the title


# ---- "More settings": the count and opening itself -----------------------------------------------

def test_more_settings_is_closed_and_counts_nothing_by_default():
    at = make_app(OS)
    assert more_label(at) == EN["frame.more"]
    assert not more_open(at)
    # closed, its widgets are not drawn; the primary controls are
    keys = {w.key for w in at.number_input}
    assert {f"{STEM}.{k}" for k in ("h", "w", "cin", "cout", "kh", "sh", "ph")} <= keys
    assert not keys & {f"{STEM}.{k}" for k in ("n", "dh", "groups")}


def test_more_settings_counts_changes_and_keeps_values_while_closed():
    at = open_more(make_app(OS), STEM)
    set_widgets(at, {"dh": 2}).run()
    set_widgets(at, {"n": 2}).run()
    assert more_label(at) == f"{EN['frame.more']} · " + EN["frame.more_changed"].format(n=2)
    at.session_state[f"{STEM}.open.more"] = False
    at.run()
    assert_clean(at)
    assert not more_open(at)
    assert at.session_state[f"{STEM}.dh"] == 2  # kept while its widget is not drawn
    assert dict(at.query_params)["n"] == "2"
    assert metrics(at)[EN["os.out_shape"]] == "2 × 4 × 3 × 3"  # (8 + 2 - 4 - 1) // 2 + 1
    at.run()  # a second closed run keeps them too
    assert more_label(at).endswith(EN["frame.more_changed"].format(n=2))


def test_more_settings_count_in_chinese():
    at = make_app(OS, {"lang": "zh", "dh": "2"})
    assert more_label(at, "zh") == f"{ZH['frame.more']} · " + ZH["frame.more_changed"].format(n=1)


@pytest.mark.parametrize("query", [{"dh": "2"}, {"mode": "circular"}, {"n": "3"},
                                   {"dims": "3"}, {"lock": "0", "kw": "5"}])
def test_a_link_naming_a_more_setting_opens_it(query):
    at = make_app(OS, query)
    assert_clean(at)
    assert more_open(at)
    for name, value in query.items():
        assert dict(at.query_params)[name] == value


def test_a_link_with_only_primary_settings_leaves_it_closed():
    at = make_app(OS, {"h": "12", "kh": "5", "dh": "1"})  # dh at its default changes nothing
    assert_clean(at)
    assert not more_open(at)


@pytest.mark.parametrize("preset,opens", [("d2l_5x3", True), ("audio_1d", True),
                                          ("video_3d", True), ("why_13", False)])
def test_a_preset_opens_it_when_it_sets_one(preset, opens):
    at = make_app(OS)
    at.selectbox(key=f"{STEM}.preset").set_value(preset).run()
    assert_clean(at)
    assert more_open(at) == opens
    # and a link naming the preset does the same
    assert more_open(make_app(OS, {"preset": preset})) == opens


@pytest.mark.parametrize("values,opens", [({"dh": 0}, True), ({"groups": 3, "cin": 4}, True),
                                          ({"mode": "reflect", "h": 4, "ph": 4}, True),
                                          ({"sh": 0}, False)])
def test_a_refusal_opens_it_when_it_involves_one(values, opens):
    at = make_app(OS)
    set_widgets(at, values)
    at.session_state[f"{STEM}.open.more"] = False  # closed again before the run
    at.run()
    assert_clean(at)
    assert len(at.error) == 1
    assert more_open(at) == opens


# ---- 1-D and 3-D: nn.Conv1d and nn.Conv3d ---------------------------------------------------

def test_one_d_audio_preset_formula_check_and_code():
    at = make_app(OS, {"preset": "audio_1d"})
    assert_clean(at)
    m = metrics(at)
    assert m[EN["os.out_shape"]] == "1 × 1 × 8000"  # (16000 + 2 - 2 - 1) // 2 + 1
    assert m[EN["count.params"]] == "4"
    formula = at.latex[0].value
    assert "L_{\\text{out}}" in formula and "= 7999 + 1 = 8000" in formula
    assert "H_{\\text{out}}" not in formula
    assert check_passed(at)
    assert check_table(at)[EN["check.col_result"]].str.contains(EN["check.pass"]).all()
    code = next(c.value for c in at.code if c.language == "python")
    assert "nn.Conv1d(1, 1, kernel_size=3, stride=2, padding=1)" in code
    assert "torch.randn(1, 1, 16000)" in code
    assert EN["os.picture_too_long"].split("(")[0] in [i.value for i in at.info][0]


def test_three_d_video_preset_formula_per_axis():
    at = make_app(OS, {"preset": "video_3d"})
    assert_clean(at)
    assert metrics(at)[EN["os.out_shape"]] == "1 × 16 × 8 × 32 × 32"
    formula = at.latex[0].value
    for x, size in (("D", 8), ("H", 32), ("W", 32)):
        assert f"{x}_{{\\text{{out}}}}" in formula and f"= {size - 1} + 1 = {size}" in formula
    assert check_passed(at)
    code = next(c.value for c in at.code if c.language == "python")
    assert "nn.Conv3d(3, 16, kernel_size=3, padding=1)" in code
    assert "torch.randn(1, 3, 8, 32, 32)" in code


def test_three_d_unlocked_depth_and_url_round_trip():
    query = {"dims": "3", "lock": "0", "t": "5", "kt": "2", "st": "1", "pt": "0"}
    at = make_app(OS, query)
    assert_clean(at)
    assert not at.warning
    # D: (5 - 2) // 1 + 1 = 4; H, W: the defaults, (8 + 2 - 3) // 2 + 1 = 4
    assert metrics(at)[EN["os.out_shape"]] == "1 × 4 × 4 × 4 × 4"
    assert metrics(at)[EN["os.weight_shape"]] == "4 × 3 × 2 × 3 × 3"
    reopened = make_app(OS, dict(at.query_params))
    assert metrics(reopened) == metrics(at)
    assert {k: dict(at.query_params)[k] for k in query} == query


def test_three_d_too_large_is_refused_with_the_nearest_fit():
    at = make_app(OS, {"dims": "3", "n": "4", "cin": "16", "t": "16", "h": "64", "w": "64",
                       "lock": "0"})
    assert_clean(at)
    assert not at.metric
    body = at.error[0].value
    # PyTorch would run it: the refusal is the lab's own bound, and says so
    assert body.startswith("**ConvLab's limit: input_shape = ") and EN["error.nearest"] in body
    assert EN["error.stage_lab"] in body


@pytest.mark.parametrize("dims,refused", [("1", {"kh": "0"}), ("3", {"ph": "-1"}),
                                          ("1", {"pad": "same", "sh": "2"})])
def test_one_and_three_d_refusals_agree_with_torch(dims, refused):
    at = make_app(OS, {"dims": dims, **refused})
    assert_clean(at)
    assert len(at.error) == 1
    assert check_passed(at)
    oracle = check_table(at)[EN["check.col_oracle"]].iloc[0]
    assert oracle == EN["check.oracle.torch_refuses"].format(module=f"nn.Conv{dims}d")


def test_the_shape_check_names_the_module_it_ran():
    at = make_app(OS, {"dims": "1"})
    assert check_table(at)[EN["check.col_oracle"]].iloc[0].startswith("nn.Conv1d(...)(x).shape = ")


def test_dimension_words_in_chinese():
    at = make_app(OS, {"dims": "3", "lang": "zh"})
    assert_clean(at)
    assert ZH["os.dims.3"] in at.selectbox(key=f"{STEM}.dims").options
    assert ZH["os.predict_3d"] in " ".join(m.value for m in at.markdown)


def test_negative_padding_that_crops_is_computed_as_pytorch_does():
    """With reflect padding PyTorch crops on a negative padding (it pads with F.pad) and
    runs: the page computes it, checks it, and says why it draws no window picture."""
    at = make_app(OS, {"mode": "reflect", "ph": "-1", "pw": "-1", "lock": "0", "sh": "1",
                       "sw": "1"})
    assert_clean(at)
    assert not at.error
    assert check_passed(at)
    assert metrics(at)[EN["os.out_shape"]] == "1 × 4 × 4 × 4"  # 8 - 2 - 3 + 1
    info = " ".join(i.value for i in at.info)
    assert EN["os.picture_crops"].format(mode="reflect") in info
