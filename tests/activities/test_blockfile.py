"""[[activities]] in the block file: read, every problem listed with its key path; setup
writes them (a start in the past refused with nothing saved), re-running changes nothing,
a removed one is cancelled."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.blockfile import BlockFileError, parse_block_text
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from storage import activities as repo
from storage import blocks as blocks_repo
from storage.activities import plan as plan_repo
from storage.db import Database
from tests.activities.conftest import ACTIVITY
from tests.blockfile.helpers import HCM, example, problems

FEB = datetime(2023, 2, 1, 2, 0, tzinfo=UTC)


def with_activity(text: str = ACTIVITY, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return example() + text


def test_the_activity_is_read() -> None:
    spec = parse_block_text(with_activity())
    [activity] = spec.activities
    assert activity.code == "HOI_THAO_2023" and activity.kind == "sports"
    assert activity.starts == datetime(2023, 8, 25, 7, 30, tzinfo=HCM)
    assert activity.ends == datetime(2023, 8, 25, 11, 30, tzinfo=HCM)
    assert activity.answer_by == datetime(2023, 8, 20, 17, 0, tzinfo=HCM)  # a date: 17:00
    assert activity.criterion == "HOAT_DONG_CHUNG" and activity.absence_penalty is None


def test_every_problem_is_listed_by_key_path() -> None:
    second = """
[[activities]]
code = "HOI_THAO_2023"
title = "Thăm, tặng quà gia đình chính sách"
kind = "charity"
starts = 2023-07-27
answer_by = 2023-07-20
"""
    found = problems(with_activity(
        ACTIVITY + second,
        ('kind = "sports"', 'kind = "sport"\nplace_name = "x"'),
        ("ends = 2023-08-25T11:30:00", "ends = 2023-08-25T06:00:00"),
        ("answer_by = 2023-08-20", "answer_by = 2023-08-26"),
        ('criterion = "HOAT_DONG_CHUNG"', 'criterion = "NV_CHINH_TRI"\nabsence_penalty = 9'),
    ))
    assert found == [
        "activities[0].place_name: unknown key",
        'activities[0].kind: must be one of "sports", "charity", "seminar", "culture", '
        '"other"; got "sport"',
        "activities[0].ends: must be after starts",
        "activities[0].answer_by: must not be after starts (units answer before it begins)",
        'activities[0].criterion: criterion "NV_CHINH_TRI" has kind "score"; attendance can '
        'fill only "yesno", "number"',
        'activities[0].absence_penalty: is more than the 5 points of "TRE_HAN"',
        'activities[1].code: duplicate "HOI_THAO_2023"',
        "activities[1].starts: give the time of day too, e.g. 2023-07-27T07:30:00",
    ]


def test_unknown_criterion_no_phase_and_bare_date() -> None:
    assert problems(with_activity(ACTIVITY, ('criterion = "HOAT_DONG_CHUNG"',
                                             'criterion = "KHONG_CO"'))) == [
        'activities[0].criterion: no criterion with code "KHONG_CO"']
    assert problems(with_activity(ACTIVITY, ("starts = 2023-08-25T07:30:00",
                                             "starts = 2023-08-25"))) == [
        "activities[0].starts: give the time of day too, e.g. 2023-08-25T07:30:00"]
    moved = with_activity(ACTIVITY, ("starts = 2023-08-25T07:30:00",
                                     "starts = 2024-01-05T07:30:00"),
                          ("ends = 2023-08-25T11:30:00", "ends = 2024-01-05T11:30:00"))
    assert problems(moved) == ['activities[0].starts: 2024-01-05 is in no phase, so '
                               'attendance could not fill "HOAT_DONG_CHUNG"']


def test_absence_penalty_needs_a_penalty_criterion() -> None:
    spec = parse_block_text(with_activity(ACTIVITY + "absence_penalty = 2\n"))
    assert spec.activities[0].absence_penalty == Decimal(2)
    text = with_activity(ACTIVITY + "absence_penalty = 2\n").replace("penalty = true\n", "")
    assert problems(text) == [
        'activities[0].absence_penalty: needs a criterion with penalty = true and kind = '
        '"score" to take the points']


async def test_setup_writes_plans_and_is_idempotent(db: Database) -> None:
    clock = ManualClock(FEB)
    spec = parse_block_text(with_activity())
    report = await apply_block_spec(db, spec, clock)
    async with db.read() as conn:
        [activity] = await repo.block_activities(conn, report.block_id)
        planned = {(r.kind, r.offset) for r in await plan_repo.rows_of(conn, activity.id)}
    assert activity.source == "file" and activity.state == "open"
    assert planned == {("announce", ""), ("answer", "2d"), ("answer", "2h"), ("closed", ""),
                       ("coming", "1d"), ("coming", "2h")}
    again = await apply_block_spec(db, spec, clock)
    assert again.changes == []
    moved = parse_block_text(with_activity(ACTIVITY, ('place = "Nhà thi đấu tỉnh Bình Thuận"',
                                                      'place = "Sân vận động tỉnh"')))
    assert (await apply_block_spec(db, moved, clock)).changes == [
        "activities.HOI_THAO_2023: changed (place)"]
    removed = await apply_block_spec(db, parse_block_text(example()), clock)
    assert removed.changes == ["activities.HOI_THAO_2023: removed (cancelled)"]
    async with db.read() as conn:
        [cancelled] = await repo.block_activities(conn, report.block_id)
        left = [r for r in await plan_repo.rows_of(conn, cancelled.id) if r.state == "planned"]
    assert cancelled.state == "cancelled" and left == []


async def test_a_new_activity_in_the_past_is_refused_and_nothing_saved(db: Database) -> None:
    clock = ManualClock(datetime(2023, 9, 1, 2, 0, tzinfo=UTC))
    with pytest.raises(BlockFileError) as info:
        await apply_block_spec(db, parse_block_text(with_activity()), clock)
    assert [str(p) for p in info.value.problems] == [
        "activities[0].starts: 2023-08-25T07:30 is in the past; an activity is announced "
        "before it happens"]
    async with db.read() as conn:
        assert await blocks_repo.list_blocks(conn) == []  # the whole setup rolled back
