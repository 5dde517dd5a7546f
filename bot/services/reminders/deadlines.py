"""What /deadlines shows: the block's coming deadlines and the reminders planned for them,
read from the plan in the database (what will really be sent, not what the block file
says in theory)."""

from __future__ import annotations

from datetime import datetime

from bot.formatting import format_datetime
from bot.services.clock import Clock
from bot.texts import Catalog
from storage import blocks as blocks_repo
from storage import reminders as reminders_repo
from storage.db import Database
from storage.records import Block
from storage.reminders.records import ReminderRow

# Planned reminders listed under the deadlines: enough for a phase or two.
PLANNED_SHOWN = 15


async def deadlines(db: Database, clock: Clock, texts: Catalog, block: Block, lang: str
                    ) -> str:
    """The /deadlines message for the block, in `lang`."""
    async with db.read() as conn:
        rows = await reminders_repo.upcoming(conn, block.id, clock.now())
        tree = await blocks_repo.load_tree(conn, block)
    return deadlines_text(texts, lang, block, rows, {p.code: p.name for p in tree.phases})


def deadlines_text(
    texts: Catalog, lang: str, block: Block, rows: list[ReminderRow], names: dict[str, str]
) -> str:
    """The message from the planned rows (`names`: phase code -> phase name)."""
    tz = block.tz
    lines = [texts.text(lang, "deadlines-title", block=block.name)]
    due: dict[tuple[str, str], datetime] = {}
    for row in rows:
        base = row.kind.removesuffix("-overdue")
        if base in ("report", "sign"):
            due.setdefault((base, row.subject), row.deadline)
    for (base, subject), when in sorted(due.items(), key=lambda item: item[1]):
        lines.append(texts.text(lang, f"deadlines-{base}", phase=names.get(subject, subject),
                                due=format_datetime(when, tz)))
    planned = [r for r in rows if r.kind in ("report", "sign", "phase-start")]
    if planned:
        lines.append("")
        lines.append(texts.text(lang, "deadlines-planned"))
        for row in planned[:PLANNED_SHOWN]:
            what = texts.text(lang, f"deadlines-what-{row.kind}",
                              phase=names.get(row.subject, row.subject))
            lines.append(f"• {format_datetime(row.due_at, tz)} – {what}")
    if len(lines) == 1:
        lines.append(texts.text(lang, "deadlines-none"))
    return "\n".join(lines)
