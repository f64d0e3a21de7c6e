"""Pooling (d2l 7.5): max and average pooling, PyTorch's window count with its default
stride (the kernel size) and its ``ceil_mode`` rule, adaptive pooling's overlapping bins,
and where max pooling's gradient goes; every window read from convlab's tap map."""

from .forward import (
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool2d,
    max_pool2d,
    max_pool2d_backward,
    pool_divisors,
    window_values,
)
from .lesson import (
    KINDS,
    MODULE_NAMES,
    PoolResult,
    pool_kwargs,
    pool_module,
    run_pool,
    windows_of,
)
from .script import pool_code, pool_script
from .sizes import (
    PoolAxis,
    adaptive_pool_bins,
    explain_pool2d,
    pool2d_output_size,
    pool_size_slips,
)
from .windows import ROLES, PoolWindows, adaptive_windows, pool_windows

__all__ = ["KINDS", "MODULE_NAMES", "ROLES", "PoolAxis", "PoolResult", "PoolWindows",
           "adaptive_avg_pool2d", "adaptive_max_pool2d", "adaptive_pool_bins",
           "adaptive_windows", "avg_pool2d", "pool_divisors", "explain_pool2d", "max_pool2d",
           "max_pool2d_backward", "pool2d_output_size", "pool_size_slips", "pool_code",
           "pool_kwargs",
           "pool_module", "pool_script", "pool_windows", "run_pool",
           "window_values", "windows_of"]
