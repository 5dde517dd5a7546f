"""`CODE: value` lines (issue 4): many criteria filled from one message, for people who
prepare their figures elsewhere. Good lines are saved together, each bad one is explained.

A message is taken for such lines only when its first code is one of the block's criteria
(anything else is chat); `save_code_lines` and `save_typed` make that choice, so a handler
hands over what was typed and renders what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.services.clock import Clock
from bot.services.reports.entry import (
    ReportView,
    Save,
    SaveResult,
    fresh_view,
    pick_phase,
    refusal_of,
    save_value,
    store_values,
    view_after_saving,
    writable_report,
)
from bot.services.values import (
    BadValue,
    GoodValue,
    looks_like_code_lines,
    parse_value,
    split_code_lines,
)
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import Block, Criterion, Unit


class LineProblem(StrEnum):
    NOT_A_LINE = "not-a-line"
    UNKNOWN_CODE = "unknown-code"
    REPEATED = "repeated"
    FILLED = "filled"  # filled from a joint activity's attendance (report-line-filled)


@dataclass(frozen=True)
class BadLine:
    number: int
    line: str
    problem: LineProblem | None = None
    bad: BadValue | None = None
    criterion: Criterion | None = None


@dataclass(frozen=True)
class LinesResult:
    outcome: Save
    view: ReportView | None = None
    saved: tuple[tuple[Criterion, str], ...] = ()
    bad: tuple[BadLine, ...] = field(default_factory=tuple)


def _check_lines(
    view: ReportView, text: str, lang: str
) -> tuple[list[tuple[Criterion, GoodValue]], list[BadLine]]:
    by_code = {c.code.upper(): c for c in view.criteria}
    good: dict[str, tuple[Criterion, GoodValue]] = {}
    bad: list[BadLine] = []
    for number, line, code, raw in split_code_lines(text):
        criterion = by_code.get(code) if code else None
        if code is None:
            bad.append(BadLine(number, line, LineProblem.NOT_A_LINE))
        elif criterion is None:
            bad.append(BadLine(number, line, LineProblem.UNKNOWN_CODE))
        elif criterion.code in good:
            bad.append(BadLine(number, line, LineProblem.REPEATED, criterion=criterion))
        elif criterion.id in view.from_attendance:
            bad.append(BadLine(number, line, LineProblem.FILLED, criterion=criterion))
        else:
            parsed = parse_value(criterion, raw, lang)
            if isinstance(parsed, BadValue):
                bad.append(BadLine(number, line, bad=parsed, criterion=criterion))
            else:
                good[criterion.code] = (criterion, parsed)
    return list(good.values()), bad


async def save_lines(
    db: Database, clock: Clock, *, block: Block, unit: Unit, actor_tg_id: int,
    text: str, lang: str, phase_id: int | None = None,
) -> LinesResult:
    """Save every good `CODE: value` line in one transaction; report each bad one."""
    now = clock.now()
    async with db.transaction() as conn:
        if phase_id is None:
            tree = await blocks_repo.load_tree(conn, block)
            phase = pick_phase(tree, now)
            phase_id = phase.id if phase else None
        view = await fresh_view(conn, block, unit, phase_id, now) if phase_id else None
        refused = refusal_of(view)
        if refused is not None:
            return LinesResult(refused, view)
        assert view is not None
        good, bad = _check_lines(view, text, lang)
        if good:
            report = await writable_report(conn, view, now)
            if report is None:
                return LinesResult(Save.LOCKED, view)
            chosen = [(criterion, parsed.stored) for criterion, parsed in good]
            await store_values(conn, view, report, chosen, actor_tg_id, now)
            view = await view_after_saving(conn, view, report, now)
    saved = tuple((c, v.stored) for c, v in good)
    return LinesResult(Save.SAVED if saved else Save.BAD, view, saved, tuple(bad))


async def save_code_lines(
    db: Database, clock: Clock, *, block: Block, unit: Unit, actor_tg_id: int,
    text: str, lang: str, phase_id: int | None = None,
) -> LinesResult | None:
    """`save_lines` for a message whose first `CODE:` is one of the block's criteria; None
    (nothing read or saved) for any other message."""
    if not looks_like_code_lines(text):
        return None
    first = next(code for _, _, code, _ in split_code_lines(text) if code is not None)
    async with db.read() as conn:
        tree = await blocks_repo.load_tree(conn, block)
    if first not in {c.code.upper() for c in tree.criteria}:
        return None
    return await save_lines(db, clock, block=block, unit=unit, actor_tg_id=actor_tg_id,
                            text=text, lang=lang, phase_id=phase_id)


async def save_typed(
    db: Database, clock: Clock, *, block: Block, unit: Unit, actor_tg_id: int,
    phase_id: int, criterion_id: int, text: str, lang: str,
) -> SaveResult | LinesResult:
    """What a representative typed while a criterion's question is open: `CODE: value`
    lines (saved into that phase's report), else the criterion's value."""
    lines = await save_code_lines(db, clock, block=block, unit=unit, actor_tg_id=actor_tg_id,
                                  text=text, lang=lang, phase_id=phase_id)
    if lines is not None:
        return lines
    return await save_value(db, clock, block=block, unit=unit, actor_tg_id=actor_tg_id,
                            phase_id=phase_id, criterion_id=criterion_id, text=text, lang=lang)
