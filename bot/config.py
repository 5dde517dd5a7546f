"""Settings from the environment and an optional `.env` file (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_URL = "https://api.telegram.org"


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

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            if not all(p.lstrip("-").isdigit() for p in parts if p):
                raise ValueError("must be Telegram user ids separated by commas, e.g. 12345,67890")
            return frozenset(int(p) for p in parts if p)
        return value

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
            field = str(err["loc"][0]) if err["loc"] else "?"
            name = _ALIASES.get(field, field)
            msg = str(err["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {msg}")
        raise SettingsError("; ".join(lines)) from None
