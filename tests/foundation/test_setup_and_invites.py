"""Block setup is idempotent; invites are hashed, counted, expire and can be revoked; a
registration and the chairs' notice of it commit together."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.blockfile import BlockSpec
from bot.services import notify
from bot.services.access import resolve_caller
from bot.services.clock import ManualClock
from bot.services.digest import chair as digest_chair
from bot.services.registration.invites import (
    InviteProblem,
    Redeem,
    TelegramPerson,
    hash_token,
    issue_invites,
    redeem,
    revoke_invites,
)
from bot.services.setup import apply_block_spec
from bot.texts import catalog
from storage import audit
from storage import blocks as blocks_repo
from storage import members as members_repo
from storage.db import Database
from storage.outbox.tables import outbox
from storage.tables import invites

TEXTS = catalog()


def person(uid: int, name: str = "Nguyễn Văn A") -> TelegramPerson:
    return TelegramPerson(tg_user_id=uid, full_name=name, username=None, language_code="vi")


async def test_setup_twice_changes_nothing(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    first = await apply_block_spec(db, spec, clock)
    second = await apply_block_spec(db, spec, clock)
    assert first.created and not second.created
    assert second.changes == []
    async with db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, "KTD6-2023")
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
        assert [u.code for u in tree.units][:3] == ["VPTU", "BTG", "UBKT"]
        assert len(tree.phases) == 2 and len(tree.criteria) == 9
        assert len(await audit.entries(conn, block_id=block.id)) == 1


async def test_setup_updates_renamed_unit_and_deactivates_removed(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    await apply_block_spec(db, spec, clock)
    units = list(spec.units)
    units[2] = dataclasses.replace(units[2], name="Ủy ban Kiểm tra Tỉnh ủy (mới)")
    del units[-1]
    report = await apply_block_spec(db, dataclasses.replace(spec, units=tuple(units)), clock)
    assert "units.UBKT: changed (name)" in report.changes
    assert "units.BBT: removed" in report.changes
    async with db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, spec.code)
        assert block is not None
        tree = await blocks_repo.load_tree(conn, block)
        assert "BBT" not in [u.code for u in tree.units]
        bbt = await blocks_repo.get_unit_by_code(conn, block.id, "BBT")
        assert bbt is not None and not bbt.active


async def test_invite_token_is_stored_only_as_hash(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    await apply_block_spec(db, spec, clock)
    issued = await issue_invites(db, clock, block_code=None)
    assert len(issued) == 9
    assert len({i.token for i in issued}) == 9
    assert all(len(i.token) >= 22 for i in issued)  # >= 128 bits of base64
    async with db.read() as conn:
        stored = [r.token_hash for r in await conn.execute(select(invites.c.token_hash))]
    assert issued[0].token not in stored
    assert hash_token(issued[0].token) in stored


async def test_redeem_registers_and_counts_uses(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    await apply_block_spec(db, spec, clock)
    [btg] = await issue_invites(db, clock, block_code=spec.code, unit_code="BTG", uses=2)
    assert (await redeem(db, clock, TEXTS, btg.token, person(1))).outcome is Redeem.REGISTERED
    assert (await redeem(db, clock, TEXTS, btg.token, person(1))).outcome is Redeem.ALREADY
    assert (await redeem(db, clock, TEXTS, btg.token, person(2))).outcome is Redeem.REGISTERED
    assert (await redeem(db, clock, TEXTS, btg.token, person(3))).outcome is Redeem.USED_UP
    caller = await resolve_caller(db, tg_user_id=1, admin_ids=frozenset(), default_language="vi")
    assert caller.unit is not None and caller.unit.code == "BTG"
    assert caller.is_chair  # vice-chair shares chair rights by default


async def test_redeem_refuses_bad_tokens(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    await apply_block_spec(db, spec, clock)
    [a] = await issue_invites(db, clock, block_code=spec.code, unit_code="UBKT", days=1)
    [b] = await issue_invites(db, clock, block_code=spec.code, unit_code="BDV")
    assert (await redeem(db, clock, TEXTS, "x" * 32, person(1))).outcome is Redeem.UNKNOWN
    assert (await redeem(db, clock, TEXTS, "bad token!", person(1))).outcome is Redeem.UNKNOWN
    await revoke_invites(db, clock, block_code=spec.code, unit_code="BDV")
    assert (await redeem(db, clock, TEXTS, b.token, person(1))).outcome is Redeem.REVOKED
    clock.advance(timedelta(days=2))
    assert (await redeem(db, clock, TEXTS, a.token, person(1))).outcome is Redeem.EXPIRED
    caller = await resolve_caller(db, tg_user_id=1, admin_ids=frozenset(), default_language="vi")
    assert not caller.registered


async def test_one_unit_per_block(db: Database, spec: BlockSpec, clock: ManualClock) -> None:
    await apply_block_spec(db, spec, clock)
    [a] = await issue_invites(db, clock, block_code=spec.code, unit_code="UBKT")
    [b] = await issue_invites(db, clock, block_code=spec.code, unit_code="BDV")
    await redeem(db, clock, TEXTS, a.token, person(7))
    result = await redeem(db, clock, TEXTS, b.token, person(7))
    assert result.outcome is Redeem.OTHER_UNIT
    assert result.other_unit is not None and result.other_unit.code == "UBKT"
    caller = await resolve_caller(db, tg_user_id=7, admin_ids=frozenset(), default_language="vi")
    assert caller.unit is not None and caller.unit.code == "UBKT"
    assert not caller.is_chair


async def test_vice_chair_rights_can_be_turned_off(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    await apply_block_spec(db, dataclasses.replace(spec, vice_chair_rights=False), clock)
    [btg] = await issue_invites(db, clock, block_code=spec.code, unit_code="BTG")
    await redeem(db, clock, TEXTS, btg.token, person(5))
    caller = await resolve_caller(db, tg_user_id=5, admin_ids=frozenset(), default_language="vi")
    assert caller.registered and not caller.is_chair
    admin = await resolve_caller(
        db, tg_user_id=99, admin_ids=frozenset({99}), default_language="vi"
    )
    assert admin.is_chair and not admin.registered


async def test_invites_for_unknown_unit_or_block(
    db: Database, spec: BlockSpec, clock: ManualClock
) -> None:
    with pytest.raises(InviteProblem, match="setup"):
        await issue_invites(db, clock, block_code=None)
    await apply_block_spec(db, spec, clock)
    with pytest.raises(InviteProblem, match="no unit 'XYZ'"):
        await issue_invites(db, clock, block_code=spec.code, unit_code="XYZ")
    with pytest.raises(InviteProblem, match="no block"):
        await issue_invites(db, clock, block_code="NOPE")


async def _queued(db: Database) -> list[tuple[int, str, str]]:
    """(chat, dedupe key, text) of every message in the outbox."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(outbox.c.chat_id, outbox.c.dedupe_key, outbox.c.parts).order_by(outbox.c.id)
        )).all()
    return [(chat, key, parts[0]["text"]) for chat, key, parts in rows]


