"""Evidence (minh chứng): photos and documents attached to a criterion of a report.

The Telegram file id is kept to show the file again, and the bytes are stored under
EVIDENCE_DIR with their SHA-256, so the evidence survives a deleted chat or a revoked bot.
Files are content-addressed (`<block>/<phase>/<unit>/<sha256>.<ext>`): the same photo sent
twice is stored once and attached once. The chair gets a report's files back through
`report_evidence`, and the stored copy through `open_copy` when Telegram lost the file.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from bot.services.clock import Clock
from bot.services.reports.entry import ReportView, fresh_view, report_view, writable_report
from storage import audit
from storage import evidence as evidence_repo
from storage.db import Database
from storage.private import private_folder
from storage.records import Block, Criterion, Unit
from storage.reports.records import EDITABLE_STATES, Evidence

# Bot API getFile downloads files of at most 20 MB (core.telegram.org/bots/api#getfile).
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# A criterion's evidence is a handful of minutes, photos and tables; the cap keeps one
# member from filling the disk and the chair's review screen with hundreds of files.
MAX_FILES_PER_CRITERION = 20

# What a block accepts as evidence (issue 4): PDF, DOCX, XLSX, JPG/PNG; with the first
# bytes each format starts with, so a renamed file of another kind is refused.
_PDF, _ZIP, _JPEG, _PNG = b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"\x89PNG"
FORMATS: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", _PDF),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".jpg": ("image/jpeg", _JPEG),
    ".jpeg": ("image/jpeg", _JPEG),
    ".png": ("image/png", _PNG),
}
_BY_MIME = {mime: ext for ext, (mime, _) in reversed(FORMATS.items())}
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class IncomingFile:
    """A photo or document as Telegram describes it, before download."""

    kind: str  # photo | document
    file_id: str
    file_unique_id: str | None
    file_name: str | None
    mime: str | None
    size: int | None


class Attach(StrEnum):
    ATTACHED = "attached"
    DUPLICATE = "duplicate"
    BAD_TYPE = "bad-type"
    TOO_BIG = "too-big"
    DOWNLOAD_FAILED = "download-failed"
    LOCKED = "locked"
    TOO_MANY = "too-many"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AttachResult:
    outcome: Attach
    view: ReportView | None = None
    criterion: Criterion | None = None
    count: int = 0  # files now attached to the criterion


class DownloadFailed(Exception):
    """The file could not be fetched from Telegram (raised by the handler's fetch)."""


def extension_of(file: IncomingFile) -> str | None:
    """The accepted format of a file by name, else by MIME type; None if not accepted."""
    if file.kind == "photo":
        return ".jpg"  # Telegram re-encodes every photo as JPEG
    if file.file_name:
        ext = PurePosixPath(file.file_name.lower()).suffix
        if ext in FORMATS:
            return ext
        return None
    return _BY_MIME.get((file.mime or "").lower())


def check_before_download(file: IncomingFile) -> Attach | None:
    if extension_of(file) is None:
        return Attach.BAD_TYPE
    if file.size is not None and file.size > MAX_EVIDENCE_BYTES:
        return Attach.TOO_BIG
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    # Folders 0700; mkstemp makes the file 0600, which os.replace keeps.
    private_folder(path.parent)
    if path.exists() and path.stat().st_size == len(data):
        return  # same content, same name: already stored
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def relative_path(view: ReportView, sha256: str, ext: str) -> str:
    parts = (view.tree.block.code, view.phase.code, view.unit.code)
    return "/".join(_SAFE.sub("_", p) for p in parts) + f"/{sha256}{ext}"


def _refusal(view: ReportView | None, criterion: Criterion | None) -> Attach | None:
    if view is None or criterion is None:
        return Attach.UNKNOWN
    if not view.started or view.late_refused:
        return Attach.CLOSED
    if view.state not in EDITABLE_STATES:
        return Attach.LOCKED
    if view.evidence_counts.get(criterion.id, 0) >= MAX_FILES_PER_CRITERION:
        return Attach.TOO_MANY
    return None


async def attach_evidence(
    db: Database, clock: Clock, *, evidence_dir: Path, block: Block, unit: Unit,
    actor_tg_id: int, phase_id: int, criterion_id: int, file: IncomingFile,
    fetch: Callable[[], Awaitable[bytes]],
) -> AttachResult:
    """Check, download, store on disk, then record the file against the criterion."""
    async with db.read() as conn:
        view = await fresh_view(conn, block, unit, phase_id, clock.now())
    criterion = view.criterion(criterion_id) if view else None
    refusal = _refusal(view, criterion) or check_before_download(file)
    if refusal is not None:
        count = view.evidence_counts.get(criterion.id, 0) if view and criterion else 0
        return AttachResult(refusal, view, criterion, count)
    assert view is not None and criterion is not None
    ext = extension_of(file)
    assert ext is not None
    try:
        data = await fetch()
    except DownloadFailed:
        return AttachResult(Attach.DOWNLOAD_FAILED, view, criterion)
    if len(data) > MAX_EVIDENCE_BYTES:
        return AttachResult(Attach.TOO_BIG, view, criterion)
    if not data.startswith(FORMATS[ext][1]):
        return AttachResult(Attach.BAD_TYPE, view, criterion)
    sha256 = hashlib.sha256(data).hexdigest()
    rel = relative_path(view, sha256, ext)
    await asyncio.to_thread(_write_atomically, evidence_dir / rel, data)
    return await _record(db, clock, view, criterion, file, actor_tg_id, data, sha256, rel, ext)


async def _record(
    db: Database, clock: Clock, view: ReportView, criterion: Criterion, file: IncomingFile,
    actor_tg_id: int, data: bytes, sha256: str, rel: str, ext: str,
) -> AttachResult:
    now = clock.now()
    async with db.transaction() as conn:
        report = await writable_report(conn, view, now)
        if report is None:  # submitted by a colleague while the file was downloading
            return AttachResult(Attach.LOCKED, view, criterion)
        if await evidence_repo.has_same_file(conn, report.id, criterion.id, sha256):
            outcome = Attach.DUPLICATE
        else:
            outcome = Attach.ATTACHED
            await evidence_repo.add_evidence(
                conn, report_id=report.id, criterion_id=criterion.id, kind=file.kind,
                tg_file_id=file.file_id, tg_file_unique_id=file.file_unique_id,
                file_name=file.file_name, mime=file.mime or FORMATS[ext][0], size=len(data),
                sha256=sha256, stored_path=rel, added_by=actor_tg_id, now=now,
            )
            await audit.record(
                conn, at=now, action="report.evidence", block_id=view.tree.block.id,
                actor_tg_id=actor_tg_id, actor_unit_id=view.unit.id,
                subject=f"{view.unit.code}/{view.phase.code}/{criterion.code}",
                after={"sha256": sha256, "size": len(data), "name": file.file_name},
            )
        count = len(await evidence_repo.evidence_of(conn, report.id, criterion.id))
    return AttachResult(outcome, view, criterion, count)


@dataclass(frozen=True)
class EvidenceFile:
    """A file attached to a report, with its criterion (None if no longer in the table)
    and where its stored copy is."""

    evidence: Evidence
    criterion: Criterion | None
    path: Path


@dataclass(frozen=True)
class ReportEvidence:
    view: ReportView
    files: tuple[EvidenceFile, ...]  # by criterion, then in the order they came


async def report_evidence(
    db: Database, clock: Clock, *, evidence_dir: Path, block: Block, report_id: int
) -> ReportEvidence | None:
    """Every file of a report, for the chair; None unless the report is `block`'s."""
    async with db.read() as conn:
        view = await report_view(conn, block, report_id, clock.now())
        if view is None:
            return None
        found = await evidence_repo.evidence_of(conn, report_id)
    by_id = {c.id: c for c in view.criteria}
    return ReportEvidence(view, tuple(
        EvidenceFile(item, by_id.get(item.criterion_id), evidence_dir / item.stored_path)
        for item in found))


async def open_copy(file: EvidenceFile) -> BinaryIO:
    """The stored copy (when Telegram no longer has the file), opened in a worker thread,
    for the caller to stream and close. A file may be 20 MB: read whole, or handed over
    as one 20 MB piece, it would hold up the event loop that serves everyone else; read
    as a stream it goes in small steps, each waiting for the network to take the last."""
    return await asyncio.to_thread(file.path.open, "rb")
