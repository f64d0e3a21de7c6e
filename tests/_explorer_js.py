"""Run the window explorer's own JavaScript (ui/components/explorer/explorer.js) in headless
Chromium on a payload built in Python: no server, no Streamlit, the file as the browser gets it.

``mount(page, data)`` loads the module (once per page) and mounts it on ``data`` the way
Streamlit's ``st.components.v2`` does: ``default({data, parentElement, setTriggerValue})``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parents[1] / "ui" / "pictures" / "components" / "explorer"

_LOAD = """async (src) => {
  const url = URL.createObjectURL(new Blob([src], {type: "text/javascript"}));
  window.__explorer = (await import(url)).default;
}"""
_MOUNT = """(data) => {
  document.body.textContent = "";
  const parent = document.createElement("div");
  document.body.append(parent);
  window.__sent = [];
  window.__explorer({data, parentElement: parent,
                     setTriggerValue: (name, value) => window.__sent.push([name, value])});
}"""
# Every link of every cell of every space, as explorer.js's own links() decodes them.
_ALL_LINKS = """() => {
  const root = document.querySelector(".cx-root");
  const spaces = %s;
  const out = {};
  for (const [space, [rows, cols]] of Object.entries(spaces)) {
    out[space] = [];
    for (let k = 0; k < rows * cols; k++) out[space].push(root.cxLinks(space, k));
  }
  return out;
}"""
_HOVER = """([panel, k]) => {
  const node = document.querySelector(`.cx-grid[data-panel='${panel}'] [data-k='${k}']`);
  node.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
  return [document.querySelector(".cx-status").textContent, node.title];
}"""


def blank(page: Any) -> None:
    """An empty document with the explorer's stylesheet and its module loaded."""
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_style_tag(content=(ASSETS / "explorer.css").read_text(encoding="utf-8"))
    page.evaluate(_LOAD, (ASSETS / "explorer.js").read_text(encoding="utf-8"))


def mount(page: Any, data: dict[str, Any]) -> None:
    """Mount the explorer on ``data`` (a payload of :func:`ui.pictures.explorer.payload`)."""
    page.evaluate(_MOUNT, data)


def all_links(page: Any, data: dict[str, Any]) -> dict[str, list[dict[str, list[list[int]]]]]:
    """``space -> [links(space, k) for every cell k]``: ``{space: [[cell, tap], ...]}``."""
    import json

    return page.evaluate(_ALL_LINKS % json.dumps(data["spaces"]))


def hover(page: Any, panel: str, k: int) -> tuple[str, str]:
    """Hover cell ``k`` of ``panel``: (the status line, the cell's tooltip)."""
    status, title = page.evaluate(_HOVER, [panel, k])
    return status, title
