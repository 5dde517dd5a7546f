"""Publishing and signing through the services: k/N, idempotence, rights, new versions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.services.covenant.pledge import set_slogan
from bot.services.covenant.signing import Sign, prepare, sign
from bot.services.covenant.versions import Publish, load_state
from storage import audit
from storage import blocks as blocks_repo
from storage import covenant as covenant_repo
from storage import progress as progress_repo
from storage.covenant.tables import covenant_signatures
from storage.tables import members, units
from tests.covenant.conftest import BBT2_TG, GROUP_ID, OUTSIDER_TG, World
from tests.covenant.helpers import publish_now, queued, sign_as


async def test_publish_delivers_to_every_representative(world: World) -> None:
    result = await publish_now(world)
    assert result.outcome is Publish.PUBLISHED
    assert result.version is not None and result.version.number == 1
    assert (result.reach.units, result.reach.people) == (9, 10)
    assert result.reach.no_member == ()
    bbt = await queued(world, world.rep("BBT"))
    text = "\n".join(t for t, _ in bbt)
    assert "Giao ước thi đua năm 2023" in text and "5. Thực hiện nghiêm" in text
    assert "200.000.000 đồng" in text  # BBT's own target under the covenant
    assert bbt[-1][1] is not None and all(m is None for _, m in bbt[:-1])  # button: last part
    button = bbt[-1][1]["inline_keyboard"][0][0]
    assert button["text"] == "✍️ Ký giao ước"
    assert button["callback_data"] == f"cov:s:{result.version.id}:{world.unit('BBT').id}"
    assert await queued(world, BBT2_TG)  # both of BBT's representatives
    group = await queued(world, GROUP_ID)
    assert len(group) == 1 and "phiên bản 1" in group[0][0]


async def test_units_without_representative_are_listed(world: World) -> None:
    async with world.db.transaction() as conn:
        await conn.execute(members.delete().where(members.c.unit_id == world.unit("BDV").id))
    result = await publish_now(world)
    assert [u.code for u in result.reach.no_member] == ["BDV"]
    assert result.reach.units == 8


async def test_nine_units_sign_with_counter_and_closing(world: World) -> None:
    await publish_now(world)
    for k, unit in enumerate(world.tree.units, start=1):
        world.clock.advance(timedelta(minutes=5))
        result = await sign_as(world, unit.code)
        assert result.outcome is Sign.SIGNED
        assert (result.signed, result.total) == (k, 9)
    group = [t for t, _ in await queued(world, GROUP_ID)]
    # k/N on the group's progress message (issue 18), not one post per signature: posted at
    # the first signature; no message id yet here (no outbox runs), so the later counts
    # wait in its row for the delivery to edit them in (tests/progress)
    signed = [t for t in group if "Tiến độ" in t]
    assert len(signed) == 1 and "Đã ký giao ước 1/9" in signed[0]
    async with world.db.read() as conn:
        [post] = await progress_repo.open_posts(conn, world.block.id)
    assert "Đã ký giao ước 9/9" in post.text and post.version == 9
    closing = group[-1]
    assert "Tất cả 9 đơn vị" in closing
    for unit in world.tree.units:
        assert unit.name in closing
    assert "10:05 01/02/2023" in closing  # first signature, local time (UTC+7)


async def test_double_press_and_second_representative_create_nothing(world: World) -> None:
    await publish_now(world)
    first = await prepare(world.db, world.clock, tg_user_id=world.rep("BBT"),
                          block_id=world.block.id)
    assert first.version is not None and first.unit is not None
    args = {"version_id": first.version.id, "unit_id": first.unit.id,
            "expected": first.confirm_key, "signer_name": "X"}
    done = await sign(world.db, world.clock, world.texts, tg_user_id=world.rep("BBT"), **args)
    again = await sign(world.db, world.clock, world.texts, tg_user_id=world.rep("BBT"), **args)
    other = await sign(world.db, world.clock, world.texts, tg_user_id=BBT2_TG, **args)
    assert done.outcome is Sign.SIGNED
    assert again.outcome is Sign.ALREADY and other.outcome is Sign.ALREADY
    assert again.signature is not None and again.signature.signer_tg_id == world.rep("BBT")
    pressed = await prepare(world.db, world.clock, tg_user_id=BBT2_TG, block_id=world.block.id)
    assert pressed.outcome is Sign.ALREADY
    async with world.db.read() as conn:
        count = (await conn.execute(select(func.count()).select_from(covenant_signatures)))
        assert count.scalar_one() == 1
    group = [t for t, _ in await queued(world, GROUP_ID)]
    assert sum("Đã ký giao ước 1/9" in t for t in group) == 1


async def test_outsider_and_other_unit_are_refused_and_audited(world: World) -> None:
    published = await publish_now(world)
    assert published.version is not None
    ubkt = world.unit("UBKT")
    ready = await prepare(world.db, world.clock, tg_user_id=world.rep("UBKT"),
                          block_id=world.block.id)
    for tg, outcome in ((OUTSIDER_TG, Sign.NOT_MEMBER), (world.rep("BBT"), Sign.OTHER_UNIT),
                        (world.rep("VPTU"), Sign.OTHER_UNIT)):  # the chair cannot sign for it
        pressed = await prepare(world.db, world.clock, tg_user_id=tg,
                                version_id=published.version.id, unit_id=ubkt.id)
        assert pressed.outcome is outcome
        forged = await sign(world.db, world.clock, world.texts, version_id=published.version.id,
                            unit_id=ubkt.id, tg_user_id=tg, signer_name="?",
                            expected=ready.confirm_key)
        assert forged.outcome is outcome
    async with world.db.read() as conn:
        refused = await audit.entries(conn, block_id=world.block.id,
                                      action="covenant.sign-refused")
        # six refusals, two by each person within the minute: a row each, counting both
        assert sum(audit.repeats(e) for e in refused) == 6
        assert sorted(audit.repeats(e) for e in refused) == [2, 2, 2]
        assert await covenant_repo.signature_of(conn, published.version.id, ubkt.id) is None


async def test_removed_unit_cannot_sign(world: World) -> None:
    published = await publish_now(world)
    assert published.version is not None
    async with world.db.transaction() as conn:
        await conn.execute(units.update().where(units.c.code == "TCT").values(active=False))
    pressed = await prepare(world.db, world.clock, tg_user_id=world.rep("TCT"),
                            block_id=world.block.id)
    assert pressed.outcome is Sign.UNIT_REMOVED
    forged = await sign(world.db, world.clock, world.texts, version_id=published.version.id,
                        unit_id=world.unit("TCT").id, tg_user_id=world.rep("TCT"),
                        signer_name="?", expected="00000000")
    assert forged.outcome is Sign.UNIT_REMOVED


async def test_confirmation_signs_only_what_was_shown(world: World) -> None:
    await publish_now(world)
    ready = await prepare(world.db, world.clock, tg_user_id=world.rep("UBKT"),
                          block_id=world.block.id)
    assert ready.version is not None and ready.unit is not None
    await set_slogan(world.db, world.clock, block_id=world.block.id, unit_id=ready.unit.id,
                     tg_user_id=world.rep("UBKT"), text="Chủ đề mới")
    result = await sign(world.db, world.clock, world.texts, version_id=ready.version.id,
                        unit_id=ready.unit.id, tg_user_id=world.rep("UBKT"), signer_name="A",
                        expected=ready.confirm_key)
    assert result.outcome is Sign.CHANGED
    assert result.pledge is not None and result.pledge.slogan == "Chủ đề mới"


async def test_changed_text_supersedes_and_asks_again(world: World) -> None:
    first = await publish_now(world)
    assert first.version is not None
    await sign_as(world, "BBT")
    await sign_as(world, "UBKT")
    commitments = (*world.spec.covenant.commitments[:4], "Cam kết sửa đổi.")  # type: ignore[union-attr]
    changes = await world.resetup(commitments=commitments)
    assert any("covenant: version 2" in c for c in changes)
    async with world.db.read() as conn:
        state = await load_state(conn, world.block)
        old = await covenant_repo.version_signatures(conn, first.version.id)
    assert state.version is not None and state.version.number == 2
    assert state.signed == 0
    assert len(old) == 2 and all(s.superseded for s in old)  # kept, marked
    group = [t for t, _ in await queued(world, GROUP_ID)]
    assert "sửa đổi cam kết số 5" in group[-1] and "2 chữ ký" in group[-1]
    bbt = [t for t, _ in await queued(world, world.rep("BBT"))]
    assert any("phiên bản 2" in t and "điều chỉnh" in t for t in bbt)
    # the old button is stale; /sign offers the new version, which signs normally
    stale = await prepare(world.db, world.clock, tg_user_id=world.rep("BBT"),
                          version_id=first.version.id, unit_id=world.unit("BBT").id)
    assert stale.outcome is Sign.STALE
    again = await sign_as(world, "BBT")
    assert again.outcome is Sign.SIGNED and (again.signed, again.total) == (1, 9)
    # running setup once more with the same file changes nothing
    assert not any("covenant" in c for c in await world.resetup())


async def test_republish_same_text_resends_to_unsigned_only(world: World) -> None:
    await publish_now(world, "r1")
    for unit in world.tree.units[:7]:
        await sign_as(world, unit.code)
    before = len(await queued(world, world.rep("BBT")))
    again = await publish_now(world, "r2")
    assert again.outcome is Publish.RESENT
    assert again.reach.units == 2  # BNC and BBT
    assert len(await queued(world, world.rep("BBT"))) > before
    replay = await publish_now(world, "r2")
    assert replay.outcome is Publish.DONE_BEFORE
    for unit in world.tree.units[7:]:
        await sign_as(world, unit.code)
    assert (await publish_now(world, "r3")).outcome is Publish.ALL_SIGNED


async def test_nothing_before_the_first_publication(world: World) -> None:
    assert not any("covenant" in c for c in await world.resetup(title="Tiêu đề khác"))
    pressed = await prepare(world.db, world.clock, tg_user_id=world.rep("BBT"),
                            block_id=world.block.id)
    assert pressed.outcome is Sign.NOT_PUBLISHED
    async with world.db.read() as conn:
        assert await covenant_repo.latest_version(conn, world.block.id) is None
        block = await blocks_repo.get_block(conn, world.block.id)
    assert block is not None
