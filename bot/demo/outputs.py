"""What the demo leaves in its output folder besides the transcript: the charts and the
workbooks the bot sent, and summary.txt (read from the bot's own services, not guessed)."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from bot.demo.chatlog import ChatInfo
from bot.demo.stage import Stage
from bot.demo.story import Story
from bot.formatting import format_points
from bot.services.covenant.record import RecordProblem, signing_record
from bot.services.ranking.scoreboard import load_scoreboard
from storage import reminders as reminders_repo
from storage.blocks import get_block_by_code

OLD_OUTPUTS = ("bang-tong-hop-*.xlsx", "giao-uoc-*.xlsx", "transcript.html", "summary.txt")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
NOTICE_KINDS = ("phase-start", "phase-end", "ranking")  # rounds that post, not remind


@dataclass
class Facts:
    """The year's outcome, from the bot's database after the last scene."""

    reminders: list[str] = field(default_factory=list)  # one line per round sent
    reminder_rounds: int = 0
    units_reminded: int = 0
    signed: str = "no covenant"
    reports: list[str] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)
    chats: dict[str, tuple[int, int]] = field(default_factory=dict)  # title -> (bot, people)


def prepare(out: Path) -> None:
    """Create the folder; files of an earlier run would be mistaken for this one's."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "charts", ignore_errors=True)
    for pattern in OLD_OUTPUTS:
        for path in out.glob(pattern):
            path.unlink()


def save_files(stage: Stage, out: Path, chats: list[ChatInfo]) -> tuple[list[Path], list[Path]]:
    """Every chart (PNG photo) and workbook (xlsx) the bot sent, once each."""
    charts: list[Path] = []
    books: list[Path] = []
    seen: set[str] = set()
    names = {c.chat_id: "group" if c.chat_id < 0 else SAFE_NAME.sub("-", c.short).lower()
             for c in chats}
    for sent in stage.emu.sent_messages():
        data = sent.file_bytes
        if data is None or (digest := hashlib.sha256(data).hexdigest()) in seen:
            continue
        seen.add(digest)
        stamp = datetime.fromtimestamp(sent.date, stage.clock.tz)
        if sent.kind == "photo" and data.startswith(b"\x89PNG"):
            folder = out / "charts"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / (f"{len(charts) + 1:02d}-{stamp:%Y-%m-%d}-"
                             f"{names.get(sent.chat_id, 'chat')}.png")
            path.write_bytes(data)
            charts.append(path)
        elif sent.kind == "document" and str(sent.file and sent.file.filename).endswith(".xlsx"):
            assert sent.file is not None and sent.file.filename
            path = out / SAFE_NAME.sub("-", sent.file.filename)
            path.write_bytes(data)
            books.append(path)
    return charts, books


async def gather_facts(stage: Stage, block_id: int) -> Facts:
    facts = Facts()
    spec, tz, lang = stage.spec, stage.clock.tz, stage.spec.language
    async with stage.db.read() as conn:
        rows = await reminders_repo.all_rows(conn, block_id)
        block = await get_block_by_code(conn, spec.code)
    for row in sorted(rows, key=lambda r: r.due_at):
        if row.state != "sent":
            continue
        facts.reminder_rounds += 1
        when = row.due_at.astimezone(tz)
        what = f"{row.kind} {row.subject}" + (f" {row.offset}" if row.offset else "")
        if row.kind in NOTICE_KINDS:
            effect = "posted in the group"
        elif row.recipients:
            facts.units_reminded += row.recipients
            effect = f"{row.recipients} unit(s) reminded"
        else:
            effect = "nobody left to remind"
        facts.reminders.append(f"{when:%d/%m/%Y %H:%M}  {what:<24} {effect}")
    try:
        record = await signing_record(stage.db, spec.code)
        done = sum(1 for r in record.current if r.signed_at is not None)
        facts.signed = f"{done}/{len(record.current)} units signed"
    except RecordProblem as exc:
        facts.signed = str(exc)
    assert block is not None
    board = await load_scoreboard(stage.db, block)
    for phase in board.phases:
        states = [r.status for r in board.phase_results(phase.id)]
        late = sum(1 for r in board.phase_results(phase.id) if r.report and r.report.late)
        facts.reports.append(
            f"{phase.code}: {sum(s != 'none' for s in states)}/{len(states)} reported, "
            f"{states.count('appraised')} appraised, {late} late")
    facts.ranking = await _ranking(stage, block, board, lang)
    return facts


async def _ranking(stage: Stage, block: object, board: object, lang: str) -> list[str]:
    """The year's ranking as the bot computes it (its ranking service, when present)."""
    try:
        from bot.services.ranking.rank import load_ranking, pick_period
    except ImportError:  # a build without the ranking feature: rank the year totals
        return _by_totals(board, lang)
    from storage.blocks import load_tree

    async with stage.db.read() as conn:
        tree = await load_tree(conn, block)  # type: ignore[arg-type]
    period = pick_period(tree, stage.clock.now(), "year")
    if period is None:
        return _by_totals(board, lang)
    ranking = await load_ranking(stage.db, block, period)  # type: ignore[arg-type]
    return [f"{s.rank:>2}. {s.unit.code:<8} {s.unit.name:<45} {format_points(s.total, lang)}"
            for s in ranking.standings]


def _by_totals(board: object, lang: str) -> list[str]:
    from bot.services.ranking.scoreboard import Scoreboard

    assert isinstance(board, Scoreboard)
    totals = sorted(((board.year(u.id).total, u) for u in board.tree.units),
                    key=lambda item: (-item[0], item[1].code))
    lines, rank, previous = [], 0, Decimal(-1)
    for n, (total, unit) in enumerate(totals, start=1):
        rank = rank if total == previous else n
        previous = total
        lines.append(f"{rank:>2}. {unit.code:<8} {unit.name:<45} {format_points(total, lang)}")
    return lines


def summary_text(stage: Stage, story: Story, facts: Facts, counts: dict[str, tuple[int, int]],
                 files: list[Path], seconds: float) -> str:
    spec = stage.spec
    first = story.scenes[0].when if story.scenes else stage.clock.local()
    lines = [f"thidua-bot demo – {spec.name} ({spec.code}), simulated "
             f"{first:%d/%m/%Y} – {stage.clock.local():%d/%m/%Y}, run in {seconds:.1f} s", "",
             "Messages per chat (bot / people):"]
    for title, (bot, people) in counts.items():
        lines.append(f"  {bot:>4} / {people:<4} {title}")
    lines += ["", f"Scheduled rounds sent by the bot: {facts.reminder_rounds} "
                  f"({facts.units_reminded} reminders to units)"]
    lines += [f"  {line}" for line in facts.reminders]
    lines += ["", f"Covenant: {facts.signed}", "Reports:"]
    lines += [f"  {line}" for line in facts.reports]
    lines += ["", f"Final ranking, year {spec.year}:"]
    lines += [f"  {line}" for line in facts.ranking]
    if story.gaps:
        lines += ["", "Skipped:"] + [f"  {gap}" for gap in story.gaps]
    lines += ["", "Files:"] + [f"  {_shown(path)}" for path in files]
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    return f"charts/{path.name}" if path.parent.name == "charts" else path.name
