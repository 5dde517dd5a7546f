"""The Telegram face of the bot: each feature module has COMMANDS and register()."""

from __future__ import annotations

from types import ModuleType

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, TypeHandler

from bot.commands import CommandSpec
from handlers import (
    activities,
    announce,
    awards,
    covenant,
    errors,
    group,
    info,
    ranking,
    registration,
    reminders,
    report,
    review,
)
from handlers.common import IDENTIFY_GROUP, identify, unknown_press

# Order matters: registration's /start comes first so an invite link always works, and
# features come before info so a feature can claim plain messages it is waiting for. After
# them all, in the same handler group, a catch-all answers every press no feature's
# pattern claimed (register_all), so no button ever spins.
FEATURES: list[ModuleType] = [
    registration, group, covenant, report, review, announce, reminders, ranking, activities,
    awards, info,
]


def all_commands() -> list[CommandSpec]:
    return [spec for module in FEATURES for spec in module.COMMANDS]


async def run_startup(application: Application) -> None:
    """Let features resume their work after a (re)start: plans, unfinished sends."""
    for module in FEATURES:
        hook = getattr(module, "on_startup", None)
        if hook is not None:
            await hook(application)


def register_all(application: Application) -> None:
    # The caller is resolved from the database before any feature sees the update.
    application.add_handler(TypeHandler(Update, identify), group=IDENTIFY_GROUP)
    for module in FEATURES:
        module.register(application)
    # Last in group 0: PTB gives a press to the first handler of the group that matches,
    # so this one only sees what every feature's pattern let through.
    application.add_handler(CallbackQueryHandler(unknown_press))
    application.add_error_handler(errors.on_error)
