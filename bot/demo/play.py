"""Everything a scene needs in one place: the stage, the people and their moves, the
storyline, the block's texts for button labels (people press what they see)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.blockfile import BlockSpec
from bot.blockfile.model import CriterionSpec, UnitSpec
from bot.demo.cast import Person, Roles
from bot.demo.media import Media
from bot.demo.moves import Moves
from bot.demo.stage import Fired, Stage
from bot.demo.story import Story

GROUP_ID = -1_001_234_567_890

_UNIT_WORDS = {"d": ("day", "ngày"), "h": ("hour", "giờ"), "m": ("minute", "phút")}


def _offset(label: str) -> tuple[str, str]:
    amount, unit = label[:-1], label[-1:]
    if unit not in _UNIT_WORDS or not amount.isdigit():
        return label, label
    en, vi = _UNIT_WORDS[unit]
    return f"{amount} {en}{'s' if amount != '1' else ''}", f"{amount} {vi}"


@dataclass
class Play:
    stage: Stage
    story: Story
    spec: BlockSpec
    people: dict[str, Person]
    roles: Roles
    media: Media
    tokens: dict[str, str] = field(default_factory=dict)
    # (unit code, criterion code) -> the target the unit pledged itself
    own_targets: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    group_id: int = GROUP_ID
    block_id: int = 0
    _moves: Moves = field(init=False)

    def __post_init__(self) -> None:
        self._moves = Moves(self.stage)

    @property
    def moves(self) -> Moves:
        return self._moves

    @property
    def chair(self) -> Person:
        return self.people[self.roles.chair.code]

    def of(self, unit: UnitSpec) -> Person:
        return self.people[unit.code]

    def members(self) -> list[Person]:
        """Every representative except the chair's, in block-file order."""
        return [p for p in self.people.values() if p.code != self.chair.code]

    @property
    def late_allowed(self) -> bool:
        return self.spec.late_reports != "refuse"

    def label(self, key: str, /, **params: object) -> str:
        """A button's label as the bot shows it in the block's language."""
        return self.stage.runtime.texts.plain(self.spec.language, key, **params)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return self.stage.clock.at(day, hour, minute)

    async def travel(self, when: datetime) -> None:
        await self.stage.travel(when)

    def criterion_number(self, code: str) -> int:
        return next(n for n, c in enumerate(self.spec.criteria, start=1) if c.code == code)

    def criteria(self, *kinds: str) -> list[CriterionSpec]:
        return [c for c in self.spec.criteria if not kinds or c.kind in kinds]

    def narrate(self, fired: list[Fired]) -> None:
        """Tell the storyline what the bot just did by itself."""
        phases = {p.code: p.name for p in self.spec.phases}
        for item in fired:
            row = item.row
            phase = phases.get(row.subject, row.subject)
            en_off, vi_off = _offset(row.offset)
            text = {
                "phase-start": (f"{phase} begins: the bot posts it in the group",
                                f"Bắt đầu {phase}: bot đăng thời gian, chủ đề, hạn nộp báo cáo "
                                "trong nhóm"),
                "phase-end": (f"{phase} ends: the bot posts how many units reported",
                              f"Kết thúc {phase}: bot thông báo số đơn vị đã nộp báo cáo"),
                "report": (f"reminder {en_off} before the {phase} report deadline",
                           f"Bot nhắc hạn nộp báo cáo {phase} ({vi_off} trước hạn) đến các "
                           "đơn vị chưa nộp"),
                "report-overdue": (f"{phase} report deadline passed: the chair gets the list",
                                   f"Hết hạn nộp báo cáo {phase}: bot gửi Khối trưởng danh sách "
                                   "đơn vị chưa nộp và nhắc đơn vị quá hạn"),
                "ranking": (f"the bot posts the {phase} ranking in the group",
                            f"Sau hạn nộp báo cáo, bot đăng bảng xếp hạng {phase} (tạm tính) "
                            "trong nhóm"),
                "sign": (f"reminder {en_off} before the signing deadline",
                         f"Bot nhắc hạn ký giao ước ({vi_off} trước hạn) đến các đơn vị chưa ký"),
                "sign-overdue": ("signing deadline passed",
                                 "Hết hạn ký giao ước: bot báo Khối trưởng tình hình ký kết"),
            }.get(row.kind, (row.kind, row.kind))
            self.story.event(text[0], text[1], self.group_id)
