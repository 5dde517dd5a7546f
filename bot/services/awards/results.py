"""The results as people read them: the group's text, the published ballots, the final
proposal of each award (the main round's proposed units and the runoffs' winners)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.formatting import format_number
from bot.services.awards import tokens
from bot.services.awards.notices import title
from bot.services.awards.state import VoteState
from bot.services.awards.tally import AwardResult, Tally, verdict
from bot.texts import Catalog, Html
from storage.awards.records import Ballot


def pct(value: Decimal, lang: str) -> str:
    return format_number(value, lang) + "%"


def share(value: Decimal, lang: str) -> str:
    """A threshold or quorum as people say it: 0.5 -> "50%", 0.67 -> "67%"."""
    return pct(value * 100, lang)


def names(state: VoteState, unit_ids: Sequence[int]) -> str:
    return ", ".join(state.name(u) for u in unit_ids)


def award_text(texts: Catalog, lang: str, state: VoteState, n: int, result: AwardResult
               ) -> str:
    lines = [texts.text(lang, "awards-result-award", n=n, award=result.award.name,
                        seats=result.seats,
                        rule=texts.text(lang, "awards-rule-threshold",
                                        share=share(result.threshold, lang),
                                        total=state.electorate)
                        if result.threshold is not None
                        else texts.text(lang, "awards-rule-runoff"))]
    silent = 0
    for rank, c in enumerate(result.candidates, start=1):
        if c.votes == 0:
            silent += 1
            continue
        mark = f"awards-mark-{verdict(result, c)}"
        lines.append(texts.text(lang, "awards-result-line", rank=rank,
                                unit=state.name(c.unit_id), votes=c.votes,
                                share=pct(c.share, lang), mark=texts.plain(lang, mark)))
    if silent:
        lines.append(texts.text(lang, "awards-result-silent", count=silent))
    if result.blank:
        lines.append(texts.text(lang, "awards-result-blank", count=result.blank))
    lines.append(texts.text(lang, "awards-result-proposed",
                            units=names(state, result.proposed)) if result.proposed
                 else texts.text(lang, "awards-result-none"))
    if result.tied:
        lines.append(texts.text(lang, "awards-result-tie", units=names(state, result.tied),
                                seats=result.open_seats))
    return "\n".join(lines)


def results_text(texts: Catalog, lang: str, state: VoteState, tally: Tally) -> str:
    head = texts.text(lang, "awards-result-head", title=title(texts, lang, state).upper(),
                      cast=tally.cast, total=tally.electorate,
                      turnout=pct(tally.turnout, lang), quorum=share(tally.quorum, lang))
    if not tally.valid:
        return head + "\n\n" + texts.text(lang, "awards-result-invalid")
    parts = [award_text(texts, lang, state, n, r) for n, r in enumerate(tally.awards, 1)]
    return "\n\n".join([head, *parts])


def choice_codes(state: VoteState, choices: str) -> list[tuple[str, list[str]]]:
    """(award code, chosen unit codes) of one ballot."""
    layout = state.layout
    return [(a.award.code, [state.code(a.units[p]) for p in layout.chosen(choices, i)])
            for i, a in enumerate(layout.awards)]


def ballot_line(texts: Catalog, lang: str, state: VoteState, ballot: Ballot) -> str:
    parts = [texts.plain(lang, "awards-ballot-award", award=code,
                         units=", ".join(units) or texts.plain(lang, "awards-ballot-blank"))
             for code, units in choice_codes(state, ballot.choices)]
    return texts.text(lang, "awards-ballot-line", tracker=tokens.shown(ballot.tracker),
                      choices=" · ".join(parts))


def ballots_text(texts: Catalog, lang: str, state: VoteState, ballots: Sequence[Ballot]
                 ) -> str:
    """Every ballot as (tracker, choices), by tracker: each unit finds its own."""
    legend = "; ".join([f"{a.award.code} = {a.award.name}" for a in state.layout.awards]
                       + [f"{u.code} = {u.name}" for u in state.tree.units
                          if any(u.id in a.units for a in state.layout.awards)])
    lines = [ballot_line(texts, lang, state, b) for b in ballots]
    return texts.text(lang, "awards-ballots-head", count=len(ballots), cast=state.cast,
                      lines=Html("\n".join(lines)), legend=legend)


@dataclass(frozen=True)
class FinalAward:
    """One award's outcome over the main round and its runoffs."""

    code: str
    name: str
    proposed: tuple[int, ...]
    pending: tuple[int, ...]  # still tied (a runoff to hold or to count)


def final_outcome(main: Tally, runoffs: Sequence[tuple[str, Tally]]) -> list[FinalAward]:
    """The main round's proposed units, then each runoff's winners in order (`runoffs`:
    (award code, tally) of the valid counted runoffs, oldest first)."""
    out = []
    for result in main.awards:
        proposed, pending = list(result.proposed), tuple(result.tied)
        for code, tally in runoffs:
            if code != result.award.code or not tally.valid:
                continue
            won = tally.awards[0]
            proposed += [u for u in won.proposed if u not in proposed]
            pending = won.tied
        out.append(FinalAward(result.award.code, result.award.name, tuple(proposed), pending))
    return out
