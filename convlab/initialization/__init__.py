"""A layer's weights are random until you fix them (study note 004).

Two ``nn.Conv2d`` layers built with identical arguments draw their own weights from PyTorch's
default initialisation (kaiming-uniform with ``a = sqrt(5)``, which bounds every weight and
bias by ``1 / sqrt(fan_in)``), so the same input gives different outputs; copying one
layer's ``state_dict`` into the other, or seeding before each build, makes them equal.
"""

from .twins import TwinLayers, default_init_bound, twin_layers, twin_layers_code

__all__ = ["TwinLayers", "default_init_bound", "twin_layers", "twin_layers_code"]
