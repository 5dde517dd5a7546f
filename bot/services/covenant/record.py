"""The signing record for the provincial office: verification and the rows of the export."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.services.covenant.hash import PledgeContent, sha256_hex, signed_text
from bot.services.covenant.state import load_state
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage.covenant.records import CovenantVersion, Signature
from storage.db import Database
from storage.records import Block


class RecordProblem(Exception):
    """The block asked for does not exist (a CLI usage problem)."""


class Mismatch(StrEnum):
    # The stored hash is not the SHA-256 of the stored signed text.
    SIGNATURE_HASH = "signature-hash"
    # The version's text no longer hashes to the version's recorded hash.
    VERSION_HASH = "version-hash"
    # The signed text is not this version's text plus the unit's pledge as recorded.
    SIGNED_TEXT = "signed-text"
    MISSING_VERSION = "missing-version"


@dataclass(frozen=True)
class CheckedSignature:
    signature: Signature
    version: CovenantVersion | None
    problems: tuple[Mismatch, ...]
    unit_code: str = ""
    unit_name: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems


def check_signature(signature: Signature, version: CovenantVersion | None) -> CheckedSignature:
    problems: list[Mismatch] = []
    if sha256_hex(signature.signed_text) != signature.text_hash:
        problems.append(Mismatch.SIGNATURE_HASH)
    if version is None:
        problems.append(Mismatch.MISSING_VERSION)
        return CheckedSignature(signature, None, tuple(problems))
    if sha256_hex(version.text) != version.text_hash:
        problems.append(Mismatch.VERSION_HASH)
    pledge = PledgeContent.from_dict(signature.pledge)
    if signed_text(version.text, pledge, version.language) != signature.signed_text:
        problems.append(Mismatch.SIGNED_TEXT)
    return CheckedSignature(signature, version, tuple(problems))


async def _block(db: Database, code: str) -> Block:
    async with db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, code)
    if block is None:
        raise RecordProblem(f"no block with code {code!r}")
    return block


async def verify_block(db: Database, code: str) -> tuple[Block, list[CheckedSignature]]:
    """Recompute every signature of the block, superseded ones included."""
    block = await _block(db, code)
    async with db.read() as conn:
        versions = {v.id: v for v in await covenant_repo.block_versions(conn, block.id)}
        signatures = await covenant_repo.block_signatures(conn, block.id)
        # units of old signatures may have left the block since: read them one by one
        units = {uid: await blocks_repo.get_unit(conn, uid)
                 for uid in {s.unit_id for s in signatures}}
    checked = []
    for sig in signatures:
        unit = units[sig.unit_id]
        found = check_signature(sig, versions.get(sig.version_id))
        checked.append(replace(found, unit_code=unit.code if unit else str(sig.unit_id),
                               unit_name=unit.name if unit else ""))
    return block, checked


@dataclass(frozen=True)
class SignatureRow:
    """One line of the signatures sheet; unsigned units have no signer, time or hash."""

    unit_code: str
    unit_name: str
    signer_name: str | None
    signer_tg_id: int | None
    signed_at: datetime | None
    version: int | None
    text_hash: str | None
    superseded: bool = False
    signed_text: str | None = None


@dataclass(frozen=True)
class SigningRecord:
    block: Block
    version: CovenantVersion | None
    current: tuple[SignatureRow, ...]  # one row per active unit, current version
    history: tuple[SignatureRow, ...]  # every signature ever made, oldest first
    versions: tuple[CovenantVersion, ...]
    valid: int
    invalid: int
    chair: str | None = None  # the chair unit's name, for the record's signature block


def _row(code: str, name: str, sig: Signature | None, number: int | None) -> SignatureRow:
    if sig is None:
        return SignatureRow(code, name, None, None, None, number, None)
    return SignatureRow(code, name, sig.signer_name, sig.signer_tg_id, sig.signed_at, number,
                        sig.text_hash, sig.superseded, sig.signed_text)


async def signing_record(db: Database, code: str) -> SigningRecord:
    block, checked = await verify_block(db, code)
    async with db.read() as conn:
        state = await load_state(conn, block)
        versions = tuple(await covenant_repo.block_versions(conn, block.id))
    number = state.version.number if state.version else None
    current = tuple(_row(u.code, u.name, state.signatures.get(u.id), number)
                    for u in state.tree.units)
    numbers = {v.id: v.number for v in versions}
    history = tuple(
        _row(c.unit_code, c.unit_name, c.signature, numbers.get(c.signature.version_id))
        for c in checked
    )
    valid = sum(1 for c in checked if c.valid)
    chair = next((u.name for u in state.tree.units if u.role == "chair"), None)
    return SigningRecord(block, state.version, current, history, versions, valid,
                         len(checked) - valid, chair)

