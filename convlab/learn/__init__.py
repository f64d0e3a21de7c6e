"""Learning a kernel by gradient descent (the end of d2l 7.2).

``problems``: the learning problems (the 6x8 stripe and its edge, flipped and
non-identifiable targets), their refusals and the largest stable learning rate;
``training``: the hand-written ``Conv2D``, the training loop and its history; ``script``:
the PyTorch script that reproduces a run; ``pictures``: the built-in scenes and kernels a
learned kernel is applied to.
"""

from .pictures import (
    IMAGE_IDS,
    KERNEL_IDS,
    apply_kernel,
    input_image,
    kernel_code,
    synthetic_scene,
    target_kernel,
)
from .problems import MAX_EPOCHS, MODULES, identifiable, learning_problem, max_stable_lr
from .script import learn_kernel_code
from .training import KERNEL_TOL, OUTCOMES, Conv2D, LearnHistory, learn_kernel, learning_outcome

__all__ = [
    "IMAGE_IDS", "KERNEL_IDS", "apply_kernel", "input_image", "kernel_code",
    "synthetic_scene", "target_kernel", "learn_kernel_code", "MAX_EPOCHS",
    "MODULES", "Conv2D", "LearnHistory", "learn_kernel", "learning_problem", "max_stable_lr",
    "identifiable", "KERNEL_TOL", "OUTCOMES", "learning_outcome",
]
