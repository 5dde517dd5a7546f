"""The calendar file (.ics, RFC 5545) sent with an activity's invitation, in the block's
time zone, so a representative adds the activity to their phone's calendar in one tap.

Written once per content under <data>/calendar/<hash>/<code>.ics: the outbox uploads a
local file once and sends its Telegram file id to the other recipients, so a changed time
must be a new path, never the old file rewritten.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from bot.texts import Catalog
from storage.activities.records import Activity
from storage.private import private_folder
from storage.records import Block

CALENDAR_FOLDER = "calendar"
# A calendar needs an end; an activity without one is shown as this long.
DEFAULT_LENGTH = timedelta(hours=2)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def calendar_folder(evidence_dir: Path) -> Path:
    """Beside the evidence folder, in the data folder (as the posted charts are)."""
    return evidence_dir.parent / CALENDAR_FOLDER


def ics_bytes(texts: Catalog, activity: Activity, block: Block) -> bytes:
    tz = block.tz
    cal = Calendar()
    cal.add("prodid", "-//thidua-bot//hoat-dong-chung//VI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"activity-{activity.id}-{_SAFE.sub('_', block.code)}@thidua-bot")
    event.add("summary", activity.title)
    event.add("dtstart", activity.starts_at.astimezone(tz))
    event.add("dtend", (activity.ends_at or activity.starts_at + DEFAULT_LENGTH).astimezone(tz))
    # Fixed, not the clock: the same activity gives the same file (and the same path).
    event.add("dtstamp", activity.updated_at.astimezone(UTC))
    if activity.place:
        event.add("location", activity.place)
    event.add("description", texts.plain(block.language, "activity-ics-description",
                                         block=block.name,
                                         kind=texts.plain(block.language,
                                                          f"activity-kind-{activity.kind}")))
    cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def write_ics(folder: Path, texts: Catalog, activity: Activity, block: Block) -> Path:
    """The activity's .ics file (written if not there yet); its path for the outbox."""
    data = ics_bytes(texts, activity, block)
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = _SAFE.sub("_", activity.code) + ".ics"
    path = folder / digest / name
    if path.exists():
        return path
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def parse_dtstart(data: bytes) -> datetime:
    """The event's start as the file says it (for tests and for whoever checks a file)."""
    cal = Calendar.from_ical(data)
    event = next(iter(cal.walk("VEVENT")))
    start: datetime = event.decoded("dtstart")
    return start
