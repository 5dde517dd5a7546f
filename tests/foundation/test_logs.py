"""Secrets never reach the logs, even inside library messages such as httpx's URLs; and
the log stays within its rotation bound whatever is logged."""

from __future__ import annotations

import logging
import stat
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from bot.logsetup import RedactTokens


def test_token_in_url_and_known_secrets_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    caplog.handler.addFilter(RedactTokens(["webhook-secret-xyz"]))
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("HTTP Request: POST %s", "https://api.telegram.org/bot123456:AAbbCC_dd-ee/getMe")
        logger.info("secret header was %s", "webhook-secret-xyz")
    text = caplog.text
    assert "AAbbCC_dd-ee" not in text and "webhook-secret-xyz" not in text
    assert "bot<redacted>/getMe" in text


def test_tracebacks_are_redacted_too() -> None:
    from bot.logsetup import RedactingFormatter

    formatter = RedactingFormatter("%(message)s", RedactTokens(["s3cret-hook"]))
    try:
        raise RuntimeError("POST https://api.telegram.org/bot123456:AAbbCC_dd-ee/sendMessage")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    text = formatter.format(record)
    assert "Traceback" in text and "AAbbCC_dd-ee" not in text
    assert "bot<redacted>/sendMessage" in text


# --- the log never grows without bound (issue 26.1) ----------------------------------------

def _storm(logger: logging.Logger, records: int) -> None:
    for n in range(records):
        try:
            raise RuntimeError(f"failure {n} " + "x" * 200)
        except RuntimeError:
            logger.exception("something failed again")


def test_a_storm_of_errors_stays_within_the_rotation_bound(tmp_path: Path) -> None:
    from bot.logsetup import LOG_FORMAT, MAX_RECORD_CHARS, RedactingFormatter, rotating_file

    path = tmp_path / "logs" / "nested" / "bot.log"
    max_bytes, backups = 64 * 1024, 2
    handler = rotating_file(path, max_bytes, backups)
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, RedactTokens([])))
    logger = logging.getLogger("test.storm")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        _storm(logger, 3000)  # ~2 MB of tracebacks
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
        handler.close()
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["bot.log", "bot.log.1", "bot.log.2"]
    total = sum(p.stat().st_size for p in path.parent.iterdir())
    assert total <= (backups + 1) * (max_bytes + 4 * MAX_RECORD_CHARS)
    assert "failure 2999" in path.read_text()  # the newest records are kept
    # Only the bot's user reads the log, its rotated files and its folders.
    for file in path.parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    for folder in (path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_one_enormous_record_is_clipped() -> None:
    from bot.logsetup import MAX_RECORD_CHARS, RedactingFormatter

    formatter = RedactingFormatter("%(message)s", RedactTokens([]))
    record = logging.LogRecord("x", logging.CRITICAL, __file__, 1, "received %r", ("y" * 10**6,),
                               None)
    text = formatter.format(record)
    assert len(text) < MAX_RECORD_CHARS + 100
    assert text.endswith("characters cut]")


def test_configure_logging_writes_to_the_rotated_file(tmp_path: Path) -> None:
    from bot.logsetup import configure_logging

    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    path = tmp_path / "data" / "thidua.log"
    handler = configure_logging(secrets=["hook-secret-1"], log_file=path,
                                max_bytes=100_000, backups=3)
    try:
        assert isinstance(handler, RotatingFileHandler)
        assert (handler.maxBytes, handler.backupCount) == (100_000, 3)
        logging.getLogger("test.file").warning("secret %s", "hook-secret-1")
        handler.flush()
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
        handler.close()
    text = path.read_text()
    assert "secret <redacted>" in text and "hook-secret-1" not in text


def test_log_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.config import DEFAULT_LOG_BACKUPS, DEFAULT_LOG_MAX_BYTES, SettingsError, load_settings

    monkeypatch.chdir(tmp_path)
    for name in ("LOG_FILE", "LOG_MAX_BYTES", "LOG_BACKUPS"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.log_file is None  # standard error, as before
    assert (settings.log_max_bytes, settings.log_backups) == (DEFAULT_LOG_MAX_BYTES,
                                                              DEFAULT_LOG_BACKUPS)
    monkeypatch.setenv("LOG_FILE", "")
    assert load_settings().log_file is None
    monkeypatch.setenv("LOG_FILE", "/var/log/thidua/bot.log")
    monkeypatch.setenv("LOG_MAX_BYTES", "1048576")
    monkeypatch.setenv("LOG_BACKUPS", "2")
    settings = load_settings()
    assert (settings.log_file, settings.log_max_bytes, settings.log_backups) == (
        Path("/var/log/thidua/bot.log"), 1048576, 2)
    monkeypatch.setenv("LOG_MAX_BYTES", "100")
    with pytest.raises(SettingsError, match=r"^LOG_MAX_BYTES: "):
        load_settings()
