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
from telegram.error import BadRequest, TelegramError

from bot.formatting import format_datetime
from bot.outbox import Delivery
from bot.runtime import Runtime, runtime_of
from bot.services.announce import copies
from bot.services.announce.notices import AckOutcome, AckResult, acknowledge
from bot.services.announce.stats import Report, group_counter, report_in
from bot.throttle import Throttle
from handlers.common import together
from handlers.context import BotContext
from handlers.screens import edit_buttons, edit_screen, unchanged
from storage import announcements as repo
from storage import outbox as outbox_repo
from storage import prefs as prefs_repo
from storage.outbox import State

log = logging.getLogger(__name__)

ACK_PRESS = re.compile(r"^an:ack:(\d+)$")
BATCH = re.compile(r"^announce:(\d+)$")  # the notice itself, not its reminders
# "No more than once every few seconds" into the group; the chair's own chat may move faster.


def _throttle(runtime: Runtime) -> Throttle:
    return runtime.notice_edits


def _intervals(runtime: Runtime) -> tuple[float, float]:
    return runtime.notice_edit_intervals


def progress_text(runtime: Runtime, lang: str, rep: Report) -> str:
    """While sending, how far it got (announce-progress); then the outcome, failures and
    confirmations."""
    texts, ann = runtime.texts, rep.announcement
    if rep.queued:
        done = rep.total - rep.queued
        return texts.text(lang, "announce-progress", id=ann.id, done=done, total=rep.total)
    lines = [texts.text(lang, "announce-progress-done", id=ann.id, sent=rep.sent,
                        total=rep.total)]
    if rep.failed:
        lines.append(texts.text(lang, "announce-progress-failed", count=len(rep.failed),
                                who=copies.plain_html(failed_names(runtime, lang, rep))))
    if rep.units_without_reps:
        codes = ", ".join(u.code for u in rep.units_without_reps)
        lines.append(texts.text(lang, "announce-progress-no-reps", codes=codes))
    if ann.ask_ack:
        lines.append(texts.text(lang, "announce-progress-acks", acked=rep.standing.acked,
                                total=len(rep.standing.ack_units)))
    return "\n".join(lines)


def failed_names(runtime: Runtime, lang: str, rep: Report) -> str:
    units = {u.id: u for u in rep.standing.ack_units}
    names = []
    for line in rep.failed:
        recipient = line.recipient
        if recipient.unit_id is None:
            names.append(runtime.texts.text(lang, "announce-who-group"))
            continue
        unit = units.get(recipient.unit_id)
        name = rep.names.get(recipient.tg_user_id or 0, str(recipient.tg_user_id))
        key = ("announce-who-member-unreachable" if line.state is State.UNREACHABLE
               else "announce-who-member")
        names.append(runtime.texts.text(lang, key, name=name, unit=unit.code if unit else "?"))
    return "; ".join(names)


async def refresh_progress(application: Any, announcement_id: int) -> None:
    runtime = runtime_of(application)
    async with runtime.db.read() as conn:
        ann = await repo.get_announcement(conn, announcement_id)
        if ann is None or ann.progress_chat_id is None or ann.progress_message_id is None:
            return
        rep = await report_in(conn, ann)
        lang = await prefs_repo.language_of(conn, ann.author_tg_id, rep.block.language)
    await _edit_or_warn(
        edit_screen(application.bot, ann.progress_chat_id, ann.progress_message_id,
                    progress_text(runtime, lang, rep)),
        f"progress message {ann.progress_message_id}")


async def refresh_counter(application: Any, announcement_id: int) -> None:
    runtime = runtime_of(application)
    counter = await group_counter(runtime.db, announcement_id)
    if counter is None:
        return
    row = counter.row
    if row is None or row.state is not State.SENT or row.message_id is None:
        return  # not sent yet: the delivery hook asks again once it is
    markup = copies.counter_keyboard(
        runtime.texts, counter.block.language, announcement_id, counter.standing.acked,
        len(counter.standing.ack_units),
    )
    await _edit_or_warn(edit_buttons(application.bot, row.chat_id, row.message_id, markup),
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
    match = ACK_PRESS.match(query.data or "") if query else None
    if query is None or user is None or match is None:
        return
    runtime = context.runtime
    result = await acknowledge(runtime, int(match.group(1)), user.id, user.full_name,
                               caller=context.caller)
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
    ann, ack, block = result.announcement, result.ack, result.block
    assert ann is not None and ack is not None and block is not None and result.unit is not None
    async with runtime.db.read() as conn:
        recipients = await repo.unit_recipients(conn, ann.id, result.unit.id)
        rows = await outbox_repo.delivery_rows(conn, [r.dedupe_key for r in recipients])
        targets = {(r.chat_id, r.message_id) for r in rows.values()
                   if r.state is State.SENT and r.message_id is not None}
        if pressed is not None and pressed.chat.type == "private":
            targets.add((pressed.chat.id, pressed.message_id))
        # Private chats: the chat id is the representative's user id.
        languages = await prefs_repo.languages_of(conn, {chat_id for chat_id, _ in targets})

    async def mark(chat_id: int, message_id: int) -> None:
        lang = languages.get(chat_id, block.language)
        markup = copies.acked_keyboard(runtime.texts, lang, ann.id, ack.full_name, ack.at, block)
        try:
            await edit_buttons(context.bot, chat_id, message_id, markup)
        except TelegramError as exc:
            log.info("could not mark copy %s/%s: %s", chat_id, message_id, exc)

    # Each copy is in a chat of its own: they can all change at the same moment.
    await together(*(mark(chat_id, message_id) for chat_id, message_id in sorted(targets)))
