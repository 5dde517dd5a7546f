"""Evidence files (minh chứng) attached to a report's criteria."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.reports.records import Evidence
from storage.reports.tables import evidence


def _evidence(row: Any) -> Evidence:
    return Evidence(**{k: row[k] for k in Evidence.__dataclass_fields__})


async def add_evidence(
    conn: AsyncConnection,
    *,
    report_id: int,
    criterion_id: int,
    kind: str,
    tg_file_id: str,
    tg_file_unique_id: str | None,
    file_name: str | None,
    mime: str | None,
    size: int,
    sha256: str,
    stored_path: str,
    added_by: int,
    now: datetime,
) -> int:
    result = await conn.execute(
        insert(evidence).values(
            report_id=report_id, criterion_id=criterion_id, kind=kind, tg_file_id=tg_file_id,
            tg_file_unique_id=tg_file_unique_id, file_name=file_name, mime=mime, size=size,
            sha256=sha256, stored_path=stored_path, added_by=added_by, added_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def evidence_of(
    conn: AsyncConnection, report_id: int, criterion_id: int | None = None
) -> list[Evidence]:
    query = select(evidence).where(evidence.c.report_id == report_id)
    if criterion_id is not None:
        query = query.where(evidence.c.criterion_id == criterion_id)
    query = query.order_by(evidence.c.criterion_id, evidence.c.id)
    return [_evidence(r) for r in (await conn.execute(query)).mappings()]


async def has_same_file(
    conn: AsyncConnection, report_id: int, criterion_id: int, sha256: str
) -> bool:
    """The same content already attached to this criterion (a photo sent twice)."""
    query = select(evidence.c.id).where(
        evidence.c.report_id == report_id,
        evidence.c.criterion_id == criterion_id,
        evidence.c.sha256 == sha256,
    )
    return (await conn.execute(query)).first() is not None
