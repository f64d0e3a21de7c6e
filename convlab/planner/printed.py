"""Well-known models as ``print(model)`` shows them with torchvision (which this lab does not
install): the text is written here the way PyTorch's ``nn.Module.__repr__`` writes it, so
the planner's pasted-text reader has real prints to read (tests check each against the
print of a model built the torchvision way).

>>> print(printed_model("alexnet").splitlines()[2])
    (0): Conv2d(3, 64, kernel_size=(11, 11), stride=(4, 4), padding=(2, 2))
"""

from __future__ import annotations

Tree = tuple[str, str, list[tuple[str, "Tree"]]]  # (type name, extra_repr, named children)

_VGG16: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
          512, 512, 512, "M"]
_RELU: Tree = ("ReLU", "inplace=True", [])
_DROPOUT: Tree = ("Dropout", "p=0.5, inplace=False", [])


def render(tree: Tree) -> str:
    """``tree`` as ``nn.Module.__repr__`` prints it (children indented two spaces)."""
    name, extra, children = tree
    if not children:
        return f"{name}({extra})"
    lines = [extra] if extra else []
    for label, child in children:
        lines.append(f"({label}): " + render(child).replace("\n", "\n  "))
    return name + "(\n  " + "\n  ".join(lines) + "\n)"


def _conv(cin: int, cout: int, k: int, s: int = 1, p: int = 0, bias: bool = True) -> Tree:
    extra = f"{cin}, {cout}, kernel_size=({k}, {k}), stride=({s}, {s})"
    extra += f", padding=({p}, {p})" if p else ""
    return ("Conv2d", extra + ("" if bias else ", bias=False"), [])


def _bn(c: int) -> Tree:
    return ("BatchNorm2d", f"{c}, eps=1e-05, momentum=0.1, affine=True, "
            "track_running_stats=True", [])


def _maxpool(k: int, s: int, p: int = 0) -> Tree:
    return ("MaxPool2d", f"kernel_size={k}, stride={s}, padding={p}, dilation=1, "
            "ceil_mode=False", [])


def _linear(i: int, o: int) -> Tree:
    return ("Linear", f"in_features={i}, out_features={o}, bias=True", [])


def _seq(layers: list[Tree]) -> Tree:
    return ("Sequential", "", [(str(i), m) for i, m in enumerate(layers)])


def _adaptive(n: int) -> Tree:
    return ("AdaptiveAvgPool2d", f"output_size=({n}, {n})", [])


def _vgg16() -> Tree:
    features: list[Tree] = []
    c = 3
    for v in _VGG16:
        if v == "M":
            features.append(_maxpool(2, 2))
        else:
            features += [_conv(c, int(v), 3, 1, 1), _RELU]
            c = int(v)
    classifier = [_linear(512 * 7 * 7, 4096), _RELU, _DROPOUT, _linear(4096, 4096), _RELU,
                  _DROPOUT, _linear(4096, 1000)]
    return ("VGG", "", [("features", _seq(features)), ("avgpool", _adaptive(7)),
                        ("classifier", _seq(classifier))])


def _alexnet() -> Tree:
    features = [_conv(3, 64, 11, 4, 2), _RELU, _maxpool(3, 2), _conv(64, 192, 5, 1, 2), _RELU,
                _maxpool(3, 2), _conv(192, 384, 3, 1, 1), _RELU, _conv(384, 256, 3, 1, 1),
                _RELU, _conv(256, 256, 3, 1, 1), _RELU, _maxpool(3, 2)]
    classifier = [_DROPOUT, _linear(256 * 6 * 6, 4096), _RELU, _DROPOUT, _linear(4096, 4096),
                  _RELU, _linear(4096, 1000)]
    return ("AlexNet", "", [("features", _seq(features)), ("avgpool", _adaptive(6)),
                            ("classifier", _seq(classifier))])


def _block(bottleneck: bool, cin: int, planes: int, stride: int) -> Tree:
    out = planes * (4 if bottleneck else 1)
    if bottleneck:  # torchvision's Bottleneck: stride on the 3x3 (ResNet v1.5)
        children = [("conv1", _conv(cin, planes, 1, bias=False)), ("bn1", _bn(planes)),
                    ("conv2", _conv(planes, planes, 3, stride, 1, bias=False)),
                    ("bn2", _bn(planes)), ("conv3", _conv(planes, out, 1, bias=False)),
                    ("bn3", _bn(out)), ("relu", _RELU)]
    else:
        children = [("conv1", _conv(cin, planes, 3, stride, 1, bias=False)),
                    ("bn1", _bn(planes)), ("relu", _RELU),
                    ("conv2", _conv(planes, planes, 3, 1, 1, bias=False)), ("bn2", _bn(planes))]
    if stride != 1 or cin != out:
        children.append(("downsample", _seq([_conv(cin, out, 1, stride, bias=False),
                                             _bn(out)])))
    return ("Bottleneck" if bottleneck else "BasicBlock", "", children)


def _resnet(blocks: list[int], bottleneck: bool) -> Tree:
    children: list[tuple[str, Tree]] = [
        ("conv1", _conv(3, 64, 7, 2, 3, bias=False)), ("bn1", _bn(64)), ("relu", _RELU),
        ("maxpool", _maxpool(3, 2, 1))]
    cin = 64
    for i, (n, planes) in enumerate(zip(blocks, (64, 128, 256, 512), strict=True)):
        layer = []
        for b in range(n):
            layer.append(_block(bottleneck, cin, planes, 2 if b == 0 and i > 0 else 1))
            cin = planes * (4 if bottleneck else 1)
        children.append((f"layer{i + 1}", _seq(layer)))
    children += [("avgpool", _adaptive(1)), ("fc", _linear(cin, 1000))]
    return ("ResNet", "", children)


MODELS = {
    "vgg16": _vgg16,
    "alexnet": _alexnet,
    "resnet18": lambda: _resnet([2, 2, 2, 2], False),
    "resnet34": lambda: _resnet([3, 4, 6, 3], False),
    "resnet50": lambda: _resnet([3, 4, 6, 3], True),
    "resnet101": lambda: _resnet([3, 4, 23, 3], True),
    "resnet152": lambda: _resnet([3, 8, 36, 3], True),
}


def printed_model(name: str) -> str:
    """What ``print(torchvision.models.<name>())`` shows, for ``name`` in :data:`MODELS`."""
    return render(MODELS[name]())
