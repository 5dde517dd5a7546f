"""An offline Telegram Bot API emulator for end-to-end tests, benchmarks and demos.

It is a real HTTP server (tornado, on the *current* asyncio loop, 127.0.0.1, free port) that
python-telegram-bot talks to with its normal HTTPXRequest client::

    emu = BotApiEmulator()                # token "123456:TEST-TOKEN", bot @thidua_test_bot
    await emu.start()                     # or: async with BotApiEmulator() as emu:
    app = (ApplicationBuilder().token(emu.token)
           .base_url(f"{emu.url}/bot").base_file_url(f"{emu.url}/file/bot").build())

Nothing ever contacts api.telegram.org.  Requests are ``POST {url}/bot<token>/<method>``
(url-encoded, multipart or JSON; GET with a query string works too), files are downloaded from
``GET {url}/file/bot<token>/<file_path>``.  Answers and errors are shaped exactly like Telegram's,
so PTB raises the same exceptions (BadRequest, Forbidden, RetryAfter, ChatMigrated,
InvalidToken, Conflict, NetworkError).

Implemented methods: getMe, getUpdates (long polling; offset confirms; allowed_updates),
setWebhook / deleteWebhook / getWebhookInfo (updates POSTed to the webhook with the
X-Telegram-Bot-Api-Secret-Token header, retried until a 2xx; getUpdates then answers 409),
sendMessage, sendPhoto, sendDocument, editMessageText, editMessageCaption,
editMessageReplyMarkup, deleteMessage, pinChatMessage / unpinChatMessage (an administrator's
right in a supergroup), answerCallbackQuery, setMyCommands / getMyCommands /
deleteMyCommands, getFile, getChatMember, getChat, sendChatAction.  Other methods: 404.

Telegram rules that are enforced because they catch real bugs: 4096/1024 text/caption limits
(in UTF-16 code units, as Telegram counts: an emoji is two), explicit entities inside the text,
parse_mode HTML/MarkdownV2 syntax ("can't parse entities"), callback_data ≤ 64 bytes,
"message is not modified", editing without reply_markup removes the inline keyboard, users who
never wrote to the bot (403), blocked bots (403), migrated groups (400 + migrate_to_chat_id),
privacy mode in groups (only /commands, replies to the bot and @mentions reach the bot unless it
is an administrator; ``privacy_mode=False`` turns this off), undecodable photos
(IMAGE_PROCESS_FAILED).

Test-side API (:class:`BotApiEmulator`; synchronous helpers only queue updates)::

    BotApiEmulator(*, token="123456:TEST-TOKEN", bot_username="thidua_test_bot", bot_id=123456,
                   bot_name="Thi đua (test)", privacy_mode=True, now=time.time,
                   host="127.0.0.1", port=0, rtt=0.0)
    await start() / await stop() / async with ...;  url, port, token, bot_user
    add_user(user_id, first_name, *, last_name=None, username=None, language_code="vi",
             started=False) -> user dict      # private chat id == user id
    add_group(chat_id, title, *, supergroup=False, members=(), creator=None, username=None,
              bot_is_member=True) -> chat dict
    set_member_status(chat_id, user_id, status)   # creator/administrator/member/restricted/
                                                  # left/kicked; user_id may be the bot's id
    block_bot(user_id, blocked=True)              # + my_chat_member update
    add_bot_to_group(chat_id, by_user_id)        # my_chat_member + new_chat_members message
    remove_bot_from_group(chat_id, by_user_id, *, kicked=True)
    migrate_group_to_supergroup(chat_id, new_chat_id, *, by_user_id=None)
    send_text(user_id, text, *, chat_id=None, reply_to_message_id=None, entities=None)
        -> message dict                # entities: a client's formatting (checked)
    send_photo(user_id, data, *, caption=None, chat_id=None) -> message dict
    send_document(user_id, data, *, filename, mime_type, caption=None, chat_id=None)
    press_button(user_id, message, data, *, chat_id=None) -> callback_query dict
        # message: SentMessage | message dict | message_id; data may be forged
    press_button_text(user_id, message, label, *, chat_id=None)   # by (part of) the label
    inject_update(body, *, update_id=None) -> update dict | None
        # raw JSON, unchecked (another Bot API version's shapes); update_id= to redeliver
    inject_fault(method, kind, *, times=1, retry_after=1, chat_id=None, description=None)
        # kind "429" | "403" | "400" | "502" | "drop"; method "*" matches every method
    clear_faults()
    rtt = 0.1                  # every answer comes a round trip (s) later, calls side by side
    limit_chat(chat_id, seconds)  # from its next send the chat answers 429 for `seconds`
    flood(seconds)             # every call but getUpdates answers 429 for `seconds`
                               # (bot.sandbox.link; both record ApiCall.fault "429")
    calls -> list[ApiCall]     # completed calls in completion order (method, params, files,
                               # chat_id, ok, status, result, error, fault, time)
    mark() -> Mark             # "now"; pass as after= to the waits
    sent_messages(chat_id=None) -> list[SentMessage]; last_sent(chat_id=None)
    chat_log(chat_id) -> list[dict]; transcript(chat_id, tz=UTC) -> str; pinned(chat_id)
    chats() -> {chat_id: chat dict}; callback_answers(chat_id=None) -> list[CallbackAnswer]
    my_commands(scope=None, language_code="") ; file_bytes(file_id) ; pending_updates()
    webhook_info()
    await wait_for_calls(method, *, count=1, chat_id=None, predicate=None, after=None,
                         ok=None, timeout=10.0) -> list[ApiCall]
    await wait_for_messages(chat_id=None, *, count=1, after=None, predicate=None, timeout=10.0)
    await wait_for_message(chat_id=None, *, after=None, predicate=None, timeout=10.0)
    await wait_idle(quiet=0.3, timeout=10.0)
    # waits raise WaitTimeout (an AssertionError) listing the most recent calls

Calls are recorded when their answer is known (a long poll is recorded when it returns).
PTB 22 warns (PTBDeprecationWarning, an error under ``filterwarnings = error``) when
``RetryAfter.retry_after`` is read as an int: set ``PTB_TIMEDELTA=1`` in tests that handle 429s.

Typical test::

    emu.add_user(5, "An")
    mark = emu.mark()
    emu.send_text(5, "/start")
    reply = await emu.wait_for_message(5, after=mark)
    emu.press_button_text(5, reply, "Đồng ý")
"""

from bot.sandbox.api import BotApiEmulator
from bot.sandbox.journal import WaitTimeout
from bot.sandbox.models import (
    ApiCall,
    ApiError,
    CallbackAnswer,
    FaultKind,
    Mark,
    SentMessage,
    StoredFile,
    Upload,
)

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "CallbackAnswer",
    "FaultKind",
    "Mark",
    "SentMessage",
    "StoredFile",
    "Upload",
    "WaitTimeout",
]
