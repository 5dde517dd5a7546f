"""Service-level steps the covenant tests repeat: publish, sign, read the outbox."""

from __future__ import annotations

from sqlalchemy import select

from bot.services.covenant.signing import Sign, SignResult, prepare, sign
from bot.services.covenant.versions import PublishResult, confirm_key, draft_of, publish
from storage.outbox.tables import outbox
from tests.covenant.conftest import World


async def publish_now(world: World, round_key: str = "r1") -> PublishResult:
    draft = draft_of(world.block)
    assert draft is not None
    return await publish(world.db, world.clock, world.texts, block_id=world.block.id,
                         actor_tg_id=world.rep("VPTU"), expected=confirm_key(draft),
                         round_key=round_key)


async def sign_as(world: World, code: str, tg_user_id: int | None = None) -> SignResult:
    """Prepare and confirm, as the unit's representative would."""
    tg = tg_user_id or world.rep(code)
    ready = await prepare(world.db, world.clock, tg_user_id=tg, block_id=world.block.id)
    assert ready.outcome is Sign.READY, ready.outcome
    assert ready.version is not None and ready.unit is not None
    return await sign(world.db, world.clock, world.texts, version_id=ready.version.id,
                      unit_id=ready.unit.id, tg_user_id=tg, signer_name=f"Người ký {code}",
                      expected=ready.confirm_key)


async def queued(world: World, chat_id: int) -> list[tuple[str, dict | None]]:  # type: ignore[type-arg]
    """(text, reply_markup) of every message queued for a chat, in order."""
    async with world.db.read() as conn:
        rows = (await conn.execute(
            select(outbox.c.parts, outbox.c.reply_markup)
            .where(outbox.c.chat_id == chat_id).order_by(outbox.c.id)
        )).all()
    return [(part["text"], markup) for parts, markup in rows for part in parts]
