"""Uploads (multipart) are kept byte for byte and can be downloaded back through getFile."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.sandbox import BotApiEmulator
from tests.sandbox.helpers import png


async def test_photo_roundtrip(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    data = png(300, 200)
    message = await bot.send_photo(5, data, caption="<b>Biểu đồ</b>", parse_mode="HTML")
    largest = message.photo[-1]
    assert (largest.width, largest.height) == (300, 200)
    assert message.caption == "Biểu đồ" and message.caption_entities[0].type == "bold"
    sent = emu.last_sent(5)
    assert sent.kind == "photo" and sent.file_bytes == data
    assert emu.calls[-1].files["photo"].data == data

    telegram_file = await bot.get_file(largest.file_id)
    assert telegram_file.file_size == len(data)
    assert bytes(await telegram_file.download_as_bytearray()) == data

    again = await bot.send_photo(5, largest.file_id)  # reuse by file_id, no upload
    assert again.photo[-1].file_id == largest.file_id


async def test_document_roundtrip(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    data = "Báo cáo thi đua\n".encode() * 100
    message = await bot.send_document(5, data, filename="báo-cáo.csv", caption="Tuần 1")
    document = message.document
    assert document is not None
    assert document.file_name == "báo-cáo.csv" and document.mime_type == "text/csv"
    assert document.file_size == len(data) and document.file_id != document.file_unique_id
    downloaded = await (await bot.get_file(document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == data
    assert emu.last_sent(5).file_bytes == data


async def test_user_uploads_are_downloadable(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An")
    sent = emu.send_document(5, b"%PDF-1.4 minh chung", filename="minh-chung.pdf",
                             mime_type="application/pdf", caption="minh chứng")
    file_id = sent["document"]["file_id"]
    downloaded = await (await bot.get_file(file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"%PDF-1.4 minh chung"
    photo = emu.send_photo(5, png(), caption="ảnh")
    assert emu.file_bytes(photo["photo"][-1]["file_id"]) == png()


async def test_file_errors(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(5, png(), caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(5, b"not a picture")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(5, "unknown-file-id")
    assert emu.sent_messages(5) == []


async def test_caption_edits(bot: Bot, emu: BotApiEmulator) -> None:
    emu.add_user(5, "An", started=True)
    message = await bot.send_photo(5, png(), caption="cũ")
    edited = await bot.edit_message_caption(5, message.message_id, caption="<i>mới</i>",
                                            parse_mode="HTML")
    assert not isinstance(edited, bool) and edited.caption == "mới"
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=5, message_id=message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_caption(5, message.message_id, caption="<i>mới</i>",
                                       parse_mode="HTML")
    assert [v.get("caption") for v in emu.last_sent(5).versions] == ["cũ", "mới"]
