"""On the day and after: the chair's attendance list (toggles, by default the units that
said they would come, and those that checked in), its saving into the scoring table, and
a representative's check-in with a photo kept as evidence (bytes and SHA-256, as report
evidence is)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from bot.services.access import Caller
from bot.services.activities.fills import refill_phase
from bot.services.activities.loaded import Loaded, load
from bot.services.clock import Clock
from bot.services.reports.evidence import MAX_EVIDENCE_BYTES, DownloadFailed, IncomingFile
from storage import activities as repo
from storage import audit
from storage.activities.records import Attendance
from storage.db import Database
from storage.private import private_folder
from storage.records import Unit

# The list opens on the day (the chair may prepare it an hour before the start).
LIST_OPENS_BEFORE = timedelta(hours=1)
# A check-in is "during the activity": from an hour before it starts until some hours
# after its end (or its start, when it has no end), for a photo sent on the way home.
CHECKIN_BEFORE = timedelta(hours=1)
CHECKIN_AFTER = timedelta(hours=6)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class Mark(StrEnum):
    SHOWN = "shown"
    SAVED = "saved"
    TOO_EARLY = "too-early"
    NOT_CHAIR = "not-chair"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class AttendanceView:
    outcome: Mark
    loaded: Loaded | None = None
    present: frozenset[int] = frozenset()  # unit ids marked present
    checked_in: frozenset[int] = frozenset()
    skipped: tuple[Unit, ...] = field(default_factory=tuple)  # reports already appraised


def _present(rows: dict[int, Attendance]) -> frozenset[int]:
    return frozenset(unit for unit, row in rows.items() if row.attended)


async def open_list(db: Database, clock: Clock, caller: Caller, activity_id: int, *,
                    toggle: int | None = None) -> AttendanceView:
    """The list (seeded on first opening with who said they would come or checked in);
    with `toggle`, that unit's mark flipped first."""
    if not caller.is_chair or caller.block is None:
        return AttendanceView(Mark.NOT_CHAIR)
    now = clock.now()
    async with db.transaction() as conn:
        loaded = await load(conn, activity_id, block_id=caller.block.id)
        if loaded is None:
            return AttendanceView(Mark.UNKNOWN)
        activity = loaded.activity
        if now < activity.starts_at - LIST_OPENS_BEFORE:
            return AttendanceView(Mark.TOO_EARLY, loaded)
        rows = await repo.attendance_of(conn, activity.id)
        checked = frozenset(c.unit_id for c in await repo.checkins_of(conn, activity.id))
        if not any(row.source == "chair" for row in rows.values()):
            for unit in (u for u in loaded.standing.coming if u.id not in rows):
                await repo.set_attendance(conn, activity.id, unit.id, attended=True,
                                          source="chair", by=caller.tg_user_id, now=now)
            rows = await repo.attendance_of(conn, activity.id)
        if toggle is not None and loaded.tree.unit(toggle) is not None:
            was = rows.get(toggle)
            present = was is not None and was.attended
            await repo.set_attendance(conn, activity.id, toggle, attended=not present,
                                      source="chair", by=caller.tg_user_id, now=now)
            await audit.record(conn, at=now, action="activity.attendance-mark",
                               block_id=activity.block_id, actor_tg_id=caller.tg_user_id,
                               subject=f"{activity.code}/{toggle}",
                               after={"attended": not present})
        rows = await repo.attendance_of(conn, activity.id)
    return AttendanceView(Mark.SHOWN, loaded, _present(rows), checked)


async def save_list(db: Database, clock: Clock, caller: Caller, activity_id: int
                    ) -> AttendanceView:
    """The attendance counts from now on: the criterion is filled in the phase's reports."""
    if not caller.is_chair or caller.block is None:
        return AttendanceView(Mark.NOT_CHAIR)
    now = clock.now()
    async with db.transaction() as conn:
        loaded = await load(conn, activity_id, block_id=caller.block.id)
        if loaded is None:
            return AttendanceView(Mark.UNKNOWN)
        activity = loaded.activity
        if now < activity.starts_at - LIST_OPENS_BEFORE:
            return AttendanceView(Mark.TOO_EARLY, loaded)
        await repo.update_activity(conn, activity.id, attendance_at=now,
                                   attendance_by=caller.tg_user_id, updated_at=now)
        rows = await repo.attendance_of(conn, activity.id)
        present = _present(rows)
        skipped: list[Unit] = []
        if loaded.phase is not None:
            skipped = await refill_phase(conn, loaded.block, loaded.phase, now,
                                         caller.tg_user_id)
        await audit.record(
            conn, at=now, action="activity.attendance", block_id=activity.block_id,
            actor_tg_id=caller.tg_user_id, subject=activity.code,
            after={"present": sorted(u.code for u in loaded.tree.units if u.id in present),
                   "skipped": [u.code for u in skipped]})
        loaded = await load(conn, activity.id) or loaded
    return AttendanceView(Mark.SAVED, loaded, present, skipped=tuple(skipped))


