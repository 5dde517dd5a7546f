"""The /announce wizard's rules: a draft's options, what the chair's panel shows, how a press
on it changes the draft, the preview, and sending: once per panel, so a second «Gửi» (a
double tap, the chair's other screen) sends nothing and is told who sent the notice, and
when (Overtaken).

The handler keeps the draft between presses (with its nonce and the preview's message) and
renders what these functions return; everything that reads the database or decides what a
press means is here, so the wizard's rules are tested without a bot.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import NO_BUTTONS, one
from bot.outbox import Outgoing
from bot.services.access import Caller
from bot.services.announce import callbacks
from bot.services.announce.callbacks import Action, PanelPress
from bot.services.announce.copies import notice_copy
from bot.services.announce.notices import (
    Audience,
    Content,
    Draft,
    Sent,
    SentBefore,
    audience_of,
    send_announcement,
    sender_of,
)
from bot.services.audit import Decision, decision
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import announcements as announcements_repo
from storage import blocks as blocks_repo
from storage.announcements import Announcement
from storage.db import Database
from storage.records import Unit

# Confirmation deadlines the chair can pick, counted from the moment the notice is sent.
DEADLINES: dict[str, timedelta | None] = {
    "": None,
    "2h": timedelta(hours=2),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
}
NO_DEADLINE = "none"  # the code of "" in callback data
MODES = ("both", "group", "units")  # the whole audience choices; "pick" chooses units
PICK = "pick"


@dataclass(frozen=True)
class Options:
    """What the chair chose so far for one notice."""

    block_id: int
    content: Content
    mode: str = "both"  # both | group | units | pick
    unit_ids: tuple[int, ...] = ()  # the picked units (mode "pick")
    ask_ack: bool = True
    deadline: str = ""  # a DEADLINES code
    picking: bool = False  # the panel shows the units to pick from


def start(caller: Caller, content: Content) -> Options:
    """A new draft: to the group and every unit, or to the units when there is no group."""
    block = caller.block
    assert block is not None
    return Options(block.id, content, mode="both" if block.group_chat_id is not None else "units")


def to_draft(options: Options, now: datetime) -> Draft:
    """The notice these options describe, sent `now`."""
    delta = DEADLINES.get(options.deadline)
    return Draft(
        content=options.content,
        to_group=options.mode in ("both", "group"),
        to_units=options.mode in ("both", "units", PICK),
        unit_ids=options.unit_ids if options.mode == PICK else None,
        ask_ack=options.ask_ack,
        deadline=now + delta if delta is not None and options.ask_ack else None,
    )


def nothing_picked(options: Options) -> bool:
    """The chair chose to pick units and picked none: there is nothing to send."""
    return options.mode == PICK and not options.unit_ids


@dataclass(frozen=True)
class Panel:
    """What the chair's panel shows for a draft."""

    options: Options
    has_group: bool
    audience: Audience | None  # who the draft reaches; None while picking units
    units: tuple[Unit, ...]  # the block's units to pick from, while picking
    deadline: datetime | None  # the confirmation deadline if sent now


async def _panel(conn: AsyncConnection, now: datetime, caller: Caller, options: Options) -> Panel:
    block = caller.block
    assert block is not None
    has_group = block.group_chat_id is not None
    deadline = to_draft(options, now).deadline
    if options.picking:
        units = tuple((await blocks_repo.load_tree(conn, block)).units)
        return Panel(options, has_group, None, units, deadline)
    audience = await audience_of(conn, block, to_draft(options, now), caller)
    return Panel(options, has_group, audience, (), deadline)


async def panel(db: Database, clock: Clock, caller: Caller, options: Options) -> Panel:
    async with db.read() as conn:
        return await _panel(conn, clock.now(), caller, options)


def _stand_in(options: Options, now: datetime) -> Announcement:
    """A notice (id 0, never stored) to render the preview with."""
    wanted = to_draft(options, now)
    content = wanted.content
    return Announcement(
        id=0, block_id=options.block_id, author_tg_id=0, author_unit_id=None,
        kind=content.kind, body=content.body, file_id=content.file_id,
        file_name=content.file_name, to_group=wanted.to_group, to_units=wanted.to_units,
        unit_ids=list(wanted.unit_ids) if wanted.unit_ids is not None else None,
        ask_ack=wanted.ask_ack, ack_deadline=wanted.deadline, deadline_done_at=None,
        group_chat_id=None, progress_chat_id=None, progress_message_id=None, nudges=0,
        last_nudge_at=None, created_at=now,
    )


