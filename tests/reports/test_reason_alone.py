"""The appraisal's reason, asked for and accepted (issue 17.7): points that need a reason
are kept while the chair is asked for it, and the reason typed alone is accepted; points
and reason in one message keep working."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.services.review.appraisal import Review, appraise_criterion, read_appraisal
from tests.reports.conftest import CHAIR_TG, World
from tests.reports.helpers import fill, submit

PENDING = Decimal("25")


@pytest.mark.parametrize(("text", "read"), [
    # while 25 points wait for their reason, the message is the reason...
    ("Chưa đủ minh chứng", (None, "Chưa đủ minh chứng")),
    ("  Thiếu  ", (None, "Thiếu")),
    ("2 minh chứng chưa hợp lệ", (None, "2 minh chứng chưa hợp lệ")),  # never 2 points
    ("Hồ sơ thiếu; cần bổ sung", (None, "Hồ sơ thiếu; cần bổ sung")),
    # ...unless the chair types new points, alone or before ';' or a line break
    ("30", ("30", None)),
    ("22,5", ("22,5", None)),
    ("20; Chưa đủ minh chứng", ("20", "Chưa đủ minh chứng")),
    ("20\nChưa đủ minh chứng", ("20", "Chưa đủ minh chứng")),
])
def test_a_message_after_the_question_is_the_reason_or_new_points(
    text: str, read: tuple[str | None, str | None]
) -> None:
    assert read_appraisal(text, "vi", PENDING) == read


def test_without_pending_points_the_forms_are_as_before() -> None:
    assert read_appraisal("30; Chưa đủ", "vi") == ("30", "Chưa đủ")
    assert read_appraisal("30 Chưa đủ", "vi") == ("30", "Chưa đủ")
    assert read_appraisal("Chưa đủ", "vi") == ("Chưa", "đủ")  # then: points unreadable


async def reviewing(world: World) -> tuple[Any, int]:
    await fill(world, "BBT")
    report = (await submit(world, "BBT")).view.report
    return report, world.criterion("NV_CHINH_TRI").id


async def test_the_reason_alone_completes_the_kept_points(world: World) -> None:
    report, crit = await reviewing(world)

    async def typed(text: str, pending: Decimal | None) -> Any:
        return await appraise_criterion(
            world.db, world.clock, block=world.block, actor_tg_id=CHAIR_TG,
            report_id=report.id, criterion_id=crit, text=text, lang="vi",
            version=report.version, pending=pending)

    asked = await typed("25", None)
    assert asked.outcome is Review.REASON_REQUIRED and asked.points == Decimal("25")
    assert asked.view.report.version == report.version  # nothing changed yet
    done = await typed("Chưa đủ minh chứng", asked.points)
    assert done.outcome is Review.DONE
    value = done.view.values[crit]
    assert value.appraised_points == Decimal("25")
    assert value.appraisal_reason == "Chưa đủ minh chứng"


async def test_new_points_instead_of_the_reason(world: World) -> None:
    report, crit = await reviewing(world)

    async def typed(text: str) -> Any:
        return await appraise_criterion(
            world.db, world.clock, block=world.block, actor_tg_id=CHAIR_TG,
            report_id=report.id, criterion_id=crit, text=text, lang="vi",
            version=report.version, pending=PENDING)

    lower = await typed("20")  # still lower than the unit's 35: a reason is asked again
    assert lower.outcome is Review.REASON_REQUIRED and lower.points == Decimal("20")
    too_long = await typed("x" * 1001)
    assert too_long.outcome is Review.REASON_TOO_LONG and too_long.points == PENDING
    done = await typed("35")  # the unit's own points: no reason needed
    assert done.outcome is Review.DONE and done.view.values[crit].appraised_points == 35
