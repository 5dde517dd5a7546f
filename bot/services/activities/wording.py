"""How an activity reads: its time as a Vietnamese notice writes it, the group card with its
counter, a unit's invitation, and the buttons under them. Pure functions of plain data and
the catalog; the services that queue or edit a message call them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.buttons import Button, Buttons, rows
from bot.services.activities import callbacks
from bot.texts import Catalog
from storage.activities.records import Activity, Answer
from storage.records import Block, Criterion, Unit

# The card names the units that have not answered only this close to answer_by: earlier
# a list of names in front of the whole block is a reproach nobody deserves yet.
NEAR_ANSWER_BY = timedelta(days=3)
# So the card stays one phone screen with a dozen long unit names.
NAMES_ON_CARD = 6


def when(texts: Catalog, lang: str, moment: datetime, tz: ZoneInfo) -> str:
    """'17 giờ 00, ngày 20/8/2023' ('17:00, 20/8/2023' in English)."""
    local = moment.astimezone(tz)
    return texts.plain(lang, "activity-when", hour=local.hour, minute=f"{local.minute:02d}",
                       day=local.day, month=local.month, year=local.year)


def clock_time(texts: Catalog, lang: str, moment: datetime, tz: ZoneInfo) -> str:
    """'11 giờ 30' ('11:30')."""
    local = moment.astimezone(tz)
    return texts.plain(lang, "activity-clock", hour=local.hour, minute=f"{local.minute:02d}")


def kind_name(texts: Catalog, lang: str, kind: str) -> str:
    return texts.plain(lang, f"activity-kind-{kind}")


def time_span(texts: Catalog, lang: str, activity: Activity, tz: ZoneInfo) -> str:
    start = when(texts, lang, activity.starts_at, tz)
    if activity.ends_at is None:
        return start
    return texts.plain(lang, "activity-until", start=start,
                       end=clock_time(texts, lang, activity.ends_at, tz))


def facts(texts: Catalog, lang: str, activity: Activity, block: Block,
          criterion: Criterion | None) -> list[str]:
    """Title, kind, time, place, answer-by and criterion lines (HTML)."""
    tz = block.tz
    lines = [texts.text(lang, "activity-card-title", title=activity.title),
             texts.text(lang, "activity-card-kind", kind=kind_name(texts, lang, activity.kind)),
             texts.text(lang, "activity-card-time", time=time_span(texts, lang, activity, tz))]
    if activity.place:
        lines.append(texts.text(lang, "activity-card-place", place=activity.place))
    lines.append(texts.text(lang, "activity-card-answer-by",
                            time=when(texts, lang, activity.answer_by, tz)))
    if criterion is not None:
        lines.append(texts.text(lang, "activity-card-criterion", title=criterion.title))
    return lines


@dataclass(frozen=True)
class Standing:
    """Where the answers of an activity stand."""

    units: tuple[Unit, ...]
    answers: Mapping[int, Answer]

    @property
    def coming(self) -> list[Unit]:
        return [u for u in self.units if (a := self.answers.get(u.id)) and a.coming]

    @property
    def absent(self) -> list[Unit]:
        return [u for u in self.units if (a := self.answers.get(u.id)) and not a.coming]

    @property
    def pending(self) -> list[Unit]:
        return [u for u in self.units if u.id not in self.answers]

    @property
    def people(self) -> int:
        return sum(a.people or 0 for a in self.answers.values() if a.coming)


def unit_names(texts: Catalog, lang: str, units: Sequence[Unit], limit: int) -> str:
    names = "; ".join(u.name for u in units[:limit])
    if len(units) > limit:
        names += texts.plain(lang, "activity-and-more", count=len(units) - limit)
    return names


def counter(texts: Catalog, lang: str, standing: Standing) -> str:
    return texts.text(lang, "activity-counter", answered=len(standing.answers),
                      total=len(standing.units), coming=len(standing.coming),
                      absent=len(standing.absent))


def card_text(texts: Catalog, lang: str, activity: Activity, block: Block,
              criterion: Criterion | None, standing: Standing, now: datetime) -> str:
    """The group card: the activity, the live counter, and near the deadline who is missing."""
    parts = [texts.text(lang, "activity-card-head", block=block.name),
             "\n".join(facts(texts, lang, activity, block, criterion)),
             counter(texts, lang, standing)]
    closed = not activity.answers_open(now)
    if standing.pending and (closed or activity.answer_by - now <= NEAR_ANSWER_BY):
        parts.append(texts.text(lang, "activity-card-pending", count=len(standing.pending),
                                names=unit_names(texts, lang, standing.pending,
                                                 NAMES_ON_CARD)))
    if not activity.open:
        parts.append(texts.text(lang, "activity-card-cancelled"))
    elif closed:
        parts.append(texts.text(lang, "activity-card-closed",
                                time=when(texts, lang, activity.answer_by, block.tz)))
    else:
        parts.append(texts.text(lang, "activity-card-how"))
    return "\n\n".join(parts)


def group_buttons(texts: Catalog, lang: str, activity: Activity, now: datetime) -> Buttons:
    if not activity.answers_open(now):
        return ()
    return rows([Button(texts.plain(lang, "activity-btn-yes"),
                        callbacks.group_answer(activity.id, True)),
                 Button(texts.plain(lang, "activity-btn-no"),
                        callbacks.group_answer(activity.id, False))])


def answer_buttons(texts: Catalog, lang: str, activity: Activity, unit_id: int,
                   revision: int) -> Buttons:
    """A representative's own «Tham gia» / «Không tham gia» (the unit's answer revision)."""
    return rows([Button(texts.plain(lang, "activity-btn-yes"),
                        callbacks.own_answer(activity.id, unit_id, revision, True)),
                 Button(texts.plain(lang, "activity-btn-no"),
                        callbacks.own_answer(activity.id, unit_id, revision, False))])


def answer_line(texts: Catalog, lang: str, answer: Answer | None, tz: ZoneInfo) -> str:
    """The unit's answer as its representatives read it (HTML)."""
    if answer is None:
        return texts.text(lang, "activity-answer-none")
    at = when(texts, lang, answer.answered_at, tz)
    if answer.coming:
        line = texts.text(lang, "activity-answer-yes", name=answer.answered_name, time=at)
        if answer.people:
            line += texts.text(lang, "activity-answer-people", count=answer.people)
        if answer.names:
            line += "\n" + texts.text(lang, "activity-answer-names", names=answer.names)
        return line
    return texts.text(lang, "activity-answer-no", name=answer.answered_name, time=at,
                      reason=answer.reason or "")


