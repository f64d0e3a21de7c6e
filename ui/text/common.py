"""Words every page shares: shell, URL notices, panels, errors, predict-then-check."""

TEXT: dict[str, dict[str, str]] = {
    'nav.home': {
        "en": 'Home',
        "zh": '首页'},
    'shell.language': {
        "en": 'Language',
        "zh": '语言'},
    'shell.device': {
        "en": 'Compute device',
        "zh": '计算设备'},
    'shell.device_help': {
        "en": 'Where PyTorch runs the checks. A GPU is chosen by default when there is one.',
        "zh": 'PyTorch 在哪个设备上运行核对。有 GPU 时默认使用 GPU。'},
    'shell.about': {
        "en": 'Every number is computed live and checked against PyTorch.',
        "zh": '每个数字都实时计算，并与 PyTorch 核对。'},
    'url.corrected_title': {
        "en": 'Some values in the link were corrected:',
        "zh": '链接中的部分参数已被更正：'},
    'url.not_a_number': {
        "en": '`{name}={raw}` is not a number; using `{value}`.',
        "zh": '`{name}={raw}` 不是数字；改用 `{value}`。'},
    'url.out_of_range': {
        "en": '`{name}={raw}` is outside the allowed range; using `{value}`.',
        "zh": '`{name}={raw}` 超出允许范围；改用 `{value}`。'},
    'url.rounded': {
        "en": '`{name}={raw}` is not a whole number; using `{value}`.',
        "zh": '`{name}={raw}` 不是整数；改用 `{value}`。'},
    'url.unknown_choice': {
        "en": '`{name}={raw}` is not one of the options; using `{value}`.',
        "zh": '`{name}={raw}` 不是可选值之一；改用 `{value}`。'},
    'url.not_a_bool': {
        "en": '`{name}={raw}` is not on/off (1/0); using `{value}`.',
        "zh": '`{name}={raw}` 不是开/关（1/0）；改用 `{value}`。'},
    'url.unreadable': {
        "en": '`{name}` could not be read; using the default.',
        "zh": '无法读取 `{name}`；改用默认值。'},
    'url.too_long': {
        "en": '`{name}` is too long; using the default.',
        "zh": '`{name}` 过长；改用默认值。'},
    'check.title': {
        "en": 'Checked against PyTorch',
        "zh": '与 PyTorch 核对'},
    'check.all_pass': {
        "en": 'everything agrees.',
        "zh": '全部一致。'},
    'check.some_fail': {
        "en": 'a disagreement was found.',
        "zh": '发现不一致。'},
    'check.col_what': {
        "en": 'ConvLab computed',
        "zh": 'ConvLab 的结果'},
    'check.col_oracle': {
        "en": 'PyTorch reference',
        "zh": 'PyTorch 参照'},
    'check.col_device': {
        "en": 'device',
        "zh": '设备'},
    'check.col_dtype': {
        "en": 'dtype',
        "zh": '数据类型'},
    'check.col_diff': {
        "en": 'max abs difference',
        "zh": '最大绝对误差'},
    'check.col_result': {
        "en": 'result',
        "zh": '结果'},
    'check.pass': {
        "en": 'pass',
        "zh": '通过'},
    'check.fail': {
        "en": 'fail',
        "zh": '失败'},
    'code.title': {
        "en": 'Reproduce in PyTorch',
        "zh": '用 PyTorch 复现'},
    'code.caption': {
        "en": "Self-contained: paste it into Python and it prints this page's numbers.",
        "zh": '可独立运行：粘贴到 Python 中即可打印本页的数字。'},
    'error.title': {
        "en": 'PyTorch refuses {parameter} = {value}',
        "zh": 'PyTorch 拒绝 {parameter} = {value}'},
    'error.title_lab': {
        "en": "ConvLab's limit: {parameter} = {value}",
        "zh": 'ConvLab 的限制：{parameter} = {value}'},
    'error.stage_lab': {
        "en": 'PyTorch would run this; ConvLab bounds every input so that no setting can exhaust the server.',
        "zh": 'PyTorch 可以运行它；ConvLab 限制了每个输入的大小，任何设置都不会耗尽服务器。'},
    'error.why': {
        "en": 'Why:',
        "zh": '原因：'},
    'error.stage_construct': {
        "en": 'PyTorch refuses this when the layer is built (`{module}(...)`).',
        "zh": 'PyTorch 在构建层（`{module}(...)`）时就会拒绝。'},
    'error.stage_forward': {
        "en": 'PyTorch refuses this when the layer is called on the input.',
        "zh": 'PyTorch 在对输入调用该层时拒绝。'},
    'error.nearest': {
        "en": 'Nearest valid setting:',
        "zh": '最接近的有效设置：'},
    'error.torch_says': {
        "en": "PyTorch's own message:",
        "zh": 'PyTorch 自己的报错信息：'},
    'edit.empty': {
        "en": 'Cell (row {row}, column {col}) of {table} is empty; keeping the last valid values.',
        "zh": '{table} 的单元格（第 {row} 行，第 {col} 列）为空；保留上一次的有效值。'},
    'edit.not_a_number': {
        "en": 'Cell (row {row}, column {col}) of {table} is not a number; keeping the last valid values.',
        "zh": '{table} 的单元格（第 {row} 行，第 {col} 列）不是数字；保留上一次的有效值。'},
    'edit.too_large': {
        "en": 'Cell (row {row}, column {col}) of {table} is too large (limit ±1,000,000); keeping the last valid values.',
        "zh": '{table} 的单元格（第 {row} 行，第 {col} 列）过大（上限 ±1,000,000）；保留上一次的有效值。'},
    'frame.running_torch': {
        "en": 'Running {module}…',
        "zh": '正在运行 {module}…'},
    # ---- what a check compared (convlab's identifiers) ----
    "check.what.corr_vectorised": {
        "en": "vectorised cross-correlation (unfold + einsum)",
        "zh": "向量化互相关（unfold + einsum）"},
    "check.what.conv_vectorised": {
        "en": "vectorised true convolution (unfold + einsum)",
        "zh": "向量化真卷积（unfold + einsum）"},
    "check.what.corr_loop": {"en": "loop reference cross-correlation",
                             "zh": "循环参考实现的互相关"},
    "check.what.conv_loop": {"en": "loop reference true convolution",
                             "zh": "循环参考实现的真卷积"},
    "check.what.formula": {"en": "formula: output shape {shape}", "zh": "公式：输出形状 {shape}"},
    "check.what.refuses": {"en": "ConvLab refuses this configuration", "zh": "ConvLab 拒绝此配置"},
    "check.oracle.f_conv2d": {"en": "F.conv2d(X, K, groups={groups})",
                              "zh": "F.conv2d(X, K, groups={groups})"},
    "check.oracle.f_conv2d_flipped": {"en": "F.conv2d(X, K.flip(-2, -1), groups={groups})",
                                      "zh": "F.conv2d(X, K.flip(-2, -1), groups={groups})"},
    "check.oracle.module": {"en": "{module}(...)(x).shape = {oracle_shape}",
                            "zh": "{module}(...)(x).shape = {oracle_shape}"},
    "check.oracle.torch_refuses": {"en": "{module} refuses it too", "zh": "{module} 同样拒绝"},
    "check.oracle.torch_accepts": {"en": "{module} accepts it, giving {shape}",
                                   "zh": "{module} 接受它，得到 {shape}"},
    # ---- predict, then check ----
    "predict.title": {"en": "Predict, then check", "zh": "先预测，再核对"},
    "predict.input": {"en": "Your prediction (optional)", "zh": "你的预测（可选）"},
    "predict.placeholder": {"en": "type a number and press Enter", "zh": "输入数字后按回车"},
    "predict.unreadable": {"en": "“{text}” is not a number; write it like 13, or 13×13.",
                           "zh": "“{text}”不是数字；请写成 13 或 13×13 的形式。"},
    "predict.right": {"en": "Right: {answer}.", "zh": "正确：{answer}。"},
    "predict.wrong": {"en": "Not quite. Try again, or press “Show me”.",
                      "zh": "不完全对。再试一次，或点“告诉我”。"},
    "predict.slip": {"en": "Not quite.", "zh": "不完全对。"},
    "predict.try_again": {"en": "Try again, or press “Show me”.",
                          "zh": "再试一次，或点“告诉我”。"},
    "predict.show": {"en": "Show me", "zh": "告诉我"},
    "predict.shown": {"en": "The answer: {answer}.", "zh": "答案：{answer}。"},
    "predict.mode": {"en": "Predict first (hide the answer)", "zh": "先预测（隐藏答案）"},
    "predict.mode_help": {"en": "Hides the numbers that answer the question until you answer it or press “Show me”. A link with `?predict=1` opens the page this way.",
                          "zh": "在你作答或点“告诉我”之前，隐藏回答该问题的数字。带 `?predict=1` 的链接会以这种方式打开页面。"},
    "predict.hidden": {"en": "The pictures, numbers and checks that answer the question are hidden until you answer it or press “Show me”.",
                       "zh": "回答该问题的图、数字和核对在你作答或点“告诉我”之前是隐藏的。"},
    "predict.slip.no_plus_one": {"en": "Your number is what you get without the final + 1: the "
                                       "first window also counts.",
                                 "zh": "你的结果少了最后的 + 1：第一个窗口也要算上。"},
    "predict.slip.one_side_padding": {"en": "Your number pads only one side: PyTorch's padding is "
                                            "per side, so it is added twice.",
                                      "zh": "你的结果只填充了一侧：PyTorch 的 padding 是每侧的量，"
                                            "要加两次。"},
    "predict.slip.no_dilation": {"en": "Your number ignores dilation: a dilated kernel spans "
                                       "d·(k−1)+1 cells.",
                                 "zh": "你的结果忽略了膨胀：膨胀后的卷积核跨越 d·(k−1)+1 个单元格。"},
    "predict.slip.ceil": {"en": "Your number rounds up: PyTorch rounds the division down (floor).",
                          "zh": "你的结果向上取整了：PyTorch 对除法向下取整（floor）。"},
    "predict.slip.no_stride": {"en": "Your number does not divide by the stride.",
                               "zh": "你的结果没有除以步幅。"},
    "predict.slip.no_bias": {"en": "Your number leaves out the bias.", "zh": "你的结果漏掉了偏置。"},
    "predict.slip.one_channel": {"en": "Your number sums only the first input channel: every "
                                       "input channel's partial sum is added.",
                                 "zh": "你的结果只加了第一个输入通道：每个输入通道的部分和都要相加。"},
    "predict.slip.flipped": {"en": "Your number uses the kernel flipped (true convolution vs "
                                   "cross-correlation).",
                             "zh": "你的结果用了翻转后的卷积核（真卷积与互相关之别）。"},
    # ---- chart tooltips ----
    "chart.row": {"en": "row", "zh": "行"},
    "chart.col": {"en": "column", "zh": "列"},
    "chart.value": {"en": "value", "zh": "数值"},
    "check.what.conv2d_full": {"en": "Conv2d with a kernel as large as the input",
                               "zh": "卷积核与输入一样大的 Conv2d"},
    "check.what.conv2d_pointwise": {"en": "1×1 Conv2d on the flattened input",
                                    "zh": "作用于展平输入的 1×1 Conv2d"},
    "check.what.linear_unrolled": {"en": "Linear with the unrolled weight matrix",
                                   "zh": "使用展开权重矩阵的 Linear"},
    "check.what.fc_on_crops": {"en": "the Linear on every crop", "zh": "对每个裁剪块应用 Linear"},
    "check.oracle.nn_linear": {"en": "nn.Linear(x.flatten(1))", "zh": "nn.Linear(x.flatten(1))"},
    "check.oracle.nn_conv2d": {"en": "nn.Conv2d(x).flatten(1)", "zh": "nn.Conv2d(x).flatten(1)"},
    "check.oracle.conv2d_full": {"en": "the converted Conv2d on the whole input",
                                 "zh": "转换得到的 Conv2d 作用于整个输入"},
    "frame.working": {"en": "Working…", "zh": "正在计算…"},
    "predict.slip.no_batch": {"en": "Your shape leaves out the batch dimension N: a 1×1 convolution keeps it.",
                              "zh": "你的形状漏掉了批量维 N：1×1 卷积会保留它。"},
    "predict.slip.swapped": {"en": "Your shape keeps C_in: the output has C_out channels, one per row of K.",
                             "zh": "你的形状保留了 C_in：输出有 C_out 个通道，K 的每一行对应一个。"},
    "check.what.matmul": {"en": "K @ X (one matrix multiply)", "zh": "K @ X（一次矩阵乘法）"},
    "check.what.linear_channels_last": {"en": "nn.Linear on channels-last", "zh": "通道在后的 nn.Linear"},
    "check.what.loop": {"en": "loop reference (corr2d_multi_in_out)", "zh": "循环参考实现（corr2d_multi_in_out）"},
    "check.oracle.f_conv2d_1x1": {"en": "F.conv2d(X, K, b)", "zh": "F.conv2d(X, K, b)"},
    "frame.preset": {"en": "Example", "zh": "示例"},
    "frame.preset.custom": {"en": "Custom (your settings)", "zh": "自定义（你的设置）"},
    "count.params": {"en": "parameters", "zh": "参数量"},
    "count.macs": {"en": "multiply-accumulates", "zh": "乘加次数"},
    "frame.more": {"en": "More settings", "zh": "更多设置"},
    "frame.more_changed": {"en": "{n} changed", "zh": "已改 {n} 项"},
}
