"""Words of the transposed-convolution page (ns ``ct``), its menu entry and home card, and
its checks."""

TEXT: dict[str, dict[str, str]] = {
    "nav.conv_transpose": {"en": "Transposed convolution", "zh": "转置卷积"},
    "home.card.conv_transpose": {
        "en": "`nn.ConvTranspose2d` read both ways: each input cell stamps the kernel into the "
              "output, which is a convolution of the zero-inserted input with the flipped "
              "kernel. Output size, `output_padding` and the round trip, the checkerboard of "
              "overlapping stamps.",
        "zh": "从两个方向读 `nn.ConvTranspose2d`：每个输入单元格把卷积核“盖印”到输出上，"
              "这等于在插零后的输入上用翻转的卷积核做卷积。输出尺寸、`output_padding` "
              "与往返，以及重叠印章造成的棋盘格。"},
    "ct.title": {"en": "Transposed convolution", "zh": "转置卷积"},
    "ct.intro": {
        "en": "A transposed convolution maps the *output* shape of a convolution back to its "
              "*input* shape. Each input cell stamps its value times the kernel into the "
              "output, stamps that overlap add up, and `padding` crops the result. The same "
              "numbers come from an ordinary convolution: put `stride − 1` zeros between the "
              "input cells, pad by `d(k − 1) − p`, and slide the flipped kernel over it. "
              "Every number below is checked against `F.conv_transpose2d`.",
        "zh": "转置卷积把卷积的*输出*形状映射回它的*输入*形状。每个输入单元格把"
              "“数值 × 卷积核”盖印到输出上，重叠的印章相加，`padding` 再把结果裁掉一圈。"
              "同样的数也可以由普通卷积得到：在输入单元格之间插入 `stride − 1` 个零，"
              "四周填充 `d(k − 1) − p`，再用翻转的卷积核滑过它。"
              "下面每个数都与 `F.conv_transpose2d` 核对。"},
    # presets: the conv-arithmetic guide's figures (Dumoulin & Visin), DCGAN, U-Net, ...
    "ct.preset.round_trip": {"en": "Round trip that fails: Conv2d(k=3, s=2, p=1) maps 8 to 4, "
                                   "back gives 7",
                             "zh": "回不去的往返：Conv2d(k=3, s=2, p=1) 把 8 变成 4，反向得 7"},
    "ct.preset.guide_4_1": {"en": "No padding, unit stride (2 → 4): fig. 4.1 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "无填充、步幅 1（2 → 4）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.1"},
    "ct.preset.guide_4_2": {"en": "Padding 2, k = 4 (6 → 5): fig. 4.2 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "填充 2，k = 4（6 → 5）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.2"},
    "ct.preset.guide_4_3": {"en": "Half padding (5 → 5): fig. 4.3 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "半填充（5 → 5）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.3"},
    "ct.preset.guide_4_4": {"en": "Full padding (7 → 5): fig. 4.4 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "全填充（7 → 5）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.4"},
    "ct.preset.guide_4_5": {"en": "Stride 2, no padding (2 → 5): fig. 4.5 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "步幅 2、无填充（2 → 5）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.5"},
    "ct.preset.guide_4_6": {"en": "Stride 2, padding 1 (3 → 5): fig. 4.6 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "步幅 2、填充 1（3 → 5）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.6"},
    "ct.preset.guide_4_7": {"en": "Stride 2, padding 1, a = 1 (3 → 6): fig. 4.7 of Dumoulin & Visin, “A guide to convolution arithmetic for deep learning”",
                            "zh": "步幅 2、填充 1、a = 1（3 → 6）：Dumoulin 与 Visin《深度学习卷积算术指南》图 4.7"},
    "ct.preset.dcgan": {"en": "DCGAN generator layer: k = 4, s = 2, p = 1 (4 → 8)",
                        "zh": "DCGAN 生成器的一层：k = 4, s = 2, p = 1（4 → 8）"},
    "ct.preset.unet": {"en": "U-Net up-step: k = 2, s = 2 doubles (4 → 8)",
                       "zh": "U-Net 上采样一步：k = 2, s = 2 尺寸翻倍（4 → 8）"},
    "ct.preset.d2l": {"en": "d2l 14.10's first example: X = K = [[0, 1], [2, 3]], k = 2, s = 1",
                      "zh": "d2l 14.10（中文版 13.10）的第一个例子：X = K = [[0, 1], [2, 3]]，k = 2，s = 1"},
    "ct.preset.checkerboard": {"en": "Checkerboard: k = 3, s = 2 (5 → 11)",
                               "zh": "棋盘格：k = 3, s = 2（5 → 11）"},
    # controls
    "ct.h": {"en": "input height H", "zh": "输入高度 H"},
    "ct.op": {"en": "output_padding a", "zh": "输出补边 `output_padding` a"},
    "ct.oph": {"en": "output_padding (rows)", "zh": "输出补边 `output_padding`（行）"},
    "ct.opw": {"en": "output_padding (columns)", "zh": "输出补边 `output_padding`（列）"},
    "ct.oph_help": {
        "en": "Extra rows added at the bottom (and columns at the right) of the output. It picks "
              "which of the stride-many Conv2d input sizes to return to; it must be smaller than "
              "the stride or the dilation.",
        "zh": "在输出底部（以及右侧）额外加的行（列）。它决定回到 Conv2d 的多个可能输入尺寸"
              "中的哪一个；必须小于步幅或膨胀。"},
    "ct.ri": {"en": "output row of the sliding window", "zh": "滑动窗口的输出行"},
    "ct.rj": {"en": "output column of the sliding window", "zh": "滑动窗口的输出列"},
    # numbers
    "ct.out_shape": {"en": "output shape", "zh": "输出形状"},
    "ct.weight_shape": {"en": "weight shape (C_in, C_out/groups, kh, kw)",
                        "zh": "权重形状 (C_in, C_out/groups, kh, kw)"},
    "ct.predict": {"en": "before you look at the numbers below: what output size (H_out, W_out) "
                         "does this layer give?",
                   "zh": "先别看下面的数：这一层的输出尺寸 (H_out, W_out) 是多少？"},
    "ct.formula": {"en": "The output size, step by step", "zh": "输出尺寸，一步一步"},
    # the scatter view (the window explorer, read the other way)
    "ct.scatter": {"en": "Each input cell stamps the kernel", "zh": "每个输入单元格盖印卷积核"},
    "ct.scatter_caption": {
        "en": "Hover an input cell of X to see where its stamp lands, each output cell marked with "
              "the kernel weight it is stamped with; hover an output cell to see which input "
              "cells and weights sum into it. Play stamps the input cells in order. In the output "
              "before cropping, {output} cells are kept, the {cropped} border (p cells wide) is "
              "the `padding` that ConvTranspose2d crops away, and {unstamped} cells get no stamp "
              "at all.",
        "zh": "悬停 X 的一个输入单元格，看它的印章落在哪里，每个输出单元格标出盖上的卷积核"
              "权重；悬停一个输出单元格，看哪些输入单元格和权重相加得到它。“播放”依次盖下每个"
              "输入单元格的印章。在裁掉填充之前的输出中，{output}单元格被保留；{cropped}边框（宽 p 个单元格）是 "
              "`ConvTranspose2d` 裁掉的 `padding`；{unstamped}单元格上没有任何印章。"},
    "ct.colour.sky": {"en": "blue", "zh": "蓝色"},
    "ct.colour.yellow": {"en": "yellow", "zh": "黄色"},
    "ct.colour.grey": {"en": "grey", "zh": "灰色"},
    "ct.x_title": {"en": "input X", "zh": "输入 X"},
    "ct.y_title": {"en": "output Y (the chosen cell outlined)", "zh": "输出 Y（所选单元格加框）"},
    "ct.edit": {"en": "Edit X and K", "zh": "编辑 X 和 K"},
    "ct.edit_caption": {
        "en": "X and K start numbered 1, 2, … so that every stamp says where it came from. "
              "Type your own numbers (one channel: the pictures use X[0, 0] and K[0, 0]); the "
              "link keeps them.",
        "zh": "X 和 K 起初编号为 1, 2, …，这样每个印章都能看出来源。可以填入你自己的数"
              "（单通道：图中使用 X[0, 0] 和 K[0, 0]）；链接会保存它们。"},
    "ct.canvas_title": {"en": "output before cropping the padding", "zh": "裁掉填充之前的输出"},
    "ct.kernel_title": {"en": "kernel K", "zh": "卷积核 K"},
    "ct.role.output": {"en": "output cell", "zh": "输出单元格"},
    "ct.role.cropped": {"en": "cropped by padding", "zh": "被填充裁掉"},
    "ct.role.unstamped": {"en": "no stamp lands here", "zh": "没有印章落在这里"},
    "ct.tip_canvas": {"en": "row {row}, column {col}\nvalue: {value}\nrole: {role}\nstamps: {stamps}",
                      "zh": "第 {row} 行，第 {col} 列\n数值：{value}\n角色：{role}\n印章数：{stamps}"},
    # status lines ({m}: the links inside the other grid's box; "_one" where the first
    # count is 1; "_outside" for a cell outside its box: a cropped cell, or a row of X a
    # convolution from the output adds); rows and columns count from the output's corner
    "ct.ex.status_output": {"en": "Input cell ({row}, {col}) stamps {n} cells ({m} inside the "
                                  "output).",
                            "zh": "输入单元格 ({row}, {col}) 盖印到 {n} 个单元格（其中 {m} 个在输出内）。"},
    "ct.ex.status_output_one": {"en": "Input cell ({row}, {col}) stamps {n} cell ({m} inside the "
                                      "output).",
                                "zh": "输入单元格 ({row}, {col}) 盖印到 {n} 个单元格（其中 {m} 个在输出内）。"},
    "ct.ex.status_output_outside": {"en": "({row}, {col}) is not an input cell: it stamps nothing.",
                                    "zh": "({row}, {col}) 不是输入单元格：它不盖任何印章。"},
    "ct.ex.status_input": {"en": "Output cell ({row}, {col}) sums {m} stamps.",
                           "zh": "输出单元格 ({row}, {col}) 是 {m} 个印章之和。"},
    "ct.ex.status_input_one": {"en": "Output cell ({row}, {col}) sums {m} stamp.",
                               "zh": "输出单元格 ({row}, {col}) 是 {m} 个印章之和。"},
    "ct.ex.status_input_outside": {
        "en": "Cropped cell ({row}, {col}): {m} stamps land here and are cropped away.",
        "zh": "被裁掉的单元格 ({row}, {col})：{m} 个印章落在这里，随后被裁掉。"},
    "ct.ex.status_input_outside_one": {
        "en": "Cropped cell ({row}, {col}): {m} stamp lands here and is cropped away.",
        "zh": "被裁掉的单元格 ({row}, {col})：{m} 个印章落在这里，随后被裁掉。"},
    "ct.ex.status_kernel": {"en": "Kernel weight ({row}, {col}) is stamped by {m} input cells; "
                                  "{q} of these stamps land inside the output.",
                            "zh": "卷积核权重 ({row}, {col}) 被 {m} 个输入单元格盖印；其中 {q} 个"
                                  "印章落在输出内。"},
    "ct.ex.status_kernel_one": {"en": "Kernel weight ({row}, {col}) is stamped by {m} input cell; "
                                      "{q} of these stamps land inside the output.",
                                "zh": "卷积核权重 ({row}, {col}) 被 {m} 个输入单元格盖印；其中 {q} 个"
                                      "印章落在输出内。"},
    "ct.ex.hint": {
        "en": "Hover or focus a cell; click (or Enter) picks an input cell; arrow keys move; Play "
              "stamps every input cell in order.",
        "zh": "悬停或聚焦单元格；点击（或按回车）选中一个输入单元格；方向键移动；"
              "“播放”依次盖下每个输入单元格的印章。"},
    # the direct form
    "ct.direct": {"en": "The same numbers as an ordinary convolution",
                  "zh": "同样的数，来自一次普通卷积"},
    "ct.direct_caption": {
        "en": "Stride − 1 = {gaps} zeros between input cells, d(k − 1) − p = {edge} zeros around "
              "(a negative count crops), output_padding = {op} more at the bottom and right; then "
              "the flipped kernel slides over it with stride 1.",
        "zh": "输入单元格之间插入 stride − 1 = {gaps} 个零，四周填充 d(k − 1) − p = {edge} 个零"
              "（负数表示裁掉），底部和右侧再加 `output_padding` = {op}；"
              "然后翻转的卷积核以步幅 1 滑过它。"},
    "ct.direct_title": {"en": "zero-inserted, padded input", "zh": "插零并填充后的输入"},
    "ct.flipped_title": {"en": "flipped kernel", "zh": "翻转的卷积核"},
    "ct.role.input": {"en": "input cell", "zh": "输入单元格"},
    "ct.role.inserted": {"en": "inserted zero", "zh": "插入的零"},
    "ct.role.padding": {"en": "padding zero", "zh": "填充的零"},
    "ct.role.stamp": {"en": "where the stamp lands", "zh": "印章落下的位置"},
    "ct.role.tap": {"en": "the window of the chosen output", "zh": "所选输出的窗口"},
    "ct.role": {"en": "role", "zh": "角色"},
    # overlap and resize-then-convolve
    "ct.overlap": {"en": "How many stamps land on each output cell",
                   "zh": "每个输出单元格上落了几个印章"},
    "ct.overlap_title": {"en": "stamps per output cell", "zh": "每个输出单元格的印章数"},
    "ct.resize_title": {"en": "resize ×{s} then convolve: taps reading the image",
                        "zh": "先放大 ×{s} 再卷积：读到图像的卷积核位置数"},
    "ct.count": {"en": "count", "zh": "个数"},
    # what the overlap counts show (convlab's ScatterMap.pattern): {counts} the counts far
    # from the border, {n} the largest, {lo} the smallest anywhere
    "ct.pattern.uneven_overlap": {
        "en": "Uneven: away from the border, neighbouring output cells get different numbers "
              "of stamps ({counts}) in a pattern that repeats with the stride, because the "
              "kernel size is not a multiple of the stride. This is the checkerboard artifact "
              "of Odena, Dumoulin & Olah (2016). Resizing first (nearest neighbour) and then "
              "convolving reads the same number of taps everywhere away from the border.",
        "zh": "不均匀：远离边缘处，相邻的输出单元格得到的印章数不同（{counts}），并随步幅重复，"
              "因为卷积核大小不是步幅的整数倍。这就是 Odena、Dumoulin 与 Olah（2016）所说的"
              "棋盘格伪影。先（最近邻）放大再卷积，除边缘外处处读到同样多的卷积核位置。"},
    "ct.pattern.holes": {
        "en": "A grid of holes: the dilation and the stride share a factor, so the taps of "
              "every stamp land only on some rows or columns, and the cells between get no "
              "stamp at all (counts away from the border: {counts}). Resizing first (nearest "
              "neighbour) and then convolving reads every cell.",
        "zh": "一张有洞的网格：膨胀与步幅有公因数，所以每个印章的卷积核位置只落在某些行或列上，"
              "其间的单元格完全没有印章（远离边缘处的印章数：{counts}）。先（最近邻）放大再"
              "卷积，每个单元格都会被读到。"},
    "ct.pattern.edge_only": {
        "en": "Even away from the border: the kernel's taps cover every position between two "
              "input cells equally often ({n} stamps each), so there is no checkerboard. Only "
              "cells near the border get fewer (as few as {lo}): their other stamps would come "
              "from input cells beyond the edge, and rows or columns added by "
              "`output_padding` get none.",
        "zh": "除边缘外均匀：卷积核的各位置同样频繁地覆盖两个输入单元格之间的每个位置"
              "（每处 {n} 个印章），所以没有棋盘格。只有靠近边缘的单元格得到的较少（最少 "
              "{lo} 个）：它们其余的印章本应来自边缘之外的输入单元格，`output_padding` "
              "添加的行或列则一个印章也没有。"},
    "ct.pattern.even": {
        "en": "Even: every output cell gets the same number of stamps ({lo}).",
        "zh": "均匀：每个输出单元格得到同样多的印章（{lo} 个）。"},
    # the round trip
    "ct.round_trip": {"en": "The shape round trip: Conv2d, then ConvTranspose2d",
                      "zh": "形状往返：先 Conv2d，再 ConvTranspose2d"},
    "ct.rt_caption": {
        "en": "A Conv2d with the same kernel, stride, padding and dilation maps each of these "
              "input sizes to {h} × {w}, this layer's input. With a = output_padding = 0 the "
              "transposed layer returns to the smallest; `output_padding` (or "
              "`layer(x, output_size=...)`) picks another.",
        "zh": "用同样的卷积核、步幅、填充和膨胀的 Conv2d，会把下面每个输入尺寸都变成 "
              "{h} × {w}，也就是本层的输入。a = `output_padding` 为 0 时转置层回到最小的那个；"
              "`output_padding`（或 `layer(x, output_size=...)`）选择其他尺寸。"},
    "ct.rt_none": {"en": "No Conv2d input with these settings gives {h} × {w}: {why}",
                   "zh": "在这些设置下，没有任何 Conv2d 输入能得到 {h} × {w}：{why}"},
    "ct.rt.conv_in": {"en": "Conv2d input", "zh": "Conv2d 输入"},
    "ct.rt.back": {"en": "back (a = 0)", "zh": "反向（a = 0）"},
    "ct.rt.op": {"en": "a that returns", "zh": "能回去的 a"},
    "ct.rt.returns": {"en": "this layer's a returns", "zh": "本层的 a 能回去"},
    "ct.rt.yes": {"en": "yes", "zh": "能"},
    "ct.rt.no": {"en": "no", "zh": "不能"},
    "ct.check_note": {
        "en": "X, K and b are drawn at random (seed 0) with the page's shapes; PyTorch's layer ran "
              "on {device}.",
        "zh": "X、K、b 按本页的形状随机生成（种子 0）；PyTorch 的层在 {device} 上运行。"},
    # checks
    "check.what.transpose_formula": {"en": "formula: output shape {shape}",
                                     "zh": "公式：输出形状 {shape}"},
    "check.oracle.nn_conv_transpose2d": {"en": "nn.ConvTranspose2d(...)(x).shape = {oracle_shape}",
                                         "zh": "nn.ConvTranspose2d(...)(x).shape = {oracle_shape}"},
    "check.what.transpose_zero_insertion": {
        "en": "zero insertion + padding + flipped-kernel correlation",
        "zh": "插零 + 填充 + 翻转卷积核的互相关"},
    "check.what.transpose_scatter": {"en": "scatter-add: each input cell stamps value × kernel",
                                     "zh": "散射相加：每个输入单元格盖印“数值 × 卷积核”"},
    "check.what.transpose_unrolled": {
        "en": "the transpose of the unrolled Conv2d matrix, Mᵀx",
        "zh": "展开的 Conv2d 矩阵的转置，Mᵀx"},
    "check.what.transpose_autograd": {
        "en": "autograd: the gradient of conv2d with respect to its input",
        "zh": "自动求导：conv2d 对其输入的梯度"},
    "check.what.overlap_count": {"en": "stamps per output cell (the overlap count)",
                                 "zh": "每个输出单元格的印章数（重叠计数）"},
    "check.oracle.f_conv_transpose2d": {"en": "F.conv_transpose2d(X, K, b, ...)",
                                        "zh": "F.conv_transpose2d(X, K, b, ...)"},
    "check.oracle.f_conv_transpose2d_ones": {"en": "F.conv_transpose2d(ones, ones, ...)",
                                             "zh": "F.conv_transpose2d(全 1, 全 1, ...)"},
    # predict, then check: the slips of the transposed size formula
    "predict.slip.conv_formula": {
        "en": "Your number is Conv2d's formula: a transposed convolution runs it backwards, "
              "from the output size to the input size.",
        "zh": "你的结果用的是 Conv2d 的公式：转置卷积是把它倒过来，从输出尺寸回到输入尺寸。"},
    "predict.slip.times_stride": {
        "en": "Your number only multiplies by the stride: the kernel's reach d(k − 1) + 1, the "
              "padding and output_padding count too.",
        "zh": "你的结果只乘了步幅：卷积核的跨度 d(k − 1) + 1、填充和 `output_padding` 也要算进去。"},
    "predict.slip.no_minus_one": {
        "en": "Your number uses H × s: there are H − 1 gaps of s between the first and the last "
              "input cell, so (H − 1) × s.",
        "zh": "你的结果用了 H × s：第一个和最后一个输入单元格之间只有 H − 1 个间隔，所以是 (H − 1) × s。"},
    "predict.slip.one_side_crop": {
        "en": "Your number crops the padding from one side only: ConvTranspose2d removes p from "
              "both sides, 2p in all.",
        "zh": "你的结果只从一侧裁掉了填充：ConvTranspose2d 两侧各裁 p，共 2p。"},
    "predict.slip.no_output_padding": {
        "en": "Your number leaves out output_padding, added once at the bottom and right.",
        "zh": "你的结果漏掉了 `output_padding`，它在底部和右侧各加一次。"},
}
