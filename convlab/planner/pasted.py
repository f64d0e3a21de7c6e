"""A pasted model in a link (its text, compressed) and in the code that plans it.

The text itself is what a link keeps, so an error's line number is a line of what was
pasted, and a teacher's link opens the same model.

>>> token = pack_text("nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())")
>>> unpack_text(token)
'nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())'
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Sequence

from ..errors import ConvConfigError
from .text_tree import MAX_TEXT

MAX_LINK = 12_000  # characters of a packed text (a printed ResNet-50 packs to about 1,000)
_TOKEN = re.compile(r"z[A-Za-z0-9_-]+")


def pack_text(text: str) -> str:
    """``text`` compressed for a link: ``z`` and URL-safe base64 of its zlib stream.

    Raises:
        ConvConfigError: where the packed text is longer than :data:`MAX_LINK`.
    """
    data = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")
    token = "z" + data.rstrip("=")
    if len(token) > MAX_LINK or len(text) > MAX_TEXT:
        raise ConvConfigError("model", len(token), "the model is too long to keep in a link",
                              {"model": MAX_LINK}, stage="lab", code="link_too_long",
                              values={"limit": MAX_LINK})
    return token


def unpack_text(token: str) -> str:
    """The text of :func:`pack_text`'s ``token``, at most 64 KB however it was made (a
    forged token cannot inflate past the bound).

    Raises:
        ConvConfigError: a token that is not one.
    """
    if not isinstance(token, str) or len(token) > MAX_LINK or not _TOKEN.fullmatch(token):
        raise _bad(token)
    body = token[1:]
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflate = zlib.decompressobj()
        raw = inflate.decompress(data, MAX_TEXT * 4 + 1)
        if not inflate.eof or len(raw) > MAX_TEXT * 4:
            raise _bad(token)
        text = raw.decode("utf-8")
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise _bad(token) from None
    if len(text) > MAX_TEXT:
        raise _bad(token)
    return text


def _bad(token: object) -> ConvConfigError:
    shown = token[:20] if isinstance(token, str) else type(token).__name__
    return ConvConfigError("model", shown, "the link's model cannot be read", None,
                           stage="lab", code="link_unreadable")


def model_code(text: str, input_shape: Sequence[int]) -> str:
    """A script that plans the pasted ``text`` with convlab (which reads it without running
    it) and prints every row's output shape and the parameters.

    >>> print(model_code("nn.Sequential(nn.ReLU())", (1, 3, 8, 8)).splitlines()[2])
    text = '''nn.Sequential(nn.ReLU())'''
    """
    quoted = text.replace("\\", "\\\\").replace("'''", "\\'\\'\\'")
    shape = ", ".join(str(int(v)) for v in input_shape)
    return "\n".join([
        "import convlab",
        "",
        f"text = '''{quoted}'''",
        "layers = convlab.layers_from_text(text)",
        f"plan = convlab.plan_stack(layers, ({shape}))",
        "for row in plan.rows:",
        "    print(row.index, row.layer, row.output_shape)",
        'print("parameters", plan.params)',
    ])
