"""The one setting that would undo the ballot's secrecy from inside: DEBUG logging, at
which python-telegram-bot logs every update and every call with its parameters (each
press on a ballot, each receipt). A vote does not open while it is on."""

from __future__ import annotations

import logging

LIBRARY_LOGGERS = ("telegram", "httpx", "httpcore")


def debug_logging() -> bool:
    return any(logging.getLogger(name).isEnabledFor(logging.DEBUG) for name in LIBRARY_LOGGERS)
