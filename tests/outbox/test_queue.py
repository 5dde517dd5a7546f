"""enqueue(): idempotent by key, long texts and captions become ordered parts of one row."""

from __future__ import annotations

import pytest

from bot.buttons import one
from bot.outbox import Outgoing, enqueue
from bot.services.clock import ManualClock
from storage import outbox as outbox_repo
from storage.db import Database

KEYBOARD = one("✅ Đã nhận", "an:ack:1")


async def test_same_key_is_added_once(db: Database, clock: ManualClock) -> None:
    items = [Outgoing(chat_id=i, text=f"tin {i}", batch="b", dedupe_key=f"b:{i}") for i in (1, 2)]
    async with db.transaction() as conn:
        assert await enqueue(conn, items, clock.now()) == 2
        assert await enqueue(conn, items + items, clock.now()) == 0
        more = [Outgoing(chat_id=3, text="x", batch="b", dedupe_key="b:3")] * 2
        assert await enqueue(conn, more, clock.now()) == 1
        assert await outbox_repo.open_count(conn) == 3


async def test_empty_key_means_always_new(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as conn:
        item = Outgoing(chat_id=1, text="x")
        assert await enqueue(conn, [item, item], clock.now()) == 2


async def test_long_text_is_one_row_of_parts_with_the_keyboard(
    db: Database, clock: ManualClock
) -> None:
    text = "\n\n".join("Đoạn văn bản thông báo. " * 60 for _ in range(5))
    async with db.transaction() as conn:
        await enqueue(
            conn,
            [Outgoing(chat_id=1, text=text, buttons=KEYBOARD, batch="b", dedupe_key="k")],
            clock.now(),
        )
        row = (await outbox_repo.rows_by_keys(conn, ["k"]))["k"]
    # five paragraphs of 1,440 characters: two per message, cut at the blank lines
    assert len(row.parts) == 3 and all(p["kind"] == "text" for p in row.parts)
    assert row.reply_markup == {"inline_keyboard": [
        [{"text": "✅ Đã nhận", "callback_data": "an:ack:1"}]]}


async def test_long_caption_becomes_file_then_text(db: Database, clock: ManualClock) -> None:
    caption = "Kính gửi các đơn vị. " * 80
    async with db.transaction() as conn:
        await enqueue(
            conn,
            [Outgoing(chat_id=1, document="DOC", caption=caption, dedupe_key="k")],
            clock.now(),
        )
        row = (await outbox_repo.rows_by_keys(conn, ["k"]))["k"]
    assert [p["kind"] for p in row.parts] == ["document", "text"]
    assert row.parts[0]["text"] is None and row.parts[0]["file"] == "DOC"


async def test_short_caption_stays_on_the_photo(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as conn:
        await enqueue(conn, [Outgoing(chat_id=1, photo="P", caption="<b>Ảnh</b>",
                                      dedupe_key="k")], clock.now())
        row = (await outbox_repo.rows_by_keys(conn, ["k"]))["k"]
    assert row.parts == [{"kind": "photo", "text": "<b>Ảnh</b>", "file": "P"}]


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"text": "a", "photo": "p"}, {"photo": "p", "document": "d"}],
)
def test_outgoing_refuses_impossible_content(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        Outgoing(chat_id=1, **kwargs)  # type: ignore[arg-type]


async def test_reads_by_key_span_several_statements(db: Database, clock: ManualClock) -> None:
    """More keys than one statement binds (storage.outbox._IN_CHUNK): every row found once,
    unknown keys skipped, no keys no rows."""
    count = 2 * outbox_repo._IN_CHUNK + 3
    items = [Outgoing(chat_id=i, text="x", batch="b", dedupe_key=f"b:{i}")
             for i in range(1, count + 1)]
    keys = [item.dedupe_key for item in items]
    async with db.transaction() as conn:
        assert await enqueue(conn, items, clock.now()) == count
        assert await outbox_repo.existing_keys(conn, [*keys, "b:none"]) == set(keys)
        deliveries = await outbox_repo.delivery_rows(conn, [*keys, "b:none"])
        rows = await outbox_repo.rows_by_keys(conn, keys[-2:])
        assert await outbox_repo.delivery_rows(conn, []) == {}
    assert sorted(deliveries) == sorted(keys)
    assert deliveries["b:7"].chat_id == 7 and deliveries["b:7"].state is outbox_repo.State.PENDING
    assert sorted(rows) == keys[-2:] and rows[keys[-1]].chat_id == count
