"""The command menus Telegram shows: per scope (private, group) and language."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from bot.commands import CommandSpec, Scope, visible
from bot.texts import Catalog

# Menus in English for Telegram clients set to English; Vietnamese for everyone else.
MENU_LANGUAGES: tuple[tuple[str, str | None], ...] = (("vi", None), ("en", "en"))


def _menu(texts: Catalog, lang: str, specs: list[CommandSpec]) -> list[BotCommand]:
    # Telegram allows 1-256 characters of description per command.
    return [BotCommand(s.name, texts.text(lang, s.text_key)[:256]) for s in specs]


async def publish_menus(bot: Bot, texts: Catalog, specs: list[CommandSpec]) -> None:
    private = visible(specs, scope=Scope.PRIVATE, is_member=True, is_chair=False)
    group = visible(specs, scope=Scope.GROUP, is_member=True, is_chair=True)
    for lang, code in MENU_LANGUAGES:
        await bot.set_my_commands(
            _menu(texts, lang, private), scope=BotCommandScopeAllPrivateChats(), language_code=code
        )
        await bot.set_my_commands(
            _menu(texts, lang, group), scope=BotCommandScopeAllGroupChats(), language_code=code
        )


async def publish_chair_menu(
    bot: Bot, texts: Catalog, specs: list[CommandSpec], chat_id: int
) -> None:
    """A chair representative's private chat also lists the chair's commands."""
    chair = visible(specs, scope=Scope.PRIVATE, is_member=True, is_chair=True)
    for lang, code in MENU_LANGUAGES:
        await bot.set_my_commands(
            _menu(texts, lang, chair), scope=BotCommandScopeChat(chat_id), language_code=code
        )
