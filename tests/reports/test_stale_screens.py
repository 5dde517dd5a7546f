"""A decision taken on a stale screen changes nothing (issue 26.6): the chair's accept,
return and points carry the report's version their screen showed (compare-and-set), and
the chair who comes second is told who decided what, and when. Races run both use cases
at once on the same database."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.services.review.appraisal import (
    Review,
    accept_report,
    appraise_criterion,
    open_for_change,
    return_report,
)
from storage import audit
from storage import members as members_repo
from storage.outbox.tables import outbox
from storage.reports.records import ReportState
from tests.reports.conftest import BBT_TG, CHAIR_TG, World, local
from tests.reports.helpers import fill, submit

CHAIR_B = 1002  # a second representative of the chair's unit (VPTU)


async def handed_in(world: World) -> tuple[int, int]:
    """BBT's submitted report: (id, version the chairs' screens show)."""
    async with world.db.transaction() as conn:
        await members_repo.add_member(
            conn, block_id=world.block.id, unit_id=world.unit("VPTU").id, tg_user_id=CHAIR_B,
            full_name="Trần Thị B", username=None, language_code="vi", now=world.clock.now(),
        )
    await fill(world, "BBT")
    report = (await submit(world, "BBT")).view.report
    return report.id, report.version


async def accept(world: World, report_id: int, version: int | None, by: int = CHAIR_TG
                 ) -> Any:
    return await accept_report(world.db, world.clock, world.texts, block=world.block,
                               actor_tg_id=by, report_id=report_id, version=version)


async def send_back(world: World, report_id: int, version: int | None, by: int = CHAIR_B
                    ) -> Any:
    return await return_report(world.db, world.clock, world.texts, block=world.block,
                               actor_tg_id=by, report_id=report_id, reason="Bổ sung minh chứng",
                               version=version)


async def points(world: World, report_id: int, version: int | None, text: str,
                 by: int = CHAIR_B, code: str = "NV_CHINH_TRI") -> Any:
    return await appraise_criterion(world.db, world.clock, block=world.block, actor_tg_id=by,
                                    report_id=report_id, criterion_id=world.criterion(code).id,
                                    text=text, lang="vi", version=version)


async def unit_notices(world: World) -> list[str]:
    async with world.db.read() as conn:
        rows = (await conn.execute(select(outbox.c.dedupe_key).where(
            outbox.c.chat_id == BBT_TG))).scalars().all()
    return list(rows)


async def actions(world: World, action: str) -> int:
    async with world.db.read() as conn:
        return len(await audit.entries(conn, block_id=world.block.id, action=action))


async def test_a_return_typed_on_a_stale_screen_does_not_undo_an_accept(world: World) -> None:
    report_id, shown = await handed_in(world)
    # chair B pressed «Trả lại» and is typing the reason...
    asked = await open_for_change(world.db, world.clock, block=world.block,
                                  report_id=report_id, version=shown)
    assert asked.outcome is Review.DONE
    # ...while chair A accepts
    world.clock.set(local(2023, 3, 1, 9, 5))
    assert (await accept(world, report_id, shown)).outcome is Review.DONE
    world.clock.advance(timedelta(seconds=1))
    late = await send_back(world, report_id, shown)
    assert late.outcome is Review.STALE
    assert late.view.state is ReportState.APPRAISED
    decision = late.decision
    assert decision is not None and decision.what == "accepted"
    assert decision.by_tg_id == CHAIR_TG and decision.name == f"User {CHAIR_TG}"
    assert decision.unit is not None and decision.unit.code == "VPTU"
    assert decision.at == local(2023, 3, 1, 9, 5)
    # the unit heard "đã thẩm định" only; nothing was returned
    assert [k for k in await unit_notices(world) if "returned" in k] == []
    assert await actions(world, "review.returned") == 0


async def test_two_accepts_at_once_accept_once(world: World) -> None:
    report_id, shown = await handed_in(world)
    first, second = await asyncio.gather(accept(world, report_id, shown),
                                         accept(world, report_id, shown, by=CHAIR_B))
    outcomes = sorted([first.outcome, second.outcome])
    assert outcomes == sorted([Review.DONE, Review.STALE])
    loser = first if first.outcome is Review.STALE else second
    winner_tg = CHAIR_B if loser is first else CHAIR_TG
    assert loser.decision is not None and loser.decision.by_tg_id == winner_tg
    assert await actions(world, "review.accepted") == 1
    assert len([k for k in await unit_notices(world) if "appraised" in k]) == 1


async def test_accept_and_return_at_once_one_wins(world: World) -> None:
    report_id, shown = await handed_in(world)
    accepted, returned = await asyncio.gather(accept(world, report_id, shown),
                                              send_back(world, report_id, shown))
    assert {accepted.outcome, returned.outcome} == {Review.DONE, Review.STALE}
    done = await actions(world, "review.accepted") + await actions(world, "review.returned")
    assert done == 1
    assert len([k for k in await unit_notices(world) if "submitted" not in k]) == 1


async def test_a_double_press_of_accept_tells_the_unit_once(world: World) -> None:
    report_id, shown = await handed_in(world)
    assert (await accept(world, report_id, shown)).outcome is Review.DONE
    again = await accept(world, report_id, shown)
    assert again.outcome is Review.STALE and again.decision.what == "accepted"
    assert await actions(world, "review.accepted") == 1
    # a fresh screen (the new version) may accept again, e.g. after changing a point
    fresh = again.view.report.version
    assert (await accept(world, report_id, fresh)).outcome is Review.DONE


async def test_points_on_a_stale_question_are_refused_with_who_and_what(world: World) -> None:
    report_id, shown = await handed_in(world)
    # both chairs opened ✏️ 1 on the same screen
    world.clock.set(local(2023, 3, 1, 10, 0))
    first = await points(world, report_id, shown, "30; Chưa đủ minh chứng", by=CHAIR_TG)
    assert first.outcome is Review.DONE
    world.clock.advance(timedelta(minutes=2))
    second = await points(world, report_id, shown, "20; Thiếu hồ sơ", by=CHAIR_B)
    assert second.outcome is Review.STALE
    decision = second.decision
    assert decision.what == "points" and decision.detail == world.criterion("NV_CHINH_TRI").title
    assert decision.by_tg_id == CHAIR_TG and decision.at == local(2023, 3, 1, 10, 0)
    value = second.view.values[world.criterion("NV_CHINH_TRI").id]
    assert value.appraised_points == Decimal("30")  # the first chair's points stand
    assert await actions(world, "review.points") == 1
    # pressing ✏️ on the old screen is refused the same way, before any typing
    opened = await open_for_change(world.db, world.clock, block=world.block,
                                   report_id=report_id, version=shown,
                                   criterion_id=world.criterion("KHEN_THUONG").id)
    assert opened.outcome is Review.STALE and opened.decision.what == "points"


async def test_simultaneous_points_write_one_audit_row(world: World) -> None:
    report_id, shown = await handed_in(world)
    results = await asyncio.gather(
        points(world, report_id, shown, "30; a", by=CHAIR_TG),
        points(world, report_id, shown, "25; b", by=CHAIR_B),
    )
    assert sorted(r.outcome for r in results) == sorted([Review.DONE, Review.STALE])
    assert await actions(world, "review.points") == 1


async def test_a_resubmitted_report_makes_old_screens_stale(world: World) -> None:
    report_id, shown = await handed_in(world)
    returned = await send_back(world, report_id, shown, by=CHAIR_TG)
    assert returned.outcome is Review.DONE
    world.clock.advance(timedelta(hours=1))
    await fill(world, "BBT", "KHEN_THUONG: 11")
    again = (await submit(world, "BBT")).view.report
    assert again.state is ReportState.SUBMITTED and again.version > shown
    # a screen from before the return still shows «Chấp nhận» at the old version
    stale = await accept(world, report_id, shown, by=CHAIR_B)
    assert stale.outcome is Review.STALE
    assert stale.decision.what == "submitted" and stale.decision.by_tg_id == BBT_TG
    assert stale.decision.unit.code == "BBT"
    assert (await accept(world, report_id, again.version, by=CHAIR_B)).outcome is Review.DONE


async def test_refused_validation_keeps_the_version(world: World) -> None:
    report_id, shown = await handed_in(world)
    for text in ("ba mươi", "41", "30"):  # bad, over the limit, lowering without reason
        result = await points(world, report_id, shown, text)
        assert result.outcome in (Review.BAD_POINTS, Review.OVER_LIMIT, Review.REASON_REQUIRED)
        assert result.view.report.version == shown
    assert (await points(world, report_id, shown, "30; lý do")).outcome is Review.DONE


async def test_every_change_makes_a_new_version(world: World) -> None:
    report_id, shown = await handed_in(world)
    done = await points(world, report_id, shown, "38")
    assert done.view.report.version == shown + 1
    accepted = await accept(world, report_id, shown + 1)
    assert accepted.view.report.version == shown + 2
    # the unit's notice is named by the verdict's version (one per verdict, never twice)
    newest = (await unit_notices(world))[-1]
    assert newest.startswith(f"report:appraised:{report_id}:v{shown + 2}:")
