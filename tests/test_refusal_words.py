"""Refusals are worded by ui from convlab's reason codes (issue 26, item 3): the Chinese
page reads Chinese, PyTorch's own message stays as PyTorch wrote it, marked as such."""

from __future__ import annotations

import ast
import string

from conftest import ROOT, make_app

from ui.i18n import TEXT


def _codes_in_convlab() -> set[str]:
    """Every literal ``code="..."`` convlab passes to an error."""
    codes = set()
    for path in (ROOT / "convlab").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code":
                if isinstance(node.value, ast.JoinedStr):  # f"text_{found}": a family
                    head = node.value.values[0]
                    codes.add(f"{head.value}*" if isinstance(head, ast.Constant) else "*")
                    continue
                for leaf in ast.walk(node.value):
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                        codes.add(leaf.value)
    return codes - {""}


def _worded(code: str) -> bool:
    if code.endswith("*"):  # a family: at least one member worded
        return any(k.startswith(f"reason.{code[:-1]}") for k in TEXT)
    return f"reason.{code}" in TEXT


def test_every_reason_code_convlab_raises_is_worded_in_both_languages():
    codes = _codes_in_convlab()
    assert {"kernel_too_big", "not_positive", "same_strided"} <= codes  # the scan works
    assert not sorted(c for c in codes if not _worded(c))


def test_the_zh_refusal_reads_chinese_and_quotes_pytorch_in_its_own_block():
    at = make_app("pages/output_size.py", {"lang": "zh", "kh": "9", "h": "4", "w": "4"})
    assert not at.exception
    body = at.error[0].value
    why = TEXT["reason.kernel_too_big"]["zh"].format(kernel="9 × 9", padded="6 × 6")
    assert why in body
    assert "kernel size can't" not in body and "`kernel" not in body.split("\n\n")[1]
    assert TEXT["error.torch_says"]["zh"] in [m.value for m in at.markdown]
    assert any("kernel size" in c.value.lower() for c in at.code)  # PyTorch's own words, as code


def test_two_nearest_fixes_read_as_alternatives():
    at = make_app("pages/output_size.py", {"kh": "9", "h": "4", "w": "4"})
    body = at.error[0].value
    assert "`kernel_size=6`, or `padding=3`" in body


def test_every_reason_names_only_placeholders_the_code_carries():
    """en and zh quote the same values (a zh wording cannot ask for a missing value)."""
    for key, entry in TEXT.items():
        if key.startswith("reason."):
            fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f}
                      for lang in ("en", "zh")]
            assert fields[0] == fields[1], key