class Checkin(StrEnum):
    ASK = "ask"  # send the photo now
    STORED = "stored"
    DUPLICATE = "duplicate"
    NOT_NOW = "not-now"
    NOT_COMING = "not-coming"  # the unit said it would not come
    BAD_FILE = "bad-file"
    DOWNLOAD_FAILED = "download-failed"
    REFUSED = "refused"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckinResult:
    outcome: Checkin
    loaded: Loaded | None = None


def checkin_window(loaded: Loaded) -> tuple[datetime, datetime]:
    activity = loaded.activity
    return (activity.starts_at - CHECKIN_BEFORE,
            (activity.ends_at or activity.starts_at) + CHECKIN_AFTER)


async def _checkin_target(db: Database, caller: Caller, activity_id: int, now: datetime
                          ) -> CheckinResult:
    if caller.block is None or not caller.registered:
        return CheckinResult(Checkin.REFUSED)
    async with db.read() as conn:
        loaded = await load(conn, activity_id, block_id=caller.block.id)
    if loaded is None or not loaded.activity.open:
        return CheckinResult(Checkin.UNKNOWN)
    opens, closes = checkin_window(loaded)
    if not opens <= now <= closes:
        return CheckinResult(Checkin.NOT_NOW, loaded)
    assert caller.unit is not None
    answer = loaded.answers.get(caller.unit.id)
    if answer is not None and not answer.coming:
        return CheckinResult(Checkin.NOT_COMING, loaded)
    return CheckinResult(Checkin.ASK, loaded)


async def start_checkin(db: Database, clock: Clock, caller: Caller, activity_id: int
                        ) -> CheckinResult:
    """May the caller's unit check in now? ASK: the photo comes next."""
    return await _checkin_target(db, caller, activity_id, clock.now())


async def add_checkin(db: Database, clock: Clock, caller: Caller, activity_id: int, *,
                      file: IncomingFile, fetch: Callable[[], Awaitable[bytes]],
                      evidence_dir: Path) -> CheckinResult:
    """Store the photo (content-addressed), mark the unit present, and when the chair has
    already saved the attendance, fill the scoring table again."""
    now = clock.now()
    target = await _checkin_target(db, caller, activity_id, now)
    if target.outcome is not Checkin.ASK:
        return target
    if file.kind != "photo" or (file.size is not None and file.size > MAX_EVIDENCE_BYTES):
        return CheckinResult(Checkin.BAD_FILE, target.loaded)
    try:
        data = await fetch()
    except DownloadFailed:
        return CheckinResult(Checkin.DOWNLOAD_FAILED, target.loaded)
    loaded = target.loaded
    assert loaded is not None and caller.unit is not None
    digest = hashlib.sha256(data).hexdigest()
    parts = (loaded.block.code, "activities", loaded.activity.code, caller.unit.code)
    relative = "/".join(_SAFE.sub("_", p) for p in parts) + f"/{digest}.jpg"
    _write(evidence_dir / relative, data)
    async with db.transaction() as conn:
        stored = await repo.add_checkin(conn, {
            "activity_id": activity_id, "unit_id": caller.unit.id, "tg_file_id": file.file_id,
            "tg_file_unique_id": file.file_unique_id, "size": len(data), "sha256": digest,
            "stored_path": relative, "added_by": caller.tg_user_id, "added_at": now})
        if not stored:
            return CheckinResult(Checkin.DUPLICATE, loaded)
        await repo.set_attendance(conn, activity_id, caller.unit.id, attended=True,
                                  source="checkin", by=caller.tg_user_id, now=now)
        await audit.record(conn, at=now, action="activity.checkin", block_id=loaded.block.id,
                           actor_tg_id=caller.tg_user_id, actor_unit_id=caller.unit.id,
                           subject=f"{loaded.activity.code}/{caller.unit.code}",
                           after={"sha256": digest, "size": len(data)})
        fresh = await repo.get_activity(conn, activity_id)
        if fresh is not None and fresh.attendance_at is not None and loaded.phase is not None:
            await refill_phase(conn, loaded.block, loaded.phase, now, caller.tg_user_id)
    return CheckinResult(Checkin.STORED, loaded)


def _write(path: Path, data: bytes) -> None:
    private_folder(path.parent)
    if path.exists() and path.stat().st_size == len(data):
        return
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
