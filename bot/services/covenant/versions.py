"""The covenant's versions: publishing, following edits of the block file, status.

A version is the covenant text as published. When the text in the block file differs
from the latest version (the chair edited it and ran `thidua-bot setup`, or published
again), a new version is added, earlier signatures are marked superseded and every unit
is asked to sign again. `sync_covenant_version` does that check; setup, bot start-up and
the /covenant commands call it, so whichever runs first after an edit applies it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services.clock import Clock
from bot.services.covenant import messages as notices
from bot.services.covenant.hash import CovenantContent, covenant_text, sha256_hex
from bot.services.covenant.pledge import load_unit_pledge
from bot.texts import Catalog, catalog
from storage import audit
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage import members as members_repo
from storage import prefs as prefs_repo
from storage.covenant import CovenantVersion, Signature
from storage.db import Database
from storage.records import Block, BlockTree, Unit

# Callback data carries this many hex digits of the previewed text, so a confirmation
# publishes exactly what the chair saw (the block file may change in between).
CONFIRM_HASH_DIGITS = 8


@dataclass(frozen=True)
class CovenantState:
    block: Block
    tree: BlockTree
    draft: CovenantContent | None  # the text in the block file now
    version: CovenantVersion | None  # the latest published version
    signatures: dict[int, Signature] = field(default_factory=dict)  # live, by unit id

    @property
    def total(self) -> int:
        return len(self.tree.units)

    @property
    def signed(self) -> int:
        return sum(1 for u in self.tree.units if u.id in self.signatures)

    def unsigned_units(self) -> list[Unit]:
        return [u for u in self.tree.units if u.id not in self.signatures]

    def content(self) -> CovenantContent | None:
        if self.version is not None:
            return CovenantContent.from_settings(self.version.content)
        return self.draft


def draft_of(block: Block) -> CovenantContent | None:
    raw = block.settings.get("covenant")
    return CovenantContent.from_settings(raw) if raw else None


async def load_state(conn: AsyncConnection, block: Block) -> CovenantState:
    tree = await blocks_repo.load_tree(conn, block)
    version = await covenant_repo.latest_version(conn, block.id)
    live: dict[int, Signature] = {}
    if version is not None:
        active = {u.id for u in tree.units}
        for sig in await covenant_repo.version_signatures(conn, version.id):
            if not sig.superseded and sig.unit_id in active:
                live[sig.unit_id] = sig
    return CovenantState(block, tree, draft_of(block), version, live)


@dataclass(frozen=True)
class Reach:
    """Who a delivery could reach: chairs are told about the rest."""

    units: int = 0
    people: int = 0
    no_member: tuple[Unit, ...] = ()  # no representative has registered (opened the bot)
    unreachable: tuple[Unit, ...] = ()  # every representative blocked the bot (403 before)


async def deliver(
    conn: AsyncConnection, texts: Catalog, state: CovenantState, version: CovenantVersion,
    units: list[Unit], *, kind: str, round_key: str, now: datetime,
) -> Reach:
    """Queue the covenant, each unit's section and the sign button to its representatives.

    kind: "new" (first publication), "changed" (new version), "resend" (reminder).
    """
    block = state.block
    content = CovenantContent.from_settings(version.content)
    no_member: list[Unit] = []
    unreachable: list[Unit] = []
    queued: list[notices.Notice] = []
    reached = 0
    for unit in units:
        people = await members_repo.unit_members(conn, unit.id)
        if not people:
            no_member.append(unit)
            continue
        if all(p.unreachable_since is not None for p in people):
            unreachable.append(unit)
        reached += 1
        pledge = (await load_unit_pledge(conn, state.tree, unit)).content()
        for person in people:
            lang = await prefs_repo.language_of(conn, person.tg_user_id, block.language)
            parts = notices.covenant_messages(
                texts, lang,
                heading=texts.text(lang, f"covenant-delivery-{kind}", unit=unit.name,
                                   number=version.number,
                                   sign_by=notices.sign_by_text(texts, lang, block)),
                content=content, pledge=pledge,
                footer=texts.text(lang, "covenant-delivery-footer"),
            )
            button = notices.sign_button(texts.text(lang, "covenant-button-sign"),
                                         version.id, unit.id)
            for i, part in enumerate(parts):
                queued.append(notices.Notice(
                    chat_id=person.tg_user_id, text=part, tg_user_id=person.tg_user_id,
                    block_id=block.id, batch=f"covenant:{version.id}:{round_key}",
                    dedupe_key=f"covenant:{version.id}:{round_key}:{person.tg_user_id}:{i}",
                    buttons=(button,) if i == len(parts) - 1 else (),
                ))
    await notices.queue(conn, queued, now)
    people_count = len({n.chat_id for n in queued})
    return Reach(reached, people_count, tuple(no_member), tuple(unreachable))


@dataclass(frozen=True)
class VersionChange:
    old: CovenantVersion | None
    new: CovenantVersion
    superseded: int
    reach: Reach


async def _new_version(
    conn: AsyncConnection, texts: Catalog, block: Block, draft: CovenantContent,
    *, now: datetime, by_tg_id: int | None, reason: str, round_key: str,
) -> VersionChange:
    old = await covenant_repo.latest_version(conn, block.id)
    text = covenant_text(draft)
    version = await covenant_repo.add_version(
        conn, block_id=block.id, language=block.language, title=draft.title,
        content=draft.as_dict(), text=text, text_hash=sha256_hex(text), now=now,
        by_tg_id=by_tg_id, reason=reason,
    )
    superseded = await covenant_repo.supersede_signatures(conn, block.id, version.id, now)
    state = await load_state(conn, block)
    kind = "changed" if old is not None else "new"
    reach = await deliver(conn, texts, state, version, list(state.tree.units), kind=kind,
                          round_key=round_key, now=now)
    lang = block.language
    if old is None:
        text_for_group = texts.text(lang, "covenant-group-published", title=version.title,
                                    number=version.number,
                                    sign_by=notices.sign_by_text(texts, lang, block))
    else:
        text_for_group = texts.text(lang, "covenant-group-changed", title=version.title,
                                    number=version.number, old=old.number,
                                    changes=notices.describe_changes(texts, lang, old.content,
                                                                    version.content),
                                    superseded=superseded,
                                    sign_by=notices.sign_by_text(texts, lang, block))
    group = notices.group_notice(block, text_for_group, f"covenant:{version.id}:published")
    await notices.queue(conn, [group] if group else [], now)
    await audit.record(
        conn, at=now, action="covenant.version", block_id=block.id, actor_tg_id=by_tg_id,
        subject=f"v{version.number}",
        before={"version": old.number, "hash": old.text_hash} if old else None,
        after={"version": version.number, "hash": version.text_hash, "reason": reason,
               "superseded": superseded},
    )
    return VersionChange(old, version, superseded, reach)


async def sync_covenant_version(
    conn: AsyncConnection, block_id: int, now: datetime, texts: Catalog | None = None
) -> VersionChange | None:
    """Publish a new version if the block file's text differs from the published one.

    Nothing happens before the first publication: the chair publishes that one.
    """
    block = await blocks_repo.get_block(conn, block_id)
    if block is None:
        return None
    draft = draft_of(block)
    latest = await covenant_repo.latest_version(conn, block.id)
    if draft is None or latest is None or sha256_hex(covenant_text(draft)) == latest.text_hash:
        return None
    return await _new_version(conn, texts or catalog(), block, draft, now=now, by_tg_id=None,
                              reason="setup", round_key="sync")


async def sync_all(db: Database, clock: Clock) -> list[VersionChange]:
    """Bot start-up: apply edits made while the bot was down."""
    changes = []
    async with db.transaction() as conn:
        for block in await blocks_repo.list_blocks(conn):
            change = await sync_covenant_version(conn, block.id, clock.now())
            if change is not None:
                changes.append(change)
    return changes


def confirm_key(draft: CovenantContent) -> str:
    return sha256_hex(covenant_text(draft))[:CONFIRM_HASH_DIGITS]


class Publish(StrEnum):
    PUBLISHED = "published"  # a new version went out
    RESENT = "resent"  # same text: sent again to the units that have not signed
    ALL_SIGNED = "all-signed"  # same text and nobody left to ask
    DONE_BEFORE = "done-before"  # this preview was confirmed already (double tap, replay)
    NO_COVENANT = "no-covenant"
    CHANGED = "changed"  # the block file changed after the preview: preview again


@dataclass(frozen=True)
class PublishResult:
    outcome: Publish
    version: CovenantVersion | None = None
    change: VersionChange | None = None
    reach: Reach = Reach()


async def publish(
    db: Database, clock: Clock, texts: Catalog, *, block_id: int, actor_tg_id: int,
    expected: str, round_key: str,
) -> PublishResult:
    """Publish what the chair previewed (rights are checked by the caller, from the DB)."""
    now = clock.now()
    async with db.transaction() as conn:
        block = await blocks_repo.get_block(conn, block_id)
        assert block is not None
        draft = draft_of(block)
        if draft is None:
            return PublishResult(Publish.NO_COVENANT)
        if confirm_key(draft) != expected:
            return PublishResult(Publish.CHANGED)
        done = await audit.entries(conn, block_id=block.id, action="covenant.published")
        if any(entry.subject == round_key for entry in done):
            return PublishResult(Publish.DONE_BEFORE,
                                 await covenant_repo.latest_version(conn, block.id))
        state = await load_state(conn, block)
        result: PublishResult
        if state.version is None or state.version.text_hash != sha256_hex(covenant_text(draft)):
            change = await _new_version(conn, texts, block, draft, now=now,
                                        by_tg_id=actor_tg_id, reason="publish",
                                        round_key=round_key)
            result = PublishResult(Publish.PUBLISHED, change.new, change, change.reach)
        elif not state.unsigned_units():
            return PublishResult(Publish.ALL_SIGNED, state.version)
        else:
            reach = await deliver(conn, texts, state, state.version, state.unsigned_units(),
                                  kind="resend", round_key=round_key, now=now)
            result = PublishResult(Publish.RESENT, state.version, None, reach)
        assert result.version is not None
        await audit.record(
            conn, at=now, action="covenant.published", block_id=block.id,
            actor_tg_id=actor_tg_id, subject=round_key,
            after={"version": result.version.number, "outcome": str(result.outcome),
                   "units": result.reach.units, "people": result.reach.people},
        )
    return result


async def refuse_publish(db: Database, clock: Clock, *, block_id: int, tg_user_id: int) -> None:
    """A publish confirmation pressed by someone without chair rights in that block."""
    async with db.transaction() as conn:
        exists = await blocks_repo.get_block(conn, block_id) is not None
        await audit.record(conn, at=clock.now(), action="covenant.publish-refused",
                           block_id=block_id if exists else None, actor_tg_id=tg_user_id,
                           subject=str(block_id))
