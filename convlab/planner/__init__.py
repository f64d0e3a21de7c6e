"""The shape planner: what a stack of layers does to a tensor, before you train it.

It teaches what a practitioner otherwise learns from printed shapes: every layer's output
shape (why the first ``nn.Linear`` of AlexNet takes 256 * 6 * 6 = 9216 features), its
receptive field, effective stride and effective padding (Araujo, Norris & Sim, "Computing
Receptive Fields of Convolutional Neural Networks", Distill 2019), its parameters,
multiply-accumulates and activation memory; the first layer PyTorch would refuse, with
the nearest setting that runs; and the paddings, strides or input sizes that give a layer
the output size you want. Real modules are planned without being run or changed; PyTorch
on the meta device and autograd are the oracles. A model can also be read from text:
what ``print(model)`` shows or its ``nn.Sequential`` source, never executed, residual blocks
planned with their real forward (:func:`layers_from_text`).
"""

from .limits import MAX_LAYERS, StackConfigError
from .oracle import (
    gradient_receptive_field,
    meta_copy,
    receptive_field_check,
    run_modules,
    run_table,
    shapes_check,
)
from .pasted import model_code, pack_text, unpack_text
from .plan import LayerPlan, StackPlan, plan_stack
from .printed import printed_model
from .residual import ForwardFlatten, Residual
from .solve import Solution, axis_output, same_target, solve_output
from .table import KINDS, cell_problem, check_stack
from .table_build import build_layer, plan_table, stack_code
from .table_link import decode_stack, encode_stack
from .text import ReadModel, layers_from_text, read_model
from .text_tree import TextConfigError

__all__ = [
    "axis_output", "build_layer", "cell_problem", "check_stack", "decode_stack",
    "encode_stack", "gradient_receptive_field", "KINDS", "LayerPlan", "MAX_LAYERS",
    "meta_copy", "plan_stack", "plan_table", "receptive_field_check", "run_modules",
    "run_table", "same_target", "shapes_check", "Solution", "solve_output", "stack_code",
    "StackConfigError", "StackPlan",
    # a model as text (print(model) or nn.Sequential source), residual blocks
    "ForwardFlatten", "layers_from_text", "model_code", "pack_text", "printed_model",
    "read_model", "ReadModel", "Residual", "TextConfigError", "unpack_text",
]
