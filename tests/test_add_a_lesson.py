"""The README's "How to add a page", followed literally (issue 23, item 8): in a copy of the
app, a new lesson is four new files (its convlab topic, its words, its lesson module, its
page) and no edit anywhere else, and the menu, the home page and its own page take it in."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The four files of a small lesson ("ReLU counts the positives"), as a newcomer writes them.
NEW_FILES = {
    "convlab/relu_count/__init__.py": '''
        """How many of a tensor's entries ReLU keeps: a tiny topic, checked against torch."""

        import torch


        def kept(n: int, seed: int) -> tuple[int, int]:
            """(ours, torch's): the entries of a seeded n-vector that ReLU passes."""
            x = torch.randn(n, generator=torch.Generator().manual_seed(seed))
            ours = sum(1 for v in x.tolist() if v > 0)
            return ours, int(torch.count_nonzero(torch.relu(x)))
        ''',
    "ui/text/relu_count.py": '''
        """Words of the ReLU-count page (ns ``rc``), its menu entry and home card."""

        TEXT: dict[str, dict[str, str]] = {
            "nav.relu_count": {"en": "ReLU counts", "zh": "ReLU 计数"},
            "home.card.relu_count": {"en": "How many entries ReLU keeps.",
                                     "zh": "ReLU 保留了多少个元素。"},
            "rc.title": {"en": "ReLU counts", "zh": "ReLU 计数"},
            "rc.intro": {"en": "Entries above zero pass.", "zh": "大于零的元素通过。"},
            "rc.n": {"en": "Entries", "zh": "元素个数"},
            "rc.kept": {"en": "Kept", "zh": "保留"},
        }
        ''',
    "ui/lessons/relu_count_view.py": '''
        """The ReLU-count lesson's record."""

        from ui.registry import Lesson
        from ui.urlstate import IntParam

        PARAMS = (IntParam("n", 8, 1, 64),)
        LESSON = Lesson("relu_count", "rc", ":material/functions:", order=90, params=PARAMS)
        ''',
    "pages/relu_count.py": '''
        """ReLU counts: the entries a seeded vector keeps."""

        import streamlit as st

        from convlab.relu_count import kept
        from ui import frame
        from ui.i18n import t
        from ui.lessons import relu_count_view as view


        def lesson(page: frame.Frame) -> None:
            n = page.number("n")
            ours, torchs = kept(n, 0)
            with page.stage:
                st.metric(t("rc.kept"), ours)
            page.finish()


        frame.lesson(view.LESSON, lesson)
        ''',
}

CHECK = '''
from streamlit.testing.v1 import AppTest
from ui.registry import lessons, page


def open_page(path, lang="en"):
    """As the app is served: the main script first, then the page."""
    at = AppTest.from_file("streamlit_app.py", default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    if path != "pages/home.py":
        at.switch_page(path)
        at.run()
    return at


assert lessons()[-1].stem == "relu_count", [p.stem for p in lessons()]
assert page("relu_count").params[0].name == "n"
at = open_page("pages/relu_count.py")
assert not at.exception, [e.value for e in at.exception]
assert at.title[0].value == "ReLU counts"
assert "ReLU counts" in [link.label for link in at.sidebar.get("page_link")]
assert at.metric[0].label == "Kept"
at.number_input(key="relu_count.n").set_value(64).run()
assert not at.exception and 0 <= int(at.metric[0].value) <= 64
zh = open_page("pages/relu_count.py", "zh")
assert zh.title[0].value == "ReLU 计数", zh.title[0].value
home = open_page("pages/home.py")
assert not home.exception and "ReLU counts" in [s.value for s in home.subheader]
print("ok")
'''


def test_a_new_lesson_is_four_new_files_and_no_edit(tmp_path):
    for name in ("convlab", "ui", "pages"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    shutil.copy(ROOT / "streamlit_app.py", tmp_path)
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.py")}
    for name, text in NEW_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip())
    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.py")}
    assert {p for p in after if before.get(p) != after[p]} == {Path(n) for n in NEW_FILES}
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
