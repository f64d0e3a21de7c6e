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
    'home.open': {
        "en": 'Open',
        "zh": '打开'},
}
