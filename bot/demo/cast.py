"""Who plays the year and what they type: representatives, their roles in the story, and
the figures each unit reports. Derived from any block file, deterministically, so two runs
produce the same transcript and a block with other units still gets a sensible year."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bot.blockfile import BlockSpec
from bot.blockfile.model import CriterionSpec, UnitSpec
from bot.formatting import format_number

FIRST_USER_ID = 7_100_000_001
# Representatives' names (Telegram display names as Vietnamese officials set them).
NAMES = (
    "Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Tuấn", "Phạm Thị Hồng", "Hoàng Văn Nam",
    "Võ Thị Thu Hà", "Đặng Quốc Bảo", "Bùi Thị Lan", "Huỳnh Ngọc Sơn", "Ngô Thanh Tâm",
    "Dương Văn Phúc", "Lý Thị Ngọc", "Trịnh Công Minh", "Đỗ Thị Hạnh", "Phan Văn Lợi",
)
SLOGANS = (
    "Kỷ cương, trách nhiệm, hiệu quả, phục vụ",
    "Đoàn kết, sáng tạo, chuyên nghiệp, nêu gương",
    "Chủ động, đổi mới, hành động, hiệu quả",
)
ACHIEVEMENTS = (
    "Triển khai mô hình «Dân vận khéo» tại 12 xã vùng sâu, được Ban Chỉ đạo tỉnh biểu dương.",
    "Hoàn thành số hóa 100% hồ sơ lưu trữ năm 2022; vận hành phần mềm quản lý văn bản mới.",
    "Tổ chức thành công hội thi cán bộ giỏi cấp tỉnh với 85 thí sinh tham gia.",
    "Xây dựng chuyên mục «Gương sáng đời thường», giới thiệu 24 điển hình tiên tiến.",
    "Phối hợp trao 120 suất học bổng cho học sinh nghèo vượt khó.",
    "Ra mắt tổ công tác chuyển đổi số, rút ngắn 30% thời gian xử lý văn bản.",
)


@dataclass
class Person:
    """A representative: a Telegram user of the emulator, linked to one unit."""

    user_id: int
    name: str
    unit: UnitSpec

    @property
    def code(self) -> str:
        return self.unit.code


@dataclass
class Roles:
    """Which unit does what in the story (all distinct when the block has enough units)."""

    chair: UnitSpec
    late_signer: UnitSpec
    late_reporter: UnitSpec
    returned: UnitSpec
    after_reminder: UnitSpec
    form_users: tuple[UnitSpec, ...]
    pledgers: tuple[UnitSpec, ...]
    group_acker: UnitSpec
    silent: tuple[UnitSpec, ...] = field(default_factory=tuple)  # never press «Đã nhận»


def _pick(pool: list[UnitSpec], index: int) -> UnitSpec:
    return pool[index % len(pool)]


def _unique(*units: UnitSpec) -> tuple[UnitSpec, ...]:
    return tuple({u.code: u for u in units}.values())


def cast_roles(spec: BlockSpec) -> Roles:
    chair = next((u for u in spec.units if u.role == "chair"), spec.units[0])
    members = [u for u in spec.units if u is not chair] or [chair]
    taken: set[str] = set()

    def take(index: int) -> UnitSpec:
        """The member at `index`, or the next one with no role yet (small blocks share)."""
        for shift in range(len(members)):
            unit = _pick(members, index + shift)
            if unit.code not in taken:
                taken.add(unit.code)
                return unit
        return _pick(members, index)

    return Roles(
        chair=chair,
        returned=take(-1),
        late_reporter=take(1),
        after_reminder=take(3),
        late_signer=take(-2),
        form_users=_unique(_pick(members, 2), _pick(members, 5)),
        pledgers=_unique(_pick(members, -1), _pick(members, 5), _pick(members, 4)),
        group_acker=_pick(members, 0),
        silent=_unique(_pick(members, 5), _pick(members, 6)),
    )


def cast_people(spec: BlockSpec) -> dict[str, Person]:
    people = {}
    for n, unit in enumerate(spec.units):
        name = NAMES[n % len(NAMES)] + ("" if n < len(NAMES) else f" {n // len(NAMES) + 1}")
        people[unit.code] = Person(FIRST_USER_ID + n, name, unit)
    return people


def _share(*parts: object) -> Decimal:
    """A stable number in [0, 1) from the parts (units differ, runs do not)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def _half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2


def strength(unit: UnitSpec, phase: int) -> Decimal:
    """How well a unit did in a phase: 0.72 .. 0.97."""
    return Decimal("0.72") + _share(unit.code, phase) * Decimal("0.25")


def figure(c: CriterionSpec, unit: UnitSpec, phase: int, target: Decimal | None,
           lang: str) -> str | None:
    """What the unit types for a criterion in a phase (None: it leaves it empty)."""
    level = strength(unit, phase)
    wobble = _share(unit.code, c.code, phase)
    if c.kind == "score" and (c.bonus or c.penalty):
        if c.penalty or wobble < Decimal("0.6"):
            return None  # bonus claims are rare; penalties are the chair's to give
        return format_number(_half(c.max_points * (Decimal("0.4") + wobble / 2)), lang)
    if c.kind == "score":
        return format_number(_half(c.max_points * (level + wobble * Decimal("0.05"))), lang)
    if c.kind == "number":
        base = target or c.target or Decimal(100)
        ratio = Decimal("0.75") + level * Decimal("0.7") + wobble * Decimal("0.1")
        amount = (base * ratio / 1_000_000).quantize(Decimal(1)) * 1_000_000
        return format_number(max(amount, Decimal(1)), lang)
    if c.kind == "percent":
        value = Decimal(80) + level * Decimal(20) - wobble * Decimal(4)
        return format_number(min(value, Decimal(100)).quantize(Decimal("0.1")), lang)
    if c.kind == "yesno":
        yes = "có" if lang == "vi" else "yes"
        no = "không" if lang == "vi" else "no"
        return no if level < Decimal("0.74") else yes
    return ACHIEVEMENTS[int(wobble * len(ACHIEVEMENTS))]


def pledged_target(c: CriterionSpec, unit: UnitSpec) -> Decimal | None:
    """A unit's own, more ambitious target when it pledges one."""
    base = unit.targets.get(c.code) or c.target
    if base is None:
        return None
    if c.kind == "percent":
        return min(Decimal(100), base + 5)
    return (base * Decimal("1.25")).quantize(Decimal(1))
