"""The house's rules (issue 23), read from the code: the frame composed, not a mixin chain;
ui/ laid out by kind; no private name reached across modules; imports only go down."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ui.frame import Frame

ROOT = Path(__file__).resolve().parents[1]


def _modules(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def test_the_frame_is_composed():
    assert len(Frame.__mro__) <= 3, [c.__name__ for c in Frame.__mro__]  # itself, a base, object
    public = [n for n in dir(Frame) if not n.startswith("_")]
    assert len(public) <= 30, public


def test_the_frame_keeps_no_process_wide_state():
    """No module of the frame holds a mutable global (a test hook, a registry filled at
    run time): each run's state lives in its page context and slots."""
    for path in _modules("ui/frame"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                value = node.value
                assert not isinstance(value, ast.Dict | ast.List | ast.Set) or _constant(node), (
                    f"{path.relative_to(ROOT)}:{node.lineno}: a mutable module-level value")


def _constant(node: ast.Assign | ast.AnnAssign) -> bool:
    """An UPPER_CASE table that nothing mutates is a constant (``AXIS_FIELDS``)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return all(isinstance(t, ast.Name) and (t.id.isupper() or t.id.startswith("__"))
               for t in targets)


def test_at_most_eight_modules_flat_in_ui():
    flat = [p.name for p in (ROOT / "ui").glob("*.py") if p.name != "__init__.py"]
    assert len(flat) <= 8, flat


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in ``path``, relative imports resolved."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    return found


@pytest.mark.parametrize("path", _modules("ui", "pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_module(path):
    """``from ui.x import _y`` and ``module._y`` (for a module imported here) are refused."""
    tree = ast.parse(path.read_text())
    modules = set()
    for module, names in _imports(path):
        if module.startswith("ui") or module == "convlab":
            assert not [n for n in names if n.startswith("_")], (path, module, names)
        modules.update(n for n in names)
        modules.add(module.split(".")[-1])
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                and node.value.id in modules and node.value.id not in {"self", "cls", "st"}):
            raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno}: "
                                 f"{node.value.id}.{node.attr} reaches a private name")


@pytest.mark.parametrize("layer,forbidden", [("convlab", ("ui", "pages", "streamlit")),
                                             ("ui", ("pages",))])
def test_imports_only_go_down(layer, forbidden):
    for path in _modules(layer):
        for module, _ in _imports(path):
            assert module.split(".")[0] not in forbidden, (str(path.relative_to(ROOT)), module)
