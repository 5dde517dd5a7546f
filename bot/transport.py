"""Bot API requests with JSON bodies: PTB's HTTPX transport, one encoding step cheaper.

PTB posts every parameter as a url-encoded form field, each object (a keyboard, entities)
first serialised to a JSON string; httpx then percent-encodes the whole body in Python,
byte by byte: ~0.15 ms of CPU for a report form (1,800 characters of Vietnamese and a
keyboard) on the load benchmark's machine (tests/benchmarks/load.py). The Bot API takes
`application/json` bodies as well, except for uploads: here the parameters, as PTB
prepared them, go out as one JSON document (one C-level json.dumps); requests with files
stay multipart, exactly as PTB sends them.

Only the body's encoding changes: the client, its connection pool, timeouts and PTB's
error handling are HTTPXRequest's own (the load benchmark's baseline uses the same class).
"""

from __future__ import annotations

from typing import Any

import httpx
from telegram.request import BaseRequest, HTTPXRequest, RequestData


class JsonParameters(dict[str, Any]):
    """Parameters to send as a JSON body (a marker type for JsonClient)."""


class _AsJson:
    """What HTTPXRequest.do_request reads of a RequestData without files."""

    multipart_data = None

    def __init__(self, request_data: RequestData) -> None:
        self.json_parameters = JsonParameters(request_data.parameters)


class JsonClient(httpx.AsyncClient):
    """An httpx client that sends JsonParameters as `application/json`."""

    def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
        data = kwargs.get("data")
        if isinstance(data, JsonParameters):
            kwargs["data"] = None
            kwargs["json"] = data
        return super().build_request(method, url, **kwargs)


class JsonBodyRequest(HTTPXRequest):
    """HTTPXRequest whose requests without files carry a JSON body."""

    def _build_client(self) -> httpx.AsyncClient:
        return JsonClient(**self._client_kwargs)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        data: Any = request_data
        if request_data is not None and not request_data.contains_files:
            data = _AsJson(request_data)
        return await super().do_request(url, method, data, read_timeout, write_timeout,
                                        connect_timeout, pool_timeout)
