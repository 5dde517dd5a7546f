"""The report ("rp:") and review ("rv:") callback data: every format is read back as the
press it was built from, fits Telegram's 64 bytes with the largest ids, and nothing else
is taken for a press."""

from __future__ import annotations

import re

import pytest

from bot.buttons import CALLBACK_DATA_MAX_BYTES
from bot.services.reports import callbacks as rp
from bot.services.review import callbacks as rv

BIG = 10**rp.ID_DIGITS - 1  # the largest id the formats carry

REPORT_PRESSES: list[rp.Press] = [
    rp.OpenReport(BIG), rp.ChooseCriterion(BIG, BIG), rp.AnswerYesNo(BIG, BIG, True),
    rp.AnswerYesNo(BIG, BIG, False), rp.PreviewSubmit(BIG), rp.ConfirmSubmit(BIG),
    rp.OpenReport(0), rp.ChooseCriterion(1, 2), rp.AnswerYesNo(3, 4, False),
    rp.OpenPage(BIG, BIG), rp.OpenPage(1, 0), rp.ShowValues(BIG),
]
REVIEW_PRESSES: list[rv.Press] = [
    rv.ListPhase(BIG), rv.FinishPhase(BIG), rv.OpenUnit(BIG), rv.AskPoints(BIG, BIG, BIG),
    rv.SendEvidence(BIG), rv.Accept(BIG, BIG), rv.AskReturn(BIG, BIG), rv.AskPoints(7, 8, 0),
    # buttons of an earlier release, without the version their screen showed
    rv.AskPoints(7, 8), rv.Accept(9), rv.AskReturn(9),
    rv.OpenPage(BIG, BIG), rv.SendEvidence(BIG, BIG), rv.SendEvidence(3, 4),
]


@pytest.mark.parametrize("press", REPORT_PRESSES, ids=repr)
def test_every_report_format_round_trips_and_fits(press: rp.Press) -> None:
    data = rp.data_of(press)
    assert data.startswith(rp.PREFIX) and re.match(rp.PATTERN, data)
    assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
    assert rp.parse(data) == press
    assert rv.parse(data) is None


@pytest.mark.parametrize("press", REVIEW_PRESSES, ids=repr)
def test_every_review_format_round_trips_and_fits(press: rv.Press) -> None:
    data = rv.data_of(press)
    assert data.startswith(rv.PREFIX) and re.match(rv.PATTERN, data)
    assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
    assert rv.parse(data) == press
    assert rp.parse(data) is None


def test_every_kind_is_covered() -> None:
    assert {type(p) for p in REPORT_PRESSES} == set(rp.Press.__args__)
    assert {type(p) for p in REVIEW_PRESSES} == set(rv.Press.__args__)


def test_the_builders_are_the_known_formats() -> None:
    # The unit's notices in the outbox and buttons already sent carry these: they must not
    # change shape.
    assert rp.open_report(5) == "rp:o:5"
    assert rp.choose_criterion(5, 6) == "rp:c:5:6"
    assert rp.answer_yesno(5, 6, True) == "rp:y:5:6:1"
    assert rp.preview_submit(5) == "rp:s:5" and rp.confirm_submit(5) == "rp:k:5"
    assert [rv.list_phase(5), rv.finish_phase(5), rv.open_unit(9), rv.send_evidence(9)] == [
        "rv:l:5", "rv:d:5", "rv:u:9", "rv:e:9"]
    # The chair's changing buttons carry the report's version their screen showed (3);
    # those of an earlier release, without it, still read back (version None).
    assert [rv.ask_points(9, 6, 3), rv.accept(9, 3), rv.ask_return(9, 3)] == [
        "rv:c:9:6:3", "rv:a:9:3", "rv:r:9:3"]
    assert [rv.parse("rv:c:9:6"), rv.parse("rv:a:9"), rv.parse("rv:r:9")] == [
        rv.AskPoints(9, 6, None), rv.Accept(9, None), rv.AskReturn(9, None)]
    # Pages of the form and of the chair's report, one criterion's files, every value.
    assert [rp.open_page(5, 2), rp.show_values(5), rv.open_page(9, 1),
            rv.send_evidence(9, 6)] == ["rp:g:5:2", "rp:v:5", "rv:p:9:1", "rv:e:9:6"]


@pytest.mark.parametrize("data", [
    None, "", "rp:", "rp:o:", "rp:o:abc", "rp:o:1:2", "rp:c:1", "rp:y:1:2", "rp:y:1:2:2",
    "rp:o:²", "rp:o:١", "rp:o:-1", "rp:o:+1", "rp:o: 1", "rp:o:1\n", "rp:x:1",
    "rp:o:" + "9" * (rp.ID_DIGITS + 1), "xrp:o:1", "rv:o:1", "rp:g:1", "rp:g:1:x",
    "rp:v:1:2",
])
def test_anything_else_is_not_a_report_press(data: str | None) -> None:
    assert rp.parse(data) is None


@pytest.mark.parametrize("data", [
    None, "rv:", "rv:u:", "rv:u:x", "rv:c:1", "rv:c:1:2:3:4", "rv:u:²", "rv:u:1\n",
    "rv:a:" + "1" * (rp.ID_DIGITS + 1), "rv:a:1:" + "1" * (rp.ID_DIGITS + 1), "rv:a:1:",
    "rv:r:1:²", "rv:u:1:2", "rv:z:1", "rp:u:1", "rv:p:1", "rv:e:1:2:3", "rv:e:1:²",
])
def test_anything_else_is_not_a_review_press(data: str | None) -> None:
    assert rv.parse(data) is None


@pytest.mark.parametrize("bad", [-1, 10**rp.ID_DIGITS])
def test_an_id_the_parser_could_not_read_is_never_built(bad: int) -> None:
    with pytest.raises(ValueError):
        rp.open_report(bad)
    with pytest.raises(ValueError):
        rv.ask_points(1, bad, 0)
    with pytest.raises(ValueError):
        rv.accept(1, bad)
