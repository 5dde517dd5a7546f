"""Every outcome the handler words has its text in both languages, and the answer to a
workbook stays a phone screen however many cells were refused."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from bot.services.access import Caller
from bot.services.report_excel.checks import BadCell, CellProblem
from bot.services.report_excel.download import TemplateOutcome
from bot.services.report_excel.upload import Upload, UploadResult
from bot.services.values import BadValue, Problem
from bot.texts import catalog
from handlers.report.excel import CELLS_SHOWN, reason_text, upload_head

ANSWERED_ELSEWHERE = {Upload.SAVED, Upload.NOTHING, Upload.NOT_OURS}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_outcome_has_its_text(lang: str) -> None:
    texts = catalog().texts[lang]
    for outcome in set(Upload) - ANSWERED_ELSEWHERE:
        assert f"report-excel-refused-{outcome.value}" in texts, outcome
    for done in set(TemplateOutcome) - {TemplateOutcome.READY}:
        assert f"report-excel-template-{done.value}" in texts, done
    for problem in Problem:
        assert f"report-excel-reason-{problem.value}" in texts, problem
    for cell in CellProblem:
        assert f"report-excel-reason-{cell.value}" in texts, cell


def context(lang: str = "vi") -> Any:
    caller = Caller(tg_user_id=1, is_admin=False, language=lang)
    return SimpleNamespace(caller=caller,
                           t=lambda key, **p: catalog().text(lang, key, **p))


def test_reasons_read_as_the_issue_writes_them() -> None:
    over = BadCell("C12", bad=BadValue(Problem.OVER_MAX, limit=30))
    assert reason_text(context(), over) == "vượt quá 30 điểm tối đa"
    assert reason_text(context(), BadCell("C7", bad=BadValue(Problem.NOT_A_NUMBER))) == (
        "không phải là số")
    hint = BadCell("C7", bad=BadValue(Problem.NOT_A_NUMBER, suggestion="15"))
    assert reason_text(context(), hint) == "không phải là số (có phải là 15?)"
    unknown = BadCell("B9", CellProblem.UNKNOWN_CODE, code="<XYZ>")
    assert reason_text(context("en"), unknown) == (
        "the code «&lt;XYZ&gt;» is not in the scoring table")


def test_five_hundred_bad_cells_still_make_a_phone_screen() -> None:
    bad = tuple(BadCell(f"H{n}", bad=BadValue(Problem.NOT_A_NUMBER)) for n in range(500))
    head = upload_head(context(), UploadResult(Upload.NOTHING, bad=bad), "x" * 300 + ".xlsx")
    assert head.count("không phải là số") == CELLS_SHOWN
    assert "và 490 ô khác" in head
    assert len(head.splitlines()) <= CELLS_SHOWN + 3 and len(head) < 1000
