"""The vote's documents for the chair's `/binhxet bienban` and `totrinh` and the command
line: built off the event loop, named after the block."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.services.awards.minutes import minutes_docx
from bot.services.awards.proposal import proposal_docx
from bot.services.awards.record import VoteRecord, vote_record
from bot.texts import Catalog
from storage.db import Database
from storage.records import Block

MINUTES = "m"
PROPOSAL = "p"
KINDS = {MINUTES: ("awards-doc-minutes-file", minutes_docx),
         PROPOSAL: ("awards-doc-proposal-file", proposal_docx)}


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    record: VoteRecord


async def document(db: Database, texts: Catalog, block: Block, kind: str) -> Document | None:
    """The minutes or the proposal of the block's counted vote; None before any."""
    record = await vote_record(db, block)
    if record is None:
        return None
    key, build = KINDS[kind]
    content = await asyncio.to_thread(build, record, texts)
    return Document(texts.plain(block.language, key, code=block.code), content, record)
