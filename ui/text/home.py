"""The home page."""

TEXT: dict[str, dict[str, str]] = {
    'home.title': {
        "en": 'ConvLab — a laboratory for 2-D convolution',
        "zh": 'ConvLab —— 二维卷积实验室'},
    'home.intro': {
        "en": "Move a slider and watch why a formula holds. Every number here is computed live and checked against PyTorch's own layers on the device you choose in the sidebar. Each page keeps its settings in the link, so you can share one exact view. Examples marked “d2l 7.4” come from that section of Dive into Deep Learning (d2l.ai; the Chinese edition numbers the same chapters one lower: 6.4).",
        "zh": '拖动滑块，看公式为何成立。这里的每个数字都是实时计算的，并在侧边栏所选设备上与 PyTorch 自己的层核对。每个页面的设置都保存在链接里，可以分享完全相同的视图。标注为“d2l 7.4”的示例出自《动手学深度学习》（d2l.ai）英文版的该节；中文版（zh.d2l.ai）的章节号小 1，即 6.4。'},
    'home.device': {
        "en": 'Computing on `{device}` with PyTorch {torch}.',
        "zh": '正在 `{device}` 上用 PyTorch {torch} 计算。'},
    'home.card.output_size': {
        "en": 'Why is my output 13×13 and not 14×14? The Conv2d formula step by step — effective kernel, padding, the floor and what it throws away — with a picture of every window.',
        "zh": '为什么输出是 13×13 而不是 14×14？逐步拆解 Conv2d 的公式——有效卷积核、填充、向下取整以及被舍弃的部分——并画出每个窗口。'},
    'home.card.multichannel': {
        "en": "d2l 7.4, multiple input and output channels: each channel's partial map, their sum, and the arithmetic of one output cell term by term (… = 56).",
        "zh": 'd2l 7.4（中文版 6.4）“多输入多输出通道”：每个输入通道的部分结果、它们的和，以及一个输出单元格逐项展开的算式（… = 56）。'},
    'home.open': {
        "en": 'Open',
        "zh": '打开'},
    "home.card.fc_conv": {
        "en": "Can this Linear layer become a convolution? Both ways, with the numbers of two worked examples learners meet (a seeded nn.Linear(4, 2) → 0.2983, 1.4994; fixed weights and ReLU → 14.9, 19.0), the unrolled weight matrix, and sliding a classifier over a larger image.",
        "zh": "这个全连接层能变成卷积吗？双向转换，使用两个常见示例中的数字（设定随机种子的 nn.Linear(4, 2) → 0.2983、1.4994；固定权重加 ReLU → 14.9、19.0），画出展开的权重矩阵，并把分类器滑过更大的图像。"},
}
