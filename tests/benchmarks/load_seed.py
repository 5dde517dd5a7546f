"""The province the load benchmark runs against: N blocks × 13 units × 3 representatives.

Everything is written through the services and repositories the bot itself uses (block
setup, members, covenant versions and signatures, `CODE: value` report lines, a notice
asking for "received"), so the database looks like one a real deployment grows, an hour
before the phase-1 report deadline. `Province` tells the driver who is who.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.blockfile import BlockSpec, load_block_file
from bot.blockfile.model import PhaseSpec, RemindersSpec, UnitSpec
from bot.config import load_settings
from bot.runtime import Runtime
from bot.services.access import resolve_caller
from bot.services.announce.notices import Content, Draft, send_announcement
from bot.services.clock import SystemClock
from bot.services.covenant.hash import covenant_text, sha256_hex, signed_text
from bot.services.covenant.pledge import load_unit_pledge
from bot.services.covenant.versions import draft_of
from bot.services.reports.lines import save_lines
from bot.services.setup import apply_block_spec
from bot.texts import catalog
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage import members as members_repo
from storage.db import Database
from storage.migrate import upgrade_database
from storage.records import Block

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "examples" / "khoi-thi-dua-6.toml"
UNITS_PER_BLOCK = 13
REPS_PER_UNIT = 3
FIRST_USER = 10_000_000
FIRST_GROUP = -1_001_000_000_000
TZ = "Asia/Ho_Chi_Minh"
# "The hour before a report deadline" (issue 8) is when a block is busiest.
DUE_IN = timedelta(hours=2)
NOTICE_MARKER = "Đề nghị các đơn vị nộp báo cáo sơ kết Đợt 1 trước hạn."


def user_id(block: int, unit: int, rep: int) -> int:
    return FIRST_USER + block * 1000 + unit * 10 + rep


def seat_of(user: int) -> tuple[int, int]:
    """(block, unit) indexes of a representative's user id."""
    offset = user - FIRST_USER
    return offset // 1000, offset % 1000 // 10


def report_lines(block: int, unit: int) -> list[str]:
    """The `CODE: value` lines that half-fill the unit's phase-1 report (the first four
    criteria). The stream sends them again, so its writes keep every score, hence every
    ranking chart, as it is: /ranking stays cached, only the chart kind meant to be drawn
    is drawn."""
    n = block * UNITS_PER_BLOCK + unit
    return [f"NV_CHINH_TRI: {25 + n % 16}", f"TIEN_VAN_DONG: {50 + n * 7 % 150}.000.000",
            f"CHUYEN_DOI_SO: {60 + n * 3 % 41}", "HOAT_DONG_CHUNG: có"]


def group_id(block: int) -> int:
    return FIRST_GROUP - block


@dataclass(frozen=True)
class Rep:
    user_id: int
    name: str
    block: int  # index, 0-based
    unit: int  # index in the block; 0 is the chair unit


@dataclass
class Province:
    blocks: int
    reps: list[Rep] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # the criteria codes of every block

    @property
    def notice_copies(self) -> int:
        """Copies of the seeded notices: every representative but its author, and the group."""
        return self.blocks * UNITS_PER_BLOCK * REPS_PER_UNIT

    def groups(self) -> list[tuple[int, str, list[int]]]:
        """(chat id, title, member user ids) of every block's group."""
        return [
            (group_id(b), f"Khối thi đua {b + 1:02d}",
             [r.user_id for r in self.reps if r.block == b])
            for b in range(self.blocks)
        ]


def block_spec(example: BlockSpec, index: int, now: datetime) -> BlockSpec:
    """Block `index` of the province: the example's criteria and covenant, 13 units, phase 1
    running with its report due in two hours, phase 2 after it; no automatic reminders
    (they would make the stream depend on the minute it runs)."""
    tz = ZoneInfo(TZ)
    today = now.astimezone(tz).date()
    due = (now + DUE_IN).astimezone(tz).replace(second=0, microsecond=0)
    end1 = max(today, due.date()) + timedelta(days=30)
    phases = (
        PhaseSpec("DOT1", "Đợt 1", today - timedelta(days=150), end1, due),
        PhaseSpec("DOT2", "Đợt 2", end1 + timedelta(days=1), end1 + timedelta(days=180),
                  datetime.combine(end1 + timedelta(days=170), time(17), tzinfo=tz)),
    )
    units = tuple(
        UnitSpec(
            code=f"DV{u + 1:02d}",
            name=f"Đơn vị {u + 1:02d} – Khối {index + 1:02d}",
            role="chair" if u == 0 else "vice_chair" if u == 1 else "member",
            targets={"TIEN_VAN_DONG": Decimal(150_000_000)} if u % 4 == 3 else {},
        )
        for u in range(UNITS_PER_BLOCK)
    )
    covenant = example.covenant
    if covenant is not None:
        covenant = replace(covenant, sign_by=now - timedelta(days=60))
    return replace(
        example, code=f"KTD{index + 1:02d}-{today.year}", name=f"Khối thi đua {index + 1:02d}",
        year=today.year, units=units, phases=phases, covenant=covenant,
        reminders=RemindersSpec(before_report_due=(), before_sign_by=(), group_summary=False),
    )