def invitation_text(texts: Catalog, lang: str, activity: Activity, block: Block, unit: Unit,
                    criterion: Criterion | None, answer: Answer | None, now: datetime) -> str:
    """A unit's own copy: the activity, the unit's answer so far, what to do."""
    parts = [texts.text(lang, "activity-invite-head", block=block.name, unit=unit.name),
             "\n".join(facts(texts, lang, activity, block, criterion)),
             answer_line(texts, lang, answer, block.tz)]
    if not activity.answers_open(now):
        parts.append(texts.text(lang, "activity-card-closed",
                                time=when(texts, lang, activity.answer_by, block.tz)))
    elif answer is None:
        parts.append(texts.text(lang, "activity-invite-how"))
    else:
        parts.append(texts.text(lang, "activity-invite-change"))
    return "\n\n".join(parts)


def own_buttons(texts: Catalog, lang: str, activity: Activity, unit_id: int,
                answer: Answer | None, now: datetime) -> Buttons:
    if not activity.answers_open(now):
        return ()
    return answer_buttons(texts, lang, activity, unit_id, answer.revision if answer else 0)


def people_buttons(texts: Catalog, lang: str, activity_id: int, revision: int) -> Buttons:
    numbers = [Button(str(n), callbacks.people(activity_id, revision, n))
               for n in range(1, callbacks.MAX_PEOPLE_BUTTON + 1)]
    return rows(numbers[:5], numbers[5:])


def names_buttons(texts: Catalog, lang: str, activity_id: int, revision: int) -> Buttons:
    return rows([Button(texts.plain(lang, "activity-btn-skip-names"),
                        callbacks.skip_names(activity_id, revision))])