@pytest.mark.parametrize("step", ["chairs", "enqueue"])
async def test_a_registration_never_commits_without_the_chairs_notice(
    db: Database, spec: BlockSpec, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    await apply_block_spec(db, spec, clock)
    [vptu] = await issue_invites(db, clock, block_code=spec.code, unit_code="VPTU")
    [ubkt] = await issue_invites(db, clock, block_code=spec.code, unit_code="UBKT", uses=3)
    chair = await redeem(db, clock, TEXTS, vptu.token, person(1, "Chánh Văn phòng"))
    assert chair.outcome is Redeem.REGISTERED and not chair.queued  # nobody else to tell
    newcomer = person(2, "Người mới")

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("crash between the registration and its notice")

    # After the member row and its audit entry are written, before the notice is queued
    # (finding the chairs) or while it is (the outbox insert). The notice is the chair's
    # digest (bot.services.digest), sent at once for the first item of a quiet hour.
    monkeypatch.setattr(notify if step == "chairs" else digest_chair, step, crash)
    with pytest.raises(RuntimeError, match="crash"):
        await redeem(db, clock, TEXTS, ubkt.token, newcomer)
    monkeypatch.undo()
    caller = await resolve_caller(db, tg_user_id=2, admin_ids=frozenset(), default_language="vi")
    assert not caller.registered  # nothing registered ...
    assert await _queued(db) == []  # ... and nothing queued
    async with db.read() as conn:
        assert (await conn.execute(select(invites.c.uses).where(
            invites.c.token_hash == hash_token(ubkt.token)))).scalar_one() == 0

    # The update is handled again: registered once, the chair told once.
    registered = await redeem(db, clock, TEXTS, ubkt.token, newcomer)
    assert registered.outcome is Redeem.REGISTERED and registered.queued
    again = await redeem(db, clock, TEXTS, ubkt.token, newcomer)
    assert again.outcome is Redeem.ALREADY and not again.queued
    [(chat, key, text)] = await _queued(db)
    assert chat == 1 and "Người mới" in text and "2/9" in text
    block, unit = registered.block, registered.unit
    assert block is not None and unit is not None
    assert key.startswith("digest:")  # the key names the digest, which is sent once
    assert clock.now().isoformat() not in key

    # Removed and registered again by the same link: a new registration, told again (in
    # the next quiet hour's first digest).
    async with db.transaction() as conn:
        await members_repo.deactivate(conn, block.id, 2)
    clock.advance(timedelta(minutes=61))
    assert (await redeem(db, clock, TEXTS, ubkt.token, newcomer)).outcome is Redeem.REGISTERED
    assert [c for c, _, _ in await _queued(db)] == [1, 1]
