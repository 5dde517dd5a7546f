"""The draft proposal (tờ trình) to the provincial emulation office: the units the vote
proposes, per award, with their year totals, ranks and votes. The texts it cites come
from the block file (`[review] cites`): decrees change, the block names what it follows."""

from __future__ import annotations

import io
from decimal import Decimal

from bot.documents import docx as word
from bot.documents import layout
from bot.formatting import format_points
from bot.services.awards.record import VoteRecord
from bot.services.awards.results import pct
from bot.texts import Catalog


def _votes(texts: Catalog, record: VoteRecord, award_code: str, unit_id: int) -> str:
    """The unit's votes in the main round, then in each runoff it stood in."""
    lang = record.block.language
    parts = []
    for n, counted in enumerate((record.main, *record.runoffs)):
        for result in counted.tally.awards:
            found = next((c for c in result.candidates if c.unit_id == unit_id), None)
            if result.award.code != award_code or found is None:
                continue
            key = "awards-doc-votes" if n == 0 else "awards-doc-votes-runoff"
            parts.append(texts.plain(lang, key, votes=found.votes, share=pct(found.share, lang)))
    return "; ".join(parts) or texts.plain(lang, "awards-doc-votes", votes=0,
                                           share=pct(Decimal(0), lang))


def proposal_docx(record: VoteRecord, texts: Catalog) -> bytes:
    state = record.main.state
    block, lang = state.block, state.block.language
    closed = state.round.closed_at or state.round.created_at
    awards = texts.plain(lang, "awards-doc-and").join(
        f.name for f in record.final if f.proposed) or "……"
    head = layout.block_head(block, title=texts.plain(lang, "awards-doc-proposal-title"),
                             summary=[texts.plain(lang, "awards-doc-proposal-summary",
                                                  awards=awards, year=state.round.year)],
                             on=closed.astimezone(block.tz).date(), kind="TTr", texts=texts)
    doc = word.new_document(head)
    word.add_paragraph(doc, texts.plain(lang, "awards-doc-to"), align="center", indent=False)
    for cite in state.rules.cites:
        word.add_paragraph(doc, texts.plain(lang, "awards-doc-cite", text=cite))
    date = closed.astimezone(block.tz)
    word.add_paragraph(doc, texts.plain(
        lang, "awards-doc-proposal-intro", block=block.name, year=state.round.year,
        day=date.day, month=date.month, cast=record.main.tally.cast,
        total=record.main.tally.electorate))
    candidates = {(c.award_code, c.unit_id): c for award in state.candidates for c in award}
    for n, final in enumerate(record.final, start=1):
        word.add_heading(doc, texts.plain(lang, "awards-doc-proposal-award", n=n,
                                          award=final.name, count=len(final.proposed)))
        rows = []
        for k, unit_id in enumerate(final.proposed, start=1):
            c = candidates.get((final.code, unit_id))
            rows.append([k, state.name(unit_id),
                         format_points(c.total, lang) if c and c.total is not None else "",
                         c.rank if c and c.rank is not None else "",
                         _votes(texts, record, final.code, unit_id)])
        if rows:
            word.add_table(doc, [texts.plain(lang, f"awards-doc-col-{k}")
                                 for k in ("n", "unit", "total", "rank", "votes-share")],
                           rows, widths_mm=(12, 75, 27, 22, 29),
                           align=("center", "left", "center", "center", "center"))
        else:
            word.add_paragraph(doc, texts.plain(lang, "awards-doc-nobody"))
    word.add_paragraph(doc, texts.plain(lang, "awards-doc-proposal-attached"))
    word.add_paragraph(doc, texts.plain(lang, "awards-doc-proposal-ask", block=block.name))
    chair = layout.chair_unit(state.tree.units)
    foot = layout.DocumentFoot(
        recipients_caption=texts.plain(lang, "document-recipients"),
        recipients=(texts.plain(lang, "awards-doc-recipient-above"),
                    texts.plain(lang, "document-recipient-units"),
                    texts.plain(lang, "document-recipient-archive")),
        signers=(layout.chair_signer(lang, chair, texts),))
    word.add_signatures(doc, foot)
    out = io.BytesIO()
    word.save(doc, out)
    return out.getvalue()
