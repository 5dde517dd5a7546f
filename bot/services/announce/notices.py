"""Chair announcements: send a notice, record "received" per unit, nudge, deadlines.

Every use case is one transaction: the notice, its addressees and its outbox rows commit
together, so a crash never leaves a notice half-queued. The caller wakes the outbox after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.outbox import Outgoing, enqueue
from bot.services.access import Caller
from bot.services.announce.copies import notice_copy
from bot.services.announce.stats import ack_units
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import announcements as repo
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage import outbox as outbox_repo
from storage import prefs as prefs_repo
from storage.announcements import Ack, Announcement, Recipient
from storage.db import Database
from storage.records import Block, Member, Unit


@dataclass(frozen=True)
class Content:
    kind: str  # text | photo | document
    body: str | None  # Telegram HTML (the chair's entities rendered)
    file_id: str | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class Draft:
    content: Content
    to_group: bool = True
    to_units: bool = True
    unit_ids: tuple[int, ...] | None = None  # None: every unit
    ask_ack: bool = True
    deadline: datetime | None = None


@dataclass(frozen=True)
class Audience:
    group_chat_id: int | None
    ack_units: tuple[Unit, ...]  # the units asked to confirm: N in "Đã nhận: k/N"
    members: tuple[tuple[Member, Unit], ...]  # private copies, in unit then joining order
    units_without_reps: tuple[Unit, ...]


async def audience_of(
    conn: AsyncConnection, block: Block, draft: Draft, author: Caller
) -> Audience:
    """Who a draft reaches. The author has the preview and their own unit does not confirm
    its own notice; the unit's other representatives still get a copy."""
    tree = await blocks_repo.load_tree(conn, block)
    chosen = set(draft.unit_ids) if draft.unit_ids is not None else None
    addressed = tuple(u for u in tree.units if chosen is None or u.id in chosen)
    members: list[tuple[Member, Unit]] = []
    if draft.to_units:
        by_unit = {u.id: u for u in addressed}
        for member in await members_repo.block_members(conn, block.id):
            if member.unit_id in by_unit and member.tg_user_id != author.tg_user_id:
                members.append((member, by_unit[member.unit_id]))
    own = author.unit.id if author.unit is not None else None
    ack_units = tuple(u for u in (addressed if draft.to_units else tree.units) if u.id != own)
    reached = {unit.id for _, unit in members}
    return Audience(
        group_chat_id=block.group_chat_id if draft.to_group else None,
        ack_units=ack_units,
        members=tuple(members),
        units_without_reps=tuple(u for u in ack_units if u.id not in reached),
    )


def sender_of(texts: Catalog, caller: Caller, lang: str) -> str:
    """"Văn phòng Tỉnh ủy (Khối trưởng)"; a bot admin outside the units signs as the chair."""
    if caller.unit is not None:
        role = texts.text(lang, f"role-{caller.unit.role}")
        return texts.text(lang, "announce-sender-unit", unit=caller.unit.name, role=role)
    return texts.text(lang, "announce-sender-chair")


@dataclass(frozen=True)
class Sent:
    announcement: Announcement
    audience: Audience
    messages: int


class SentBefore(Exception):
    """The panel (`progress`) already sent its notice: a double press, a second screen."""

    def __init__(self, announcement: Announcement) -> None:
        super().__init__(announcement.id)
        self.announcement = announcement


