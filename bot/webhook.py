"""The bot's own webhook server (tornado), the way python-telegram-bot documents a custom
webhook: updates are built from the request and put on the application's update queue.

PTB's built-in server reads any body, answers malformed JSON with 500 and an update the
library cannot build with 400, and Telegram redelivers on anything but a 2xx, so one bad
update would come back again and again. This one:

- refuses a request without the secret header (403) or with another content type (403);
- reads at most MAX_WEBHOOK_BODY bytes (tornado's max_body_size: a longer body is answered
  400 before it is read);
- answers 200 to malformed JSON, to JSON that is not an update, and to an update the
  library cannot build, logging the update id and the reason once (bot.unreadable);
- skips a redelivered update_id (bot.services.handled_updates), so a replay is not handled
  twice, here or on another instance on the same database.
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update
from telegram.ext import ExtBot

from bot.incoming import update_id_of
from bot.runtime import Runtime, runtime_of
from bot.services.handled_updates import first_delivery
from bot.unreadable import reason_of
from handlers.context import BotApplication

log = logging.getLogger(__name__)

# Telegram's own limits keep an update far below this (a 4,096-character text, its
# entities, the message it replies to, a keyboard): a larger body is not from Telegram.
MAX_WEBHOOK_BODY = 1024 * 1024
# A body that trickles in for longer is dropped, so slow clients cannot hold connections.
WEBHOOK_BODY_TIMEOUT = 10.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_application: BotApplication, secret_token: str | None) -> None:
        self.bot_application = bot_application
        self.secret_token = secret_token

    def check_xsrf_cookie(self) -> None:  # an API endpoint, not a browser form
        return None

    def _authentic(self) -> bool:
        if self.secret_token is None:
            return True
        given = self.request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.secret_token.encode())

    async def post(self) -> None:
        if not self._authentic():
            log.debug("webhook request without the right secret header refused")
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        await take_in(self.bot_application, self.request.body)
        self.set_status(HTTPStatus.OK)
        self.finish()

    def log_exception(self, typ: object, value: BaseException | None, tb: object) -> None:
        # A refused request (HTTPError) needs no traceback; anything else is a bug.
        if not isinstance(value, tornado.web.HTTPError):
            log.error("webhook request failed", exc_info=value)


async def take_in(application: BotApplication, body: bytes) -> bool:
    """Put the update in `body` on the application's queue; False (logged) when it is not
    JSON, not an update, a redelivery or an update the library cannot build."""
    runtime: Runtime = runtime_of(application)
    try:
        data = json.loads(body)
    except ValueError:  # UnicodeDecodeError is a ValueError too
        runtime.unreadable_updates.note(None, f"a body of {len(body)} bytes that is not JSON",
                                        via="webhook")
        return False
    update_id = update_id_of(data)
    if update_id is None:
        runtime.unreadable_updates.note(None, "not an update (no integer update_id)",
                                        via="webhook")
        return False
    if not await first_delivery(runtime.db, runtime.clock, update_id):
        log.info("update %s delivered again: already taken in, skipped", update_id)
        return False
    bot = application.bot
    try:
        update = Update.de_json(data, bot)
    except Exception as exc:  # whatever the library raises on a shape it does not know
        runtime.unreadable_updates.note(update_id, reason_of(exc), via="webhook")
        return False
    if isinstance(bot, ExtBot):  # as PTB's own webhook does (arbitrary callback data)
        bot.insert_callback_data(update)
    await application.update_queue.put(update)
    return True


class WebhookServer:
    """Listens for Telegram's POSTs on `url_path`; every other path answers 404."""

    def __init__(self, application: BotApplication, *, url_path: str,
                 secret_token: str | None, max_body: int = MAX_WEBHOOK_BODY) -> None:
        path = "/" + url_path.strip("/")
        app = tornado.web.Application(
            [(rf"{path}/?", _UpdateHandler,
              {"bot_application": application, "secret_token": secret_token})],
            log_function=lambda handler: None,  # no access log: the bot logs what matters
        )
        self._server = tornado.httpserver.HTTPServer(
            app, max_body_size=max_body, body_timeout=WEBHOOK_BODY_TIMEOUT
        )
        self.port = 0

    def listen(self, address: str, port: int) -> None:
        sockets = tornado.netutil.bind_sockets(port, address)
        self.port = int(sockets[0].getsockname()[1])
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()


async def start_webhook(application: BotApplication, *, listen: str, port: int, url_path: str,
                        webhook_url: str, secret_token: str | None) -> WebhookServer:
    """Listen, then tell Telegram where to deliver (every update type, as polling asks)."""
    server = WebhookServer(application, url_path=url_path, secret_token=secret_token)
    server.listen(listen, port)
    try:
        await application.bot.set_webhook(
            webhook_url, secret_token=secret_token, allowed_updates=Update.ALL_TYPES
        )
    except BaseException:
        await server.stop()
        raise
    return server
