"""The one error type convlab raises for a configuration PyTorch would refuse."""

from __future__ import annotations

from typing import Any


class ConvConfigError(ValueError):
    """A convolution setting that PyTorch refuses, explained.

    Worded like PyTorch's own messages ("stride must be a positive integer, but got 0"),
    and carrying the pieces a user interface needs to explain it.

    Attributes:
        parameter: the argument at fault, in PyTorch's spelling (``"stride"``, ``"padding"``).
        value: the value that was given.
        reason: why PyTorch refuses it, one sentence.
        suggestion: the nearest valid setting as ``{parameter: value}``, or ``None``.
        stage: ``"construct"`` when ``nn.Conv2d(...)`` itself raises, ``"forward"`` when
            the refusal only comes once the layer is called on an input, ``"lab"`` when
            PyTorch would run it but it is beyond the sizes this lab bounds every input by.

    >>> err = ConvConfigError("stride", 0, "stride must be a positive integer", {"stride": 1})
    >>> str(err)
    'stride must be a positive integer, but got 0; nearest valid setting: stride=1'
    """

    def __init__(
        self,
        parameter: str,
        value: Any,
        reason: str,
        suggestion: dict[str, Any] | None = None,
        *,
        stage: str = "forward",
    ) -> None:
        self.parameter = parameter
        self.value = value
        self.reason = reason
        self.suggestion = suggestion
        self.stage = stage
        super().__init__(self._compose())

    def _compose(self) -> str:
        text = f"{self.reason}, but got {self.value!r}"
        if self.suggestion:
            fix = ", ".join(f"{k}={v!r}" for k, v in self.suggestion.items())
            text += f"; nearest valid setting: {fix}"
        return text
