"""The outbox: the one crash-safe, rate-limited way the bot sends messages to many people.

Every message to send is a row in the `outbox` table. A producer (announcements, reminders,
covenant publishing) enqueues rows in the same transaction as the state change they
announce, then wakes the worker once that transaction has committed::

    from bot.outbox import Outgoing, enqueue
    from bot.outbox.sender import outbox_of

    async with runtime.db.transaction() as conn:
        ...  # the state change
        await enqueue(conn, [
            Outgoing(chat_id=member.tg_user_id, text=html_in_their_language,
                     buttons=keyboard, batch="covenant:3:publish",
                     dedupe_key=f"covenant:3:publish:{member.tg_user_id}",
                     tg_user_id=member.tg_user_id, block_id=block.id),
        ], now)
    outbox_of(context).wake()

`Outgoing` fields: `chat_id`; `text` (Telegram HTML, already rendered in the recipient's
language) or `photo` / `document` (a Telegram file_id, or a local file path to upload; the
first upload's file_id is reused for the other recipients) with an optional HTML `caption`;
`buttons` (bot.buttons: rows of label + callback data or URL, stored as Telegram's JSON,
put on the last part); `batch`
(one broadcast or purpose: "announce:17", "covenant:3:publish", "remind:…"); `dedupe_key`
(unique: enqueueing the same key again adds nothing, so producers may retry; empty means a
fresh one); `tg_user_id` (the person: on a 403 they are marked unreachable through
storage.members.mark_unreachable and the chair is told once); `block_id` (whose chair to
tell); `edit_message_id` (edit that message of the chat in place instead, with
editMessageText: a live message such as the group's progress message). `enqueue(conn,
items, now)` returns how many were new.

Texts over 4096 characters are split at paragraph or sentence boundaries
(`split_text(html, limit)` is reusable); a caption over 1024 characters becomes the file
followed by the text. Each such group of parts is one outbox row: a crash between two
parts resends neither.

The worker (bot.outbox.worker) sends through application.bot, hence through the bot's rate
limiter (bot.outbox.limiter.Pacer: 30 messages/s overall, evenly, 20/min per group), with
up to WINDOW (bot.outbox.pace, 16) messages in flight, never two to one chat: each chat's
messages go in the order they were enqueued. 429: that chat waits retry_after (not counted
as an attempt) while the others go on; when several chats answer 429 together the whole bot
waits (bot.outbox.pace.FloodWatch). Network errors and 5xx: all sending pauses for the
backoff, up to Policy.max_attempts, then "failed". 403: "unreachable", never retried. 400:
that message fails with Telegram's reason; the rest of the batch goes on. A group that
became a supergroup is followed (bot.services.registration.group.follow_migration) and the
message resent to the new id. Crash-safety: a row is claimed ("sending", attempts + 1) in
its own transaction before the call and marked "sent" with its message_id right after; on
restart "sending" rows are sent again, so at most the messages in flight at the crash (the
window) are duplicated, and none is skipped.

`send_now(bot, outgoing)` sends an Outgoing at once, split the same way, for interactive
answers that need no crash-safety (a preview); Telegram's errors are raised.

Being told what happened: `outbox_of(app).subscribe("announce:", hook)` calls
`await hook(application, delivery)` for every message of a matching batch that reaches a
final state (`Delivery`: dedupe_key, state, chat_id, message_id, error, the file_id of a
sent photo or document, and the batch's `Progress`: total, sent, failed, unreachable,
finished). A batch with a subscriber reports
its own failures; for any other batch the outbox tells the block's chair once, when the
batch is finished, how many messages failed. Readers:
`storage.outbox.sent_message_ids(conn, batch)` -> {dedupe_key: (chat_id, message_id)},
`storage.outbox.rows_by_keys(conn, keys)`, `storage.outbox.batch_counts(conn, batch)`.

Start-up: handlers.announce.on_startup calls `start_outbox(application)`, which resumes the
unfinished rows at once and polls every minute for rows enqueued by another process. A
representative marked unreachable who writes to the bot again is cleared
(bot.outbox.reach.reachable_again, run for every private update).
"""

from bot.outbox.model import Delivery, Hook, Outgoing, Policy, Progress, State
from bot.outbox.queue import enqueue
from bot.outbox.split import CAPTION_LIMIT, TEXT_LIMIT, split_text, visible_length

# The plain parts only: a service queues messages without python-telegram-bot. The sender
# (bot.outbox.sender: the worker, outbox_of, start_outbox, send_now) is PTB's side.
__all__ = [
    "CAPTION_LIMIT",
    "TEXT_LIMIT",
    "Delivery",
    "Hook",
    "Outgoing",
    "Policy",
    "Progress",
    "State",
    "enqueue",
    "split_text",
    "visible_length",
]
