"""Two layers with the same arguments (study note 004): a section of the output-size page."""

TEXT: dict[str, dict[str, str]] = {
    'twins.section': {
        "en": 'Two layers, same arguments: why their outputs differ',
        "zh": '参数相同的两个层：为什么输出不同'},
    'twins.intro': {
        "en": "Build this layer twice with the same arguments and feed both the same input (`torch.manual_seed({seed})`, then `torch.rand`). Each layer draws its own weights from PyTorch's default initialisation — kaiming-uniform with a = √5, which keeps every weight and bias within ±1/√fan_in — so the outputs differ. Copy one layer's `state_dict` into the other, or seed before each build, and they agree.",
        "zh": '用相同的参数构造这个层两次，并输入同一个张量（先 `torch.manual_seed({seed})`，再 `torch.rand`）。每个层都按 PyTorch 的默认初始化各自抽取权重——a = √5 的 kaiming 均匀分布，它让每个权重和偏置都落在 ±1/√fan_in 之内——所以两个输出不同。把一个层的 `state_dict` 复制给另一个，或在每次构造前设置同一个种子，它们就相等了。'},
    'twins.fan_in': {
        "en": 'fan_in = C_in / groups × kernel cells',
        "zh": 'fan_in = C_in / groups × 卷积核单元数'},
    'twins.bound': {
        "en": 'default bound 1/√fan_in',
        "zh": '默认范围 1/√fan_in'},
    'twins.compare': {
        "en": 'a(x) and b(x)',
        "zh": 'a(x) 与 b(x)'},
    'twins.differ': {
        "en": 'outputs before: different',
        "zh": '之前的输出：不同'},
    'twins.same': {
        "en": 'outputs before: equal',
        "zh": '之前的输出：相同'},
    'twins.weight_a': {
        "en": 'layer a: weight[0, 0]',
        "zh": '层 a：weight[0, 0]'},
    'twins.weight_b': {
        "en": 'layer b: weight[0, 0]',
        "zh": '层 b：weight[0, 0]'},
    'twins.output_a': {
        "en": 'a(x)[0, 0]',
        "zh": 'a(x)[0, 0]'},
    'twins.output_b': {
        "en": 'b(x)[0, 0] — different',
        "zh": 'b(x)[0, 0] —— 不同'},
    'twins.slice_note': {
        "en": 'Pictures show the first sample and channel (and the first depth slice of a 3-D layer); colours run from −bound to +bound for the weights.',
        "zh": '图中显示第一个样本和第一个通道（三维层显示第一个深度切片）；权重的颜色范围是 −1/√fan_in 到 +1/√fan_in。'},
    'twins.code': {
        "en": 'two layers, same arguments',
        "zh": '参数相同的两个层'},
    "check.what.twin_loaded": {
        "en": "b(x) after b.load_state_dict(a.state_dict())",
        "zh": "b.load_state_dict(a.state_dict()) 之后的 b(x)"},
    "check.oracle.twin_a": {
        "en": "a(x)",
        "zh": "a(x)"},
    "check.what.twin_seeded": {
        "en": "d(x), d built right after torch.manual_seed",
        "zh": "d(x)，d 在 torch.manual_seed 之后构造"},
    "check.oracle.twin_c": {
        "en": "c(x), c built right after the same seed",
        "zh": "c(x)，c 在同一个种子之后构造"},
    "check.what.init_bound": {
        "en": "largest |weight| and |bias| of layer a (fan_in {fan_in})",
        "zh": "层 a 中最大的 |weight| 与 |bias|（fan_in {fan_in}）"},
    "check.oracle.kaiming_uniform": {
        "en": "≤ 1/√fan_in = {bound} (kaiming_uniform_, a=√5)",
        "zh": "≤ 1/√fan_in = {bound}（kaiming_uniform_，a=√5）"},
}
