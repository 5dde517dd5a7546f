"""/pledge's rules: defaults and the unit's own targets, validation, lock after signing."""

from __future__ import annotations

from decimal import Decimal

from bot.services.covenant.pledge import Edit, begin_edit, set_slogan, set_target, view_pledge
from bot.services.covenant.signing import Sign, prepare, sign
from bot.services.covenant.versions import confirm_key, draft_of, publish
from storage import audit
from tests.covenant.conftest import OUTSIDER_TG, World


async def test_defaults_come_from_the_block_file(world: World) -> None:
    bbt, ubkt = world.unit("BBT"), world.unit("UBKT")
    view, locked = await view_pledge(world.db, world.block.id, bbt.id)
    assert not locked
    lines = {line.criterion.code: line for line in view.lines}
    assert set(lines) == {"TIEN_VAN_DONG", "CHUYEN_DOI_SO"}  # number and percent only
    assert lines["TIEN_VAN_DONG"].default == Decimal(100_000_000)
    assert lines["TIEN_VAN_DONG"].own == Decimal(200_000_000)  # BBT's own in the file
    assert lines["CHUYEN_DOI_SO"].own is None
    assert lines["CHUYEN_DOI_SO"].effective == Decimal(90)
    chair_view, _ = await view_pledge(world.db, world.block.id, world.unit("VPTU").id)
    assert chair_view.slogan == "Đoàn kết, đổi mới, kỷ cương, trách nhiệm, chuyên nghiệp"
    ubkt_view, _ = await view_pledge(world.db, world.block.id, ubkt.id)
    assert ubkt_view.slogan is None


async def test_representative_sets_slogan_and_targets(world: World) -> None:
    ubkt = world.unit("UBKT")
    tg = world.rep("UBKT")
    result = await set_slogan(world.db, world.clock, block_id=world.block.id, unit_id=ubkt.id,
                              tg_user_id=tg, text="  Kỷ cương,   liêm chính ")
    assert result.outcome is Edit.SAVED
    assert result.pledge is not None and result.pledge.slogan == "Kỷ cương, liêm chính"
    money = next(c for c in world.tree.criteria if c.code == "TIEN_VAN_DONG")
    result = await set_target(world.db, world.clock, block_id=world.block.id, unit_id=ubkt.id,
                              tg_user_id=tg, criterion_id=money.id, raw="150.000.000",
                              lang="vi")
    assert result.outcome is Edit.SAVED
    view, _ = await view_pledge(world.db, world.block.id, ubkt.id)
    line = next(x for x in view.lines if x.criterion.code == "TIEN_VAN_DONG")
    assert line.own == Decimal(150_000_000)
    assert view.slogan == "Kỷ cương, liêm chính"
    # a second setup run (block file unchanged) does not undo what the unit registered
    await world.resetup()
    view, _ = await view_pledge(world.db, world.block.id, ubkt.id)
    assert view.slogan == "Kỷ cương, liêm chính"


async def test_bad_input_changes_nothing(world: World) -> None:
    ubkt = world.unit("UBKT")
    common = {"block_id": world.block.id, "unit_id": ubkt.id, "tg_user_id": world.rep("UBKT")}
    money = next(c for c in world.tree.criteria if c.code == "TIEN_VAN_DONG")
    percent = next(c for c in world.tree.criteria if c.code == "CHUYEN_DOI_SO")
    bad = await set_target(world.db, world.clock, criterion_id=money.id, raw="1.5", lang="vi",
                           **common)
    assert bad.outcome is Edit.BAD_NUMBER and bad.suggestion
    over = await set_target(world.db, world.clock, criterion_id=percent.id, raw="120",
                            lang="vi", **common)
    assert over.outcome is Edit.OUT_OF_RANGE
    score = next(c for c in world.tree.criteria if c.kind == "score")
    wrong = await set_target(world.db, world.clock, criterion_id=score.id, raw="5", lang="vi",
                             **common)
    assert wrong.outcome is Edit.UNKNOWN_CRITERION
    empty = await set_slogan(world.db, world.clock, text="   ", **common)
    assert empty.outcome is Edit.EMPTY
    long = await set_slogan(world.db, world.clock, text="x" * 400, **common)
    assert long.outcome is Edit.TOO_LONG
    view, _ = await view_pledge(world.db, world.block.id, ubkt.id)
    assert view.slogan is None and all(line.own is None for line in view.lines)


async def test_someone_else_cannot_edit_and_is_audited(world: World) -> None:
    ubkt = world.unit("UBKT")
    for tg in (OUTSIDER_TG, world.rep("BBT")):
        result = await begin_edit(world.db, world.clock, block_id=world.block.id,
                                  tg_user_id=tg, unit_id=ubkt.id, criterion_id=None)
        assert result.outcome is Edit.NOT_MEMBER
        typed = await set_slogan(world.db, world.clock, block_id=world.block.id,
                                 unit_id=ubkt.id, tg_user_id=tg, text="Chiếm quyền")
        assert typed.outcome is Edit.NOT_MEMBER
    async with world.db.read() as conn:
        refused = await audit.entries(conn, block_id=world.block.id, action="pledge.refused")
    assert [e.actor_tg_id for e in refused] == [OUTSIDER_TG, world.rep("BBT")]
    view, _ = await view_pledge(world.db, world.block.id, ubkt.id)
    assert view.slogan is None


async def test_locked_once_signed(world: World) -> None:
    draft = draft_of(world.block)
    assert draft is not None
    await publish(world.db, world.clock, world.texts, block_id=world.block.id,
                  actor_tg_id=world.rep("VPTU"), expected=confirm_key(draft), round_key="t")
    ubkt, tg = world.unit("UBKT"), world.rep("UBKT")
    ready = await prepare(world.db, world.clock, tg_user_id=tg, block_id=world.block.id)
    assert ready.outcome is Sign.READY and ready.version is not None
    done = await sign(world.db, world.clock, world.texts, version_id=ready.version.id,
                      unit_id=ubkt.id, tg_user_id=tg, signer_name="A", expected=ready.confirm_key)
    assert done.outcome is Sign.SIGNED
    _, locked = await view_pledge(world.db, world.block.id, ubkt.id)
    assert locked
    result = await set_slogan(world.db, world.clock, block_id=world.block.id, unit_id=ubkt.id,
                              tg_user_id=tg, text="Muộn rồi")
    assert result.outcome is Edit.LOCKED
    pressed = await begin_edit(world.db, world.clock, block_id=world.block.id, tg_user_id=tg,
                               unit_id=ubkt.id, criterion_id=None)
    assert pressed.outcome is Edit.LOCKED
