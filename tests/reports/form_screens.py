"""Every screen of the report form, as a representative's phone shows it, through the
emulator: visited by pressing every button of the form (whatever the form looks like),
typing a value for each criterion, submitting; then the chair's report screen.

    .venv/bin/python -m tests.reports.form_screens        # a table per block

tests/reports/test_form_fits_a_phone.py holds every screen to PHONE_LINES and PHONE_CHARS.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bot.blockfile.model import CriterionSpec
from bot.sandbox import SentMessage
from tests.e2e.harness import EXAMPLE_BLOCK, BotHarness, Person

BLOCKS = Path(__file__).resolve().parent / "blocks"
FIFTEEN = BLOCKS / "khoi-15-tieu-chi.toml"
# A screen people read on a phone (issue 18): one phone screen, no scrolling.
PHONE_LINES = 20
PHONE_CHARS = 1000
NARRATIVE = ("Đơn vị triển khai mô hình «Dân vận khéo» tại 12 khu phố, tổ chức 3 đợt trao quà "
             "cho hộ nghèo, ra mắt chuyên mục mới trên cổng thông tin điện tử; kết quả được "
             "Ban Thường vụ Tỉnh ủy biểu dương và đề nghị nhân rộng trong toàn tỉnh. ") * 2
# Buttons of the form that are pressed to reach its screens ("rp:"); the final confirmation
# is pressed once, at the end, not while exploring.
FORM = "rp:"
CONFIRM = "rp:k:"


@dataclass(frozen=True)
class Screen:
    kind: str  # how it was reached
    label: str  # the button pressed or what was typed
    text: str  # what the phone shows (tags parsed away)

    @property
    def lines(self) -> int:
        return self.text.count("\n") + 1

    @property
    def chars(self) -> int:
        return len(self.text)


def typed_value(c: CriterionSpec) -> str:
    """A value of the criterion as a representative types it (Vietnamese style)."""
    if c.kind == "score":
        return str(c.max_points * 3 // 4).replace(".", ",")
    if c.kind == "number":
        return f"{int((c.target or Decimal(100)) * Decimal('1.2')):,}".replace(",", ".")
    if c.kind == "percent":
        return "87,5"
    if c.kind == "yesno":
        return "có"
    return NARRATIVE


def _buttons(message: SentMessage) -> list[tuple[str, str]]:
    return [(str(b.get("text", "")), str(b.get("callback_data", "")))
            for b in message.buttons if "callback_data" in b]


class Visit:
    """A representative (or the chair) going through the screens, noting each one."""

    def __init__(self, h: BotHarness, person: Person) -> None:
        self.h, self.person = h, person
        self.screens: list[Screen] = []

    def _fresh(self, after: int, pressed: SentMessage | None, edits: int) -> list[SentMessage]:
        chat = self.h.emu.sent_messages(self.person.user_id)
        shown = [m for m in chat if m.message_id > after]
        if pressed is not None and len(pressed.versions) > edits:
            shown.insert(0, pressed)
        return shown

    def _last_id(self) -> int:
        chat = self.h.emu.sent_messages(self.person.user_id)
        return chat[-1].message_id if chat else 0

    async def say(self, text: str, kind: str) -> list[SentMessage]:
        after = self._last_id()
        self.h.emu.send_text(self.person.user_id, text)
        await self.h.emu.wait_for_message(self.person.user_id)
        await self.h.emu.wait_idle(quiet=0.05)
        shown = self._fresh(after, None, 0)
        self.note(kind, text[:30], shown)
        return shown

    async def press(self, message: SentMessage, label: str, data: str, kind: str
                    ) -> list[SentMessage]:
        after, edits = self._last_id(), len(message.versions)
        await self.h.press(self.person, message, data)
        await self.h.emu.wait_idle(quiet=0.05)
        shown = self._fresh(after, message, edits)
        self.note(kind, label, shown)
        return shown

    def note(self, kind: str, label: str, shown: Iterable[SentMessage]) -> None:
        for message in shown:
            self.screens.append(Screen(kind, label, message.text or ""))

    async def explore(self, start: Iterable[SentMessage], kind: str,
                      skip: tuple[str, ...] = (CONFIRM,)) -> None:
        """Press every form button reachable from `start`, once per distinct data."""
        seen: set[str] = set()
        todo = [(m, label, data) for m in start for label, data in _buttons(m)]
        while todo:
            message, label, data = todo.pop(0)
            if not data.startswith(FORM) or data.startswith(skip) or data in seen:
                continue
            seen.add(data)
            shown = await self.press(message, label, data, kind)
            # The pressed message may now be another screen: its buttons are the new ones.
            todo += [(m, lb, d) for m in shown for lb, d in _buttons(m)]


def newest_with(messages: Iterable[SentMessage], prefix: str) -> SentMessage | None:
    found = [m for m in messages if any(d.startswith(prefix) for _, d in _buttons(m))]
    return found[-1] if found else None


async def fill_by_form(visit: Visit, criteria: tuple[CriterionSpec, ...]) -> None:
    """Press each criterion's button wherever the form shows it and answer it."""
    h, user = visit.h, visit.person.user_id
    for c in criteria:
        ids = await _criterion_ids(h)
        chat = [m for m in h.emu.sent_messages(user) if not m.deleted]
        target = f"rp:c:{ids['phase']}:{ids[c.code]}"
        holder = next((m for m in reversed(chat)
                       if any(d == target for _, d in _buttons(m))), None)
        if holder is None:  # the criterion sits on another page: open it from the form
            holder = await _page_with(visit, target)
        label = next(lb for lb, d in _buttons(holder) if d == target)
        shown = await visit.press(holder, label, target, "criterion")
        if c.kind == "yesno":
            question = newest_with(shown, "rp:y:") or holder
            yes = next((lb, d) for lb, d in _buttons(question)
                       if d.startswith("rp:y:") and d.endswith(":1"))
            await visit.press(question, yes[0], yes[1], "saved")
        else:
            await visit.say(typed_value(c), "saved")


