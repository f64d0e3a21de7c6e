"""Learning a kernel by gradient descent (the end of d2l 7.2).

``training``: the learning problems (the 6x8 stripe and its edge, flipped and
non-identifiable targets), the hand-written ``Conv2D`` and its training history, the largest
stable learning rate; ``script``: the PyTorch script that reproduces a run; ``pictures``:
the built-in scenes and kernels a learned kernel is applied to.
"""

from .pictures import (
    IMAGE_IDS,
    KERNEL_IDS,
    apply_kernel,
    input_image,
    kernel_code,
    peak_on_transpose,
    synthetic_scene,
    target_kernel,
)
from .script import learn_kernel_code
from .training import (
    MAX_EPOCHS,
    MODULES,
    Conv2D,
    LearnHistory,
    learn_kernel,
    learning_problem,
    max_stable_lr,
)

__all__ = [
    "IMAGE_IDS", "KERNEL_IDS", "apply_kernel", "input_image", "kernel_code",
    "peak_on_transpose", "synthetic_scene", "target_kernel", "learn_kernel_code", "MAX_EPOCHS",
    "MODULES", "Conv2D", "LearnHistory", "learn_kernel", "learning_problem", "max_stable_lr",
]