async def send_announcement(
    db: Database, clock: Clock, texts: Catalog, caller: Caller, draft: Draft,
    *, progress: tuple[int, int] | None = None,
) -> Sent | None:
    """Queue the notice for the group and the representatives; None if nobody is reachable.

    `progress` is the (chat id, message id) of the chair's message to edit with the
    sending progress: the draft's panel, which sends one notice (SentBefore otherwise,
    checked under the write lock, so two presses at once send once).
    """
    block = caller.block
    if block is None or not caller.is_chair:
        raise PermissionError("only the chair sends announcements")
    now = clock.now()
    async with db.transaction() as conn:
        if progress is not None:
            await audit.lock(conn)
            earlier = await repo.sent_from(conn, *progress)
            if earlier is not None:
                raise SentBefore(earlier)
        audience = await audience_of(conn, block, draft, caller)
        if audience.group_chat_id is None and not audience.members:
            return None
        content = draft.content
        announcement_id = await repo.add_announcement(
            conn, block_id=block.id, author_tg_id=caller.tg_user_id,
            author_unit_id=caller.unit.id if caller.unit else None, kind=content.kind,
            body=content.body, file_id=content.file_id, file_name=content.file_name,
            to_group=audience.group_chat_id is not None, to_units=draft.to_units,
            unit_ids=list(draft.unit_ids) if draft.unit_ids is not None else None,
            ask_ack=draft.ask_ack, ack_deadline=draft.deadline if draft.ask_ack else None,
            group_chat_id=audience.group_chat_id, created_at=now,
            progress_chat_id=progress[0] if progress else None,
            progress_message_id=progress[1] if progress else None,
        )
        announcement = await repo.get_announcement(conn, announcement_id)
        assert announcement is not None
        recipients, items = await _copies(conn, texts, caller, block, announcement, audience)
        await repo.add_recipients(conn, recipients)
        await enqueue(conn, items, now)
        await audit.record(
            conn, at=now, action="announce.sent", block_id=block.id,
            actor_tg_id=caller.tg_user_id, actor_unit_id=caller.unit.id if caller.unit else None,
            subject=f"announcement:{announcement_id}",
            after={"recipients": len(items), "group": audience.group_chat_id is not None,
                   "units": [u.code for u in audience.ack_units], "ask_ack": draft.ask_ack},
        )
    return Sent(announcement, audience, len(items))


async def _copies(
    conn: AsyncConnection, texts: Catalog, caller: Caller, block: Block,
    announcement: Announcement, audience: Audience,
) -> tuple[list[Recipient], list[Outgoing]]:
    """Each copy worded for its reader. Not bot.services.notify: a copy's button depends on
    its reader's unit (asked to confirm or not) and the group's carries the live counter,
    and the keys ("announce:<id>:group", "announce:<id>:u<user>") are the addresses
    stored with the notice, by which its progress finds each copy."""
    total = len(audience.ack_units)
    asked = {u.id for u in audience.ack_units} if announcement.ask_ack else set()
    recipients: list[Recipient] = []
    items: list[Outgoing] = []
    if audience.group_chat_id is not None:
        key = f"{announcement.batch}:group"
        recipients.append(Recipient(announcement.id, None, None, audience.group_chat_id, key))
        items.append(notice_copy(
            texts, block.language, block, sender_of(texts, caller, block.language),
            announcement, chat_id=audience.group_chat_id, dedupe_key=key, tg_user_id=None,
            ack_total=total, asks=announcement.ask_ack,
        ))
    languages = await prefs_repo.languages_of(conn, [m.tg_user_id for m, _ in audience.members])
    for member, unit in audience.members:
        lang = languages.get(member.tg_user_id, block.language)
        key = f"{announcement.batch}:u{member.tg_user_id}"
        recipients.append(Recipient(announcement.id, unit.id, member.tg_user_id,
                                    member.tg_user_id, key))
        items.append(notice_copy(
            texts, lang, block, sender_of(texts, caller, lang), announcement,
            chat_id=member.tg_user_id, dedupe_key=key, tg_user_id=member.tg_user_id,
            ack_total=total, asks=unit.id in asked,
        ))
    return recipients, items


class AckOutcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    NOT_ASKED = "not-asked"
    INVALID = "invalid"  # pressed on a message that is not the presser's copy of the notice


@dataclass(frozen=True)
class AckResult:
    outcome: AckOutcome
    announcement: Announcement | None = None
    block: Block | None = None
    unit: Unit | None = None
    ack: Ack | None = None


