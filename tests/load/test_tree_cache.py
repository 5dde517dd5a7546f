"""Block trees cached by the block's updated_at (storage/tree_cache.py): reused while the
block is unchanged, never stale after setup, even under a clock that does not move."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.blockfile import BlockSpec, load_block_file
from bot.services.clock import ManualClock
from bot.services.setup import apply_block_spec
from storage import blocks as blocks_repo
from storage.db import Database
from storage.records import BlockTree
from tests.conftest import counting_statements, migrated_database
from tests.e2e.harness import DEFAULT_NOW as NOW
from tests.e2e.harness import EXAMPLE_BLOCK


async def tree_of(db: Database, code: str) -> BlockTree:
    async with db.read() as conn:
        block = await blocks_repo.get_block_by_code(conn, code)
        assert block is not None
        return await blocks_repo.load_tree(conn, block)


async def test_a_tree_is_read_once_while_the_block_is_unchanged(db: Database) -> None:
    spec = load_block_file(EXAMPLE_BLOCK)
    await apply_block_spec(db, spec, ManualClock(NOW))
    with counting_statements(db) as seen:
        first = await tree_of(db, spec.code)
        reads = len(seen)
        again = await tree_of(db, spec.code)
    assert again == first
    assert len(seen) - reads == 1  # only the block row: units, phases, criteria cached


async def test_setup_expires_the_tree_even_when_the_clock_stands_still(db: Database) -> None:
    clock = ManualClock(NOW)
    spec = load_block_file(EXAMPLE_BLOCK)
    await apply_block_spec(db, spec, clock)
    before = await tree_of(db, spec.code)
    renamed = replace(spec.units[2], name="Ủy ban Kiểm tra (tên mới)")
    changed = replace(spec, units=(spec.units[0], spec.units[1], renamed, *spec.units[3:]))
    await apply_block_spec(db, changed, clock)  # same instant
    after = await tree_of(db, spec.code)
    assert after.units[2].name == "Ủy ban Kiểm tra (tên mới)" != before.units[2].name
    # Only the order changes (no reported change): the tree still follows.
    reordered = replace(changed, criteria=tuple(reversed(changed.criteria)))
    await apply_block_spec(db, reordered, clock)
    assert [c.code for c in (await tree_of(db, spec.code)).criteria] == [
        c.code for c in reversed(changed.criteria)]
    # A block field change then a child change at the same instant: still distinct stamps.
    await apply_block_spec(db, replace(reordered, name="Khối thi đua 6 (mới)"), clock)
    last = replace(reordered, name="Khối thi đua 6 (mới)", units=spec.units)
    await apply_block_spec(db, last, clock)
    assert (await tree_of(db, spec.code)).units[2].name == spec.units[2].name


async def test_databases_never_share_trees(tmp_path: Path) -> None:
    spec: BlockSpec = load_block_file(EXAMPLE_BLOCK)
    other = replace(spec, units=spec.units[:4])
    found = []
    for name, wanted in (("a", spec), ("b", other)):
        async with migrated_database(tmp_path, name) as database:
            await apply_block_spec(database, wanted, ManualClock(NOW))  # same id, same stamp
            found.append(len((await tree_of(database, spec.code)).units))
    assert found == [len(spec.units), 4]
