"""The covenant's versions: publishing, following edits of the block file, status.

A version is the covenant text as published. When the text in the block file differs
from the latest version (the chair edited it and ran `thidua-bot setup`, or published
again), a new version is added, earlier signatures are marked superseded and every unit
is asked to sign again. `sync_covenant_version` does that check; setup, bot start-up and
the /covenant commands call it, so whichever runs first after an edit applies it once.
Every notice of a version is queued in the transaction that adds it.

Publishing checks what the chair's preview showed: its text (the confirmation key) and the
newest publication it knew of (`publication_mark`: the id of the block's newest
"covenant.version" or "covenant.published" audit row). If another chair published or sent
again meanwhile, or the block file's edit went out, nothing is sent and the result says who
did what, and when (compare-and-set: the write lock is taken before anything is read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services import notify
from bot.services.audit import Decision, decision
from bot.services.clock import Clock
from bot.services.covenant import messages as notices
from bot.services.covenant.callbacks import CONFIRM_HASH_DIGITS
from bot.services.covenant.delivery import Reach, deliver
from bot.services.covenant.hash import CovenantContent, covenant_text, sha256_hex
from bot.services.covenant.state import draft_of, load_state
from bot.texts import Catalog
from storage import audit
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage.covenant.records import CovenantVersion
from storage.db import Database
from storage.records import AuditEntry, Block

# The audit rows that mark a publication: a new version (chair or block file) or the same
# text sent again to the units that have not signed.
PUBLICATIONS = ("covenant.version", "covenant.published")


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

    def group_params(lang: str) -> dict[str, object]:
        params: dict[str, object] = {"title": version.title, "number": version.number,
                                     "sign_by": notices.sign_by_text(texts, lang, block)}
        if old is not None:
            params |= {"old": old.number, "superseded": superseded,
                       "changes": notices.describe_changes(texts, lang, old.content,
                                                           version.content)}
        return params

    # Its own batch: the outbox tells the chair about a failed batch once, so a batch
    # shared by group messages would report only the first that ever failed.
    key = f"covenant:{version.id}:published"
    await notify.queue(
        conn, texts, notify.group(block),
        "covenant-group-published" if old is None else "covenant-group-changed",
        block=block, batch=key, dedupe=key, now=now, params=group_params,
    )
    await audit.record(
        conn, at=now, action="covenant.version", block_id=block.id, actor_tg_id=by_tg_id,
        subject=f"v{version.number}",
        before={"version": old.number, "hash": old.text_hash} if old else None,
        after={"version": version.number, "hash": version.text_hash, "reason": reason,
               "superseded": superseded},
    )
    return VersionChange(old, version, superseded, reach)


async def sync_covenant_version(
    conn: AsyncConnection, block_id: int, now: datetime, texts: Catalog
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
    return await _new_version(conn, texts, block, draft, now=now, by_tg_id=None,
                              reason="setup", round_key="sync")


async def bring_up_to_date(db: Database, clock: Clock, texts: Catalog, block_id: int) -> bool:
    """Apply an edit of the block file's covenant not published yet; True if a new version
    (and its notices) went to the outbox."""
    async with db.transaction() as conn:
        return await sync_covenant_version(conn, block_id, clock.now(), texts) is not None


async def sync_all(db: Database, clock: Clock, texts: Catalog) -> list[VersionChange]:
    """Bot start-up: apply edits made while the bot was down."""
    changes = []
    async with db.transaction() as conn:
        for block in await blocks_repo.list_blocks(conn):
            change = await sync_covenant_version(conn, block.id, clock.now(), texts)
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
    STALE = "stale"  # published (or sent again) by someone after the preview: `decision`


@dataclass(frozen=True)
class PublishResult:
    outcome: Publish
    version: CovenantVersion | None = None
    change: VersionChange | None = None
    reach: Reach = field(default_factory=Reach)
    decision: Decision | None = None  # STALE, DONE_BEFORE: the publication that came first


async def publication_mark(conn: AsyncConnection, block_id: int) -> int:
    """The id of the block's newest publication row (0 before the first): a preview
    carries it, and publishing goes ahead only while it is still the newest."""
    newest = await audit.latest(conn, block_id=block_id, actions=PUBLICATIONS)
    return newest.id if newest is not None else 0


async def _publication(conn: AsyncConnection, entry: AuditEntry) -> Decision:
    """A publication row as a decision: "published" (a new version by a chair), "resent",
    or "changed" (the block file's edit, by the bot); `detail` is the version's number."""
    after = entry.after if isinstance(entry.after, dict) else {}
    if entry.action == "covenant.version":
        what = "published" if after.get("reason") == "publish" else "changed"
    else:
        what = "resent" if after.get("outcome") == Publish.RESENT.value else "published"
    number = after.get("version")
    return await decision(conn, entry.block_id or 0, what, entry.at, entry.actor_tg_id,
                          str(number) if number is not None else None)


async def publish(
    db: Database, clock: Clock, texts: Catalog, *, block_id: int, actor_tg_id: int,
    expected: str, round_key: str, mark: int | None = None,
) -> PublishResult:
    """Publish what the chair previewed (rights are checked by the caller, from the DB).

    `mark`: the publication_mark the preview showed (None: no preview to compare)."""
    now = clock.now()
    async with db.transaction() as conn:
        await audit.lock(conn)  # what is read below stays true until this commits
        block = await blocks_repo.get_block(conn, block_id)
        assert block is not None
        draft = draft_of(block)
        if draft is None:
            return PublishResult(Publish.NO_COVENANT)
        done = await audit.entries(conn, block_id=block.id, action="covenant.published")
        earlier = next((entry for entry in done if entry.subject == round_key), None)
        if earlier is not None:
            return PublishResult(Publish.DONE_BEFORE,
                                 await covenant_repo.latest_version(conn, block.id),
                                 decision=await _publication(conn, earlier))
        newest = await audit.latest(conn, block_id=block.id, actions=PUBLICATIONS)
        if mark is not None and (newest.id if newest else 0) != mark:
            assert newest is not None
            return PublishResult(Publish.STALE,
                                 await covenant_repo.latest_version(conn, block.id),
                                 decision=await _publication(conn, newest))
        if confirm_key(draft) != expected:
            return PublishResult(Publish.CHANGED)
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
    """A publish confirmation pressed by someone without chair rights in that block
    (repeats within a minute share one audit row)."""
    async with db.transaction() as conn:
        exists = await blocks_repo.get_block(conn, block_id) is not None
        await audit.record_refusal(conn, at=clock.now(), action="covenant.publish-refused",
                                   block_id=block_id if exists else None,
                                   actor_tg_id=tg_user_id, subject=str(block_id))
