"""Every visible string, in English and Simplified Chinese: ``t("key", **values)``.

PyTorch's own error messages stay in English (they are quoted, as a learner would
search for them); everything around them is translated.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

LANGUAGES = {"en": "English", "zh": "简体中文"}

TEXT: dict[str, dict[str, str]] = {
    # ---- shell and navigation ----
    "nav.home": {"en": "Home", "zh": "首页"},
    "nav.output_size": {"en": "Output size", "zh": "输出尺寸"},
    "nav.multichannel": {"en": "Multi-channel correlation", "zh": "多通道互相关"},
    "shell.language": {"en": "Language", "zh": "语言"},
    "shell.device": {"en": "Compute device", "zh": "计算设备"},
    "shell.device_help": {
        "en": "Where PyTorch runs the checks. A GPU is chosen by default when there is one.",
        "zh": "PyTorch 在哪个设备上运行核对。有 GPU 时默认使用 GPU。"},
    "shell.about": {"en": "Every number is computed live and checked against PyTorch.",
                    "zh": "每个数字都实时计算，并与 PyTorch 核对。"},
    # ---- URL state ----
    "url.corrected_title": {"en": "Some values in the link were corrected:",
                            "zh": "链接中的部分参数已被更正："},
    "url.not_a_number": {"en": "`{name}={raw}` is not a number; using `{value}`.",
                         "zh": "`{name}={raw}` 不是数字；改用 `{value}`。"},
    "url.out_of_range": {"en": "`{name}={raw}` is outside the allowed range; using `{value}`.",
                         "zh": "`{name}={raw}` 超出允许范围；改用 `{value}`。"},
    "url.rounded": {"en": "`{name}={raw}` is not a whole number; using `{value}`.",
                    "zh": "`{name}={raw}` 不是整数；改用 `{value}`。"},
    "url.unknown_choice": {"en": "`{name}={raw}` is not one of the options; using `{value}`.",
                           "zh": "`{name}={raw}` 不是可选值之一；改用 `{value}`。"},
    "url.not_a_bool": {"en": "`{name}={raw}` is not on/off (1/0); using `{value}`.",
                       "zh": "`{name}={raw}` 不是开/关（1/0）；改用 `{value}`。"},
    "url.unreadable": {"en": "`{name}` could not be read; using the default.",
                       "zh": "无法读取 `{name}`；改用默认值。"},
    "url.too_long": {"en": "`{name}` is too long; using the default.",
                     "zh": "`{name}` 过长；改用默认值。"},
    # ---- panels ----
    "check.title": {"en": "Checked against PyTorch", "zh": "与 PyTorch 核对"},
    "check.all_pass": {"en": "everything agrees.", "zh": "全部一致。"},
    "check.some_fail": {"en": "a disagreement was found.", "zh": "发现不一致。"},
    "check.col_what": {"en": "ConvLab computed", "zh": "ConvLab 的结果"},
    "check.col_oracle": {"en": "PyTorch reference", "zh": "PyTorch 参照"},
    "check.col_device": {"en": "device", "zh": "设备"},
    "check.col_dtype": {"en": "dtype", "zh": "数据类型"},
    "check.col_diff": {"en": "max abs difference", "zh": "最大绝对误差"},
    "check.col_result": {"en": "result", "zh": "结果"},
    "check.pass": {"en": "pass", "zh": "通过"},
    "check.fail": {"en": "fail", "zh": "失败"},
    "code.title": {"en": "Reproduce in PyTorch", "zh": "用 PyTorch 复现"},
    "code.caption": {"en": "Self-contained: paste it into Python and it prints this page's "
                           "numbers.",
                     "zh": "可独立运行：粘贴到 Python 中即可打印本页的数字。"},
    "error.title": {"en": "PyTorch refuses {parameter} = {value}",
                    "zh": "PyTorch 拒绝 {parameter} = {value}"},
    "error.why": {"en": "Why:", "zh": "原因："},
    "error.stage_construct": {"en": "PyTorch refuses this when the layer is built "
                                    "(`nn.Conv2d(...)`).",
                              "zh": "PyTorch 在构建层（`nn.Conv2d(...)`）时就会拒绝。"},
    "error.stage_forward": {"en": "PyTorch refuses this when the layer is called on the input.",
                            "zh": "PyTorch 在对输入调用该层时拒绝。"},
    "error.nearest": {"en": "Nearest valid setting:", "zh": "最接近的有效设置："},
    "error.torch_says": {"en": "PyTorch's own message:", "zh": "PyTorch 自己的报错信息："},
    # ---- home ----
    "home.title": {"en": "ConvLab — a laboratory for 2-D convolution",
                   "zh": "ConvLab —— 二维卷积实验室"},
    "home.intro": {
        "en": "Move a slider and watch why a formula holds. Every number here is computed "
              "live and checked against PyTorch's own layers on the device you choose in the "
              "sidebar. Each page keeps its settings in the link, so you can share one exact "
              "view.",
        "zh": "拖动滑块，看公式为何成立。这里的每个数字都是实时计算的，并在侧边栏所选设备上与 "
              "PyTorch 自己的层核对。每个页面的设置都保存在链接里，可以分享完全相同的视图。"},
    "home.device": {"en": "Computing on `{device}` with PyTorch {torch}.",
                    "zh": "正在 `{device}` 上用 PyTorch {torch} 计算。"},
    "home.card_os": {"en": "Output size", "zh": "输出尺寸"},
    "home.card_os_text": {
        "en": "Why is my output 13×13 and not 14×14? The Conv2d formula step by step — "
              "effective kernel, padding, the floor and what it throws away — with a picture "
              "of every window.",
        "zh": "为什么输出是 13×13 而不是 14×14？逐步拆解 Conv2d 的公式——有效卷积核、填充、"
              "向下取整以及被舍弃的部分——并画出每个窗口。"},
    "home.card_mc": {"en": "Multi-channel correlation", "zh": "多通道互相关"},
    "home.card_mc_text": {
        "en": "d2l's multiple input and output channels: each channel's partial map, their "
              "sum, and the arithmetic of one output cell term by term (… = 56).",
        "zh": "d2l 的“多输入多输出通道”：每个输入通道的部分结果、它们的和，以及一个输出单元格"
              "逐项展开的算式（… = 56）。"},
    "home.open": {"en": "Open", "zh": "打开"},
    "home.soon": {"en": "Coming next: 1×1 convolution as a matrix multiply, fully-connected ≡ "
                        "convolution, and learning a kernel.",
                  "zh": "即将推出：1×1 卷积即矩阵乘法、全连接层 ≡ 卷积、学习一个卷积核。"},
    # ---- output-size page ----
    "os.title": {"en": "Conv2d output size", "zh": "Conv2d 输出尺寸"},
    "os.intro": {
        "en": "Set up an `nn.Conv2d` and an input. ConvLab substitutes your numbers into "
              "PyTorch's formula, builds the real layer, runs it, and compares the shapes.",
        "zh": "设置一个 `nn.Conv2d` 和输入。ConvLab 把你的数字代入 PyTorch 的公式，构建真实的层"
              "并运行，再比较两者的形状。"},
    "os.preset": {"en": "Start from an example", "zh": "从示例开始"},
    "os.preset.custom": {"en": "Custom (your settings)", "zh": "自定义（你的设置）"},
    "os.preset.notes_4x4": {"en": "Input (1, 1, 4, 4), 3×3 kernel → (1, 1, 2, 2)",
                            "zh": "输入 (1, 1, 4, 4)，3×3 卷积核 → (1, 1, 2, 2)"},
    "os.preset.d2l_pad1": {"en": "d2l: 8×8, kernel 3, padding 1 → 8×8",
                           "zh": "d2l：8×8，卷积核 3，填充 1 → 8×8"},
    "os.preset.d2l_5x3": {"en": "d2l: 8×8, kernel (5, 3), padding (2, 1) → 8×8",
                          "zh": "d2l：8×8，卷积核 (5, 3)，填充 (2, 1) → 8×8"},
    "os.preset.d2l_stride2": {"en": "d2l: 8×8, kernel 3, padding 1, stride 2 → 4×4",
                              "zh": "d2l：8×8，卷积核 3，填充 1，步幅 2 → 4×4"},
    "os.preset.d2l_3x5_s34": {"en": "d2l: 8×8, kernel (3, 5), padding (0, 1), stride (3, 4) → 2×2",
                              "zh": "d2l：8×8，卷积核 (3, 5)，填充 (0, 1)，步幅 (3, 4) → 2×2"},
    "os.preset.why_13": {"en": "Why 13×13 and not 14×14? (28×28, kernel 3, stride 2)",
                         "zh": "为什么是 13×13 而不是 14×14？（28×28，卷积核 3，步幅 2）"},
    "os.preset.same_even": {"en": "padding='same' with an even kernel (uneven padding)",
                            "zh": "偶数卷积核的 padding='same'（两侧填充不等）"},
    "os.n": {"en": "batch N", "zh": "批量 N"},
    "os.cin": {"en": "in_channels", "zh": "输入通道 in_channels"},
    "os.cout": {"en": "out_channels", "zh": "输出通道 out_channels"},
    "os.groups": {"en": "groups", "zh": "分组 groups"},
    "os.groups_help": {"en": "Must divide both in_channels and out_channels.",
                       "zh": "必须同时整除 in_channels 和 out_channels。"},
    "os.h": {"en": "input height H", "zh": "输入高度 H"},
    "os.w": {"en": "input width W", "zh": "输入宽度 W"},
    "os.lock": {"en": "same height and width", "zh": "高宽设置相同"},
    "os.lock_help": {"en": "Keep every width setting equal to its height setting. Turn it off "
                           "for rectangular inputs, kernels, strides and padding.",
                     "zh": "让每个宽度设置等于对应的高度设置。关闭后可设置矩形的输入、卷积核、"
                           "步幅和填充。"},
    "os.bias": {"en": "bias", "zh": "偏置 bias"},
    "os.kh": {"en": "kernel height", "zh": "卷积核高"},
    "os.kw": {"en": "kernel width", "zh": "卷积核宽"},
    "os.sh": {"en": "stride (rows)", "zh": "步幅（行）"},
    "os.sw": {"en": "stride (columns)", "zh": "步幅（列）"},
    "os.zero_help": {"en": "0 is allowed so you can see PyTorch refuse it.",
                     "zh": "允许设为 0，以便看到 PyTorch 如何拒绝它。"},
    "os.pad": {"en": "padding", "zh": "填充 padding"},
    "os.pad.number": {"en": "number", "zh": "数值"},
    "os.pad.same": {"en": "'same'", "zh": "'same'"},
    "os.pad.valid": {"en": "'valid'", "zh": "'valid'"},
    "os.ph": {"en": "padding (top and bottom)", "zh": "填充（上、下）"},
    "os.pw": {"en": "padding (left and right)", "zh": "填充（左、右）"},
    "os.pad_help": {"en": "Per side, as in PyTorch (d2l's p is the total of both sides). "
                          "-1 is allowed so you can see PyTorch refuse it.",
                    "zh": "每一侧的填充量，与 PyTorch 一致（d2l 中的 p 是两侧之和）。允许 -1，"
                          "以便看到 PyTorch 如何拒绝它。"},
    "os.dh": {"en": "dilation (rows)", "zh": "膨胀（行）"},
    "os.dw": {"en": "dilation (columns)", "zh": "膨胀（列）"},
    "os.mode": {"en": "padding_mode", "zh": "填充模式 padding_mode"},
    "os.running_torch": {"en": "Running nn.Conv2d…", "zh": "正在运行 nn.Conv2d…"},
    "os.out_shape": {"en": "output shape", "zh": "输出形状"},
    "os.weight_shape": {"en": "weight shape", "zh": "权重形状"},
    "os.params": {"en": "parameters", "zh": "参数量"},
    "os.macs": {"en": "multiply-accumulates", "zh": "乘加次数"},
    "os.formula": {"en": "PyTorch's formula with your numbers", "zh": "代入你的数字的 PyTorch 公式"},
    "os.axis_h": {"en": "Height", "zh": "高度"},
    "os.axis_w": {"en": "Width", "zh": "宽度"},
    "os.floor_exact": {"en": "{axis}: the division is exact, so every padded cell can be reached.",
                       "zh": "{axis}：恰好整除，每个填充后的单元格都能被窗口覆盖。"},
    "os.floor_drops": {
        "en": "{axis}: the floor throws away a remainder of {r}: the last {r} padded cell(s) "
              "are never read. {need} more padding cell(s) in total would give one more output.",
        "zh": "{axis}：向下取整舍去余数 {r}：最后 {r} 个填充后的单元格永远不会被读取。"
              "总共再多填充 {need} 个单元格，就能多得到一个输出。"},
    "os.same_uneven": {
        "en": "With padding='same' and an even effective kernel, PyTorch pads one more cell at "
              "the bottom/right than at the top/left.",
        "zh": "padding='same' 且有效卷积核为偶数时，PyTorch 在下/右侧比上/左侧多填充一个单元格。"},
    "os.check_formula": {"en": "formula: output shape {shape}", "zh": "公式：输出形状 {shape}"},
    "os.check_module": {"en": "nn.Conv2d(...)(x).shape = {shape}",
                        "zh": "nn.Conv2d(...)(x).shape = {shape}"},
    "os.check_refuses": {"en": "ConvLab refuses this configuration",
                         "zh": "ConvLab 拒绝此配置"},
    "os.check_torch_refuses": {"en": "nn.Conv2d refuses it too", "zh": "nn.Conv2d 同样拒绝"},
    "os.check_torch_accepts": {"en": "nn.Conv2d accepts it, giving {shape}",
                               "zh": "nn.Conv2d 接受它，得到 {shape}"},
    "os.check_note": {"en": "A real nn.Conv2d was built with these settings and run on a "
                            "random input ({ms} ms).",
                      "zh": "用这些设置构建了真实的 nn.Conv2d，并在随机输入上运行（{ms} 毫秒）。"},
    "os.picture": {"en": "Where each window reads", "zh": "每个窗口读取哪里"},
    "os.picture_caption": {
        "en": "One input channel numbered 1, 2, 3, …, padded the way padding_mode pads it. "
              "Pick an output cell to see the input cells its kernel taps read.",
        "zh": "一个输入通道，按 1, 2, 3, … 编号，并按 padding_mode 的方式填充。选择一个输出"
              "单元格，查看其卷积核读取的输入单元格。"},
    "os.oi": {"en": "output row", "zh": "输出行"},
    "os.oj": {"en": "output column", "zh": "输出列"},
    "os.grid_title": {"en": "padded input (padding_mode='{mode}')",
                      "zh": "填充后的输入（padding_mode='{mode}'）"},
    "os.out_title": {"en": "output cells", "zh": "输出单元格"},
    "os.click_hint": {"en": "Click a cell to pick it.", "zh": "点击单元格即可选中。"},
    "os.coverage": {"en": "How many windows read each cell", "zh": "每个单元格被多少个窗口读取"},
    "os.coverage_caption": {"en": "0 marks cells no window reaches: the rows and columns the "
                                  "floor leaves unread, or gaps skipped by dilation and stride.",
                            "zh": "0 表示没有窗口到达的单元格：向下取整留下的行和列，或被膨胀"
                                  "与步幅跳过的空隙。"},
    "os.role.input": {"en": "input", "zh": "输入"},
    "os.role.padding": {"en": "padding", "zh": "填充"},
    "os.role.tap": {"en": "selected window", "zh": "选中的窗口"},
    "os.role.unread": {"en": "never read", "zh": "从未读取"},
    "os.role.coverage": {"en": "windows", "zh": "窗口数"},
    "os.role.role": {"en": "role", "zh": "角色"},
    # ---- editors ----
    "edit.empty": {"en": "Cell (row {row}, column {col}) of {table} is empty; keeping the last "
                         "valid values.",
                   "zh": "{table} 的单元格（第 {row} 行，第 {col} 列）为空；保留上一次的有效值。"},
    "edit.not_a_number": {"en": "Cell (row {row}, column {col}) of {table} is not a number; "
                                "keeping the last valid values.",
                          "zh": "{table} 的单元格（第 {row} 行，第 {col} 列）不是数字；保留上一次"
                                "的有效值。"},
    "edit.too_large": {"en": "Cell (row {row}, column {col}) of {table} is too large (limit "
                             "±1,000,000); keeping the last valid values.",
                       "zh": "{table} 的单元格（第 {row} 行，第 {col} 列）过大（上限 ±1,000,000）；"
                             "保留上一次的有效值。"},
    # ---- multi-channel page ----
    "mc.title": {"en": "Multiple input and output channels", "zh": "多输入多输出通道"},
    "mc.intro": {
        "en": "Each output channel correlates every input channel with its own kernel slice "
              "and adds the maps up (plus a bias). Pick an output cell to see its sum written "
              "out term by term. Everything is computed with convlab's vectorised code and "
              "checked against `F.conv2d`.",
        "zh": "每个输出通道把每个输入通道与各自的卷积核切片做互相关，再把结果相加（加上偏置）。"
              "选择一个输出单元格，可看到它的求和逐项展开。所有结果由 convlab 的向量化代码计算，"
              "并与 `F.conv2d` 核对。"},
    "mc.preset": {"en": "Example", "zh": "示例"},
    "mc.preset.d2l_two": {"en": "d2l: two input channels → [[56, 72], [104, 120]]",
                          "zh": "d2l：两个输入通道 → [[56, 72], [104, 120]]"},
    "mc.preset.d2l_three": {"en": "d2l: three output channels (K, K+1, K+2)",
                            "zh": "d2l：三个输出通道（K, K+1, K+2）"},
    "mc.preset.edge": {"en": "Edge detection: 6×8 stripe, K = [[1, −1]]",
                       "zh": "边缘检测：6×8 条纹，K = [[1, −1]]"},
    "mc.preset.edge_t": {"en": "Edge detection on the transposed stripe (all zeros)",
                         "zh": "对转置后的条纹做边缘检测（全为零）"},
    "mc.preset.random": {"en": "Random (d2l's 1×1 example: 3 in, 2 out)",
                         "zh": "随机（d2l 的 1×1 示例：3 个输入、2 个输出）"},
    "mc.preset.custom": {"en": "Custom (your tensors)", "zh": "自定义（你的张量）"},
    "mc.reroll": {"en": "New random", "zh": "重新随机"},
    "mc.cin": {"en": "input channels", "zh": "输入通道数"},
    "mc.cout": {"en": "output channels", "zh": "输出通道数"},
    "mc.h": {"en": "height H", "zh": "高度 H"},
    "mc.w": {"en": "width W", "zh": "宽度 W"},
    "mc.kh": {"en": "kernel height", "zh": "卷积核高"},
    "mc.kw": {"en": "kernel width", "zh": "卷积核宽"},
    "mc.sh": {"en": "stride (rows)", "zh": "步幅（行）"},
    "mc.sw": {"en": "stride (columns)", "zh": "步幅（列）"},
    "mc.dh": {"en": "dilation (rows)", "zh": "膨胀（行）"},
    "mc.dw": {"en": "dilation (columns)", "zh": "膨胀（列）"},
    "mc.pad": {"en": "padding", "zh": "填充"},
    "mc.pad.number": {"en": "number", "zh": "数值"},
    "mc.pad.same": {"en": "'same'", "zh": "'same'"},
    "mc.pad.valid": {"en": "'valid'", "zh": "'valid'"},
    "mc.ph": {"en": "padding (rows)", "zh": "填充（行）"},
    "mc.pw": {"en": "padding (columns)", "zh": "填充（列）"},
    "mc.groups": {"en": "groups", "zh": "分组 groups"},
    "mc.groups_help": {"en": "Split the channels into groups that never mix; groups = input "
                             "channels is a depthwise convolution.",
                       "zh": "把通道分成互不混合的组；groups 等于输入通道数时即深度卷积。"},
    "mc.flip": {"en": "true convolution (flip the kernel)", "zh": "真正的卷积（翻转卷积核）"},
    "mc.flip_help": {"en": "Deep-learning 'convolution' is cross-correlation. A true "
                           "convolution flips the kernel in both axes first.",
                     "zh": "深度学习中的“卷积”其实是互相关。真正的卷积会先把卷积核上下、左右翻转。"},
    "mc.flip_note": {"en": "True convolution: every kernel below is shown flipped, as it is "
                           "slid over the input.",
                     "zh": "真正的卷积：下方每个卷积核都以翻转后的样子显示，即实际滑动时的样子。"},
    "mc.bias": {"en": "bias", "zh": "偏置 bias"},
    "mc.o": {"en": "output channel", "zh": "输出通道"},
    "mc.edit": {"en": "Edit the tensors", "zh": "编辑张量"},
    "mc.edit_caption": {"en": "Type into a cell and press Enter. A bad cell is refused and the "
                              "last valid tensor is kept.",
                        "zh": "在单元格中输入并按回车。无效单元格会被拒绝，并保留上一次的有效张量。"},
    "mc.channel": {"en": "channel {c}", "zh": "通道 {c}"},
    "mc.computing": {"en": "Correlating…", "zh": "正在计算互相关…"},
    "mc.walkthrough": {"en": "Output channel {o}, channel by channel",
                       "zh": "输出通道 {o}，逐个输入通道展开"},
    "mc.oi": {"en": "output row", "zh": "输出行"},
    "mc.oj": {"en": "output column", "zh": "输出列"},
    "mc.x_title": {"en": "X[{c}] (padded)", "zh": "X[{c}]（已填充）"},
    "mc.k_title": {"en": "{flip}K[{o}, {c}]", "zh": "{flip}K[{o}, {c}]"},
    "mc.partial_title": {"en": "X[{c}] ⋆ kernel", "zh": "X[{c}] ⋆ 卷积核"},
    "mc.sum_title": {"en": "sum over input channels", "zh": "对输入通道求和"},
    "mc.bias_value": {"en": "+ bias b[{o}]", "zh": "+ 偏置 b[{o}]"},
    "mc.y_title": {"en": "Y[{o}]", "zh": "Y[{o}]"},
    "mc.click_hint": {"en": "Click a cell of Y to pick it.", "zh": "点击 Y 的单元格即可选中。"},
    "mc.arith": {"en": "**Y[{o}, {i}, {j}]**, term by term:",
                 "zh": "**Y[{o}, {i}, {j}]** 逐项展开："},
    "mc.all_outputs": {"en": "All output channels", "zh": "全部输出通道"},
    "mc.wiring": {"en": "Channel wiring", "zh": "通道连接"},
    "mc.wiring_caption": {"en": "{g} groups: each output channel reads only the {per} input "
                                "channel(s) of its group.",
                          "zh": "{g} 组：每个输出通道只读取本组的 {per} 个输入通道。"},
    "mc.wiring_in": {"en": "input channels", "zh": "输入通道"},
    "mc.wiring_out": {"en": "output channels", "zh": "输出通道"},
    "mc.check_note": {"en": "Three computations of the same numbers: the vectorised form the "
                            "page draws, the plain loop reference, and PyTorch's F.conv2d.",
                      "zh": "同一组数字的三种计算：页面所画的向量化形式、朴素循环参考实现，以及 "
                            "PyTorch 的 F.conv2d。"},
    "mc.check_note_noloop": {"en": "The plain loop reference is skipped at this size (it would "
                                   "be slow); the vectorised form is checked against F.conv2d.",
                             "zh": "此规模下跳过朴素循环参考实现（太慢）；向量化形式与 F.conv2d "
                                   "核对。"},
}


def language() -> str:
    lang = st.session_state.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in.

    A missing key shows as the key itself (and fails the translation tests), never raises.
    """
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(language()) or entry["en"]
    return text.format(**values) if values else text
