"""Where things are in a report template, and the hidden sheet that says whose it is.

The template has two sheets: the report (one row per criterion, the value column the only
one a unit types in) and IDENTITY_SHEET, very hidden and protected, holding the block,
phase and unit it was made for, the fingerprint of the scoring table and each criterion's
value when it was made. Everything in the identity sheet is written as text, so a
spreadsheet program that saves the file again keeps it as it was.

Nothing in the identity sheet is trusted for rights: the sender's unit comes from the
database, and the sheet only has to agree with it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from bot.services.values import canonical_decimal
from storage.records import Criterion

IDENTITY_SHEET = "thidua"
FORMAT = "thidua-report-template/1"

# The report sheet: title, unit and deadline, instructions, then the header and one row
# per criterion in the table's order.
TITLE_ROW = 1
UNIT_ROW = 2
HELP_ROW = 3
HEADER_ROW = 4
FIRST_ROW = 5
COLUMNS = ("group", "code", "title", "how", "measure", "target", "max", "value")
CODE_COL = COLUMNS.index("code") + 1
VALUE_COL = COLUMNS.index("value") + 1
VALUE_LETTER = get_column_letter(VALUE_COL)
CODE_LETTER = get_column_letter(CODE_COL)


def fingerprint(criteria: Sequence[Criterion]) -> str:
    """SHA-256 of what the template shows and the bot checks of each criterion: a changed
    limit, kind, code, title or order makes older templates stale."""
    rows = [[c.code, c.kind, canonical_decimal(c.max_points), c.bonus, c.penalty,
             c.group_name, c.title, c.measure,
             None if c.target is None else canonical_decimal(c.target)] for c in criteria]
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Identity:
    block_code: str
    block_id: int
    phase_code: str
    phase_id: int
    unit_code: str
    unit_id: int
    fingerprint: str
    made_at: str  # ISO time, for people reading the sheet and the audit
    first_row: int = FIRST_ROW
    # Criterion code -> its stored value when the template was made: a cell still holding
    # it was not touched, so a colleague's later change to that criterion stands.
    values: Mapping[str, str] = field(default_factory=dict)


def identity_rows(identity: Identity) -> list[list[str]]:
    rows = [
        ["format", FORMAT],
        ["block", identity.block_code, str(identity.block_id)],
        ["phase", identity.phase_code, str(identity.phase_id)],
        ["unit", identity.unit_code, str(identity.unit_id)],
        ["fingerprint", identity.fingerprint],
        ["made", identity.made_at],
        ["first_row", str(identity.first_row)],
    ]
    rows += [["value", code, stored] for code, stored in identity.values.items()]
    return rows


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a program that turned "12" into 12.0
    return "" if value is None else str(value).strip()


def _number(value: Any) -> int | None:
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def parse_identity(rows: Iterable[Sequence[Any]]) -> Identity | None:
    """The identity sheet's rows read back; None unless it is one of ours, whole."""
    fields: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for row in rows:
        cells = [_text(v) for v in (*row, None, None, None)[:3]]
        key = cells[0]
        if key == "value":
            if cells[1]:
                values[cells[1]] = _text(row[2]) if len(row) > 2 else ""
        elif key:
            fields.setdefault(key, cells[1:])
    if fields.get("format", [""])[0] != FORMAT:
        return None
    try:
        block, phase, unit = fields["block"], fields["phase"], fields["unit"]
        ids = [_number(block[1]), _number(phase[1]), _number(unit[1]),
               _number(fields["first_row"][0])]
        stamp = fields["fingerprint"][0]
    except KeyError:
        return None
    if any(i is None for i in ids) or not stamp or not all((block[0], phase[0], unit[0])):
        return None
    block_id, phase_id, unit_id, first_row = (int(i) for i in ids if i is not None)
    return Identity(block[0], block_id, phase[0], phase_id, unit[0], unit_id, stamp,
                    fields.get("made", [""])[0], first_row, values)
