"""What changes after a notice is queued: the chair's progress message, the group copy's
"received: k/N" counter (announce-btn-counter), and the "received" presses that move it.

Edits are throttled (Telegram allows about 20 messages a minute into a group, edits
included), and each edit re-reads the database, so the latest count always wins.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot.formatting import format_datetime
from bot.outbox import Delivery
from bot.runtime import Runtime, runtime_of
from bot.services.announce import callbacks, copies
from bot.services.announce import live as live_service
from bot.services.announce.notices import AckOutcome, AckResult, acknowledge
from bot.services.announce.stats import Report
from bot.texts import Catalog
from bot.throttle import Throttle
from handlers.common import answer_invalid_press, together
from handlers.context import BotContext
from handlers.screens import edit_buttons, edit_screen, unchanged
from storage.outbox.records import State

log = logging.getLogger(__name__)

BATCH = re.compile(r"^announce:([0-9]{1,18})$")  # the notice itself, not its reminders
# "No more than once every few seconds" into the group; the chair's own chat may move faster.


def _throttle(runtime: Runtime) -> Throttle:
    return runtime.notice_edits


def _intervals(runtime: Runtime) -> tuple[float, float]:
    return runtime.notice_edit_intervals


def progress_text(texts: Catalog, lang: str, rep: Report) -> str:
    """While sending, how far it got (announce-progress); then the outcome, failures and
    confirmations."""
    ann = rep.announcement
    if rep.queued:
        done = rep.total - rep.queued
        return texts.text(lang, "announce-progress", id=ann.id, done=done, total=rep.total)
    lines = [texts.text(lang, "announce-progress-done", id=ann.id, sent=rep.sent,
                        total=rep.total)]
    if rep.failed:
        lines.append(texts.text(lang, "announce-progress-failed", count=len(rep.failed),
                                who=copies.plain_html(failed_names(texts, lang, rep))))
    if rep.units_without_reps:
        codes = ", ".join(u.code for u in rep.units_without_reps)
        lines.append(texts.text(lang, "announce-progress-no-reps", codes=codes))
    if ann.ask_ack:
        lines.append(texts.text(lang, "announce-progress-acks", acked=rep.standing.acked,
                                total=len(rep.standing.ack_units)))
    return "\n".join(lines)


def failed_names(texts: Catalog, lang: str, rep: Report) -> str:
    units = {u.id: u for u in rep.standing.ack_units}
    names = []
    for line in rep.failed:
        recipient = line.recipient
        if recipient.unit_id is None:
            names.append(texts.text(lang, "announce-who-group"))
            continue
        unit = units.get(recipient.unit_id)
        name = rep.names.get(recipient.tg_user_id or 0, str(recipient.tg_user_id))
        key = ("announce-who-member-unreachable" if line.state is State.UNREACHABLE
               else "announce-who-member")
        names.append(texts.text(lang, key, name=name, unit=unit.code if unit else "?"))
    return "; ".join(names)


async def refresh_progress(application: Any, announcement_id: int) -> None:
    runtime = runtime_of(application)
    shown = await live_service.progress(runtime.db, announcement_id)
    if shown is None:
        return
    await _edit_or_warn(
        edit_screen(application.bot, shown.chat_id, shown.message_id,
                    progress_text(runtime.texts, shown.lang, shown.report)),
        f"progress message {shown.message_id}")


async def refresh_counter(application: Any, announcement_id: int) -> None:
    runtime = runtime_of(application)
    edit = await live_service.counter(runtime.db, runtime.texts, announcement_id)
    if edit is None:
        return
    await _edit_or_warn(edit_buttons(application.bot, edit.chat_id, edit.message_id, edit.buttons),
                        f"group counter of notice {announcement_id}")


async def _edit_or_warn(edit: Awaitable[None], what: str) -> None:
    """A live message's refresh: "not modified" is fine, another refusal is logged (the
    next refresh tries again) rather than failing the task."""
    try:
        await edit
    except BadRequest as exc:
        if not unchanged(exc):
            log.warning("%s: %s", what, exc)


def request_refresh(
    application: Any, announcement_id: int, *, counter: bool, confirmed: bool = False
) -> None:
    """Refresh the chair's progress message, and the group counter if `counter`, soon.

    After a confirmation (`confirmed`) the progress message only moves its "k/N confirmed"
    line, the figure the group counter shows: it follows at the counter's pace. When a
    province's blocks are confirmed at once, that halves the edits competing with the
    answers for the bot's ~30 calls a second."""
    runtime = runtime_of(application)
    group_every, progress_every = _intervals(runtime)
    throttle = _throttle(runtime)
    spawn = application.create_task if application.running else None
    throttle.request(spawn, f"progress:{announcement_id}",
                     group_every if confirmed else progress_every,
                     lambda: refresh_progress(application, announcement_id))
    if counter:
        throttle.request(spawn, f"counter:{announcement_id}", group_every,
                         lambda: refresh_counter(application, announcement_id))


