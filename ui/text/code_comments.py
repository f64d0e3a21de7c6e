"""The reproduce scripts' comments in Chinese: convlab writes a script's comments in
English (a script is data, and PyTorch's own words are English); on the Chinese page each
comment that is prose is replaced by its entry here. Shape comments (``# (C_in, H, W)``)
need none. Keyed by the English comment exactly as the script writes it."""

COMMENTS = {
    'a true convolution flips the kernel; F.conv2d cross-correlates':
        '真正的卷积会翻转卷积核；F.conv2d 做的是互相关',
    'the target is a true convolution: the kernel flipped, then correlated':
        '目标是真正的卷积：先翻转卷积核，再做互相关',
    'the target: X cross-correlated with K':
        '目标：X 与 K 的互相关',
    '(H, W) -> (1, 1, H, W): batch and channel of size 1':
        '(H, W) -> (1, 1, H, W)：批量和通道都为 1',
    'one kernel as large as the whole (C, H, W) input':
        '一个与整个 (C, H, W) 输入一样大的卷积核',
    'every input value its own channel of a 1 x 1 image, a 1 x 1 kernel':
        '每个输入值自成一个 1 x 1 图像的通道，卷积核为 1 x 1',
    'a 1x1 convolution is one matrix multiply: the pixels are the columns':
        '1x1 卷积就是一次矩阵乘法：像素是列',
    'one bias per output channel':
        '每个输出通道一个偏置',
    'the same arguments, its own random weights':
        '同样的参数，各自的随机权重',
    'False: different weights':
        'False：权重不同',
    "each maximum's cell in its channel, i * W + j":
        '每个最大值在其通道中的位置，i * W + j',
    "every output's gradient is 1":
        '每个输出的梯度都是 1',
    "where the gradient goes: to each window's maximum":
        '梯度流向哪里：流向每个窗口的最大值',
    'The same numbers as an ordinary convolution: stride - 1 zeros between input cells,':
        '与普通卷积得到相同的数：输入格之间插入 stride - 1 个零，',
    'd(k - 1) - p zeros around them (output_padding more at the bottom and right), then':
        '四周补 d(k - 1) - p 个零（底部和右侧再多 output_padding 个），然后',
    'a stride-1 correlation with the kernel flipped and its channel axes swapped.':
        '用翻转并交换通道轴的卷积核做步幅为 1 的互相关。',
    'negative: crop':
        '为负时：裁剪',
    'The meta device computes shapes without allocating anything.':
        'meta 设备只计算形状，不分配任何内存。',
    'Without its bias the layer is linear in its input: column i of its matrix is its':
        '去掉偏置，这一层对输入是线性的：它的矩阵第 i 列就是它对',
    'response to basis image i (a single 1, zeros elsewhere).':
        '基图像 i（只有一个 1，其余为零）的响应。',
    "one copy of each channel's bias per output position":
        '每个输出位置放一份各通道的偏置',
}
