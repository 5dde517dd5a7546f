"""Secrets never reach the logs, even inside library messages such as httpx's URLs."""

from __future__ import annotations

import logging

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
