"""The command line as the chair's technical helper uses it, through the installed
`thidua-bot` script: setup, invites (and their CSV file), errors and help, in the block's
language, BOT_LANGUAGE or --lang."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main, parser_and_commands
from tests.foundation.conftest import EXAMPLE

SCRIPT = Path(sys.executable).with_name("thidua-bot")  # the console entry point pip made
ENGLISH_BLOCK_LINE = 'language = "en"'


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Shell:
    """`thidua-bot …` in a fresh folder with its own database, as a helper types it."""

    folder: Path
    env: dict[str, str]

    def __call__(self, *args: str, **env: str) -> Run:
        done = subprocess.run([str(SCRIPT), *args], cwd=self.folder, env={**self.env, **env},
                              capture_output=True, text=True, encoding="utf-8", timeout=120,
                              check=False)
        return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def shell(tmp_path: Path) -> Shell:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BOT_", "DATABASE_", "WEBHOOK_", "LOG_"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'thidua.db'}"
    return Shell(tmp_path, env)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same, in this process (for the checks that need no second interpreter)."""
    for name in ("BOT_TOKEN", "BOT_USERNAME", "BOT_API_URL", "BOT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "sub" / "thidua.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    return db


def english_block(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert 'language = "vi"' in text
    path = tmp_path / "english.toml"
    path.write_text(text.replace('language = "vi"', ENGLISH_BLOCK_LINE), encoding="utf-8")
    return path


def test_the_script_speaks_vietnamese_then_bot_language(shell: Shell) -> None:
    vi = shell("--help")
    assert vi.code == 0
    assert vi.out.startswith("Cách dùng: thidua-bot")
    assert "Tùy chọn:" in vi.out and "in trợ giúp này rồi thoát" in vi.out
    assert "usage:" not in vi.out and "show this help" not in vi.out
    en = shell("--help", BOT_LANGUAGE="en")
    assert en.out.startswith("usage: thidua-bot") and "show this help and exit" in en.out
    assert "issue invite links" in en.out
    missing = shell("setup")
    assert missing.code == 2
    assert missing.err.startswith("Cách dùng: thidua-bot setup")
    assert missing.err.endswith("thidua-bot setup: lỗi: thiếu tham số bắt buộc: TỆP\n")


def test_the_script_sets_up_and_keeps_the_links_in_a_private_csv(
    shell: Shell, tmp_path: Path
) -> None:
    first = shell("setup", str(EXAMPLE))
    assert first.code == 0, first.err
    assert first.out.startswith("Đã tạo Khối KTD6-2023 (Khối thi đua 6): 9 đơn vị, 2 đợt thi đua")
    assert "thidua-bot invites" in first.out
    # the example's DOT2 deadline is a Sunday: said in the block's language, setup goes on
    assert "cảnh báo: hạn nộp báo cáo Đợt 2 (report_due của DOT2) là ngày 10/12/2023, Chủ nhật" \
        in first.err

    target = tmp_path / "links.csv"
    target.write_text("old, readable by all\n", encoding="utf-8")
    target.chmod(0o644)
    old = os.umask(0)  # the child inherits it: the file must be private by itself
    try:
        kept = shell("invites", "--out", str(target), BOT_USERNAME="khoi6_bot")
    finally:
        os.umask(old)
    assert kept.code == 0, kept.err
    assert "https://" not in kept.out  # the links went to the file only
    assert "Đã ghi 9 đường dẫn vào" in kept.out and "VPTU       Văn phòng Tỉnh ủy" in kept.out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8, diacritics and all
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Đường dẫn mời", "Số lượt đăng ký",
                       "Dùng được đến hết ngày"]
    assert [r[0] for r in rows[1:]][:2] == ["VPTU", "BTG"] and len(rows) == 10
    assert rows[2][1] == "Ban Tuyên giáo Tỉnh ủy"
    links = {r[2] for r in rows[1:]}
    assert len(links) == 9 and all(x.startswith("https://t.me/khoi6_bot?start=") for x in links)
    assert not list(tmp_path.glob(".links.csv.*"))  # no temporary file left behind


def test_every_command_helps_in_the_chosen_language(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Help is written when the parser is built, so every subcommand, a feature's too, is
    in the language chosen; no argparse English heading is left."""
    from bot.cli.voice import use

    for lang, heading, foreign in (("vi", "Tùy chọn:", "options:"), ("en", "options:", "Tùy")):
        use(lang, chosen=True)
        _, commands = parser_and_commands()
        assert {"run", "setup", "invites", "db", "covenant", "members", "export", "demo"} <= set(
            commands)
        for name, command in commands.items():
            text = command.format_help()
            assert heading in text, (lang, name)
            assert foreign not in text and "positional arguments" not in text, (lang, name)
    use("vi", chosen=False)
    with pytest.raises(SystemExit):
        main(["invites", "--help", "--lang", "en"])  # --lang may follow the command
    out = capsys.readouterr().out
    assert out.startswith("usage: thidua-bot invites")
    assert "--out FILE.csv" in out and "shown only once" in out
    assert main(["--lang", "fr", "--help"]) == 2
    assert capsys.readouterr().err == "lỗi: không có ngôn ngữ fr; chọn một trong: vi, en\n"


def test_setup_speaks_the_block_language(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["setup", str(EXAMPLE)]) == 0
    capsys.readouterr()
    assert main(["setup", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == "Khối KTD6-2023 đã đúng như tệp; không có gì thay đổi.\n"
    edited = tmp_path / "edited.toml"
    edited.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        'name = "Ban Tuyên giáo Tỉnh ủy"', 'name = "Ban Tuyên giáo và Dân vận Tỉnh ủy"'),
        encoding="utf-8")
    assert main(["setup", str(edited)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Đã cập nhật Khối KTD6-2023:" and "  đơn vị BTG: sửa (name)" in lines
    # a block written in English speaks English, whatever BOT_LANGUAGE says; --lang wins
    monkeypatch.setenv("BOT_LANGUAGE", "vi")
    english = english_block(tmp_path)
    assert main(["setup", str(english)]) == 0
    out, err = capsys.readouterr()
    assert "Block KTD6-2023 updated:" in out and "  unit BTG: changed (name)" in out
    assert "warning: the report deadline of Đợt 2 (report_due of DOT2) is 10/12/2023" in err
    assert main(["setup", str(english), "--lang", "vi"]) == 0
    assert "Khối KTD6-2023 đã đúng như tệp" in capsys.readouterr().out


def test_invites_are_shown_once_and_errors_are_worded(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "@khoi6_bot")
    assert main(["invites"]) == 2
    assert capsys.readouterr().err == (
        "lỗi: cơ sở dữ liệu chưa có Khối nào; xin chạy thidua-bot setup TỆP trước\n")
    assert main(["setup", str(EXAMPLE)]) == 0
    capsys.readouterr()
    assert main(["invites", "--unit", "BTG"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "BTG        Ban Tuyên giáo Tỉnh ủy"
    assert lines[1].strip().startswith("https://t.me/khoi6_bot?start=")
    assert "1 đường dẫn; mỗi đường dẫn dùng được cho 3 lượt đăng ký" in lines[3]
    assert "chỉ hiện một lần" in lines[4] and "--out TỆP.csv" in lines[4]
    with pytest.raises(SystemExit) as info:
        main(["invites", "--uses", "abc"])
    assert info.value.code == 2
    assert "tham số --uses: giá trị 'abc' không hợp lệ" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "frob"])
    assert "invalid choice: 'frob'" in capsys.readouterr().err
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lỗi: BOT_TOKEN: cần có để chạy bot") and "Traceback" not in err


def test_setup_then_invites_json(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", str(EXAMPLE)]) == 0
    assert "Đã tạo" in capsys.readouterr().out
    monkeypatch.setenv("BOT_USERNAME", "@khoi6_bot")
    assert main(["invites", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["unit_code"] for r in rows][:2] == ["VPTU", "BTG"]
    assert set(rows[0]) == {"block", "unit_code", "unit_name", "token", "link"}
    assert rows[0]["link"] == f"https://t.me/khoi6_bot?start={rows[0]['token']}"
    assert rows[0]["unit_name"] == "Văn phòng Tỉnh ủy"
    assert main(["invites", "--unit", "NOPE"]) == 2
    assert capsys.readouterr().err == "lỗi: Khối KTD6-2023 không có đơn vị mang mã NOPE\n"
    assert main(["invites", "--revoke", "BTG", "--lang", "en"]) == 0
    assert capsys.readouterr().out == "Revoked 1 open invite(s) of unit BTG.\n"


def test_invites_without_username_says_what_to_set(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["setup", str(EXAMPLE)]) == 0
    capsys.readouterr()
    assert main(["invites", "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("error: BOT_USERNAME: required")


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
    assert "lỗi; chưa ghi gì vào cơ sở dữ liệu" in err
    assert 'units[1].code: duplicate "VPTU"' in err
    assert 'criteria[1].target: required for kind "number"' in err
    con = sqlite3.connect(env)
    assert con.execute("select count(*), max(id) from audit_log").fetchone() == before
    assert con.execute("select name from blocks").fetchone() == ("Khối thi đua 6",)


def test_db_upgrade_and_version(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storage.migrate import newest_revisions

    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cơ sở dữ liệu đang ở phiên bản ")
    assert all(revision in out for revision in newest_revisions())
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0


def test_command_without_action_shows_its_own_help(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: thidua-bot db") and "upgrade" in out
