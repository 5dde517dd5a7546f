"""Settings: defaults, parsing and one clear line per bad variable."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, load_settings

VARS = [
    "BOT_TOKEN",
    "BOT_API_URL",
    "DATABASE_URL",
    "BOT_TIMEZONE",
    "BOT_LANGUAGE",
    "BOT_ADMIN_IDS",
    "BOT_USERNAME",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_PORT",
    "EVIDENCE_DIR",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env


def test_defaults() -> None:
    s = load_settings()
    assert s.bot_api_url == "https://api.telegram.org"
    assert s.database_url == "sqlite+aiosqlite:///data/thidua.db"
    assert s.bot_timezone == "Asia/Ho_Chi_Minh"
    assert s.bot_language == "vi"
    assert s.bot_admin_ids == frozenset()
    assert not s.webhook_mode


def test_admin_ids_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_ADMIN_IDS", "111, 222,")
    assert load_settings().bot_admin_ids == frozenset({111, 222})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TIMEZONE", "Asia/Nowhere"),
        ("BOT_LANGUAGE", "fr"),
        ("BOT_ADMIN_IDS", "12,abc"),
        ("BOT_API_URL", "ftp://x"),
        ("BOT_TOKEN", "not-a-token"),
        ("WEBHOOK_PORT", "99999"),
    ],
)
def test_invalid_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith(f"{name}: ")
    assert "\n" not in str(info.value)


def test_token_required_to_run() -> None:
    with pytest.raises(SettingsError, match=r"^BOT_TOKEN: required"):
        load_settings().require_token()


def test_dotenv_file_is_read(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    Path(str(tmp_path), ".env").write_text("BOT_USERNAME=khoi6_bot\n", encoding="utf-8")
    assert load_settings().bot_username == "khoi6_bot"


def test_secret_token_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:SECRETSECRET")
    s = load_settings()
    assert "SECRETSECRET" not in repr(s)
    assert "SECRETSECRET" not in str(s)
