"""A unit's `short_name`: read and checked from the block file, stored by setup, carried
into the chart data, and on the axis of the chart the bot sends (through the emulator)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.blockfile import BlockFileError, parse_block_text
from bot.blockfile.model import UNIT_SHORT_NAME_MAX, short_name_of
from bot.charts import ranking_sheet, render_progress, render_ranking
from bot.sandbox import ApiCall, SentMessage
from bot.services.clock import ManualClock
from bot.services.ranking.charts import PROGRESS, RANKING, chart_for
from bot.services.setup import apply_block_spec
from storage import blocks as blocks_repo
from storage.db import Database
from tests.blockfile.helpers import example, variant
from tests.charts.extents import labels
from tests.e2e.harness import BotHarness, Person

DUK = 'name = "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"\n'
DUK_SHORT = 'short_name = "Đảng ủy Khối"'


async def ask_photo(h: BotHarness, person: Person, text: str) -> tuple[SentMessage, ApiCall]:
    """Send a command in private; the photo the bot answers with and its sendPhoto call."""
    mark = h.emu.mark()
    h.emu.send_text(person.user_id, text)
    photo = await h.emu.wait_for_message(person.user_id, after=mark,
                                         predicate=lambda m: m.kind == "photo")
    [call] = await h.emu.wait_for_calls("sendPhoto", chat_id=person.user_id, after=mark)
    await h.handlers_done()
    return photo, call


def problems_of(text: str) -> list[str]:
    with pytest.raises(BlockFileError) as info:
        parse_block_text(text)
    return [str(p) for p in info.value.problems]


def test_the_example_names_its_long_unit_shortly() -> None:
    spec = parse_block_text(example())
    shorts = {u.code: u.short_name for u in spec.units}
    assert shorts["DUK"] == "Đảng ủy Khối"
    assert {c for c, s in shorts.items() if s} == {"DUK"}  # the others are short already


def test_the_default_is_the_name_or_the_name_cut() -> None:
    assert short_name_of("Ban Tuyên giáo Tỉnh ủy") == "Ban Tuyên giáo Tỉnh ủy"
    assert short_name_of("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo") == "Ban Tuyên giáo"
    cut = short_name_of("Ban Quản lý các khu công nghiệp và khu kinh tế ven biển")
    assert cut == "Ban Quản lý các khu…"  # whole words: "khu công…", not "khu côn…"
    assert short_name_of("Sở Lao động – Thương binh và Xã hội") == "Sở Lao động – Thương…"
    odd = short_name_of("Ủyban" + "x" * 30)  # no word boundary near: cut inside the word
    assert odd.endswith("…") and len(odd) == UNIT_SHORT_NAME_MAX
    # No rule drops words: "Ban", "Đảng ủy" tell units apart.
    assert short_name_of("Đảng ủy Khối").startswith("Đảng ủy")


def test_a_short_name_too_long_or_not_text_is_refused_with_its_place() -> None:
    long = "Đảng ủy Khối cơ quan tỉnh"  # 25 characters
    assert problems_of(variant((DUK_SHORT, f'short_name = "{long}"'))) == [
        f'units[4].short_name: "{long}" is too long (25 characters, at most 24)']
    assert problems_of(variant((DUK_SHORT, "short_name = 7"))) == [
        "units[4].short_name: expected a string, got integer"]
    assert problems_of(variant((DUK_SHORT, "shortname = 'Đảng ủy Khối'"))) == [
        'units[4].shortname: unknown key (did you mean "short_name"?)']


def test_two_units_may_not_go_by_the_same_short_name() -> None:
    same = variant((DUK_SHORT, 'short_name = "Ban Dân vận Tỉnh ủy"'))
    assert problems_of(same) == [
        'units[4].short_name: goes by the same short name as units[3] ("Ban Dân vận Tỉnh ủy")']
    # Two long names cut to the same short name: the second is told to set one.
    twin = variant((DUK_SHORT, ""), ('name = "Ban Tổ chức Tỉnh ủy"',
                                     'name = "Đảng ủy Khối cơ quan và doanh nghiệp huyện"'))
    [problem] = problems_of(twin)
    assert problem.startswith("units[5].name: goes by the same short name as units[4]")
    assert problem.endswith("give one of them a short_name")


async def test_setup_stores_it_and_the_charts_use_it(db: Database) -> None:
    clock = ManualClock(datetime(2023, 6, 21, 9, 0).astimezone())
    await apply_block_spec(db, parse_block_text(example()), clock)
    async with db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    units = {u.code: u for u in tree.units}
    assert units["DUK"].short_name == "Đảng ủy Khối" and units["BTG"].short_name is None
    answer = await chart_for(db, block, RANKING, "DOT1", now=clock.now(), lang="vi")
    assert answer.chart is not None
    shorts = {e.unit_code: e.short_name for e in answer.chart.entries}
    assert shorts["DUK"] == "Đảng ủy Khối" and shorts["BTG"] == "Ban Tuyên giáo Tỉnh ủy"
    progress = await chart_for(db, block, PROGRESS, "DOT1", now=clock.now(), lang="vi")
    assert progress.chart is not None
    assert {e.unit_code: e.short_name for e in progress.chart.entries}["DUK"] == "Đảng ủy Khối"

    # Changed in the file: setup says so and stores it; dropped: back to NULL.
    report = await apply_block_spec(db, parse_block_text(
        variant((DUK_SHORT, 'short_name = "ĐU Khối"'))), clock)
    assert "units.DUK: changed (short_name)" in report.changes
    await apply_block_spec(db, parse_block_text(variant((DUK_SHORT, ""))), clock)
    async with db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
        assert block is not None
        duk = await blocks_repo.get_unit_by_code(conn, block.id, "DUK")
    assert duk is not None and duk.short_name is None


@pytest.mark.e2e
async def test_the_chart_the_bot_sends_names_units_by_their_short_names(
    harness: BotHarness,
) -> None:
    h = harness
    member = await h.register("BBT", "Phóng viên Bình")
    photo, call = await ask_photo(h, member, "/ranking")
    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
    assert block is not None
    answer = await chart_for(h.db, block, RANKING, None, now=h.clock.now(), lang="vi")
    assert answer.chart is not None
    # The picture sent is the one drawn from the chart data: 1200 px, short names on it.
    png = call.files["photo"].data
    assert png == render_ranking(answer.chart)
    texts = {x.text for x in labels(ranking_sheet(answer.chart))}
    assert "Đảng ủy Khối" in texts and "DUK" not in texts
    assert "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh" not in texts
    progress, upload = await ask_photo(h, member, "/progress")
    answer = await chart_for(h.db, block, PROGRESS, None, now=h.clock.now(), lang="vi")
    assert answer.chart is not None
    assert upload.files["photo"].data == render_progress(answer.chart)
    assert photo.message["photo"] and progress.message["photo"]
