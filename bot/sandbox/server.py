"""The tornado HTTP side: ``/bot<token>/<method>`` calls and ``/file/bot<token>/<path>`` downloads.

Tornado runs on the current asyncio loop, so tests drive the emulator and the bot in one loop with
no threads.  Every finished call is handed to the :class:`~bot.sandbox.journal.Journal`.

A call's body is taken as it streams in, a multipart one parsed chunk by chunk
(bot.sandbox.multipart): Telegram does not share the bot's event loop, and the emulator's
parsing of a 20 MB upload must not hold it up either (tests that measure the bot's loop
would otherwise measure the emulator).
"""

from __future__ import annotations

import inspect
import json
import logging
import mimetypes
from typing import Any

import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web

from bot.sandbox.faults import BAD_GATEWAY_HTML, FaultPlan
from bot.sandbox.journal import Journal
from bot.sandbox.link import Link
from bot.sandbox.methods import METHODS
from bot.sandbox.models import JSON, ApiCall, ApiError, Upload
from bot.sandbox.multipart import StreamingForm
from bot.sandbox.params import Params, decode_form, decode_json_body
from bot.sandbox.state import World

_LOG = logging.getLogger(__name__)
_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NOT_FOUND = ApiError(404, "Not Found")


class _Base(tornado.web.RequestHandler):
    def initialize(self, world: World, faults: FaultPlan, journal: Journal, link: Link) -> None:
        self.world = world
        self.faults = faults
        self.journal = journal
        self.link = link

    def _send_json(self, status: int, body: JSON) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False).encode())

    def check_xsrf_cookie(self) -> None:  # an API endpoint, not a browser form
        return None


