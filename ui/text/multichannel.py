"""The multi-channel correlation page, its menu entry and home card."""

TEXT: dict[str, dict[str, str]] = {
    'nav.multichannel': {
        "en": 'Multi-channel correlation',
        "zh": '多通道互相关'},
    'home.card.multichannel': {
        "en": "d2l 7.4, multiple input and output channels: each channel's partial map, their sum, and the arithmetic of one output cell term by term (… = 56).",
        "zh": 'd2l 7.4（中文版 6.4）“多输入多输出通道”：每个输入通道的部分结果、它们的和，以及一个输出单元格逐项展开的算式（… = 56）。'},
    'mc.title': {
        "en": 'Multiple input and output channels',
        "zh": '多输入多输出通道'},
    'mc.intro': {
        "en": "Each output channel correlates every input channel with its own kernel slice and adds the maps up (plus a bias). Pick an output cell to see its sum written out term by term. Everything is computed with convlab's vectorised code and checked against `F.conv2d`.",
        "zh": '每个输出通道把每个输入通道与各自的卷积核切片做互相关，再把结果相加（加上偏置）。选择一个输出单元格，可看到它的求和逐项展开。所有结果由 convlab 的向量化代码计算，并与 `F.conv2d` 核对。'},
    'mc.preset.d2l_two': {
        "en": 'd2l 7.4: two input channels → [[56, 72], [104, 120]]',
        "zh": 'd2l 7.4（中文版 6.4）：两个输入通道 → [[56, 72], [104, 120]]'},
    'mc.preset.d2l_one': {
        "en": "d2l 7.2's first example: one channel, corr2d → [[19, 25], [37, 43]]",
        "zh": 'd2l 7.2（中文版 6.2）的第一个例子：单通道 corr2d → [[19, 25], [37, 43]]'},
    'mc.preset.d2l_three': {
        "en": 'd2l 7.4: three output channels (K, K+1, K+2)',
        "zh": 'd2l 7.4（中文版 6.4）：三个输出通道（K, K+1, K+2）'},
    'mc.preset.edge': {
        "en": 'Edge detection: 6×8 stripe, K = [[1, −1]]',
        "zh": '边缘检测：6×8 条纹，K = [[1, −1]]'},
    'mc.preset.edge_t': {
        "en": 'Edge detection on the transposed stripe (all zeros)',
        "zh": '对转置后的条纹做边缘检测（全为零）'},
    'mc.preset.random': {
        "en": "Random (d2l 7.4's 1×1 example: 3 in, 2 out)",
        "zh": '随机（d2l 7.4，中文版 6.4，的 1×1 示例：3 个输入、2 个输出）'},
    'mc.preset.custom': {
        "en": 'Custom (your tensors)',
        "zh": '自定义（你的张量）'},
    'mc.reroll': {
        "en": 'New random numbers (same shape)',
        "zh": '换一组随机数（形状不变）'},
    'mc.cin': {
        "en": 'input channels',
        "zh": '输入通道数'},
    'mc.cout': {
        "en": 'output channels',
        "zh": '输出通道数'},
    'mc.flip': {
        "en": 'true convolution (flip the kernel)',
        "zh": '真正的卷积（翻转卷积核）'},
    'mc.flip_help': {
        "en": "Deep-learning 'convolution' is cross-correlation. A true convolution flips the kernel in both axes first.",
        "zh": '深度学习中的“卷积”其实是互相关。真正的卷积会先把卷积核上下、左右翻转。'},
    'mc.flip_note': {
        "en": 'True convolution: every kernel below is shown flipped, as it is slid over the input.',
        "zh": '真正的卷积：下方每个卷积核都以翻转后的样子显示，即实际滑动时的样子。'},
    'mc.o': {
        "en": 'output channel',
        "zh": '输出通道'},
    'mc.edit': {
        "en": 'Edit the tensors',
        "zh": '编辑张量'},
    'mc.edit_caption': {
        "en": 'Type into a cell and press Enter. A bad cell is refused and the last valid tensor is kept.',
        "zh": '在单元格中输入并按回车。无效单元格会被拒绝，并保留上一次的有效张量。'},
    'mc.channel': {
        "en": 'channel {c}',
        "zh": '通道 {c}'},
    'mc.computing': {
        "en": 'Correlating…',
        "zh": '正在计算互相关…'},
    'mc.walkthrough': {
        "en": 'Output channel {o}, channel by channel',
        "zh": '输出通道 {o}，逐个输入通道展开'},
    'mc.x_title': {
        "en": 'X[{c}] (padded)',
        "zh": 'X[{c}]（已填充）'},
    'mc.k_title': {
        "en": 'K[{o}, {c}]',
        "zh": 'K[{o}, {c}]'},
    'mc.partial_title': {
        "en": 'X[{c}] ⋆ kernel',
        "zh": 'X[{c}] ⋆ 卷积核'},
    'mc.sum_title': {
        "en": 'sum over input channels',
        "zh": '对输入通道求和'},
    'mc.bias_value': {
        "en": '+ bias b[{o}]',
        "zh": '+ 偏置 b[{o}]'},
    'mc.y_title': {
        "en": 'Y[{o}]',
        "zh": 'Y[{o}]'},
    'mc.click_hint': {
        "en": 'Click a cell of Y to pick it.',
        "zh": '点击 Y 的单元格即可选中。'},
    'mc.arith': {
        "en": '**Y[{o}, {i}, {j}]**, term by term:',
        "zh": '**Y[{o}, {i}, {j}]** 逐项展开：'},
    'mc.all_outputs': {
        "en": 'All output channels',
        "zh": '全部输出通道'},
    'mc.wiring': {
        "en": 'Channel wiring',
        "zh": '通道连接'},
    'mc.wiring_caption': {
        "en": '{g} groups: each output channel reads only the {per} input channel(s) of its group.',
        "zh": '{g} 组：每个输出通道只读取本组的 {per} 个输入通道。'},
    'mc.wiring_in': {
        "en": 'input channels',
        "zh": '输入通道'},
    'mc.wiring_out': {
        "en": 'output channels',
        "zh": '输出通道'},
    'mc.check_note': {
        "en": "Three computations of the same numbers: the vectorised form the page draws, the plain loop reference, and PyTorch's F.conv2d.",
        "zh": '同一组数字的三种计算：页面所画的向量化形式、朴素循环参考实现，以及 PyTorch 的 F.conv2d。'},
    'mc.check_note_noloop': {
        "en": 'The plain loop reference is skipped at this size (it would be slow); the vectorised form is checked against F.conv2d.',
        "zh": '此规模下跳过朴素循环参考实现（太慢）；向量化形式与 F.conv2d 核对。'},
    'mc.ph': {
        "en": 'padding (rows)',
        "zh": '填充（行）'},
    'mc.pw': {
        "en": 'padding (columns)',
        "zh": '填充（列）'},
    "mc.kflip_title": {"en": "K[{o}, {c}] flipped", "zh": "翻转后的 K[{o}, {c}]"},
    "mc.predict": {"en": "what is Y[{o}, {i}, {j}]? Work it out from X and K before you look.",
                   "zh": "Y[{o}, {i}, {j}] 是多少？先根据 X 和 K 算一算，再看答案。"},
}
