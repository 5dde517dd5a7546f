"""The frames the bot and its chart worker exchange on the worker's stdin and stdout: a
4-byte big-endian length, then a pickle (both ends are this code, started by the bot)."""

from __future__ import annotations

import pickle
from typing import IO, Any

HEADER = 4


def write_frame(stream: IO[bytes], value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(HEADER, "big") + payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any | None:
    """The next frame, or None at the end of the stream."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return None
    size = int.from_bytes(header, "big")
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)
