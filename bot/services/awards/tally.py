"""The ballot's layout and the count: pure functions, no database.

A ballot is one "0"/"1" per candidate of the round, the awards one after the other in the
block file's order, each award's candidates in ballot order (year rank). Rules (settings
of the block file, README "The award vote"):
- the vote is valid when at least `quorum` of the electorate (the member units when it
  opened) has voted;
- a candidate passes with MORE than `threshold` of the electorate's votes (not of the
  ballots cast); a runoff has no threshold, its candidates passed it in the main round;
- the proposed units are those passing, by votes, within the award's seats; when the
  last seat falls among units with equal votes ("bằng phiếu"), those units are tied and
  the seats left go to a runoff among them only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.services.awards.settings import Award

PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class AwardLayout:
    award: Award
    seats: int  # the award's seats, or a runoff's seats left
    threshold: Decimal | None  # None in a runoff
    units: tuple[int, ...]  # candidate unit ids in ballot order
    offset: int  # where this award's characters start in the ballot


@dataclass(frozen=True)
class Layout:
    awards: tuple[AwardLayout, ...]

    @property
    def length(self) -> int:
        return sum(len(a.units) for a in self.awards)

    def blank(self) -> str:
        return "0" * self.length

    def chosen(self, choices: str, award_index: int) -> tuple[int, ...]:
        """The positions (within the award) marked on a ballot."""
        a = self.awards[award_index]
        part = choices[a.offset:a.offset + len(a.units)]
        return tuple(i for i, mark in enumerate(part) if mark == "1")

    def toggled(self, choices: str, award_index: int, position: int) -> str:
        a = self.awards[award_index]
        at = a.offset + position
        return choices[:at] + ("0" if choices[at] == "1" else "1") + choices[at + 1:]

    def fits(self, choices: str) -> bool:
        return len(choices) == self.length and set(choices) <= {"0", "1"} and all(
            len(self.chosen(choices, i)) <= a.seats for i, a in enumerate(self.awards))


def layout_of(awards: Sequence[tuple[Award, int, Decimal | None, Sequence[int]]]) -> Layout:
    """From (award, seats, threshold, candidate unit ids) in ballot order."""
    out, offset = [], 0
    for award, seats, threshold, units in awards:
        out.append(AwardLayout(award, seats, threshold, tuple(units), offset))
        offset += len(units)
    return Layout(tuple(out))


@dataclass(frozen=True)
class CandidateResult:
    unit_id: int
    votes: int
    share: Decimal  # of the electorate, in per cent, one decimal
    passed: bool


@dataclass(frozen=True)
class AwardResult:
    award: Award
    seats: int
    threshold: Decimal | None
    candidates: tuple[CandidateResult, ...]  # most votes first, then ballot order
    blank: int  # ballots that chose nobody for this award
    proposed: tuple[int, ...]  # unit ids, most votes first
    tied: tuple[int, ...]  # equal votes at the last seat: a runoff decides
    open_seats: int  # seats the tie leaves to a runoff


@dataclass(frozen=True)
class Tally:
    electorate: int
    cast: int
    quorum: Decimal
    awards: tuple[AwardResult, ...]

    @property
    def valid(self) -> bool:
        return self.electorate > 0 and Decimal(self.cast) >= self.quorum * self.electorate

    @property
    def turnout(self) -> Decimal:
        return percent(self.cast, self.electorate)


def percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


def passes(votes: int, electorate: int, threshold: Decimal | None) -> bool:
    """MORE than the threshold's share of the electorate; a runoff: any vote at all."""
    if threshold is None:
        return votes > 0
    return Decimal(votes) > threshold * electorate


def _award_result(a: AwardLayout, index: int, layout: Layout, ballots: Sequence[str],
                  electorate: int) -> AwardResult:
    votes = [0] * len(a.units)
    blank = 0
    for choices in ballots:
        chosen = layout.chosen(choices, index)
        blank += not chosen
        for position in chosen:
            votes[position] += 1
    order = sorted(range(len(a.units)), key=lambda p: (-votes[p], p))
    results = tuple(CandidateResult(a.units[p], votes[p], percent(votes[p], electorate),
                                    passes(votes[p], electorate, a.threshold)) for p in order)
    eligible = [r for r in results if r.passed]
    proposed: tuple[int, ...] = tuple(r.unit_id for r in eligible)
    tied: tuple[int, ...] = ()
    if len(eligible) > a.seats:
        cutoff = eligible[a.seats - 1].votes
        above = tuple(r.unit_id for r in eligible if r.votes > cutoff)
        if eligible[a.seats].votes == cutoff:
            proposed, tied = above, tuple(r.unit_id for r in eligible if r.votes == cutoff)
        else:
            proposed = tuple(r.unit_id for r in eligible[:a.seats])
    return AwardResult(a.award, a.seats, a.threshold, results, blank, proposed, tied,
                       a.seats - len(proposed) if tied else 0)


def verdict(result: AwardResult, candidate: CandidateResult) -> str:
    """proposed | tied | passed (over the threshold, beyond the seats) | failed; in a
    runoff every unit not chosen has failed."""
    if candidate.unit_id in result.proposed:
        return "proposed"
    if candidate.unit_id in result.tied:
        return "tied"
    return "passed" if candidate.passed and result.threshold is not None else "failed"


def count(layout: Layout, ballots: Iterable[str], electorate: int, quorum: Decimal) -> Tally:
    cast = [b for b in ballots if layout.fits(b)]
    return Tally(electorate, len(cast), quorum, tuple(
        _award_result(a, i, layout, cast, electorate) for i, a in enumerate(layout.awards)))
