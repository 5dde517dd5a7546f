"""Logging that never prints the bot token (httpx logs every request URL, token included),
and never grows without bound.

Where it goes: standard error (journald, docker's log), or with LOG_FILE a file rotated at
LOG_MAX_BYTES with LOG_BACKUPS old files kept (logging.handlers.RotatingFileHandler), so a
storm of errors cannot fill the disk. Each record is clipped to MAX_RECORD_CHARS, so no
single record (a library quoting a whole getUpdates batch) outgrows a file either. The log
file and its folder are the bot user's alone (0600 / 0700), old files as they rotate too.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from bot.config import DEFAULT_LOG_BACKUPS, DEFAULT_LOG_MAX_BYTES
from storage.private import private_file, private_folder

_TOKEN_IN_URL = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A traceback is a few thousand characters; a record longer than this quotes data.
MAX_RECORD_CHARS = 20_000


class RedactTokens(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        text = _TOKEN_IN_URL.sub("bot<redacted>", text)
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def clipped(text: str, limit: int = MAX_RECORD_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … [{len(text) - limit} characters cut]"


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record: tracebacks quote URLs with the token too; and
    clips it to MAX_RECORD_CHARS."""

    def __init__(self, fmt: str, redactor: RedactTokens) -> None:
        super().__init__(fmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return clipped(self.redactor.redact(super().format(record)))


def _rotate_privately(source: str, dest: str) -> None:
    """RotatingFileHandler's rotator: rename as the default one does, then create the new
    file 0600 before the handler opens it (it would get the umask's mode)."""
    if os.path.exists(source):
        os.replace(source, dest)
    private_file(Path(source))


def rotating_file(path: Path, max_bytes: int = DEFAULT_LOG_MAX_BYTES,
                  backups: int = DEFAULT_LOG_BACKUPS) -> RotatingFileHandler:
    """A handler writing to `path` (folder and file created private), rotated at
    `max_bytes` with `backups` old files: path.1 is the newest of them."""
    private_file(private_folder(path.parent) / path.name)
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                  encoding="utf-8")
    handler.rotator = _rotate_privately
    return handler


def configure_logging(level: str = "INFO", secrets: list[str] | None = None, *,
                      log_file: Path | None = None, max_bytes: int = DEFAULT_LOG_MAX_BYTES,
                      backups: int = DEFAULT_LOG_BACKUPS) -> logging.Handler:
    """Send the root logger's records to standard error, or to the rotated `log_file`;
    returns the handler (the root logger's only one)."""
    redactor = RedactTokens(secrets or [])
    handler: logging.Handler = (
        logging.StreamHandler() if log_file is None
        else rotating_file(log_file, max_bytes, backups)
    )
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, redactor))
    # Not redundant with the formatter: it rewrites the record itself, so handlers added
    # after this one (tests/benchmarks/load_child.py's ErrorCounter) see no token either.
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Request lines are noise at INFO and carry the token in their URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return handler
