"""Check tables put the verdict first (issue 26, item 6): a table wider than a narrow
column scrolls sideways, and pass or fail must never be what scrolls out of sight."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_app
from pagekit import EN, ZH, assert_clean, check_table


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page,query", [("pages/output_size.py", {}),
                                        ("pages/multichannel.py", {}),
                                        ("pages/output_size.py", {"kh": "0"})])
def test_check_tables_put_the_verdict_first(page, query, lang):
    """A check table wider than a narrow column scrolls sideways: pass or fail comes first,
    where it is always in sight."""
    words = EN if lang == "en" else ZH
    at = make_app(page, {**query, "lang": lang})
    assert_clean(at)
    table: pd.DataFrame = check_table(at)
    assert table.columns[0] == words["check.col_result"]
    verdicts = table.iloc[:, 0].tolist()
    assert verdicts and all(v in (f"✅ {words['check.pass']}", f"❌ {words['check.fail']}")
                            for v in verdicts)