async def acknowledge(
    db: Database, clock: Clock, announcement_id: int, tg_user_id: int, full_name: str,
    *, caller: Caller | None = None, pressed: tuple[int, int] | None = None,
) -> AckResult:
    """Record "received" for the presser's unit: first press per unit counts.

    Who may press is decided here from the database, never from the button: a
    representative of a unit the notice was addressed to, in the notice's block. The
    presser's `caller` (handlers.common.identify: read from the database for this very
    update) spares reading their block and membership again when the notice is of that
    block; otherwise they are read here.

    `pressed` is the (chat id, message id) the press came from. Before anything is
    recorded it must be one the bot sent for this notice: the presser's copy, a reminder
    of it sent to them, or the group copy; else INVALID and nothing changes (a forged
    press would otherwise turn any bot message in the chat into the notice's button).
    """
    now = clock.now()
    async with db.transaction() as conn:
        announcement = await repo.get_announcement(conn, announcement_id)
        if announcement is None:
            return AckResult(AckOutcome.UNKNOWN)
        block, member = await _seat(conn, announcement.block_id, tg_user_id, caller)
        if not announcement.ask_ack:
            return AckResult(AckOutcome.NOT_ASKED, announcement, block)
        asked = ack_units(await blocks_repo.load_tree(conn, block), announcement)
        unit = next((u for u in asked if member and u.id == member.unit_id), None)
        if member is None or unit is None:
            await audit.record(
                conn, at=now, action="announce.ack-refused", block_id=block.id,
                actor_tg_id=tg_user_id, subject=f"announcement:{announcement_id}",
            )
            return AckResult(AckOutcome.REFUSED, announcement, block)
        earlier = await repo.ack_of(conn, announcement_id, unit.id)
        if earlier is not None:  # most presses after a notice: nothing to write
            return AckResult(AckOutcome.ALREADY, announcement, block, unit, earlier)
        if pressed is not None and not await _sent_for(conn, announcement, tg_user_id, pressed):
            return AckResult(AckOutcome.INVALID, announcement, block)
        ack, fresh = await repo.add_ack(
            conn, Ack(announcement_id, unit.id, tg_user_id, full_name, now)
        )
        if fresh:
            await audit.record(
                conn, at=now, action="announce.ack", block_id=block.id, actor_tg_id=tg_user_id,
                actor_unit_id=unit.id, subject=f"announcement:{announcement_id}",
            )
    outcome = AckOutcome.RECORDED if fresh else AckOutcome.ALREADY
    return AckResult(outcome, announcement, block, unit, ack)


async def _seat(
    conn: AsyncConnection, block_id: int, tg_user_id: int, caller: Caller | None
) -> tuple[Block, Member | None]:
    """The notice's block and the presser's membership in it."""
    if (caller is not None and caller.tg_user_id == tg_user_id and caller.block is not None
            and caller.block.id == block_id):
        return caller.block, caller.member
    block = await blocks_repo.get_block(conn, block_id)
    assert block is not None
    return block, await members_repo.get_membership(conn, block_id, tg_user_id)


def message_keys(announcement: Announcement, tg_user_id: int) -> list[str]:
    """The outbox keys of every message of a notice that carries its "received" button for
    this person: their copy (_copies), the group copy, and the reminders sent to them
    (bot.services.announce.nudges: "<batch>:<tag>:<chat id>" through notify.worded)."""
    batch = announcement.batch
    tags = [f"nudge{n}" for n in range(1, announcement.nudges + 1)] + ["deadline"]
    return [f"{batch}:u{tg_user_id}", f"{batch}:group",
            *(f"{batch}:{tag}:{tg_user_id}" for tag in tags)]


async def _sent_for(
    conn: AsyncConnection, announcement: Announcement, tg_user_id: int,
    pressed: tuple[int, int],
) -> bool:
    """Whether the pressed (chat, message) is one of those messages, as it was sent."""
    rows = await outbox_repo.delivery_rows(conn, message_keys(announcement, tg_user_id))
    return any((row.chat_id, row.message_id) == pressed for row in rows.values())
