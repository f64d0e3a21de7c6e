"""The output-size page, its menu entry and home card."""

TEXT: dict[str, dict[str, str]] = {
    'nav.output_size': {
        "en": 'Output size',
        "zh": '输出尺寸'},
    'home.card.output_size': {
        "en": 'Why is my output 13×13 and not 14×14? The Conv2d formula step by step — effective kernel, padding, the floor and what it throws away — with a picture of every window.',
        "zh": '为什么输出是 13×13 而不是 14×14？逐步拆解 Conv2d 的公式——有效卷积核、填充、向下取整以及被舍弃的部分——并画出每个窗口。'},
    'os.title': {
        "en": 'Conv2d output size',
        "zh": 'Conv2d 输出尺寸'},
    'os.intro': {
        "en": "Set up an `nn.Conv2d` and an input. ConvLab substitutes your numbers into PyTorch's formula, builds the real layer, runs it, and compares the shapes.",
        "zh": '设置一个 `nn.Conv2d` 和输入。ConvLab 把你的数字代入 PyTorch 的公式，构建真实的层并运行，再比较两者的形状。'},
    'os.preset': {
        "en": 'Start from an example',
        "zh": '从示例开始'},
    'os.preset.notes_4x4': {
        "en": 'Input (1, 1, 4, 4), 3×3 kernel → (1, 1, 2, 2)',
        "zh": '输入 (1, 1, 4, 4)，3×3 卷积核 → (1, 1, 2, 2)'},
    'os.preset.d2l_pad1': {
        "en": 'd2l 7.3: 8×8, kernel 3, padding 1 → 8×8',
        "zh": 'd2l 7.3（中文版 6.3）：8×8，卷积核 3，填充 1 → 8×8'},
    'os.preset.d2l_5x3': {
        "en": 'd2l 7.3: 8×8, kernel (5, 3), padding (2, 1) → 8×8',
        "zh": 'd2l 7.3（中文版 6.3）：8×8，卷积核 (5, 3)，填充 (2, 1) → 8×8'},
    'os.preset.d2l_stride2': {
        "en": 'd2l 7.3: 8×8, kernel 3, padding 1, stride 2 → 4×4',
        "zh": 'd2l 7.3（中文版 6.3）：8×8，卷积核 3，填充 1，步幅 2 → 4×4'},
    'os.preset.d2l_3x5_s34': {
        "en": 'd2l 7.3: 8×8, kernel (3, 5), padding (0, 1), stride (3, 4) → 2×2',
        "zh": 'd2l 7.3（中文版 6.3）：8×8，卷积核 (3, 5)，填充 (0, 1)，步幅 (3, 4) → 2×2'},
    'os.preset.why_13': {
        "en": 'Why 13×13 and not 14×14? (28×28, kernel 3, stride 2)',
        "zh": '为什么是 13×13 而不是 14×14？（28×28，卷积核 3，步幅 2）'},
    'os.preset.same_even': {
        "en": "padding='same' with an even kernel (uneven padding)",
        "zh": "偶数卷积核的 padding='same'（两侧填充不等）"},
    'os.out_shape': {
        "en": 'output shape',
        "zh": '输出形状'},
    'os.weight_shape': {
        "en": 'weight shape',
        "zh": '权重形状'},
    'os.formula': {
        "en": "PyTorch's formula with your numbers",
        "zh": '代入你的数字的 PyTorch 公式'},
    'os.axis_h': {
        "en": 'Height',
        "zh": '高度'},
    'os.axis_w': {
        "en": 'Width',
        "zh": '宽度'},
    'os.floor_exact': {
        "en": '{axis}: the division is exact, so every padded cell can be reached.',
        "zh": '{axis}：恰好整除，每个填充后的单元格都能被窗口覆盖。'},
    'os.floor_drops': {
        "en": '{axis}: the floor throws away a remainder of {r}: the last {r} padded cell(s) are never read. {need} more padding cell(s) in total would give one more output.',
        "zh": '{axis}：向下取整舍去余数 {r}：最后 {r} 个填充后的单元格永远不会被读取。总共再多填充 {need} 个单元格，就能多得到一个输出。'},
    'os.same_uneven': {
        "en": "With padding='same' and an even effective kernel, PyTorch pads one more cell at the bottom/right than at the top/left.",
        "zh": "padding='same' 且有效卷积核为偶数时，PyTorch 在下/右侧比上/左侧多填充一个单元格。"},
    'os.check_note': {
        "en": 'A real nn.Conv2d was built with these settings and run on a random input ({ms} ms).',
        "zh": '用这些设置构建了真实的 nn.Conv2d，并在随机输入上运行（{ms} 毫秒）。'},
    'os.picture': {
        "en": 'Where each window reads',
        "zh": '每个窗口读取哪里'},
    'os.picture_caption': {
        "en": 'One input channel numbered 1, 2, 3, …, padded the way padding_mode pads it. Pick an output cell to see the input cells its kernel taps read.',
        "zh": '一个输入通道，按 1, 2, 3, … 编号，并按 padding_mode 的方式填充。选择一个输出单元格，查看其卷积核读取的输入单元格。'},
    'os.grid_title': {
        "en": "padded input (padding_mode='{mode}')",
        "zh": "填充后的输入（padding_mode='{mode}'）"},
    'os.out_title': {
        "en": 'output cells',
        "zh": '输出单元格'},
    'os.click_hint': {
        "en": 'Click a cell to pick it.',
        "zh": '点击单元格即可选中。'},
    'os.coverage': {
        "en": 'How many windows read each cell',
        "zh": '每个单元格被多少个窗口读取'},
    'os.coverage_caption': {
        "en": '0 marks cells no window reaches: the rows and columns the floor leaves unread, or gaps skipped by dilation and stride.',
        "zh": '0 表示没有窗口到达的单元格：向下取整留下的行和列，或被膨胀与步幅跳过的空隙。'},
    'os.role.input': {
        "en": 'input',
        "zh": '输入'},
    'os.role.padding': {
        "en": 'padding',
        "zh": '填充'},
    'os.role.tap': {
        "en": 'selected window',
        "zh": '选中的窗口'},
    'os.role.unread': {
        "en": 'never read',
        "zh": '从未读取'},
    'os.role.coverage': {
        "en": 'windows',
        "zh": '窗口数'},
    'os.role.role': {
        "en": 'role',
        "zh": '角色'},
    'os.ph_help': {
        "en": "Per side, as in PyTorch (d2l 7.3's p is the total of both sides). -1 is allowed so you can see PyTorch refuse it.",
        "zh": '每一侧的填充量，与 PyTorch 一致（d2l 7.3，中文版 6.3，中的 p 是两侧之和）。允许 -1，以便看到 PyTorch 如何拒绝它。'},
    'os.zero_help': {
        "en": '0 is allowed so you can see PyTorch refuse it.',
        "zh": '允许设为 0，以便看到 PyTorch 如何拒绝它。'},
    "os.predict": {"en": "before you look at the numbers below: what output size "
                         "(height × width) will PyTorch give?",
                   "zh": "先别看下面的数字：PyTorch 会给出多大的输出（高 × 宽）？"},
    'os.dims': {"en": 'spatial dimensions', "zh": '空间维数'},
    'os.dims_help': {
        "en": 'As d2l 7.1–7.2 go on to say: correlation exists for sequences (1-D, nn.Conv1d) and videos or '
              'medical volumes (3-D, nn.Conv3d) too. The formula holds for each axis alone.',
        "zh": '正如 d2l 7.1–7.2（中文版 6.1–6.2）接着讲到的：互相关也用于序列（1 维，nn.Conv1d）和视频或医学体数据（3 维，'
              'nn.Conv3d）。公式对每个轴单独成立。'},
    'os.dims.1': {"en": '1-D: a sequence (nn.Conv1d)', "zh": '1 维：序列（nn.Conv1d）'},
    'os.dims.2': {"en": '2-D: an image (nn.Conv2d)', "zh": '2 维：图像（nn.Conv2d）'},
    'os.dims.3': {"en": '3-D: a video or volume (nn.Conv3d)',
                  "zh": '3 维：视频或体数据（nn.Conv3d）'},
    'os.length': {"en": 'sequence length L', "zh": '序列长度 L'},
    'os.axis_l': {"en": 'length', "zh": '长度'},
    'os.axis_d': {"en": 'depth', "zh": '深度'},
    'os.preset.audio_1d': {
        "en": '1-D audio: one second at 16 kHz, kernel 3, stride 2 (nn.Conv1d)',
        "zh": '1 维音频：16 kHz 下的一秒，卷积核 3，步幅 2（nn.Conv1d）'},
    'os.preset.video_3d': {
        "en": '3-D video: 8 frames of 32 × 32, a (3, 3, 3) kernel (nn.Conv3d)',
        "zh": '3 维视频：8 帧 32 × 32，(3, 3, 3) 卷积核（nn.Conv3d）'},
    'os.picture_1d': {
        "en": 'The sequence drawn as one row: the same window, sliding along one axis.',
        "zh": '序列画成一行：同样的窗口，沿一个轴滑动。'},
    'os.picture_3d': {
        "en": "One frame's H × W plane: the depth axis slides the same way, by its own "
              "numbers in the formula above.",
        "zh": '一帧的 H × W 平面：深度轴以同样的方式滑动，数字见上面的公式。'},
    'os.picture_crops': {
        "en": 'Negative padding with `padding_mode={mode}` crops the input before the windows '
              'slide; the picture draws padding, not cropping, so it is left out. Every number '
              'above is PyTorch\'s.',
        "zh": '`padding_mode={mode}` 下的负填充会先裁掉输入的边缘，再滑动窗口；这张图只画填充、'
              '不画裁剪，因此略去。上面的数字都与 PyTorch 一致。'},
    'os.picture_too_long': {
        "en": 'Too long to draw cell by cell ({n} padded cells; the picture draws up to '
              '{max}). Every number above is for the whole sequence.',
        "zh": '太长，无法逐格画出（填充后 {n} 格；图最多画 {max} 格）。上面的数字都针对整个序列。'},
    "os.predict_1d": {"en": "before you look at the numbers below: what output length will "
                            "PyTorch give?",
                      "zh": "先别看下面的数字：PyTorch 会给出多长的输出？"},
    "os.predict_3d": {"en": "before you look at the numbers below: what output size "
                            "(depth × height × width) will PyTorch give?",
                      "zh": "先别看下面的数字：PyTorch 会给出多大的输出（深 × 高 × 宽）？"},
}
