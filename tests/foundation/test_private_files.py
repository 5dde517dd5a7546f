"""What the bot keeps on disk is its own user's alone (issue 26.9): the database folder and
file (and SQLite's -wal and -shm beside it), the evidence folders and files, are created
0700 / 0600 whatever the umask would allow."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.services.reports.evidence import IncomingFile, attach_evidence
from storage.db import Database
from storage.private import private_file, private_folder
from tests.reports.conftest import BBT_TG, World, world  # noqa: F401  (the fixture)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The most permissive umask: what is private is so by itself."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


async def test_the_database_folder_and_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "db" / "thidua.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.transaction() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
        wal, shm = path.with_name("thidua.db-wal"), path.with_name("thidua.db-shm")
        assert wal.exists() and shm.exists()
        assert [mode(p) for p in (path, wal, shm)] == [0o600] * 3
        assert mode(path.parent) == mode(path.parent.parent) == 0o700
    finally:
        await db.close()


async def test_evidence_folders_are_private(world: World, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "data" / "evidence"

    async def fetch() -> bytes:
        return b"%PDF-1.7\n" + b"x" * 100

    await attach_evidence(
        world.db, world.clock, evidence_dir=folder, block=world.block, unit=world.unit("BBT"),
        actor_tg_id=BBT_TG, phase_id=world.phase("DOT1").id,
        criterion_id=world.criterion("TIEN_VAN_DONG").id,
        file=IncomingFile("document", "id-a", "u-a", "a.pdf", None, 109), fetch=fetch,
    )
    [stored] = [p for p in folder.rglob("*") if p.is_file()]
    assert mode(stored) == 0o600
    here = stored.parent
    while here != tmp_path:
        assert mode(here) == 0o700, here
        here = here.parent


def test_existing_files_and_folders_are_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    kept = shared / "kept.txt"
    kept.write_text("hello")
    kept.chmod(0o644)
    assert private_folder(shared / "inner") == shared / "inner"
    assert private_file(kept) == kept
    assert (mode(shared), mode(kept), kept.read_text()) == (0o755, 0o644, "hello")
    assert mode(shared / "inner") == 0o700