@tornado.web.stream_request_body
class ApiHandler(_Base):
    _gone = False

    def prepare(self) -> None:
        self._chunks: list[bytes] = []
        boundary = StreamingForm.boundary_of(self.request.headers.get("Content-Type", ""))
        self._form = None if boundary is None else StreamingForm(boundary)

    def data_received(self, chunk: bytes) -> None:
        if self._form is not None:
            self._form.feed(chunk)
        else:
            self._chunks.append(chunk)

    def on_connection_close(self) -> None:
        # The client hung up (e.g. PTB cancelled a long poll while stopping): let it end now.
        self._gone = True
        self.world.updates.wake_all()

    async def get(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._serve(token, method)

    def _decode(self) -> tuple[JSON, dict[str, Upload]]:
        fields = {name: list(parts) for name, parts in self.request.query_arguments.items()}
        uploads: dict[str, Upload] = {}
        if self._form is not None:
            for part in self._form.end():
                if part.filename is None:
                    fields.setdefault(part.name, []).append(part.body)
                else:
                    uploads.setdefault(part.name, Upload(part.name, part.filename,
                                                         part.content_type, part.body))
            return decode_form(fields), uploads
        body = b"".join(self._chunks)
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            values = decode_form(fields)
            values.update(decode_json_body(body))
            return values, uploads
        arguments: dict[str, list[bytes]] = {}
        tornado.httputil.parse_body_arguments(
            self.request.headers.get("Content-Type", ""), body, arguments, {},
            self.request.headers)
        for name, parts in arguments.items():  # query and url-encoded fields, as tornado merges
            fields.setdefault(name, []).extend(parts)
        return decode_form(fields), uploads

    def _chat_of(self, method: str, values: JSON) -> int | str | None:
        if method == "answerCallbackQuery":
            query = self.world.queries.get(str(values.get("callback_query_id")))
            return None if query is None else query[1]
        chat_id = values.get("chat_id")
        return chat_id if isinstance(chat_id, int | str) else None

    async def _serve(self, token: str, method_in_url: str) -> None:
        entry = METHODS.get(method_in_url.lower())
        method = entry[0] if entry else method_in_url
        long_poll = method == "getUpdates"
        self.journal.begin(long_poll)
        values: JSON = {}
        uploads: dict[str, Upload] = {}
        status, body, error, fault_kind = 200, None, None, None
        chat_id: int | str | None = None
        try:
            await self.link.travel()  # the request on its way to Telegram
            if token != self.world.token:
                raise _UNAUTHORIZED
            values, uploads = self._decode()
            if entry is None:
                raise _NOT_FOUND
            chat_id = self._chat_of(method, values)
            fault = self.faults.take(method, values)
            if fault is not None:
                fault_kind = fault.kind
                if fault.kind == "drop":
                    # No HTTP answer at all: the client sees a broken connection (NetworkError).
                    # detach() also stops tornado from finishing the request afterwards.
                    status, error = 0, "connection dropped"
                    self.detach().close()
                    return
                if fault.kind == "502":
                    status, error = 502, "Bad Gateway"
                    self.set_status(502)
                    self.set_header("Content-Type", "text/html")
                    self.finish(BAD_GATEWAY_HTML)
                    return
                raise fault.error()
            refusal = self.link.refusal(method, chat_id)
            if refusal is not None:
                fault_kind = "429"
                raise refusal
            outcome = entry[1](self.world, Params(values, uploads, gone=lambda: self._gone))
            result = await outcome if inspect.isawaitable(outcome) else outcome
            if isinstance(result, dict) and isinstance(result.get("chat"), dict):
                chat_id = result["chat"]["id"]
            body = {"ok": True, "result": result}
        except ApiError as exc:
            status, body, error = exc.code, exc.payload(), exc.description
        except Exception as exc:  # an emulator bug: answer 500 (PTB: NetworkError) and say why
            _LOG.exception("bot.sandbox failed to handle %s", method)
            error = f"Internal Server Error: {exc!r}"
            status, body = 500, {"ok": False, "error_code": 500, "description": error}
        finally:
            if body is not None and not self._gone:
                await self.link.travel()  # and the answer on its way back
            if body is not None and not self._gone:
                self._send_json(status, body)
            self.journal.end(long_poll, ApiCall(
                seq=0, method=method, params=_recorded(values, uploads), files=uploads,
                time=self.world.now(), chat_id=chat_id if entry else None, ok=status == 200,
                status=status, result=body.get("result") if body else None, error=error,
                fault=fault_kind,
            ))


def _recorded(values: JSON, uploads: dict[str, Upload]) -> JSON:
    """Parameters as recorded in ApiCall.params: uploads appear as small descriptors."""
    if not uploads:
        return values
    described: dict[str, Any] = {
        name: {"upload": up.filename, "mime_type": up.mime_type, "size": len(up.data)}
        for name, up in uploads.items()
    }
    return {**values, **described}


class FileHandler(_Base):
    async def get(self, token: str, path: str) -> None:
        if token != self.world.token:
            self._send_json(401, _UNAUTHORIZED.payload())
            return
        stored = self.world.files_by_path.get(path)
        if stored is None:
            self._send_json(404, _NOT_FOUND.payload())
            return
        mime = stored.mime_type or mimetypes.guess_type(path)[0] or "application/octet-stream"
        self.set_header("Content-Type", mime)
        self.finish(stored.data)


class NotFoundHandler(_Base):
    def prepare(self) -> None:
        self._send_json(404, _NOT_FOUND.payload())


def make_app(world: World, faults: FaultPlan, journal: Journal,
             link: Link | None = None) -> tornado.web.Application:
    deps = {"world": world, "faults": faults, "journal": journal, "link": link or Link()}
    return tornado.web.Application(
        [
            (r"/bot([^/]*)/([A-Za-z0-9_]+)/?", ApiHandler, deps),
            (r"/file/bot([^/]*)/(.+)", FileHandler, deps),
            (r".*", NotFoundHandler, deps),
        ],
        # Thousands of calls in a benchmark: no per-request access log lines.
        log_function=lambda handler: None,
    )


class HttpServer:
    """Owns the listening socket and the open connections."""

    def __init__(self, app: tornado.web.Application) -> None:
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        self.port = 0

    def listen(self, host: str, port: int) -> None:
        sockets = tornado.netutil.bind_sockets(port, host)
        self.port = sockets[0].getsockname()[1]
        self._server.add_sockets(sockets)

    async def close(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
