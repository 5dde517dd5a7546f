"""Messages the report feature sends through the crash-safe outbox: the chair and the
group on a submission, the unit on a return or an appraisal.

They are queued inside the transaction that changes the report, so the change and its
announcement commit together; the caller wakes the outbox after the commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.buttons import one
from bot.services import notify
from bot.services.notify import Params, Recipient, chairs, group, unit
from bot.texts import Catalog
from storage.records import Block

__all__ = ["Params", "Recipient", "chair_recipients", "group_recipient", "queue_notice",
           "unit_recipients"]

# Button on a unit's notice that opens the report again (handled by handlers/report).
OPEN_REPORT_DATA = "rp:o:{phase_id}"

chair_recipients = chairs
unit_recipients = unit
group_recipient = group


async def queue_notice(
    conn: AsyncConnection,
    texts: Catalog,
    *,
    block: Block,
    recipients: list[Recipient],
    key: str,
    params: Params,
    dedupe: str,
    now: datetime,
    button: tuple[str, str] | None = None,
) -> int:
    """Queue catalog text `key` to every recipient in their language; returns how many.

    `params` may be a function of the language, for figures written the local way.
    `button` is (catalog key of the label, callback_data) for a one-button keyboard.
    """
    return await notify.queue(
        conn, texts, recipients, key, block=block, batch=f"report:{dedupe}",
        dedupe=f"report:{dedupe}", now=now, params=params,
        buttons=() if button is None else lambda lang: one(texts.text(lang, button[0]),
                                                            button[1]))
