"""Evidence: checked, downloaded once, stored with its SHA-256, counted on the form."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from bot.services.reports.entry import open_report
from bot.services.reports.evidence import (
    MAX_EVIDENCE_BYTES,
    Attach,
    DownloadFailed,
    IncomingFile,
    attach_evidence,
    open_copy,
    report_evidence,
)
from tests.reports.conftest import BBT_TG, World
from tests.reports.helpers import fill, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 100


async def attach(
    world: World, folder: Path, file: IncomingFile, data: bytes, code: str = "TIEN_VAN_DONG"
) -> tuple[Attach, int, int]:
    fetched = 0

    async def fetch() -> bytes:
        nonlocal fetched
        fetched += 1
        if data == b"fail":
            raise DownloadFailed("timeout")
        return data

    result = await attach_evidence(
        world.db, world.clock, evidence_dir=folder, block=world.block, unit=world.unit("BBT"),
        actor_tg_id=BBT_TG, phase_id=world.phase("DOT1").id,
        criterion_id=world.criterion(code).id, file=file, fetch=fetch,
    )
    return result.outcome, result.count, fetched


def doc(name: str | None, size: int | None = 100, mime: str | None = None) -> IncomingFile:
    return IncomingFile("document", f"id-{name}", f"u-{name}", name, mime, size)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


PHOTO = IncomingFile("photo", "photo-id", "photo-u", None, "image/jpeg", 68)


async def test_a_document_is_stored_with_its_hash(world: World, folder: Path) -> None:
    outcome, count, _ = await attach(world, folder, doc("bien-ban.pdf"), PDF)
    assert (outcome, count) == (Attach.ATTACHED, 1)
    sha = hashlib.sha256(PDF).hexdigest()
    stored = folder / "KTD6-2023" / "DOT1" / "BBT" / f"{sha}.pdf"
    assert stored.read_bytes() == PDF
    view = await open_report(world.db, world.clock, block=world.block, unit=world.unit("BBT"))
    assert view is not None and view.evidence_counts == {world.criterion("TIEN_VAN_DONG").id: 1}
    assert view.report is not None
    found = await report_evidence(world.db, world.clock, evidence_dir=folder,
                                  block=world.block, report_id=view.report.id)
    assert found is not None and found.view.unit.code == "BBT"
    files = [f.evidence for f in found.files]
    assert files[0].sha256 == sha and files[0].size == len(PDF)
    assert files[0].stored_path == f"KTD6-2023/DOT1/BBT/{sha}.pdf"
    assert files[0].tg_file_id == "id-bien-ban.pdf"
    assert found.files[0].criterion == world.criterion("TIEN_VAN_DONG")
    with await open_copy(found.files[0]) as copy:  # the copy for a file Telegram lost
        assert copy.read() == PDF


async def test_photos_are_accepted_and_duplicates_kept_once(world: World, folder: Path) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + b"j" * 64
    assert (await attach(world, folder, PHOTO, jpeg))[:2] == (Attach.ATTACHED, 1)
    assert (await attach(world, folder, PHOTO, jpeg))[:2] == (Attach.DUPLICATE, 1)
    assert (await attach(world, folder, doc("anh.png"), PNG))[:2] == (Attach.ATTACHED, 2)


async def test_unsupported_or_too_big_files_are_refused_before_download(
    world: World, folder: Path
) -> None:
    assert await attach(world, folder, doc("virus.exe"), b"MZ") == (Attach.BAD_TYPE, 0, 0)
    assert await attach(world, folder, doc(None, mime="text/plain"), b"x") == (
        Attach.BAD_TYPE, 0, 0)
    big = doc("lon.pdf", size=MAX_EVIDENCE_BYTES + 1)
    assert await attach(world, folder, big, PDF) == (Attach.TOO_BIG, 0, 0)
    assert not await asyncio.to_thread(folder.exists)


async def test_a_renamed_file_of_another_kind_is_refused(world: World, folder: Path) -> None:
    outcome, _, fetched = await attach(world, folder, doc("that-ra-la-anh.pdf"), PNG)
    assert (outcome, fetched) == (Attach.BAD_TYPE, 1)
    assert not await asyncio.to_thread(folder.exists)


async def test_a_failed_download_stores_nothing(world: World, folder: Path) -> None:
    assert (await attach(world, folder, doc("a.pdf"), b"fail"))[0] is Attach.DOWNLOAD_FAILED


async def test_no_evidence_after_submission(world: World, folder: Path) -> None:
    await fill(world, "BBT")
    await submit(world, "BBT")
    assert await attach(world, folder, doc("a.pdf"), PDF) == (Attach.LOCKED, 0, 0)


async def test_a_criterion_takes_at_most_so_many_files(world: World, folder: Path) -> None:
    from bot.services.reports.evidence import MAX_FILES_PER_CRITERION

    for n in range(MAX_FILES_PER_CRITERION):
        outcome, count, _ = await attach(world, folder, doc(f"f{n}.pdf"), PDF + str(n).encode())
        assert (outcome, count) == (Attach.ATTACHED, n + 1)
    outcome, count, fetched = await attach(world, folder, doc("one-more.pdf"), PDF + b"x")
    assert (outcome, count, fetched) == (Attach.TOO_MANY, MAX_FILES_PER_CRITERION, 0)
