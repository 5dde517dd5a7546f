"""Tables of the award vote (migration 0011_awards).

Secrecy is in the shape of these tables (README, "The award vote"):
- `awards_voted` says "unit U has voted in round R" (who pressed, when); it holds no choice.
- `awards_ballots` holds the ballots: no unit, no person, no time. Its key is the ballot's
  random tracker and all of a round's rows (one per unit of the electorate, unused) are
  written when the round opens; a cast fills a randomly chosen unused row IN PLACE with a
  value of the same size, so neither the row order nor where the bytes sit in the
  database file follows the order of casting (tests/awards/test_secrecy.py).
- `awards_drafts` holds a ballot being filled in, keyed by the SHA-256 of a random token
  (in the ballot's buttons) and the presser's Telegram id: without the token, which only
  the voter's chat holds, a draft cannot be tied to anyone. Deleted when cast or closed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.tables import metadata
from storage.types import DecimalText, JSONText, UTCDateTime

__all__ = ["awards_ballots", "awards_candidates", "awards_drafts", "awards_rounds",
           "awards_voted", "metadata"]

TRACKER_LENGTH = 8  # characters of the tracker (Crockford base32: 40 random bits)

# One vote: the main round of a year (every award) or a runoff among tied units of one award.
awards_rounds = Table(
    "awards_rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_id", ForeignKey("blocks.id", ondelete="CASCADE"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # main | runoff
    Column("parent_id", ForeignKey("awards_rounds.id", ondelete="CASCADE")),
    Column("award_code", String(32)),  # a runoff's award
    Column("seats", Integer),  # a runoff's seats to fill
    # draft -> open -> counting -> closed | invalid (quorum not met; may be opened again)
    Column("state", String(16), nullable=False),
    Column("rules", JSONText, nullable=False),  # bot.services.awards.settings.Rules
    Column("electorate", Integer, nullable=False, default=0),  # units that may vote
    Column("opens", Integer, nullable=False, default=0),  # times opened (reopenings + 1)
    Column("closes_at", UTCDateTime),
    Column("opened_at", UTCDateTime),
    Column("opened_by", BigInteger),
    Column("closed_at", UTCDateTime),
    Column("closed_by", BigInteger),  # None: closed by the clock
    Column("reminded", JSONText, nullable=False, default=list),  # offsets already sent
    Column("result", JSONText),  # the tally as published (bot.services.awards.tally)
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_awards_rounds_block", "block_id", "state"),
)

awards_candidates = Table(
    "awards_candidates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("awards_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("award_code", String(32), nullable=False),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),  # order on the ballot (by year rank)
    Column("rank", Integer),  # in the year ranking when the list was made
    Column("total", DecimalText),
    Column("provisional", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),  # False: removed by the chair
    Column("added_by_chair", Boolean, nullable=False, default=False),
    UniqueConstraint("round_id", "award_code", "unit_id", name="uq_awards_candidates_unit"),
)

awards_voted = Table(
    "awards_voted",
    metadata,
    Column("round_id", ForeignKey("awards_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("voted", Boolean, nullable=False, default=False),
    Column("cast_by", BigInteger),
    Column("cast_by_name", String(300)),
    Column("cast_at", UTCDateTime),
)

awards_ballots = Table(
    "awards_ballots",
    metadata,
    Column("round_id", ForeignKey("awards_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("tracker", String(TRACKER_LENGTH), primary_key=True),
    Column("cast", Boolean, nullable=False, default=False),
    # "0"/"1" per candidate of the round, awards in order: the same length for every row
    # of a round, cast or not, so filling one rewrites it where it is.
    Column("choices", Text, nullable=False),
    sqlite_with_rowid=False,
)

awards_drafts = Table(
    "awards_drafts",
    metadata,
    Column("key", String(64), primary_key=True),  # sha256(token:tg_user_id), hex
    Column("round_id", ForeignKey("awards_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("choices", Text, nullable=False),
    sqlite_with_rowid=False,
)
