"""The award vote's screens: the chair's (preparation, status, results) and the ballot's
pages, summary and receipt, worded from the catalog in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.buttons import Button, Buttons, rows
from bot.formatting import format_datetime, format_points
from bot.services.awards import callbacks as cb
from bot.services.awards import tokens
from bot.services.awards.ballot import BallotResult
from bot.services.awards.notices import title, when
from bot.services.awards.record import Counted
from bot.services.awards.results import results_text, share
from bot.services.awards.state import RUNOFF, VoteState
from bot.texts import Catalog, Html
from storage.awards.records import Candidate

T = Callable[..., str]
PRESETS_MINUTES = (60, 120)
SHORT_LIST = 5  # candidates listed one per line up to this many


def _candidate(t: T, lang: str, state: VoteState, c: Candidate) -> str:
    if c.total is None:
        return t("awards-prep-candidate-added", unit=state.name(c.unit_id))
    return t("awards-prep-candidate", unit=state.name(c.unit_id), rank=c.rank or "",
             total=format_points(c.total, lang))


def _closing(t: T, texts: Catalog, lang: str, state: VoteState) -> str:
    closes = state.round.closes_at
    return (t("awards-prep-closes", closes=when(texts, lang, closes, state)) if closes
            else t("awards-prep-no-closing"))


def _time_buttons(t: T, state: VoteState, now: datetime) -> list[Button]:
    rid = state.round.id
    local = now.astimezone(state.block.tz)
    out = []
    if local.hour < 16 or (local.hour == 16 and local.minute < 30):
        out.append(Button(t("awards-button-at", time="17:00"), cb.closing_at(rid, 17, 0)))
    out += [Button(t("awards-button-in-hours", n=m // 60), cb.closing_in(rid, m))
            for m in PRESETS_MINUTES]
    out.append(Button(t("awards-button-typed-time"), cb.chair_data("kt", rid)))
    return out


def preparation(t: T, texts: Catalog, lang: str, state: VoteState, now: datetime
                ) -> tuple[str, Buttons]:
    """A prepared vote (or one to open again): candidates, rules, closing time."""
    rules, rid = state.rules, state.round.id
    reopen = state.round.state == "invalid"
    parts = [t("awards-prep-head", title=title(texts, lang, state))]
    if reopen:
        parts.append(t("awards-prep-reopen", cast=state.cast, total=state.electorate,
                       quorum=share(rules.quorum, lang)))
    if state.provisional:
        parts.append(t("awards-prep-provisional"))
    for n, (layout, cands) in enumerate(zip(state.layout.awards, state.candidates,
                                            strict=True), start=1):
        # One line each for a short list; a long one (every unit) as a paragraph, so the
        # screen stays within a phone's height.
        names = [_candidate(t, lang, state, c) for c in cands]
        listed = ("\n".join(f"• {n}" for n in names) if len(names) <= SHORT_LIST
                  else "; ".join(names)) or t("awards-prep-no-candidates")
        rule = (t("awards-rule-threshold", share=share(layout.threshold, lang),
                  total=state.electorate) if layout.threshold is not None
                else t("awards-rule-runoff"))
        parts.append(t("awards-prep-award", n=n, award=layout.award.name, seats=layout.seats,
                       rule=Html(rule), count=len(cands), candidates=Html(listed)))
    parts.append(t("awards-prep-rules", total=len(state.tree.units),
                   quorum=share(rules.quorum, lang),
                   self_vote=t("awards-yes" if rules.self_vote else "awards-no")))
    parts.append(_closing(t, texts, lang, state))
    edit_rows: list[list[Button]] = []
    if state.round.kind != RUNOFF and not reopen:
        edit_rows = [[Button(t("awards-button-edit", award=a.award.name), cb.edit_data(rid, i))]
                     for i, a in enumerate(state.layout.awards)]
    open_key = "awards-button-reopen-now" if reopen else "awards-button-open"
    last = [Button(t(open_key), cb.chair_data("o", rid))]
    if not reopen:
        last.append(Button(t("awards-button-drop"), cb.chair_data("x", rid)))
    return "\n\n".join(parts), rows(*edit_rows, _time_buttons(t, state, now), last)


def candidates_editor(t: T, state: VoteState, award: int) -> tuple[str, Buttons]:
    layout = state.layout.awards[award]
    on = set(layout.units)
    buttons = [[Button(t("awards-edit-on" if u.id in on else "awards-edit-off", unit=u.name),
                       cb.candidate_data(state.round.id, award, u.id))]
               for u in state.tree.units]
    back = [Button(t("awards-button-back"), cb.chair_data("v", state.round.id))]
    return (t("awards-edit-head", award=layout.award.name, count=len(on), seats=layout.seats),
            rows(*buttons, back))


def status(t: T, texts: Catalog, lang: str, state: VoteState) -> tuple[str, Buttons]:
    """The chair's view of an open vote: k/N and who has not voted. No counts: there are
    none to show until the vote is closed."""
    missing = [u.name for u in state.not_voted()]
    closes = state.round.closes_at
    text = t("awards-status", title=title(texts, lang, state), cast=state.cast,
             total=state.electorate, closes=when(texts, lang, closes, state) if closes else "",
             missing=Html("\n".join(t("awards-status-missing", unit=m) for m in missing)
                          or t("awards-status-all")))
    rid = state.round.id
    line = [Button(t("awards-button-vote"), cb.open_ballot_data(rid)),
            Button(t("awards-button-refresh"), cb.chair_data("v", rid))]
    close = ([Button(t("awards-button-close"), cb.chair_data("z", rid))]
             if not missing else [])
    return text, rows(line, close)


def results(t: T, texts: Catalog, lang: str, counted: Counted) -> tuple[str, Buttons]:
    state, tally = counted.state, counted.tally
    rid = state.round.id
    runoffs = [[Button(t("awards-button-runoff", award=r.award.name), cb.runoff_data(rid, i))]
               for i, r in enumerate(tally.awards) if r.tied]
    documents = [Button(t("awards-button-minutes"), cb.document_data(rid, "m")),
                 Button(t("awards-button-proposal"), cb.document_data(rid, "p"))]
    return results_text(texts, lang, state, tally), rows(*runoffs, documents)


# -- the ballot -----------------------------------------------------------------------------

def ballot_page(t: T, texts: Catalog, lang: str, result: BallotResult) -> tuple[str, Buttons]:
    state, unit = result.state, result.unit
    assert state is not None and unit is not None
    layout, page, token, rid = state.layout, result.page, result.token, state.round.id
    award = layout.awards[page]
    chosen = set(layout.chosen(result.choices, page))
    closes = state.round.closes_at
    text = t("awards-ballot-page", title=title(texts, lang, state), unit=unit.name,
             n=page + 1, of=len(layout.awards), award=award.award.name, seats=award.seats,
             chosen=len(chosen), closes=when(texts, lang, closes, state) if closes else "")
    marks = [[Button(t("awards-ballot-on" if p in chosen else "awards-ballot-off",
                       unit=state.name(u)), cb.toggle_data(rid, token, page, p))]
             for p, u in enumerate(award.units)]
    nav = []
    if page > 0:
        nav.append(Button(t("awards-button-previous"), cb.page_data(rid, token, page - 1)))
    if page + 1 < len(layout.awards):
        nav.append(Button(t("awards-button-next"), cb.page_data(rid, token, page + 1)))
    return text, rows(*marks, nav, [Button(t("awards-button-cast"),
                                           cb.summary_data(rid, token))])


def ballot_summary(t: T, texts: Catalog, lang: str, result: BallotResult
                   ) -> tuple[str, Buttons]:
    state, unit = result.state, result.unit
    assert state is not None and unit is not None
    layout = state.layout
    lines = []
    for i, a in enumerate(layout.awards):
        chosen = [state.name(a.units[p]) for p in layout.chosen(result.choices, i)]
        lines.append(t("awards-summary-award", n=i + 1, award=a.award.name,
                       units=", ".join(chosen) or t("awards-summary-blank"),
                       chosen=len(chosen), seats=a.seats))
    rid = state.round.id
    return (t("awards-summary", unit=unit.name, lines=Html("\n".join(lines))),
            rows([Button(t("awards-button-confirm"), cb.cast_data(rid, result.token)),
                  Button(t("awards-button-change"), cb.page_data(rid, result.token, 0))]))


def receipt(t: T, result: BallotResult) -> str:
    state, unit = result.state, result.unit
    assert state is not None and unit is not None and result.tracker is not None
    voted = state.voted_of(unit.id)
    at = voted.cast_at if voted and voted.cast_at else None
    return t("awards-receipt", unit=unit.name, tracker=tokens.shown(result.tracker),
             at=format_datetime(at, state.block.tz) if at else "",
             cast=state.cast, total=state.electorate)


def already(t: T, result: BallotResult) -> str:
    state, voted = result.state, result.voted
    assert state is not None
    if voted is None or voted.cast_at is None:
        return t("awards-already-plain")
    return t("awards-already", unit=state.name(voted.unit_id), name=voted.cast_by_name or "",
             at=format_datetime(voted.cast_at, state.block.tz))
