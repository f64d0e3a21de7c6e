"""The Conv2d control group, shared by every page that sets up a layer."""

TEXT: dict[str, dict[str, str]] = {
    'conv.n': {
        "en": 'batch N',
        "zh": '批量 N'},
    'conv.cin': {
        "en": 'in_channels',
        "zh": '输入通道 in_channels'},
    'conv.cout': {
        "en": 'out_channels',
        "zh": '输出通道 out_channels'},
    'conv.groups': {
        "en": 'groups',
        "zh": '分组 groups'},
    'conv.h': {
        "en": 'input height H',
        "zh": '输入高度 H'},
    'conv.w': {
        "en": 'input width W',
        "zh": '输入宽度 W'},
    'conv.lock': {
        "en": 'same height and width',
        "zh": '高宽设置相同'},
    'conv.lock_help': {
        "en": 'Keep every width setting equal to its height setting. Turn it off for rectangular inputs, kernels, strides and padding.',
        "zh": '让每个宽度设置等于对应的高度设置。关闭后可设置矩形的输入、卷积核、步幅和填充。'},
    'conv.bias': {
        "en": 'bias',
        "zh": '偏置 bias'},
    'conv.kh': {
        "en": 'kernel height',
        "zh": '卷积核高'},
    'conv.kw': {
        "en": 'kernel width',
        "zh": '卷积核宽'},
    'conv.sh': {
        "en": 'stride (rows)',
        "zh": '步幅（行）'},
    'conv.sw': {
        "en": 'stride (columns)',
        "zh": '步幅（列）'},
    'conv.pad': {
        "en": 'padding',
        "zh": '填充 padding'},
    'conv.pad.number': {
        "en": 'number',
        "zh": '数值'},
    'conv.pad.same': {
        "en": "'same'",
        "zh": "'same'"},
    'conv.pad.valid': {
        "en": "'valid'",
        "zh": "'valid'"},
    'conv.p_applied': {
        "en": "{label} — {mode} adds {before} before, {after} after",
        "zh": "{label} —— {mode} 实际补 {before}（前）和 {after}（后）"},
    'conv.ph': {
        "en": 'padding (top and bottom)',
        "zh": '填充（上、下）'},
    'conv.pw': {
        "en": 'padding (left and right)',
        "zh": '填充（左、右）'},
    'conv.dh': {
        "en": 'dilation (rows)',
        "zh": '膨胀（行）'},
    'conv.dw': {
        "en": 'dilation (columns)',
        "zh": '膨胀（列）'},
    'conv.mode': {
        "en": 'padding_mode',
        "zh": '填充模式 padding_mode'},
    'conv.oi': {
        "en": 'output row',
        "zh": '输出行'},
    'conv.oj': {
        "en": 'output column',
        "zh": '输出列'},
    'conv.groups_help': {
        "en": 'Must divide both in_channels and out_channels. Channels are split into groups that never mix; groups = in_channels is a depthwise convolution.',
        "zh": '必须同时整除 in_channels 和 out_channels。通道被分成互不混合的组；groups 等于 in_channels 时即深度卷积。'},
    # The height setting's words when it is the one setting (lock on, or one axis).
    'conv.k': {"en": 'kernel size k', "zh": '卷积核大小 k'},
    'conv.s': {"en": 'stride s', "zh": '步幅 s'},
    'conv.p': {"en": 'padding p (each side)', "zh": '填充 p（每侧）'},
    'conv.d': {"en": 'dilation d', "zh": '膨胀 d'},
    'conv.t': {"en": 'input depth D (frames)', "zh": '输入深度 D（帧数）'},
    'conv.kt': {"en": 'kernel depth', "zh": '卷积核深度'},
    'conv.st': {"en": 'stride (depth)', "zh": '步幅（深度）'},
    'conv.pt': {"en": 'padding (front and back)', "zh": '填充（前、后）'},
    'conv.dt': {"en": 'dilation (depth)', "zh": '膨胀（深度）'},
}
