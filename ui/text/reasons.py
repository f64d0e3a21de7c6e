"""Why PyTorch (or ConvLab's own bound) refuses a setting: one entry per reason code that
convlab puts on a ``ConvConfigError`` (``err.code``); ``{parameter}`` and ``{value}`` are
the error's, the other placeholders come from ``err.values``."""

TEXT = {
    'error.or': {
        'en': ', or ',
        'zh': '，或 ',
    },
    'reason.generic': {
        'en': '{parameter} cannot be {value} here',
        'zh': '这里的 {parameter} 不能取 {value}',
    },
    'reason.int_not_bool': {
        'en': '{parameter} must be an integer, not True or False',
        'zh': '{parameter} 必须是整数，不能是 True 或 False',
    },
    'reason.not_int': {
        'en': '{parameter} must be an integer',
        'zh': '{parameter} 必须是整数',
    },
    'reason.not_bool': {
        'en': '{parameter} must be True or False',
        'zh': '{parameter} 必须是 True 或 False',
    },
    'reason.not_int_or_tuple': {
        'en': '{parameter} must be one integer or one per axis ({dims} in all) for a {dims}-D layer',
        'zh': '{dims} 维的层里，{parameter} 必须是一个整数，或每个轴一个（共 {dims} 个）',
    },
    'reason.bad_padding': {
        'en': "padding must be a number, one per axis, 'same' or 'valid'",
        'zh': "padding 必须是数字、每个轴一个数字、'same' 或 'valid'",
    },
    'reason.not_positive': {
        'en': '{parameter} must be greater than zero',
        'zh': '{parameter} 必须大于零',
    },
    'reason.negative': {
        'en': '{parameter} must not be negative: PyTorch does not support negative padding',
        'zh': '{parameter} 不能为负：PyTorch 不支持负的填充',
    },
    'reason.one_of': {
        'en': '{parameter} must be one of: {choices}',
        'zh': '{parameter} 只能取以下之一：{choices}',
    },
    'reason.bad_shape': {
        'en': 'the input shape must be (C, H, W) or (N, C, H, W), with positive height and width',
        'zh': '输入形状必须是 (C, H, W) 或 (N, C, H, W)，且高和宽为正',
    },
    'reason.same_strided': {
        'en': "padding='same' needs stride 1: PyTorch does not support it for strided convolutions",
        'zh': "padding='same' 要求步幅为 1：PyTorch 不支持带步幅的 'same' 填充",
    },
    'reason.groups_divide': {
        'en': '{name}={count} is not divisible by groups',
        'zh': '{name}={count} 不能被 groups 整除',
    },
    'reason.kernel_too_big': {
        'en': 'the kernel is larger than the padded input: its effective size {kernel} does not fit in {padded}',
        'zh': '卷积核比填充后的输入还大：有效尺寸 {kernel} 放不进 {padded}',
    },
    'reason.bad_dims': {
        'en': 'a convolution has 1, 2 or 3 spatial dimensions',
        'zh': '卷积的空间维度只能是 1、2 或 3',
    },
    'reason.input_sizes': {
        'en': 'a {dims}-D layer needs {dims} positive input sizes',
        'zh': '{dims} 维的层需要 {dims} 个正的输入尺寸',
    },
    'reason.reflect_too_far': {
        'en': 'reflect padding must be smaller than the input ({size}) on every side',
        'zh': '反射填充在每一边都必须小于输入（{size}）',
    },
    'reason.circular_too_far': {
        'en': 'circular padding may wrap around at most once: at most the input size ({size})',
        'zh': '循环填充最多绕回一圈：不能超过输入尺寸（{size}）',
    },
    'reason.lab_input': {
        'en': 'the input or output is larger than ConvLab runs ({limit:,} elements)',
        'zh': '输入或输出超过了 ConvLab 运行的上限（{limit:,} 个元素）',
    },
    'reason.lab_output': {
        'en': 'the output is larger than ConvLab runs',
        'zh': '输出超过了 ConvLab 运行的上限',
    },
    'reason.channels_mismatch': {
        'en': 'the weight expects an input with {expected} channels, and the input has {got}',
        'zh': '权重要求输入有 {expected} 个通道，而输入有 {got} 个',
    },
    'reason.features_mismatch': {
        'en': "C × H × W must equal the layer's in_features ({expected}), and it is {got}",
        'zh': 'C × H × W 必须等于该层的 in_features（{expected}），而它是 {got}',
    },
    'reason.transpose_padding': {
        'en': "a transposed convolution takes a number or one per axis: 'same' and 'valid' are Conv2d's only",
        'zh': "转置卷积只接受数字或每个轴一个数字：'same' 和 'valid' 只属于 Conv2d",
    },
    'reason.transpose_zeros_only': {
        'en': "ConvTranspose2d supports only padding_mode='zeros'",
        'zh': "ConvTranspose2d 只支持 padding_mode='zeros'",
    },
    'reason.output_not_positive': {
        'en': 'the output size {size} is not positive',
        'zh': '输出尺寸 {size} 不是正数',
    },
    'reason.output_padding_too_big': {
        'en': 'output padding must be smaller than either the stride ({stride}) or the dilation ({dilation})',
        'zh': '输出填充必须小于步幅（{stride}）或扩张（{dilation}）之一',
    },
    'reason.no_input_gives': {
        'en': 'no input size gives this output: the smallest output of this layer is {smallest}',
        'zh': '没有输入尺寸能得到这个输出：该层最小的输出是 {smallest}',
    },
    'reason.output_size_range': {
        'en': 'for an input of {given}, the output size can only be from {low} to {high}',
        'zh': '输入为 {given} 时，输出尺寸只能在 {low} 到 {high} 之间',
    },
    'reason.tensor_rank': {
        'en': '{parameter} must be {dims}-D {layout}',
        'zh': '{parameter} 必须是 {dims} 维 {layout}',
    },
    'reason.bias_shape': {
        'en': 'the bias needs one value per output channel ({count})',
        'zh': '偏置需要每个输出通道一个值（{count} 个）',
    },
    'reason.int_range': {
        'en': '{parameter} must be an integer from {low} to {high}',
        'zh': '{parameter} 必须是 {low} 到 {high} 之间的整数',
    },
    'reason.number_range': {
        'en': '{parameter} must be a number above {low} and at most {high}',
        'zh': '{parameter} 必须是大于 {low}、不超过 {high} 的数',
    },
    'reason.side_range': {
        'en': 'each side of {parameter} must be from 1 to {high}',
        'zh': '{parameter} 的每条边必须在 1 到 {high} 之间',
    },
    'reason.not_finite': {
        'en': 'the values of {parameter} must be finite and at most {limit} in size',
        'zh': '{parameter} 的值必须是有限数，且绝对值不超过 {limit}',
    },
    'reason.kernel_fit': {
        'en': 'the kernel must be 1 to {high} on a side and fit inside X ({size})',
        'zh': '卷积核每边必须在 1 到 {high} 之间，并且放得进 X（{size}）',
    },
}
