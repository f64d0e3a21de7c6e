"""The one error type convlab raises for a configuration PyTorch would refuse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ConvConfigError(ValueError):
    """A convolution setting that PyTorch refuses, explained.

    Worded like PyTorch's own messages ("stride must be a positive integer, but got 0"),
    and carrying the pieces a user interface needs to explain it in any language.

    Attributes:
        parameter: the argument at fault, in PyTorch's spelling (``"stride"``, ``"padding"``).
        value: the value that was given.
        reason: why PyTorch refuses it, one English sentence (for logs and ``str(err)``).
        suggestion: the nearest valid setting as ``{parameter: value}``, or ``None``.
        stage: ``"construct"`` when ``nn.Conv2d(...)`` itself raises, ``"forward"`` when
            the refusal only comes once the layer is called on an input, ``"lab"`` when
            PyTorch would run it but it is beyond the sizes this lab bounds every input by.
        code: the reason as an identifier (``"not_positive"``, ``"kernel_too_big"``) that a
            user interface words in its own language, or ``""`` where none is given.
        values: the numbers and names that wording may quote (``{"limit": 4096}``).

    Errors survive a pickle round trip (caches hand back copies):

    >>> import pickle
    >>> err = ConvConfigError("stride", 0, "stride must be a positive integer", {"stride": 1},
    ...                       code="not_positive")
    >>> str(err)
    'stride must be a positive integer, but got 0; nearest valid setting: stride=1'
    >>> copy = pickle.loads(pickle.dumps(err))
    >>> (copy.parameter, copy.value, copy.code, copy.suggestion, str(copy) == str(err))
    ('stride', 0, 'not_positive', {'stride': 1}, True)
    """

    def __init__(
        self,
        parameter: str,
        value: Any,
        reason: str,
        suggestion: dict[str, Any] | None = None,
        *,
        stage: str = "forward",
        code: str = "",
        values: Mapping[str, Any] | None = None,
    ) -> None:
        self.parameter = parameter
        self.value = value
        self.reason = reason
        self.suggestion = suggestion
        self.stage = stage
        self.code = code
        self.values = dict(values or {})
        super().__init__(self._compose())

    def _compose(self) -> str:
        text = f"{self.reason}, but got {self.value!r}"
        if self.suggestion:
            fix = ", ".join(f"{k}={v!r}" for k, v in self.suggestion.items())
            text += f"; nearest valid setting: {fix}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles as cls(*args), which a keyword-rich __init__ (and any subclass)
        # cannot take back: rebuild from the instance's fields instead.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls: type[BaseException], args: tuple[Any, ...],
             fields: dict[str, Any]) -> BaseException:
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(fields)
    return err

