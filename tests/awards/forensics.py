"""Reading a SQLite database file the way someone holding a copy of it would: every row of
every table, the raw bytes of the file and of its write-ahead log, the pages of one table.
Plain sqlite3 on the file, beside the running bot (WAL lets both read)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def every_row(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """{table: (columns, rows)} of every table in the file."""
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for name in names:
            cursor = conn.execute(f'SELECT * FROM "{name}"')
            out[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


def raw(path: Path) -> tuple[bytes, bytes]:
    """The database file's bytes and its write-ahead log's (empty if there is none)."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


def table_pages(path: Path, table: str) -> list[bytes]:
    """The bytes of every page of `table`'s b-tree, in page order (read after the log was
    copied into the file)."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))]
    data = path.read_bytes()
    return [data[(p - 1) * size:p * size] for p in pages]


def schema_of(path: Path, table: str) -> str:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchone()
    return str(row[0])


def rebuilt_pages(folder: Path, create_sql: str, rows: Sequence[tuple[Any, ...]],
                  order: Iterable[int]) -> list[bytes]:
    """The pages of a fresh copy of the ballots table, its rows written as the vote writes
    them (all unused at opening, in tracker order) and then filled in the given `order`
    (indexes into `rows`: round_id, tracker, cast, choices)."""
    path = folder / f"rebuilt-{len(list(folder.iterdir()))}.db"
    with sqlite3.connect(path) as conn:
        conn.execute(create_sql)
        blank = "0" * len(rows[0][3])
        for round_id, tracker, _, _ in sorted(rows, key=lambda r: r[1]):
            conn.execute("INSERT INTO awards_ballots VALUES (?, ?, 0, ?)",
                         (round_id, tracker, blank))
        conn.commit()
        for index in order:
            round_id, tracker, cast, choices = rows[index]
            conn.execute("UPDATE awards_ballots SET cast = ?, choices = ? "
                         "WHERE round_id = ? AND tracker = ?", (cast, choices, round_id, tracker))
            conn.commit()
    return table_pages(path, "awards_ballots")


def inserted_pages(folder: Path, create_sql: str, rows: Sequence[tuple[Any, ...]],
                   order: Iterable[int]) -> list[bytes]:
    """The control: the same rows INSERTED one by one in `order`, as a table written at
    casting time would be."""
    path = folder / f"inserted-{len(list(folder.iterdir()))}.db"
    with sqlite3.connect(path) as conn:
        conn.execute(create_sql)
        for index in order:
            conn.execute("INSERT INTO awards_ballots VALUES (?, ?, ?, ?)", rows[index])
            conn.commit()
    return table_pages(path, "awards_ballots")


def natural_order(path: Path) -> list[str]:
    """The trackers as the table hands them out without ORDER BY."""
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT tracker FROM awards_ballots")]
