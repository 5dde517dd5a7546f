"""What the covenant's screens show: the text with the caller's unit section and state,
the chair's status list, and the preview before publishing.

The /covenant commands first bring the covenant up to date with the block file (an edit
not published yet goes out as a new version), then read; a press on a stale button only
reads. Nothing here decides rights: the handlers check the caller first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.services.clock import Clock
from bot.services.covenant.hash import CovenantContent, PledgeContent, covenant_text, sha256_hex
from bot.services.covenant.pledge import load_unit_pledge
from bot.services.covenant.state import CovenantState, load_state
from bot.services.covenant.versions import bring_up_to_date, confirm_key, publication_mark
from bot.texts import Catalog
from storage.db import Database
from storage.records import Block, Unit


@dataclass(frozen=True)
class CovenantView:
    state: CovenantState
    pledge: PledgeContent | None = None  # the unit's section, once a version is published
    queued: bool = False  # a new version went to the outbox first: wake it


async def read_covenant(db: Database, block: Block, unit: Unit | None = None) -> CovenantView:
    """The covenant's state, with `unit`'s section of the signed text if it is published."""
    async with db.read() as conn:
        state = await load_state(conn, block)
        pledge = None
        if unit is not None and state.version is not None:
            pledge = (await load_unit_pledge(conn, state.tree, unit)).content()
    return CovenantView(state, pledge)


async def current_covenant(
    db: Database, clock: Clock, texts: Catalog, *, block: Block, unit: Unit | None = None
) -> CovenantView:
    """`read_covenant` after publishing an edit of the block file not published yet."""
    queued = await bring_up_to_date(db, clock, texts, block.id)
    view = await read_covenant(db, block, unit)
    return CovenantView(view.state, view.pledge, queued)


class Preview(StrEnum):
    NO_COVENANT = "no-covenant"
    ALL_SIGNED = "all-signed"  # the same text, and every unit has signed it
    FIRST = "first"  # the first version
    RESEND = "resend"  # the same text again, to the units that have not signed
    NEW_VERSION = "new-version"  # the block file's text differs from the published one


@dataclass(frozen=True)
class PublishPreview:
    outcome: Preview
    state: CovenantState
    draft: CovenantContent | None = None
    confirm_key: str = ""  # carried by the publish button: publishing checks it
    unsigned: int = 0
    mark: int = 0  # the newest publication (publication_mark), carried by the button too


async def preview_publish(db: Database, block: Block) -> PublishPreview:
    """What publishing now would do, for the chair to confirm; nothing changes yet."""
    async with db.read() as conn:
        state = await load_state(conn, block)
        mark = await publication_mark(conn, block.id)
    draft = state.draft
    if draft is None:
        return PublishPreview(Preview.NO_COVENANT, state)
    version = state.version
    same = version is not None and version.text_hash == sha256_hex(covenant_text(draft))
    unsigned = len(state.unsigned_units())
    if same and not unsigned:
        return PublishPreview(Preview.ALL_SIGNED, state, draft)
    outcome = Preview.FIRST if version is None else Preview.RESEND if same else Preview.NEW_VERSION
    return PublishPreview(outcome, state, draft, confirm_key(draft), unsigned, mark)
