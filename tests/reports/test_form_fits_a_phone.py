"""Every screen of the report form fits one phone screen (issue 18.1): at most 20 lines and
1,000 characters, over the example block and the 15-criterion test block, every screen
reached through the emulator (tests/reports/form_screens.py presses every button); codes
are never on them; and the record sent after submitting carries every value in full.

    .venv/bin/python -m pytest -q -n 0 -s tests/reports/test_form_fits_a_phone.py
prints the figures (or: .venv/bin/python -m tests.reports.form_screens).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.blockfile import load_block_file
from tests.e2e.harness import EXAMPLE_BLOCK
from tests.reports.form_screens import (
    FIFTEEN,
    NARRATIVE,
    PHONE_CHARS,
    PHONE_LINES,
    measure,
    table,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("block_file", [EXAMPLE_BLOCK, FIFTEEN], ids=lambda p: p.stem)
async def test_every_screen_of_the_form_fits_a_phone(block_file: Path, tmp_path: Path) -> None:
    screens = await measure(block_file, tmp_path)
    print("\n" + table(block_file.name, screens))
    spec = load_block_file(block_file)
    kinds = {s.kind for s in screens}
    assert {"form", "page", "criterion", "saved", "submit", "submitted", "review report",
            "review points", "review reason", "review saved", "review accepted"} <= kinds
    # every criterion was asked on a screen of its own
    assert sum(s.kind == "criterion" for s in screens) >= len(spec.criteria)
    too_big = [(s.kind, s.label, s.lines, s.chars) for s in screens
               if s.lines > PHONE_LINES or s.chars > PHONE_CHARS]
    assert too_big == []
    codes = [c.code for c in spec.criteria] + [u.code for u in spec.units]
    # The chair's list of units (also what accepting the last report leads to) still shows
    # the units' codes beside their names, for its buttons.
    lists = ("review list", "review accepted")
    shown = [(s.kind, code) for s in screens if s.kind not in lists for code in codes
             if code in s.text]
    assert shown == []
    # the record after submitting: every value, the narrative whole
    record = "\n".join(s.text for s in screens if s.kind == "submitted")
    assert " ".join(NARRATIVE.split()) in " ".join(record.split())
    assert all(c.title in record for c in spec.criteria)