async def on_delivery(application: Any, delivery: Delivery) -> None:
    """Outbox hook for "announce:*" batches: move the chair's progress message on."""
    match = BATCH.match(delivery.batch)
    if application is None or match is None:
        return
    announcement_id = int(match.group(1))
    group_copy_sent = delivery.dedupe_key.endswith(":group") and delivery.state is State.SENT
    request_refresh(application, announcement_id, counter=group_copy_sent)


async def on_ack(update: Update, context: BotContext) -> None:
    """Record "received" for the presser's unit (rights re-checked from the database)."""
    query = update.callback_query
    user = update.effective_user
    announcement_id = callbacks.parse_ack(query.data) if query else None
    if query is None or user is None or announcement_id is None:
        return
    pressed = query.message
    if pressed is None:  # only inline-mode messages come without one: none of ours
        await answer_invalid_press(update, context)
        return
    runtime = context.runtime
    result = await acknowledge(runtime.db, runtime.clock, announcement_id, user.id,
                               user.full_name, caller=context.caller,
                               pressed=(pressed.chat.id, pressed.message_id))
    if result.outcome is AckOutcome.INVALID:  # not a message sent for this notice
        await answer_invalid_press(update, context)
        return
    answered = query.answer(_ack_answer(context, result), show_alert=result.outcome in (
        AckOutcome.REFUSED, AckOutcome.UNKNOWN))
    if result.outcome is not AckOutcome.RECORDED or result.announcement is None:
        await answered
        return
    try:  # the answer and the copies' new buttons go out together
        await together(answered, _mark_unit_copies(context, result, query.message))
    finally:
        request_refresh(context.application, result.announcement.id, counter=True,
                        confirmed=True)


def _ack_answer(context: BotContext, result: AckResult) -> str:
    if result.outcome is AckOutcome.RECORDED:
        assert result.unit is not None
        return context.t("announce-ack-recorded", unit=result.unit.name)
    if result.outcome is AckOutcome.ALREADY:
        assert result.unit is not None and result.ack is not None and result.block is not None
        return context.t("announce-ack-already", unit=result.unit.name, name=result.ack.full_name,
                         time=format_datetime(result.ack.at, result.block.tz))
    keys = {AckOutcome.REFUSED: "announce-ack-refused", AckOutcome.UNKNOWN: "announce-ack-unknown",
            AckOutcome.NOT_ASKED: "announce-ack-not-asked"}
    return context.t(keys[result.outcome])


async def _mark_unit_copies(context: BotContext, result: AckResult, pressed: Any) -> None:
    """Every copy of the unit's representatives now shows who confirmed and when."""
    runtime = context.runtime
    private = pressed is not None and pressed.chat.type == ChatType.PRIVATE
    edits = await live_service.marks(runtime.db, runtime.texts, result,
                                     (pressed.chat.id, pressed.message_id) if private else None)

    async def mark(edit: live_service.ButtonsEdit) -> None:
        try:
            await edit_buttons(context.bot, edit.chat_id, edit.message_id, edit.buttons)
        except TelegramError as exc:
            log.info("could not mark copy %s/%s: %s", edit.chat_id, edit.message_id, exc)

    # Each copy is in a chat of its own: they can all change at the same moment.
    await together(*(mark(edit) for edit in edits))
