"""The minutes of the count (biên bản kiểm phiếu bình xét, suy tôn) as a .docx, in the
shared administrative layout (bot.documents): time, participants, ballots issued /
received / valid, a table per award with votes and shares, the runoffs, the result, the
signatures of the chair and the secretary. Every figure comes from the tally."""

from __future__ import annotations

import io
from datetime import datetime

from bot.documents import docx as word
from bot.documents import layout
from bot.formatting import format_datetime, format_number
from bot.services.awards.notices import when
from bot.services.awards.record import Counted, VoteRecord
from bot.services.awards.results import pct, share
from bot.services.awards.tally import AwardResult, verdict
from bot.texts import Catalog

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(index: int) -> str:
    """The section numeral of the minutes (0 -> "I")."""
    return _ROMAN[index] if index < len(_ROMAN) else str(index + 1)


def _time(texts: Catalog, lang: str, counted: Counted, at: datetime | None) -> str:
    return when(texts, lang, at, counted.state) if at is not None else "……"


def _award_table(doc: object, texts: Catalog, lang: str, counted: Counted,
                 result: AwardResult) -> None:
    state = counted.state
    rows = []
    for n, c in enumerate(result.candidates, start=1):
        rows.append([n, state.name(c.unit_id), c.votes, pct(c.share, lang),
                     texts.plain(lang, f"awards-doc-{verdict(result, c)}")])
    word.add_table(doc,  # type: ignore[arg-type]
                   [texts.plain(lang, f"awards-doc-col-{k}")
                    for k in ("n", "unit", "votes", "share", "result")],
                   rows, widths_mm=(12, 78, 22, 24, 29),
                   align=("center", "left", "center", "center", "center"))


def _round(doc: object, texts: Catalog, lang: str, counted: Counted, heading: str) -> None:
    state, tally = counted.state, counted.tally
    rnd = state.round
    word.add_heading(doc, heading)  # type: ignore[arg-type]
    word.add_paragraph(doc, texts.plain(  # type: ignore[arg-type]
        lang, "awards-doc-time", start=_time(texts, lang, counted, rnd.opened_at),
        end=_time(texts, lang, counted, rnd.closed_at)))
    word.add_paragraph(doc, texts.plain(  # type: ignore[arg-type]
        lang, "awards-doc-ballots", issued=tally.electorate, received=tally.cast,
        valid=tally.cast, invalid=0, turnout=pct(tally.turnout, lang),
        quorum=share(tally.quorum, lang)))
    for n, result in enumerate(tally.awards, start=1):
        rule = (texts.plain(lang, "awards-doc-rule", seats=result.seats,
                            share=share(result.threshold, lang), total=tally.electorate)
                if result.threshold is not None
                else texts.plain(lang, "awards-doc-rule-runoff", seats=result.seats))
        word.add_heading(doc, f"{n}. {result.award.name}", level=2)  # type: ignore[arg-type]
        word.add_paragraph(doc, rule)  # type: ignore[arg-type]
        _award_table(doc, texts, lang, counted, result)
        word.add_paragraph(doc, texts.plain(  # type: ignore[arg-type]
            lang, "awards-doc-blank", count=result.blank))


def minutes_docx(record: VoteRecord, texts: Catalog) -> bytes:
    main = record.main
    state = main.state
    block, lang = state.block, state.block.language
    closed = state.round.closed_at or state.round.created_at
    head = layout.block_head(block, title=texts.plain(lang, "awards-doc-minutes-title"),
                             summary=[texts.plain(lang, "awards-doc-minutes-summary",
                                                  year=state.round.year)],
                             on=closed.astimezone(block.tz).date(), kind="BB", texts=texts)
    doc = word.new_document(head)
    chair = layout.chair_unit(state.tree.units)
    word.add_paragraph(doc, texts.plain(lang, "awards-doc-intro", block=block.name,
                                        chair=chair.name if chair else "……"))
    word.add_heading(doc, texts.plain(lang, "awards-doc-participants", n=roman(0),
                                      cast=main.tally.cast, total=main.tally.electorate))
    voted = [v for v in state.voted if v.voted]
    word.add_table(doc, [texts.plain(lang, f"awards-doc-col-{k}")
                         for k in ("n", "unit", "representative", "cast-at")],
                   [[n, state.name(v.unit_id), v.cast_by_name or "",
                     format_datetime(v.cast_at, block.tz) if v.cast_at else ""]
                    for n, v in enumerate(voted, 1)],
                   widths_mm=(12, 70, 50, 33), align=("center", "left", "left", "center"))
    absent = [u.name for u in state.not_voted()]
    if absent:
        word.add_paragraph(doc, texts.plain(lang, "awards-doc-absent", units="; ".join(absent)))
    word.add_paragraph(doc, texts.plain(lang, "awards-doc-secret"))
    _round(doc, texts, lang, main, texts.plain(lang, "awards-doc-count", n=roman(1)))
    for n, runoff in enumerate(record.runoffs, start=2):
        _round(doc, texts, lang, runoff, texts.plain(
            lang, "awards-doc-runoff", n=roman(n),
            award=runoff.state.layout.awards[0].award.name))
    word.add_heading(doc, texts.plain(lang, "awards-doc-result",
                                      n=roman(len(record.runoffs) + 2)))
    for n, final in enumerate(record.final, start=1):
        units = "; ".join(state.name(u) for u in final.proposed) or texts.plain(
            lang, "awards-doc-nobody")
        word.add_paragraph(doc, texts.plain(lang, "awards-doc-final", n=n, award=final.name,
                                            units=units, count=len(final.proposed)))
        if final.pending:
            word.add_paragraph(doc, texts.plain(
                lang, "awards-doc-pending", units="; ".join(state.name(u)
                                                           for u in final.pending)))
    word.add_paragraph(doc, texts.plain(lang, "awards-doc-closing",
                                        copies=format_number(2, lang)))
    foot = layout.DocumentFoot(signers=(
        layout.Signer(caption=texts.plain(lang, "awards-doc-secretary"),
                      hint=texts.plain(lang, "document-sign-hint")),
        layout.Signer(caption=texts.plain(lang, "awards-doc-chairing"),
                      office=chair.name.upper() if chair else None,
                      hint=texts.plain(lang, "document-sign-hint"))))
    word.add_signatures(doc, foot)
    out = io.BytesIO()
    word.save(doc, out)
    return out.getvalue()
