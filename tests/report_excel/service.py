"""Calling the two use cases as the handler does, for a representative of the world."""

from __future__ import annotations

from bot.services.access import Caller, resolve_caller
from bot.services.report_excel.download import make_template
from bot.services.report_excel.upload import UploadResult, receive_workbook
from bot.services.reports.evidence import IncomingFile
from tests.reports.conftest import BBT_TG, World


async def caller_of(world: World, tg: int = BBT_TG, language: str = "vi") -> Caller:
    found = await resolve_caller(world.db, tg_user_id=tg, admin_ids=frozenset(),
                                 default_language=language)
    assert found.unit is not None
    return found


async def template(world: World, unit: str = "BBT", lang: str = "vi",
                   phase: str | None = None) -> bytes:
    result = await make_template(world.db, world.clock, world.texts, block=world.block,
                                 unit=world.unit(unit), lang=lang, phase_code=phase)
    assert result.file is not None, result.outcome
    return result.file.data


async def send(world: World, data: bytes, *, tg: int = BBT_TG, name: str = "mau.xlsx",
               size: int | None = None, evidence_open: bool = False,
               language: str = "vi") -> UploadResult:
    caller = await caller_of(world, tg, language)
    if language != caller.language:
        caller = Caller(caller.tg_user_id, caller.is_admin, language, caller.block,
                        caller.member, caller.unit)
    fetched: list[int] = []

    async def fetch() -> bytes:
        fetched.append(len(data))
        return data

    file = IncomingFile("document", "file-id", "unique", name, None,
                        len(data) if size is None else size)
    return await receive_workbook(world.db, world.clock, world.texts, caller=caller,
                                  file=file, fetch=fetch, evidence_open=evidence_open)
