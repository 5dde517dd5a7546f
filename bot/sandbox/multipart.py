"""A multipart/form-data body parsed as it streams in (python-multipart), so that a 20 MB
upload is taken in the small steps the network delivers it in, never as one long parse on
the event loop the bot shares with the emulator."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header


@dataclass
class Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def name(self) -> str:
        return _disposition(self).get(b"name", b"").decode()

    @property
    def filename(self) -> str | None:
        value = _disposition(self).get(b"filename")
        return None if value is None else value.decode()

    @property
    def content_type(self) -> str:
        return self.headers.get(b"content-type", b"application/octet-stream").decode()

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


def _disposition(part: Part) -> dict[bytes, bytes]:
    return parse_options_header(part.headers.get(b"content-disposition", b""))[1]


class StreamingForm:
    """Feed it the body's chunks; `parts` are the fields and files once it has ended."""

    def __init__(self, boundary: bytes) -> None:
        self.parts: list[Part] = []
        self._field = b""
        self._value = b""
        self._parser = MultipartParser(boundary, {
            "on_part_begin": self._begin,
            "on_part_data": self._data,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
        })

    @staticmethod
    def boundary_of(content_type: str) -> bytes | None:
        kind, options = parse_options_header(content_type)
        return options.get(b"boundary") if kind == b"multipart/form-data" else None

    def feed(self, chunk: bytes) -> None:
        self._parser.write(chunk)

    def end(self) -> list[Part]:
        self._parser.finalize()
        return self.parts

    def _begin(self) -> None:
        self.parts.append(Part())

    def _data(self, data: bytes, start: int, end: int) -> None:
        self.parts[-1].chunks.append(data[start:end])

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self.parts[-1].headers[self._field.lower()] = self._value
        self._field = self._value = b""
