"""A unit that reports through Excel (issue 23): its focal point presses «📥 Mẫu Excel»
under the form, the departments fill the workbook in, and the file goes back to the bot,
which answers with the form."""

from __future__ import annotations

import asyncio
import io

from openpyxl import load_workbook

from bot.demo.cast import Person
from bot.demo.play import Play
from bot.formatting import parse_number
from bot.sandbox import SentMessage
from bot.services.report_excel import layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLING_MINUTES = 40  # the departments send their figures, the focal point types them in


def fill_workbook(data: bytes, cells: dict[str, object]) -> bytes:
    """The template with each criterion's value cell typed in (code -> value)."""
    wb = load_workbook(io.BytesIO(data))
    ws = next(s for s in wb.worksheets if s.title != layout.IDENTITY_SHEET)
    for row in range(layout.FIRST_ROW, ws.max_row + 1):
        code = ws.cell(row=row, column=layout.CODE_COL).value
        if code in cells:
            ws.cell(row=row, column=layout.VALUE_COL, value=cells[str(code)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(play: Play, kind: str, typed: str) -> object:
    """What a spreadsheet holds once the value is typed in: figures become numbers."""
    lang = play.spec.language
    if kind == "yesno":
        yes = typed in ("có", "yes")
        return play.label("report-excel-yes" if yes else "report-excel-no")
    if kind in ("score", "number", "percent"):
        figure = parse_number(typed, lang)
        return int(figure) if figure == figure.to_integral_value() else float(figure)
    return typed


async def by_excel(play: Play, person: Person, values: dict[str, str]) -> SentMessage:
    form = await play.moves.say(person, "/report")
    sent = await play.moves.press(person, form, play.label("report-excel-button"))
    document = sent.message["document"]
    kinds = {c.code: c.kind for c in play.spec.criteria}
    cells = {code: _cell(play, kinds[code], value) for code, value in values.items()}
    data = play.stage.emu.file_bytes(document["file_id"])
    filled = await asyncio.to_thread(fill_workbook, data, cells)
    await play.stage.pass_minutes(FILLING_MINUTES)
    return await play.moves.document(person, filled, filename=document["file_name"],
                                     mime_type=XLSX)

