"""The /announce draft as kept in user_data, and its translation to the service's Draft."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import one
from bot.formatting import format_datetime
from bot.outbox import Outgoing
from bot.services.announce.copies import notice_copy
from bot.services.announce.notices import Content, Draft, audience_of, sender_of
from handlers.common import caller_of
from handlers.context import BotContext
from storage import blocks as blocks_repo
from storage.announcements import Announcement

PREVIEW_PRESS = "an:pv"
UNITS_PER_ROW = 4

# Confirmation deadlines the chair can pick, counted from the moment the notice is sent.
DEADLINES: dict[str, timedelta | None] = {
    "": None,
    "2h": timedelta(hours=2),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
}


def draft_of(context: BotContext, key: str, nonce: str) -> dict[str, Any] | None:
    draft = (context.user_data or {}).get(key)
    if isinstance(draft, dict) and draft.get("nonce") == nonce:
        return draft
    return None


def to_service(draft: dict[str, Any], now: datetime) -> Draft:
    mode = draft.get("mode", "both")
    delta = DEADLINES.get(draft.get("deadline", ""))
    return Draft(
        content=Content(**draft["content"]) if "content" in draft else Content("text", ""),
        to_group=mode in ("both", "group"),
        to_units=mode in ("both", "units", "pick"),
        unit_ids=tuple(draft.get("unit_ids", ())) if mode == "pick" else None,
        ask_ack=bool(draft.get("ask_ack", True)),
        deadline=now + delta if delta is not None and draft.get("ask_ack", True) else None,
    )


def preview_announcement(draft: dict[str, Any], now: datetime) -> Announcement:
    """A stand-in notice (id 0, never stored) to render the preview with."""
    wanted = to_service(draft, now)
    content = wanted.content
    return Announcement(
        id=0, block_id=draft.get("block_id", 0), author_tg_id=0, author_unit_id=None,
        kind=content.kind,
        body=content.body, file_id=content.file_id, file_name=content.file_name,
        to_group=wanted.to_group, to_units=wanted.to_units,
        unit_ids=list(wanted.unit_ids) if wanted.unit_ids is not None else None,
        ask_ack=wanted.ask_ack, ack_deadline=wanted.deadline, deadline_done_at=None,
        group_chat_id=None, progress_chat_id=None, progress_message_id=None, nudges=0,
        last_nudge_at=None, created_at=now,
    )


def preview_outgoing(context: BotContext, draft: dict[str, Any], chat_id: int) -> Outgoing:
    """The notice exactly as a representative will see it, with an inert button."""
    caller = caller_of(context)
    assert caller.block is not None
    announcement = preview_announcement(draft, context.runtime.clock.now())
    copy = notice_copy(
        context.runtime.texts, caller.language, caller.block,
        sender_of(context.runtime, caller, caller.language), announcement, chat_id=chat_id,
        dedupe_key="", tg_user_id=chat_id, ack_total=0, asks=announcement.ask_ack,
    )
    markup = one(context.t("announce-btn-ack"), PREVIEW_PRESS) if announcement.ask_ack else ()
    return dataclasses.replace(copy, buttons=markup)


async def panel(context: BotContext, draft: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    runtime, caller = context.runtime, caller_of(context)
    assert caller.block is not None
    if draft.get("picking"):
        return context.t("announce-pick-title"), await pick_keyboard(context, draft)
    async with runtime.db.read() as conn:
        audience = await audience_of(conn, caller.block, to_service(draft, runtime.clock.now()),
                                     caller)
    people, units = len(audience.members), len(audience.ack_units)
    mode = draft["mode"]
    if mode == "pick":
        codes = ", ".join(u.code for u in audience.ack_units)
        described = (context.t("announce-audience-picked", codes=codes, people=people)
                     if codes else context.t("announce-audience-picked-none"))
    else:
        described = context.t(f"announce-audience-{mode}", units=units, people=people)
    deadline = to_service(draft, runtime.clock.now()).deadline
    text = context.t(
        "announce-panel", audience=described,
        ack=context.t("announce-yes" if draft["ask_ack"] else "announce-no"),
        deadline=format_datetime(deadline, caller.block.tz) if deadline and draft["ask_ack"]
        else context.t("announce-deadline-none"),
    )
    return text, _panel_keyboard(context, draft, caller.block.group_chat_id is not None)


def _button(context: BotContext, draft: dict[str, Any], label: str, action: str,
            chosen: bool = False) -> InlineKeyboardButton:
    return InlineKeyboardButton(("✓ " if chosen else "") + label,
                                callback_data=f"an:d:{draft['nonce']}:{action}")


def _panel_keyboard(
    context: BotContext, draft: dict[str, Any], has_group: bool
) -> InlineKeyboardMarkup:
    mode = draft["mode"]
    modes = ["both", "group", "units"] if has_group else ["units"]
    rows = [[_button(context, draft, context.t(f"announce-btn-{m}"), f"aud:{m}", mode == m)
             for m in modes],
            [_button(context, draft, context.t("announce-btn-pick"), "pick", mode == "pick")],
            [_button(context, draft, context.t(
                "announce-btn-ack-on" if draft["ask_ack"] else "announce-btn-ack-off"), "ack")]]
    if draft["ask_ack"]:
        rows.append([
            _button(context, draft, _deadline_label(context, code), f"dl:{code or 'none'}",
                    draft["deadline"] == code)
            for code in DEADLINES
        ])
    rows.append([_button(context, draft, context.t("announce-btn-send"), "send"),
                 _button(context, draft, context.t("announce-btn-cancel"), "cancel")])
    return InlineKeyboardMarkup(rows)


def _deadline_label(context: BotContext, code: str) -> str:
    delta = DEADLINES[code]
    if delta is None:
        return context.t("announce-btn-deadline-none")
    if delta < timedelta(days=1):
        return context.t("announce-btn-deadline-hours", hours=int(delta.total_seconds() // 3600))
    if delta.days == 1:  # "1 day", not "1 days"
        return context.t("announce-btn-deadline-one-day")
    return context.t("announce-btn-deadline-days", days=delta.days)


async def pick_keyboard(context: BotContext, draft: dict[str, Any]) -> InlineKeyboardMarkup:
    caller = caller_of(context)
    assert caller.block is not None
    async with context.runtime.db.read() as conn:
        tree = await blocks_repo.load_tree(conn, caller.block)
    chosen = set(draft["unit_ids"])
    buttons = [_button(context, draft, u.code, f"tog:{u.id}", u.id in chosen) for u in tree.units]
    rows = [buttons[i:i + UNITS_PER_ROW] for i in range(0, len(buttons), UNITS_PER_ROW)]
    rows.append([_button(context, draft, context.t("announce-btn-all"), "all"),
                 _button(context, draft, context.t("announce-btn-clear"), "clear")])
    rows.append([_button(context, draft, context.t("announce-btn-done"), "done")])
    return InlineKeyboardMarkup(rows)
