"""The award vote's callback data, built and read in one place.

A ballot's buttons carry the round, the draft's random token and which button it is
(award and candidate positions, the same data whether the candidate is marked or not):
never the unit, never the choices. Rights and the draft's owner are checked against the
database at the press (the draft is found by the token and the presser together).

    aw:b:<round>                          open my ballot (invitation, reminder)
    aw:t:<round>:<token>:<award>:<cand>   mark / unmark a candidate
    aw:p:<round>:<token>:<award>          show one award's page of the ballot
    aw:s:<round>:<token>                  «Bỏ phiếu»: the summary before casting
    aw:c:<round>:<token>                  «Xác nhận»: cast the ballot
    aw:v:<round>                          the chair's screen of a round
    aw:e:<round>:<award>                  the chair edits an award's candidates
    aw:u:<round>:<award>:<unit>           add / remove a candidate (a reason is asked)
    aw:k:<round>:d<minutes>|t<HHMM>       closing time: in so many minutes, at HH:MM today
    aw:kt:<round>                         closing time typed in
    aw:o:<round>                          open (or open again) the vote
    aw:x:<round>                          drop the prepared vote
    aw:z:<round>                          «Kết thúc bỏ phiếu» (every unit has voted)
    aw:r:<round>:<award>                  a runoff among the units tied for an award
    aw:d:<round>:m|p                      the minutes (biên bản) or the proposal (tờ trình)
    aw:n                                  stop waiting for a typed reason or time
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID = r"[0-9]{1,18}"
POS = r"[0-9]{1,2}"  # positions on a ballot (at most 9 awards, 99 candidates)
TOKEN = r"[A-Za-z0-9_-]{22}"
PREFIX = "aw:"
ANY = re.compile(r"^aw:")

OPEN_BALLOT = re.compile(rf"^aw:b:({ID})$")
TOGGLE = re.compile(rf"^aw:t:({ID}):({TOKEN}):({POS}):({POS})$")
PAGE = re.compile(rf"^aw:p:({ID}):({TOKEN}):({POS})$")
SUMMARY = re.compile(rf"^aw:s:({ID}):({TOKEN})$")
CAST = re.compile(rf"^aw:c:({ID}):({TOKEN})$")
CHAIR = re.compile(rf"^aw:(v|o|x|z|kt):({ID})$")
EDIT = re.compile(rf"^aw:e:({ID}):({POS})$")
CANDIDATE = re.compile(rf"^aw:u:({ID}):({POS}):({ID})$")
CLOSING = re.compile(rf"^aw:k:({ID}):(d[0-9]{{1,4}}|t[0-9]{{4}})$")
RUNOFF = re.compile(rf"^aw:r:({ID}):({POS})$")
DOCUMENT = re.compile(rf"^aw:d:({ID}):(m|p)$")
CANCEL_INPUT = "aw:n"


@dataclass(frozen=True)
class BallotPress:
    """A press on a ballot: `kind` t (toggle), p (page), s (summary) or c (cast)."""

    kind: str
    round_id: int
    token: str
    award: int = 0
    candidate: int = 0


def open_ballot_data(round_id: int) -> str:
    return f"aw:b:{round_id}"


def parse_open_ballot(data: str | None) -> int | None:
    match = OPEN_BALLOT.match(data or "")
    return int(match[1]) if match else None


def toggle_data(round_id: int, token: str, award: int, candidate: int) -> str:
    return f"aw:t:{round_id}:{token}:{award}:{candidate}"


def page_data(round_id: int, token: str, award: int) -> str:
    return f"aw:p:{round_id}:{token}:{award}"


def summary_data(round_id: int, token: str) -> str:
    return f"aw:s:{round_id}:{token}"


def cast_data(round_id: int, token: str) -> str:
    return f"aw:c:{round_id}:{token}"


def parse_ballot(data: str | None) -> BallotPress | None:
    text = data or ""
    if match := TOGGLE.match(text):
        return BallotPress("t", int(match[1]), match[2], int(match[3]), int(match[4]))
    if match := PAGE.match(text):
        return BallotPress("p", int(match[1]), match[2], int(match[3]))
    if match := SUMMARY.match(text):
        return BallotPress("s", int(match[1]), match[2])
    if match := CAST.match(text):
        return BallotPress("c", int(match[1]), match[2])
    return None


BALLOT = re.compile(rf"^aw:[tpsc]:{ID}:")


@dataclass(frozen=True)
class ChairPress:
    """A press of the chair: `kind` v, o, x, z, kt (round only), e (award), u (award and
    unit), k (closing: `closing` "d90" or "t1700"), r (award), d (`closing` "m" or "p")."""

    kind: str
    round_id: int
    award: int = 0
    unit_id: int = 0
    closing: str = ""


def chair_data(kind: str, round_id: int) -> str:
    return f"aw:{kind}:{round_id}"


def edit_data(round_id: int, award: int) -> str:
    return f"aw:e:{round_id}:{award}"


def candidate_data(round_id: int, award: int, unit_id: int) -> str:
    return f"aw:u:{round_id}:{award}:{unit_id}"


def closing_in(round_id: int, minutes: int) -> str:
    return f"aw:k:{round_id}:d{minutes}"


def closing_at(round_id: int, hour: int, minute: int) -> str:
    return f"aw:k:{round_id}:t{hour:02d}{minute:02d}"


def runoff_data(round_id: int, award: int) -> str:
    return f"aw:r:{round_id}:{award}"


def parse_chair(data: str | None) -> ChairPress | None:
    text = data or ""
    if match := CHAIR.match(text):
        return ChairPress(match[1], int(match[2]))
    if match := EDIT.match(text):
        return ChairPress("e", int(match[1]), award=int(match[2]))
    if match := CANDIDATE.match(text):
        return ChairPress("u", int(match[1]), award=int(match[2]), unit_id=int(match[3]))
    if match := CLOSING.match(text):
        return ChairPress("k", int(match[1]), closing=match[2])
    if match := RUNOFF.match(text):
        return ChairPress("r", int(match[1]), award=int(match[2]))
    if match := DOCUMENT.match(text):
        return ChairPress("d", int(match[1]), closing=match[2])
    return None


def document_data(round_id: int, which: str) -> str:
    """`which`: "m" the minutes, "p" the proposal."""
    return f"aw:d:{round_id}:{which}"


CHAIR_PRESS = re.compile(r"^aw:(v|o|x|z|kt|e|u|k|r|d):")
