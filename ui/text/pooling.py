"""Words of the pooling page (ns ``pool``), its menu entry, home card and check rows."""

TEXT: dict[str, dict[str, str]] = {
    "nav.pooling": {"en": "Pooling", "zh": "汇聚（池化）"},
    "home.card.pooling": {
        "en": "d2l's pooling: max and average windows, a stride that defaults to the window, "
              "ceil_mode's extra window (added, or dropped), adaptive pooling's overlapping "
              "bins, and where max pooling's gradient goes.",
        "zh": "d2l 的汇聚层：最大与平均窗口、默认等于窗口大小的步幅、向上取整（`ceil_mode`）多出的窗口（加上或丢弃）、"
              "自适应汇聚相互重叠的区间，以及最大汇聚的梯度流向何处。"},
    "pool.title": {"en": "Pooling", "zh": "汇聚（池化）"},
    "pool.intro": {
        "en": "A pooling window has no weights: max pooling keeps each window's largest value, "
              "average pooling its mean. Each channel is pooled alone, so there are as many "
              "channels out as in. Unless you give a stride, PyTorch moves the window by its "
              "own size. Every number here is checked against `nn.MaxPool2d`, `nn.AvgPool2d` "
              "and the adaptive ones.",
        "zh": "汇聚窗口没有权重：最大汇聚取每个窗口中的最大值，平均汇聚取平均值。每个通道单独汇聚，"
              "所以输出通道数等于输入通道数。若不指定步幅，PyTorch 让窗口每次移动它自身的大小。"
              "这里的每个数字都与 `nn.MaxPool2d`、`nn.AvgPool2d` 及自适应汇聚层核对过。"},
    # the presets: d2l 7.5's examples, then ceil_mode and adaptive pooling
    "pool.preset.d2l_max": {"en": "d2l: pool2d max, X = 0…8, 2×2 → [[4, 5], [7, 8]]",
                            "zh": "d2l：最大汇聚，X = 0…8，2×2 → [[4, 5], [7, 8]]"},
    "pool.preset.d2l_avg": {"en": "d2l: pool2d average, X = 0…8, 2×2 → [[2, 3], [5, 6]]",
                            "zh": "d2l：平均汇聚，X = 0…8，2×2 → [[2, 3], [5, 6]]"},
    "pool.preset.d2l_k3": {"en": "d2l: MaxPool2d(3) on arange(16) → [[10]]",
                           "zh": "d2l：X = 0…15 上的 MaxPool2d(3) → [[10]]"},
    "pool.preset.d2l_k3p1s2": {"en": "d2l: MaxPool2d(3, padding=1, stride=2)",
                               "zh": "d2l：MaxPool2d(3, padding=1, stride=2)"},
    "pool.preset.d2l_rect": {"en": "d2l: MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))",
                             "zh": "d2l：MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))"},
    "pool.preset.d2l_two": {"en": "d2l: two channels, X and X + 1",
                            "zh": "d2l：两个通道，X 与 X + 1"},
    "pool.preset.ceil_added": {"en": "ceil_mode adds a window: MaxPool2d(3, 2, ceil_mode=True)",
                               "zh": "向上取整多出一个窗口：MaxPool2d(3, 2)，向上取整"},
    "pool.preset.ceil_dropped": {
        "en": "ceil_mode drops a window: MaxPool2d(2, 3, padding=1, ceil_mode=True)",
        "zh": "向上取整丢弃一个窗口：MaxPool2d(2, 3, padding=1)，向上取整"},
    "pool.preset.adaptive_7to3": {"en": "adaptive: 7 → 3, overlapping bins",
                                  "zh": "自适应：7 → 3，区间相互重叠"},
    "pool.preset.global_avg": {"en": "global average pooling: AdaptiveAvgPool2d(1)",
                               "zh": "全局平均汇聚：AdaptiveAvgPool2d(1)"},
    # the controls
    "pool.kind": {"en": "Pooling", "zh": "汇聚方式"},
    "pool.kind.max": {"en": "max (MaxPool2d)", "zh": "最大（MaxPool2d）"},
    "pool.kind.avg": {"en": "average (AvgPool2d)", "zh": "平均（AvgPool2d）"},
    "pool.kind.adaptive_avg": {"en": "adaptive average", "zh": "自适应平均"},
    "pool.kind.adaptive_max": {"en": "adaptive max", "zh": "自适应最大"},
    "pool.data": {"en": "Input values", "zh": "输入数值"},
    "pool.data.arange": {"en": "0, 1, 2, … (+ channel)", "zh": "0, 1, 2, …（+ 通道号）"},
    "pool.data.random": {"en": "random digits", "zh": "随机数字"},
    "pool.c": {"en": "channels", "zh": "通道数"},
    "pool.oh": {"en": "output height", "zh": "输出高度"},
    "pool.ow": {"en": "output width", "zh": "输出宽度"},
    "pool.sdef": {"en": "stride = window (the default)", "zh": "步幅 = 窗口（默认）"},
    "pool.sdef_help": {
        "en": "PyTorch's pooling layers take stride=None by default, which means the kernel "
              "size: windows side by side, not overlapping.",
        "zh": "PyTorch 汇聚层的 `stride` 默认为 `None`，即等于窗口大小：窗口并排而不重叠。"},
    "pool.ceil": {"en": "`ceil_mode`", "zh": "`ceil_mode`（向上取整）"},
    "pool.ceil_help": {
        "en": "Round the number of windows up, not down, as long as the last window starts "
              "inside the input or its left padding.",
        "zh": "窗口数向上而非向下取整，前提是最后一个窗口从输入或其左侧填充内开始。"},
    "pool.cip": {"en": "`count_include_pad`", "zh": "`count_include_pad`（计入填充）"},
    "pool.cip_help": {
        "en": "Whether the zeros of the padding count in an average's divisor.",
        "zh": "填充的零是否计入平均值的除数。"},
    "pool.div": {"en": "`divisor_override` (0: none)", "zh": "`divisor_override`（0：不用）"},
    "pool.div_help": {"en": "Divide every window's sum by this number instead.",
                      "zh": "改用这个数去除每个窗口的和。"},
    # the window explorer
    "pool.picture": {"en": "Each output's window", "zh": "每个输出的窗口"},
    "pool.caption_max": {
        "en": "Hover an output cell to see its window; the green cell is the picked output's "
              "maximum, and each output's tooltip says where its maximum is. Padding holds "
              "−∞: it never wins. One row per channel: each is pooled alone.",
        "zh": "把鼠标移到输出单元格上查看它的窗口；绿色单元格是所选输出的最大值，"
              "每个输出的提示写明其最大值的位置。填充为 −∞：它永远不会胜出。每个通道一行：各自单独汇聚。"},
    "pool.caption_avg": {
        "en": "Hover an output cell to see its window, each tap labelled with its weight 1/n; "
              "each output's tooltip gives its n. One row per channel: each is pooled alone.",
        "zh": "把鼠标移到输出单元格上查看它的窗口，每个位置标出它的权重 1/n；"
              "每个输出的提示给出它的 n。每个通道一行：各自单独汇聚。"},
    "pool.caption_adaptive": {
        "en": "Hover an output cell to see its bin: the bins are cut from the input size and "
              "the output size, and neighbours may share cells.",
        "zh": "把鼠标移到输出单元格上查看它的区间：区间由输入大小和输出大小切分，相邻区间可能共享单元格。"},
    "pool.x_title": {"en": "X[{c}], padded", "zh": "X[{c}]（已填充）"},
    "pool.y_title": {"en": "Y[{c}]", "zh": "Y[{c}]"},
    "pool.kernel_title_max": {"en": "window taps", "zh": "窗口位置"},
    "pool.kernel_title_avg": {"en": "weight of each tap", "zh": "每个位置的权重"},
    "pool.tip_input": {"en": "row {row}, column {col}\nvalue: {value}\n{role}",
                       "zh": "第 {row} 行，第 {col} 列\n值：{value}\n{role}"},
    "pool.tip_max_input": {"en": "row {row}, column {col}\nvalue: {value}\n{role}\n"
                                 "maximum of the outputs: {wins}",
                           "zh": "第 {row} 行，第 {col} 列\n值：{value}\n{role}\n"
                                 "是这些输出的最大值：{wins}"},
    "pool.tip_output_max": {"en": "row {row}, column {col}\nvalue: {value}\nits maximum: "
                                  "input cell {at}",
                            "zh": "第 {row} 行，第 {col} 列\n值：{value}\n最大值位于输入单元格 {at}"},
    "pool.tip_output_avg": {"en": "row {row}, column {col}\nvalue: {value}\nsum of its window "
                                  "÷ {n}",
                            "zh": "第 {row} 行，第 {col} 列\n值：{value}\n窗口之和 ÷ {n}"},
    "pool.tip_bin": {"en": "its bin: rows × columns {bin}", "zh": "它的区间：行 × 列 {bin}"},
    "pool.role.input": {"en": "input", "zh": "输入"},
    "pool.role.pad_max": {"en": "padding (−∞: never the maximum)", "zh": "填充（−∞：永远不是最大值）"},
    "pool.role.pad_avg_on": {"en": "padding (0, counted in n)", "zh": "填充（0，计入 n）"},
    "pool.role.pad_avg_off": {"en": "padding (0, not counted in n)", "zh": "填充（0，不计入 n）"},
    "pool.role.beyond": {"en": "past the padding (ignored)", "zh": "超出填充（忽略）"},
    "pool.role.unread": {"en": "read by no window", "zh": "没有窗口读取"},
    "pool.role.winner": {"en": "the picked output's maximum", "zh": "所选输出的最大值"},
    "pool.role.window": {"en": "the window", "zh": "窗口"},
    # predict, the numbers, the formula
    "pool.predict_size": {"en": "What is the output's height × width?",
                          "zh": "输出的高 × 宽是多少？"},
    "pool.predict_value": {"en": "What is Y[0, {i}, {j}]?", "zh": "Y[0, {i}, {j}] 是多少？"},
    "pool.arith": {"en": "Output (0, {i}, {j}), written out:", "zh": "输出 (0, {i}, {j}) 展开："},
    "pool.out_shape": {"en": "output shape (C, H_out, W_out)", "zh": "输出形状 (C, H_out, W_out)"},
    "pool.value": {"en": "Y[0, {i}, {j}]", "zh": "Y[0, {i}, {j}]"},
    "pool.formula": {"en": "The output size", "zh": "输出大小"},
    "pool.stride_default": {
        "en": "`stride=None`: the window moves by its own size ({s}).",
        "zh": "`stride=None`：窗口每次移动它自身的大小（{s}）。"},
    "pool.ceil_title": {"en": "`ceil_mode`: one more window, or not",
                       "zh": "`ceil_mode`：是否多一个窗口"},
    "pool.ceil.none": {
        "en": "{axis}: the division is exact, so rounding up changes nothing ({n} windows).",
        "zh": "{axis}：除法恰好整除，向上取整不改变任何东西（{n} 个窗口）。"},
    "pool.ceil.added": {
        "en": "{axis}: rounding up gives window {k}, starting at padded cell {start}, inside "
              "the input: kept. It reaches {over} cell(s) past the padding, which it ignores.",
        "zh": "{axis}：向上取整得到第 {k} 个窗口，从填充后的第 {start} 格开始，位于输入之内：保留。"
              "它超出填充 {over} 格，这些格被忽略。"},
    "pool.ceil.dropped": {
        "en": "{axis}: rounding up would give window {k}, but it would start at padded cell "
              "{start}, at or past the input's end ({limit}): in the right padding. PyTorch "
              "drops it: {n} windows.",
        "zh": "{axis}：向上取整会得到第 {k} 个窗口，但它会从填充后的第 {start} 格开始，"
              "在输入结束处（{limit}）或之后：位于右侧填充中。PyTorch 丢弃它：{n} 个窗口。"},
    "pool.ceil.would_add": {
        "en": "{axis}: with `ceil_mode=True` there would be one more window, starting at padded "
              "cell {start}.",
        "zh": "{axis}：若 `ceil_mode=True`，会多一个从填充后第 {start} 格开始的窗口。"},
    "pool.ceil.would_drop": {
        "en": "{axis}: `ceil_mode=True` would round up to {k} windows, then drop the last: it "
              "would start in the right padding.",
        "zh": "{axis}：`ceil_mode=True` 会向上取整为 {k} 个窗口，然后丢弃最后一个：它会从右侧填充中开始。"},
    "pool.ceil.strip": {"en": "{axis}: the window ceil_mode adds or drops",
                        "zh": "{axis}：向上取整增加或丢弃的窗口"},
    "pool.axis.h": {"en": "height", "zh": "高度"},
    "pool.axis.w": {"en": "width", "zh": "宽度"},
    "pool.bins_title": {"en": "Adaptive pooling's bins", "zh": "自适应汇聚的区间"},
    "pool.bins_caption": {
        "en": "Output i reads cells `floor(i·in/out)` up to `ceil((i+1)·in/out)`: a row per "
              "output; a column filled in two rows is a cell two bins share.",
        "zh": "输出 i 读取从 `floor(i·in/out)` 到 `ceil((i+1)·in/out)` 的单元格：每个输出一行；"
              "在两行中都被填充的列是两个区间共享的单元格。"},
    "pool.bins_axis": {"en": "{axis}: {n} → {m}", "zh": "{axis}：{n} → {m}"},
    "pool.global_note": {
        "en": "An output of 1 × 1 is global average pooling: one mean per channel, "
              "whatever the input size.",
        "zh": "1 × 1 的输出就是全局平均汇聚：每个通道一个平均值，与输入大小无关。"},
    "pool.grad_title": {"en": "Where the gradient goes", "zh": "梯度流向何处"},
    "pool.grad_caption": {
        "en": "Backward, each output's gradient (here 1) lands on its window's maximum alone; "
              "a cell that wins several windows adds them up, the others get 0.",
        "zh": "反向传播时，每个输出的梯度（这里为 1）只落到它窗口中的最大值上；"
              "赢得多个窗口的单元格把它们相加，其余为 0。"},
    "pool.grad_map": {"en": "X[{c}].grad", "zh": "X[{c}] 的梯度"},
    "pool.check_note": {"en": "The same input through PyTorch's own layer on your device.",
                        "zh": "同一输入经过 PyTorch 自己的层，在你选择的设备上计算。"},
    # predict-then-check slips and check rows
    "predict.slip.pool_stride_one": {
        "en": "Your number slides the window one cell at a time: a pooling layer's stride "
              "defaults to its window size.",
        "zh": "你的结果让窗口每次只移动一格：汇聚层的步幅默认等于窗口大小。"},
    "predict.slip.pool_other_rounding": {
        "en": "Your number rounds the other way: look at `ceil_mode` and whether the last "
              "window would start inside the input.",
        "zh": "你的结果取整方向相反：看看 `ceil_mode`，以及最后一个窗口是否从输入之内开始。"},
    "predict.slip.pool_pad_zero": {
        "en": "Your number lets a padding zero win: max pooling pads with −∞.",
        "zh": "你的结果让填充的 0 胜出了：最大汇聚用 −∞ 填充。"},
    "predict.slip.pool_mean": {"en": "Your number is the window's mean, not its maximum.",
                               "zh": "你的结果是窗口的平均值，而不是最大值。"},
    "predict.slip.pool_sum": {"en": "Your number is the window's sum: divide it.",
                              "zh": "你的结果是窗口之和：还要做除法。"},
    "predict.slip.pool_other_count": {
        "en": "Your number counts the padding the other way: see `count_include_pad`.",
        "zh": "你的结果对填充的计数方式相反：请看 `count_include_pad`。"},
    "predict.slip.pool_kernel_count": {
        "en": "Your number divides by the whole window's size, but this window does not "
              "count all of its cells.",
        "zh": "你的结果除以整个窗口的大小，但这个窗口并不计入它的所有单元格。"},
    "check.what.pool_windows": {"en": "windows from the tap map", "zh": "由位置映射取出的窗口"},
    "check.oracle.pool_module": {"en": "{module}(...)(X)", "zh": "{module}(...)(X)"},
    "check.what.pool_indices": {"en": "each window's maximum cell", "zh": "每个窗口的最大值位置"},
    "check.oracle.return_indices": {"en": "`{module}(..., return_indices=True)`",
                                    "zh": "`{module}(..., return_indices=True)`"},
    "check.what.pool_backward": {"en": "gradient routed to each maximum",
                                 "zh": "梯度送往每个最大值"},
    "check.oracle.max_pool_autograd": {"en": "autograd: `Y.sum().backward()`",
                                       "zh": "自动求导：`Y.sum().backward()`"},
}