async def _page_with(visit: Visit, target: str) -> SentMessage:
    """Open the form and its pages (any form button that opens one) until `target` shows."""
    shown = await visit.say("/report", "form")
    for message in shown:
        if any(d == target for _, d in _buttons(message)):
            return message
        for label, data in [b for b in _buttons(message) if b[1].startswith("rp:g:")]:
            for fresh in await visit.press(message, label, data, "page"):
                if any(d == target for _, d in _buttons(fresh)):
                    return fresh
    raise AssertionError(f"no screen of the form shows {target}")


async def _criterion_ids(h: BotHarness) -> dict[str, int]:
    from storage import blocks as blocks_repo

    async with h.db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, h.spec.code)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
    return {"phase": tree.phases[0].id, **{c.code: c.id for c in tree.criteria}}


async def measure(block_file: Path, tmp: Path) -> list[Screen]:
    """Every screen a representative and the chair see of one report, in order."""
    h = BotHarness(tmp, block_file=block_file)
    await h.start()
    try:
        chair_code = next(u.code for u in h.spec.units if u.role == "chair")
        member_code = next(u.code for u in h.spec.units if u.role == "member")
        chair = await h.register(chair_code)
        rep = await h.register(member_code)
        visit = Visit(h, rep)
        await visit.explore(await visit.say("/report", "form"), "empty form")
        await fill_by_form(visit, h.spec.criteria)
        await visit.explore(await visit.say("/report", "form"), "filled form")
        form = await visit.say("/report", "form")
        preview = newest_with(form, "rp:s:")
        assert preview is not None
        label, data = next((lb, d) for lb, d in _buttons(preview) if d.startswith("rp:s:"))
        shown = await visit.press(preview, label, data, "submit")
        confirm = newest_with(shown, CONFIRM)
        assert confirm is not None, [s.text for s in shown]
        label, data = next((lb, d) for lb, d in _buttons(confirm) if d.startswith(CONFIRM))
        await visit.press(confirm, label, data, "submitted")
        await h.settle()
        review = Visit(h, chair)
        overview = await review.say("/review", "review list")
        unit = next((lb, d) for m in overview for lb, d in _buttons(m)
                    if d.startswith("rv:u:"))
        detail = (await review.press(overview[-1], unit[0], unit[1], "review report"))[-1]
        await appraise_one(review, detail)
        return visit.screens + review.screens
    finally:
        await h.stop()


async def appraise_one(review: Visit, detail: SentMessage) -> None:
    """The chair's pages of the report, a lowered score (points, then the reason asked
    for), and the acceptance that moves on."""
    pages = [(lb, d) for lb, d in _buttons(detail) if d.startswith("rv:p:")]
    for label, data in pages:
        await review.press(detail, label, data, "review page")
    edit = next((lb, d) for lb, d in _buttons(detail) if d.startswith("rv:c:"))
    await review.press(detail, edit[0], edit[1], "review points")
    await review.say("0", "review reason")
    shown = await review.say("Chưa đủ minh chứng", "review saved")
    page = newest_with(shown, "rv:a:")
    assert page is not None
    accept = next((lb, d) for lb, d in _buttons(page) if d.startswith("rv:a:"))
    await review.press(page, accept[0], accept[1], "review accepted")


def table(name: str, screens: list[Screen]) -> str:
    rows = [f"{name}", f"{'reached by':<14} {'pressed / typed':<32} {'lines':>5} {'chars':>6}"]
    for s in screens:
        mark = " *" if s.lines > PHONE_LINES or s.chars > PHONE_CHARS else ""
        rows.append(f"{s.kind:<14} {s.label[:32]:<32} {s.lines:>5} {s.chars:>6}{mark}")
    worst_lines = max(s.lines for s in screens)
    worst_chars = max(s.chars for s in screens)
    over = sum(1 for s in screens if s.lines > PHONE_LINES or s.chars > PHONE_CHARS)
    rows.append(f"{len(screens)} screens, at most {worst_lines} lines and {worst_chars} "
                f"characters; {over} over {PHONE_LINES} lines / {PHONE_CHARS} characters (*)")
    return "\n".join(rows)


async def _main(files: list[Path]) -> None:
    for block_file in files:
        with tempfile.TemporaryDirectory() as tmp:
            screens = await measure(block_file, Path(tmp))
        print(table(block_file.name, screens), end="\n\n")


if __name__ == "__main__":
    asyncio.run(_main([Path(a) for a in sys.argv[1:]] or [EXAMPLE_BLOCK, FIFTEEN]))