async def seed(db_url: str, blocks: int, *, api_url: str = "http://127.0.0.1:9") -> Province:
    """Create the province in a fresh database; the notices wait in the outbox for the bot."""
    clock = SystemClock()
    now = clock.now()
    example = load_block_file(EXAMPLE)
    province = Province(blocks, codes=[c.code for c in example.criteria])
    db = Database(db_url)
    try:
        await upgrade_database(db)
        settings = load_settings(BOT_TOKEN="123456:TEST-TOKEN", BOT_API_URL=api_url,
                                 DATABASE_URL=db_url, BOT_ADMIN_IDS="")
        runtime = Runtime(settings=settings, db=db, clock=clock, texts=catalog())
        for b in range(blocks):
            spec = block_spec(example, b, now)
            report = await apply_block_spec(db, spec, clock)
            async with db.transaction() as conn:
                block = await blocks_repo.get_block(conn, report.block_id)
                assert block is not None
                await blocks_repo.bind_group(conn, block.id, group_id(b))
                tree = await blocks_repo.load_tree(conn, block)
                for u, unit in enumerate(tree.units):
                    for r in range(REPS_PER_UNIT):
                        rep = Rep(user_id(b, u, r), f"Cán bộ {b + 1}.{u + 1}.{r + 1}", b, u)
                        province.reps.append(rep)
                        await members_repo.add_member(
                            conn, block_id=block.id, unit_id=unit.id, tg_user_id=rep.user_id,
                            full_name=rep.name, username=None, language_code="vi", now=now,
                        )
                await _sign_covenant(conn, block.id, b, now)
            block = await _reload(db, report.block_id)
            for u, unit in enumerate(tree.units):
                await save_lines(db, clock, block=block, unit=unit, actor_tg_id=user_id(b, u, 0),
                                 text="\n".join(report_lines(b, u)), lang="vi")
            chair = await resolve_caller(db, tg_user_id=user_id(b, 0, 0), admin_ids=frozenset(),
                                         default_language="vi")
            await send_announcement(runtime.db, runtime.clock, runtime.texts, chair,
                                    Draft(Content("text", NOTICE_MARKER)))
    finally:
        await db.close()
    return province


async def _reload(db: Database, block_id: int) -> Block:
    async with db.read() as conn:
        block = await blocks_repo.get_block(conn, block_id)
    assert block is not None
    return block


async def _sign_covenant(conn: AsyncConnection, block_id: int, index: int,
                         now: datetime) -> None:
    """Publish the block's covenant and let every unit sign it, straight into storage: the
    publish and sign services would queue ~1,600 messages that are not this benchmark's
    subject (tests/benchmarks/broadcast.py measures sending)."""
    block = await blocks_repo.get_block(conn, block_id)
    assert block is not None
    draft = draft_of(block)
    if draft is None:
        return
    text = covenant_text(draft)
    signed_at = now - timedelta(days=70)
    version = await covenant_repo.add_version(
        conn, block_id=block.id, language=block.language, title=draft.title,
        content=draft.as_dict(), text=text, text_hash=sha256_hex(text),
        now=signed_at - timedelta(days=10), by_tg_id=None, reason="publish",
    )
    tree = await blocks_repo.load_tree(conn, block)
    for u, unit in enumerate(tree.units):
        pledge = (await load_unit_pledge(conn, tree, unit)).content()
        signed = signed_text(version.text, pledge, version.language)
        await covenant_repo.add_signature(
            conn, block_id=block.id, version_id=version.id, unit_id=unit.id,
            signer_tg_id=user_id(index, u, 0), signer_name=f"Cán bộ {index + 1}.{u + 1}.1",
            signed_at=signed_at,
            pledge=pledge.as_dict(), signed_text=signed, text_hash=sha256_hex(signed),
        )
