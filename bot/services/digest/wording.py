"""What one digest says to one chair and the buttons under it: every registration with
«🚫 Gỡ …», every submission with «🔎 …» (its appraisal screen). Names, never codes; long
names shortened (bot.formatting.clip). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bot.buttons import Button, Buttons
from bot.formatting import DATETIME_SHORT, clip, format_datetime, format_points
from bot.services.digest.callbacks import removal_data
from bot.services.review.callbacks import open_unit
from bot.texts import Catalog
from storage.digest.records import DigestItem
from storage.records import BlockTree

LABEL_ROOM = 28  # a button's label on a phone
LINES_SHOWN = 12  # items listed; the rest are counted ("… và 3 mục khác")
BUTTONS_SHOWN = 8


@dataclass(frozen=True)
class Standing:
    """Where the block stands when the digest goes (read by bot.services.digest.chair)."""

    registered: int
    total: int
    handed_in: dict[int, int] = field(default_factory=dict)  # phase id -> reports in
    active: frozenset[int] = frozenset()  # tg ids of representatives still registered


def _unit_name(tree: BlockTree, unit_id: int) -> str:
    unit = tree.unit(unit_id)
    return unit.name if unit is not None else "?"


def _phase_name(tree: BlockTree, phase_id: int) -> str:
    return next((p.name for p in tree.phases if p.id == phase_id), "?")


def digest_text(texts: Catalog, lang: str, tree: BlockTree, items: list[DigestItem],
                standing: Standing) -> str:
    block = tree.block
    shown = items[:LINES_SHOWN]
    lines = [texts.text(lang, "digest-title", block=block.name, count=len(items))]
    registrations = [i for i in shown if i.kind == "registration"]
    if registrations:
        lines += ["", texts.text(lang, "digest-registrations")]
        for item in registrations:
            key = ("digest-registration" if item.tg_user_id in standing.active
                   else "digest-registration-removed")
            lines.append(texts.text(lang, key, name=item.details.get("name", "?"),
                                    unit=_unit_name(tree, item.unit_id),
                                    when=format_datetime(item.created_at, block.tz,
                                                         pattern=DATETIME_SHORT)))
        lines.append(texts.text(lang, "digest-registered", count=standing.registered,
                                total=standing.total))
        lines.append(texts.text(lang, "digest-registration-hint"))
    submissions = [i for i in shown if i.kind == "submission"]
    if submissions:
        lines += ["", texts.text(lang, "digest-submissions")]
        for item in submissions:
            details = item.details
            key = ("digest-submission-again" if details.get("resubmitted")
                   else "digest-submission-late" if details.get("late")
                   else "digest-submission")
            lines.append(texts.text(
                lang, key, unit=_unit_name(tree, item.unit_id),
                phase=_phase_name(tree, int(details.get("phase_id", 0))),
                total=format_points(Decimal(str(details.get("self_total", "0"))), lang)))
        phases = sorted({int(i.details.get("phase_id", 0)) for i in submissions})
        for phase_id in phases:
            if phase_id in standing.handed_in:
                lines.append(texts.text(lang, "digest-handed-in",
                                        phase=_phase_name(tree, phase_id),
                                        count=standing.handed_in[phase_id],
                                        total=standing.total))
    if len(items) > len(shown):
        lines += ["", texts.text(lang, "digest-more", count=len(items) - len(shown))]
    return "\n".join(lines)


def digest_buttons(texts: Catalog, lang: str, tree: BlockTree, items: list[DigestItem],
                   standing: Standing) -> Buttons:
    buttons: list[Button] = []
    for item in items:
        if len(buttons) == BUTTONS_SHOWN:
            break
        if item.kind == "registration" and item.tg_user_id in standing.active:
            name = clip(str(item.details.get("name", "?")), LABEL_ROOM)
            buttons.append(Button(texts.text(lang, "digest-button-remove", name=name),
                                  removal_data("ask", item.id)))
        elif item.kind == "submission" and item.subject_id is not None:
            unit = clip(_unit_name(tree, item.unit_id), LABEL_ROOM)
            buttons.append(Button(texts.text(lang, "digest-button-review", unit=unit),
                                  open_unit(item.subject_id)))
    return tuple((b,) for b in buttons)


