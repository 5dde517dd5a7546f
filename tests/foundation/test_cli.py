"""The command line as the chair's technical helper uses it: setup, invites, db upgrade."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.foundation.conftest import EXAMPLE


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("BOT_TOKEN", "BOT_USERNAME", "BOT_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "sub" / "thidua.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    return db


def test_setup_then_invites_json(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", str(EXAMPLE)]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["setup", str(EXAMPLE)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    monkeypatch.setenv("BOT_USERNAME", "@khoi6_bot")
    assert main(["invites", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["unit_code"] for r in rows][:2] == ["VPTU", "BTG"]
    assert set(rows[0]) == {"block", "unit_code", "unit_name", "token", "link"}
    assert rows[0]["link"] == f"https://t.me/khoi6_bot?start={rows[0]['token']}"
    assert rows[0]["unit_name"] == "Văn phòng Tỉnh ủy"


def test_invites_without_username_says_what_to_set(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", str(EXAMPLE)]) == 0
    capsys.readouterr()  # setup's own output (the example's DOT2 deadline is a Sunday)
    assert main(["invites"]) == 2
    assert capsys.readouterr().err.startswith("error: BOT_USERNAME: ")


def test_invalid_file_lists_every_problem_and_leaves_database_untouched(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", str(EXAMPLE)]) == 0
    before = sqlite3.connect(env).execute("select count(*), max(id) from audit_log").fetchone()
    bad = EXAMPLE.read_text(encoding="utf-8")
    bad = bad.replace('code = "BTG"', 'code = "VPTU"').replace("target = 100000000\n", "")
    bad = bad.replace('name = "Khối thi đua 6"', 'name = "Khối thi đua 6 (sửa)"')
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    capsys.readouterr()
    assert main(["setup", str(path)]) == 2
    err = capsys.readouterr().err
    assert 'units[1].code: duplicate "VPTU"' in err
    assert 'criteria[1].target: required for kind "number"' in err
    con = sqlite3.connect(env)
    assert con.execute("select count(*), max(id) from audit_log").fetchone() == before
    assert con.execute("select name from blocks").fetchone() == ("Khối thi đua 6",)


def test_db_upgrade_and_version(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storage.migrate import newest_revisions

    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert all(revision in out for revision in newest_revisions())
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0


def test_run_without_token_is_one_clear_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: BOT_TOKEN: required")
    assert "Traceback" not in err


def test_command_without_action_shows_its_own_help(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db"]) == 2
    assert "usage: thidua-bot db" in capsys.readouterr().out
