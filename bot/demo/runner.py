"""run_demo(): set the stage, play the year, write transcript.html, charts, workbooks and
summary.txt, and say where they are."""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.blockfile import load_block_file
from bot.demo import helper, outputs
from bot.demo.cast import cast_people, cast_roles
from bot.demo.chatlog import ChatInfo, ChatRenderer
from bot.demo.clock import DemoClock
from bot.demo.media import draw_off_loop
from bot.demo.page import PageInput, render_page
from bot.demo.play import Play
from bot.demo.stage import Stage
from bot.demo.story import Story
from bot.demo.year import play_year, setup_moment
from storage.db import Database

EXAMPLE_NAME = "khoi-thi-dua-6.toml"
DEFAULT_OUT = Path("demo-output")
ROLE_TITLES = {"vi": {"chair": " – Khối trưởng", "vice_chair": " – Khối phó"},
               "en": {"chair": " – chair", "vice_chair": " – vice-chair"}}


def default_block_file() -> Path:
    """The example block: from the source tree when run there, else the copy shipped
    inside the package (bot/demo/khoi-thi-dua-6.toml), so an installed package works."""
    source = Path(__file__).resolve().parents[2] / "deploy" / "examples" / EXAMPLE_NAME
    if source.is_file():
        return source
    return Path(str(resources.files("bot.demo").joinpath(EXAMPLE_NAME)))


@dataclass
class DemoResult:
    out: Path
    transcript: Path
    summary: Path
    charts: list[Path]
    workbooks: list[Path]
    seconds: float
    messages: int
    facts: outputs.Facts
    failed_updates: list[str] = field(default_factory=list)  # the bot's error handler's
    problems: list[str] = field(default_factory=list)  # warnings and errors it logged
    gaps: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    """Keeps the bot's warnings for the summary instead of printing them mid-story."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def _chats(play: Play) -> list[ChatInfo]:
    chair = play.chair
    lang = play.spec.language
    group = ChatInfo(play.group_id, "chat-group", f"{'Nhóm' if lang == 'vi' else 'Group'} "
                     f"«{play.spec.name} – năm {play.spec.year}»",
                     "Nhóm Telegram của Khối: bot đăng thông báo, nhắc hạn, bảng xếp hạng"
                     if lang == "vi" else "The block's group: notices, reminders, rankings",
                     "Nhóm" if lang == "vi" else "Group")
    people = [chair] + [p for p in play.people.values() if p is not chair]
    chats = [group]
    for person in people:
        role = ROLE_TITLES[lang if lang in ROLE_TITLES else "vi"].get(person.unit.role, "")
        chats.append(ChatInfo(
            person.user_id, f"chat-{person.code.lower()}",
            f"{person.unit.name} ({person.code}){role}",
            (f"Tin nhắn riêng giữa {person.name}, đại diện {person.unit.name}, và bot"
             if lang == "vi" else f"Private chat of {person.name} ({person.unit.name}) "
             "with the bot"),
            person.code))
    return chats


async def run_demo(block_file: Path | None = None, out: Path = DEFAULT_OUT, speed: float = 1.0,
                   stream: TextIO | None = None) -> DemoResult:
    began = time.monotonic()
    path = block_file or default_block_file()
    spec = load_block_file(path)
    await asyncio.to_thread(outputs.prepare, out)
    tz = ZoneInfo(spec.timezone)
    clock = DemoClock(setup_moment(datetime.combine(spec.phases[0].start, datetime.min.time(),
                                                    tz)), tz)
    story = Story(speed=speed, out=stream, clock=clock.local)
    print(f"thidua-bot demo: {spec.name} ({spec.code}), a year played offline", file=stream
          or sys.stdout)
    collect = _Collect()
    root = logging.getLogger()
    root.addHandler(collect)
    media = asyncio.create_task(draw_off_loop(spec.name, spec.year))
    with tempfile.TemporaryDirectory(prefix="thidua-demo-") as tmp:
        stage = Stage(spec, Path(tmp), clock)
        try:
            await stage.open_emulator()
            db = Database(stage.settings().database_url)
            try:
                block_id = await helper.setup_block(db, spec, clock, story, path)
                tokens = await helper.invite_units(db, spec, clock, story,
                                                   stage.emu.bot_user["username"])
            finally:
                await db.close()
            await stage.start_bot()
            play = Play(stage, story, spec, cast_people(spec), cast_roles(spec), await media,
                        tokens=tokens, block_id=block_id)
            stage.on_fired = play.narrate
            for person in play.people.values():
                stage.emu.add_user(person.user_id, person.name)
            await play_year(play)
            chats = _chats(play)
            await helper.export_covenant(stage.db, spec, story, out)
            facts = await outputs.gather_facts(stage, block_id)
            result = _write(stage, play, chats, facts, out, began)
            result.failed_updates = list(stage.runtime.failed_updates)
        finally:
            if not media.done():
                media.cancel()
            await stage.stop()
            root.removeHandler(collect)
    result.problems = collect.lines
    result.gaps = list(story.gaps)
    return result


def _write(stage: Stage, play: Play, chats: list[ChatInfo], facts: outputs.Facts, out: Path,
           began: float) -> DemoResult:
    spec, tz = play.spec, stage.clock.tz
    units = {p.user_id: p.code for p in play.people.values()}
    renderer = ChatRenderer(stage.emu, tz, spec.language, units)
    start = play.story.scenes[0].when if play.story.scenes else stage.clock.local()
    page = render_page(PageInput(block=spec.name, year=spec.year, tz=spec.timezone,
                                 lang=spec.language, chats=chats, story=play.story, start=start,
                                 end=stage.clock.local(), made=datetime.now(UTC).astimezone(tz)),
                       renderer)
    transcript = out / "transcript.html"
    transcript.write_text(page, encoding="utf-8")
    charts, books = outputs.save_files(stage, out, chats)
    books += sorted(out.glob("giao-uoc-*.xlsx"))
    counts: dict[str, tuple[int, int]] = {}
    total = 0
    for chat in chats:
        log = [e for e in stage.emu.chat_log(chat.chat_id) if not e.get("deleted")]
        bot = sum(1 for e in log if e["kind"] == "bot")
        people = sum(1 for e in log if e["kind"] == "user")
        counts[chat.title] = (bot, people)
        total += bot + people
    facts.chats = counts
    seconds = time.monotonic() - began
    summary = out / "summary.txt"
    files = [transcript, *charts, *books, summary]
    summary.write_text(outputs.summary_text(stage, play.story, facts, counts, files, seconds),
                       encoding="utf-8")
    return DemoResult(out=out, transcript=transcript, summary=summary, charts=charts,
                      workbooks=books, seconds=seconds, messages=total, facts=facts)
