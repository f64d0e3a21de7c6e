"""Which device to compute on: CUDA when present, then Apple MPS, then CPU."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceInfo:
    """A device a user can pick: ``name`` for torch (``"cuda:0"``), ``label`` for people."""

    name: str
    label: str
    kind: str  # "cuda", "mps" or "cpu"


def available_devices() -> list[DeviceInfo]:
    """Every device this machine can compute on, the preferred one first.

    >>> available_devices()[-1].name
    'cpu'
    """
    found: list[DeviceInfo] = []
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            found.append(DeviceInfo(f"cuda:{i}", torch.cuda.get_device_name(i), "cuda"))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        found.append(DeviceInfo("mps", "Apple MPS", "mps"))
    found.append(DeviceInfo("cpu", "CPU", "cpu"))
    return found


def default_device() -> torch.device:
    """The first of :func:`available_devices`: the GPU when there is one."""
    return torch.device(available_devices()[0].name)


def resolve_device(name: str | None) -> torch.device:
    """``name`` if this machine has it, else the default device (never raises)."""
    names = {d.name for d in available_devices()}
    return torch.device(name) if name in names else default_device()


def torch_version() -> str:
    """The running PyTorch version, for display."""
    return torch.__version__
