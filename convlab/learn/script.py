"""A self-contained PyTorch script that learns a kernel as :func:`convlab.learn_kernel` does
and prints its numbers, for learners to run."""

from __future__ import annotations

import torch

from ..correlation.correlate import corr2d
from ..params import to_pair
from .pictures import image_code, kernel_code
from .problems import _validate, learning_problem

Tensor = torch.Tensor


def learn_kernel_code(image_id: str, kernel_id: str, kernel_size: int | tuple[int, int] = (1, 2),
                      lr: float = 3e-2, epochs: int = 10, seed: int = 0, bias: bool = False, *,
                      image_seed: int = 0, convolution: bool = False,
                      kernel: Tensor | None = None) -> str:
    """A self-contained script (``import torch`` only) that learns the kernel as
    :func:`learn_kernel` does with ``module="nn"`` and prints its numbers.

    It prints ``epoch e, loss L`` for every kept epoch (``L`` as Python's ``repr``), then
    ``diverged at epoch e`` if training diverged, then ``kernel [[...]]`` (the last kept
    kernel) and, with a bias, ``bias b``.

    Raises:
        ConvConfigError: for an unknown id, a bad seed, or settings ``learn_kernel`` refuses.

    >>> code = learn_kernel_code("stripe", "edge")
    >>> "conv2d = nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)" in code
    True
    """
    X, K, Y = learning_problem(image_id, kernel_id, image_seed=image_seed,
                               convolution=convolution)
    if kernel is not None:  # the learner's own kernel, written out instead of ``kernel_id``
        K = kernel.detach().cpu().float()
        Y = corr2d(X, K.flip(-2, -1) if convolution else K)
    _validate(X, Y, kernel_size, lr, epochs, seed, bias, "nn", "cpu")
    k = to_pair("kernel_size", kernel_size)
    weight_k = "K.flip(-2, -1)" if convolution else "K"
    target_note = ("# the target is a true convolution: the kernel flipped, then correlated"
                   if convolution else "# the target: X cross-correlated with K")
    step = ["        conv2d.weight -= lr * conv2d.weight.grad"]
    if bias:
        step.append("        conv2d.bias -= lr * conv2d.bias.grad")
    lines = [
        "import torch",
        "from torch import nn",
        "",
        image_code(image_id, image_seed),
        kernel_code(kernel_id) if kernel is None else
        f"K = torch.tensor({K.double().tolist()!r})  # (kh, kw)",
        target_note,
        f"Y = nn.functional.conv2d(X[None, None], {weight_k}[None, None])  # (1, 1, H_out, W_out)",
        "X = X[None, None]  # (H, W) -> (1, 1, H, W): batch and channel of size 1",
        "",
        f"torch.manual_seed({seed})",
        f"conv2d = nn.Conv2d(1, 1, kernel_size={k!r}, bias={bias!r})",
        f"lr = {lr!r}",
        f"epochs = {epochs!r}",
        "for epoch in range(epochs + 1):",
        "    Y_hat = conv2d(X)",
        "    l = ((Y_hat - Y) ** 2).sum()",
        "    if not (torch.isfinite(l) and torch.isfinite(conv2d.weight).all()):",
        '        print(f"diverged at epoch {epoch}")',
        "        break",
        '    print(f"epoch {epoch}, loss {l.item()!r}")',
        "    kernel = conv2d.weight.detach()[0, 0].clone()  # (1, 1, kh, kw) -> (kh, kw)",
        "    b = None if conv2d.bias is None else conv2d.bias.item()",
        "    if epoch == epochs:",
        "        break",
        "    conv2d.zero_grad()",
        "    l.backward()",
        "    with torch.no_grad():",
        *step,
        'print("kernel", kernel.tolist())',
    ]
    if bias:
        lines.append('print("bias", b)')
    return "\n".join(lines) + "\n"
