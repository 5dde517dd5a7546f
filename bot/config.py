"""Settings from the environment and an optional `.env` file (pydantic-settings)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_URL = "https://api.telegram.org"
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# The log file, when LOG_FILE is set, is rotated at LOG_MAX_BYTES and LOG_BACKUPS old files
# are kept: about (LOG_BACKUPS + 1) x LOG_MAX_BYTES on disk at most, whatever happens.
DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_LOG_BACKUPS = 5
MIN_LOG_MAX_BYTES = 64 * 1024
MAX_LOG_BACKUPS = 100


class Settings(BaseSettings):
    """Everything the bot reads from its environment; see deploy/.env.example."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, alias="BOT_TOKEN")
    bot_api_url: str = Field(default=DEFAULT_API_URL, alias="BOT_API_URL")
    database_url: str = Field(default="sqlite+aiosqlite:///data/thidua.db", alias="DATABASE_URL")
    bot_timezone: str = Field(default="Asia/Ho_Chi_Minh", alias="BOT_TIMEZONE")
    bot_language: str = Field(default="vi", alias="BOT_LANGUAGE")
    bot_admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), alias="BOT_ADMIN_IDS"
    )
    bot_username: str | None = Field(default=None, alias="BOT_USERNAME")
    evidence_dir: Path = Field(default=Path("data/evidence"), alias="EVIDENCE_DIR")
    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    webhook_listen: str = Field(default="0.0.0.0", alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8443, alias="WEBHOOK_PORT", ge=1, le=65535)
    log_file: Path | None = Field(default=None, alias="LOG_FILE")
    log_max_bytes: int = Field(
        default=DEFAULT_LOG_MAX_BYTES, alias="LOG_MAX_BYTES", ge=MIN_LOG_MAX_BYTES
    )
    log_backups: int = Field(
        default=DEFAULT_LOG_BACKUPS, alias="LOG_BACKUPS", ge=1, le=MAX_LOG_BACKUPS
    )

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            if not all(p.lstrip("-").isdigit() for p in parts if p):
                raise ValueError("must be Telegram user ids separated by commas, e.g. 12345,67890")
            return frozenset(int(p) for p in parts if p)
        return value

    @field_validator("log_file", mode="before")
    @classmethod
    def _no_empty_path(cls, value: object) -> object:
        # LOG_FILE= (empty) in a .env means "no file", not the current folder.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("bot_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("must be vi or en")
        return value

    @field_validator("bot_api_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None if value == "" else value
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        raw = value.get_secret_value()
        head, _, tail = raw.partition(":")
        if not head.isdigit() or len(tail) < 5:
            raise ValueError("does not look like a token from BotFather (digits:letters)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        # Telegram's rule for secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
        if not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("use 1-256 letters, digits, _ or - (Telegram's rule)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        # Without the secret header anyone who can reach the port could post forged
        # updates "from" an admin; so webhook mode never runs without one.
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET: required when WEBHOOK_URL is set")
        return self

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)

    def require_token(self) -> str:
        if self.bot_token is None:
            raise SettingsError("BOT_TOKEN: required to run the bot (get one from @BotFather)")
        return self.bot_token.get_secret_value()


class SettingsError(Exception):
    """A setting is missing or invalid; the message names the variable."""


_ALIASES = {name: (f.alias or name.upper()) for name, f in Settings.model_fields.items()}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's report into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = str(err["msg"]).removeprefix("Value error, ")
            if not err["loc"]:  # a rule across variables names its variable itself
                lines.append(msg)
                continue
            field = str(err["loc"][0])
            lines.append(f"{_ALIASES.get(field, field)}: {msg}")
        raise SettingsError("; ".join(lines)) from None