def preview(
    clock: Clock, texts: Catalog, caller: Caller, options: Options, chat_id: int
) -> Outgoing:
    """The notice exactly as a representative will see it, with an inert button."""
    assert caller.block is not None
    lang = caller.language
    announcement = _stand_in(options, clock.now())
    copy = notice_copy(
        texts, lang, caller.block, sender_of(texts, caller, lang), announcement,
        chat_id=chat_id, dedupe_key="", tg_user_id=chat_id, ack_total=0,
        asks=announcement.ask_ack,
    )
    buttons = (one(texts.text(lang, "announce-btn-ack"), callbacks.PREVIEW)
               if announcement.ask_ack else NO_BUTTONS)
    return dataclasses.replace(copy, buttons=buttons)


@dataclass(frozen=True)
class Opening:
    options: Options
    preview: Outgoing
    panel: Panel


async def begin(
    db: Database, clock: Clock, texts: Catalog, caller: Caller, content: Content, chat_id: int
) -> Opening:
    """A new draft of `content`: its preview (for `chat_id`) and its panel."""
    options = start(caller, content)
    return Opening(options, preview(clock, texts, caller, options, chat_id),
                   await panel(db, clock, caller, options))


@dataclass(frozen=True)
class Choice:
    options: Options
    panel: Panel
    preview: Outgoing | None  # the preview's new wording, None if it did not change


async def choose(
    db: Database, clock: Clock, texts: Catalog, caller: Caller, options: Options,
    press: PanelPress,
) -> Choice:
    """A press on the panel (not send or cancel): the changed draft and what it shows."""
    async with db.read() as conn:
        changed, reworded = await _apply(conn, caller, options, press)
        shown = await _panel(conn, clock.now(), caller, changed)
    again = preview(clock, texts, caller, changed, caller.tg_user_id) if reworded else None
    return Choice(changed, shown, again)


async def _apply(
    conn: AsyncConnection, caller: Caller, options: Options, press: PanelPress
) -> tuple[Options, bool]:
    """The draft after the press, and whether the preview's wording changed too."""
    action, arg, replace = press.action, press.arg, dataclasses.replace
    block = caller.block
    assert block is not None
    if action == Action.AUDIENCE and arg in MODES:
        return replace(options, mode=arg, picking=False), False
    if action == Action.PICK:
        return replace(options, mode=PICK, picking=True), False
    if action == Action.TOGGLE and press.unit_id is not None:
        unit = await blocks_repo.get_unit(conn, press.unit_id)
        if unit is not None and unit.block_id == block.id and unit.active:
            chosen = tuple(sorted(set(options.unit_ids) ^ {unit.id}))
            return replace(options, unit_ids=chosen), False
    elif action == Action.ALL:
        tree = await blocks_repo.load_tree(conn, block)
        return replace(options, unit_ids=tuple(u.id for u in tree.units)), False
    elif action == Action.CLEAR:
        return replace(options, unit_ids=()), False
    elif action == Action.DONE:
        return replace(options, picking=False), False
    elif action == Action.ACK:
        return replace(options, ask_ack=not options.ask_ack), True
    elif action == Action.DEADLINE and arg is not None:
        code = "" if arg == NO_DEADLINE else arg
        if code in DEADLINES:
            return replace(options, deadline=code), True
    return options, False


@dataclass(frozen=True)
class Overtaken:
    """The draft's panel had sent its notice already (a double press, a second screen):
    nothing is sent again; `decision` says who sent it, and when."""

    announcement_id: int
    decision: Decision


async def send(
    db: Database, clock: Clock, texts: Catalog, caller: Caller, options: Options,
    *, progress: tuple[int, int],
) -> Sent | Overtaken | None:
    """Queue the draft (see send_announcement) once per panel (`progress`: the panel's
    chat and message); None if it reaches nobody."""
    try:
        return await send_announcement(db, clock, texts, caller,
                                       to_draft(options, clock.now()), progress=progress)
    except SentBefore as earlier:
        async with db.read() as conn:
            return await _overtaken(conn, earlier.announcement)


async def sent_from_panel(db: Database, panel: tuple[int, int]) -> Overtaken | None:
    """The notice this panel sent, if it did: a press on a panel whose draft is gone."""
    async with db.read() as conn:
        earlier = await announcements_repo.sent_from(conn, *panel)
        return await _overtaken(conn, earlier) if earlier is not None else None


async def _overtaken(conn: AsyncConnection, announcement: Announcement) -> Overtaken:
    return Overtaken(announcement.id, await decision(
        conn, announcement.block_id, "sent", announcement.created_at,
        announcement.author_tg_id, str(announcement.id)))
