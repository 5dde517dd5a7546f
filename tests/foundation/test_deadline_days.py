"""Setup warns of deadlines on a closed day and goes on (issue 19.6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.services.deadline_days import why_closed
from tests.foundation.conftest import EXAMPLE


def test_weekends_and_vietnams_holidays_are_closed_days() -> None:
    assert why_closed(date(2023, 6, 20)) is None  # a Tuesday
    assert why_closed(date(2023, 6, 17)) == "a Saturday"
    assert why_closed(date(2023, 12, 10)) == "a Sunday"
    assert "Lunar New Year" in (why_closed(date(2023, 1, 23)) or "")  # Tết, a Monday
    assert "Lunar New Year" in (why_closed(date(2024, 2, 12)) or "")  # Tết moves each year
    assert why_closed(date(2024, 4, 30)) is not None  # Reunification Day, a Tuesday
    assert why_closed(date(2024, 9, 2), language="vi") == "Quốc khánh"


def test_setup_warns_of_a_deadline_on_tet_and_still_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'thidua.db'}")
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "report_due = 2023-06-20 ", "report_due = 2023-01-23 ")
    block = tmp_path / "block.toml"
    block.write_text(text, encoding="utf-8")
    assert main(["--lang", "en", "setup", str(block)]) == 0
    out, err = capsys.readouterr()
    assert "created" in out
    assert "(report_due of DOT1) is 23/01/2023" in err and "Lunar New Year" in err
    assert "(report_due of DOT2) is 10/12/2023, a Sunday" in err
    assert "sign_by" not in err  # 17/03/2023 is a Friday
