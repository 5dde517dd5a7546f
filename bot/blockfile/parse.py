"""Read a block file (TOML) into a `BlockSpec`, reporting every problem in one go.

The secretariat edits the file by hand and re-runs setup; listing all mistakes at once
saves them a round trip per typo.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.blockfile.activities import read_activities
from bot.blockfile.awards import read_awards
from bot.blockfile.model import (
    ActivitySpec,
    AwardReviewSpec,
    AwardSpec,
    BlockFileError,
    BlockFileProblem,
    BlockSpec,
    CovenantSpec,
    CriterionSpec,
    PhaseSpec,
    RankingSpec,
    RemindersSpec,
    UnitSpec,
)
from bot.blockfile.ranking import read_ranking
from bot.blockfile.reminders import read_reminders
from bot.blockfile.sections import (
    DEFAULT_TIMEZONE,
    Fields,
    check_weights,
    read_block,
    read_covenant,
    read_criteria,
    read_phases,
    read_units,
)
from bot.blockfile.validators import Problems, Table, type_name

# Also the order problems are listed in, matching the order of sections in the example file.
TOP_KEYS = ("block", "units", "phases", "criteria", "covenant", "reminders", "activities",
            "awards", "review", "ranking")


def load_block_file(path: str | os.PathLike[str]) -> BlockSpec:
    """Read and validate the block file at ``path``; raises `BlockFileError`."""
    name = os.fspath(path)
    try:
        raw = Path(name).read_bytes()
    except FileNotFoundError:
        raise BlockFileError([BlockFileProblem(name, "file not found")]) from None
    except IsADirectoryError:
        raise BlockFileError([BlockFileProblem(name, "is a directory, not a file")]) from None
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise BlockFileError([BlockFileProblem(name, message)]) from None
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        raise BlockFileError([BlockFileProblem(name, message)]) from None
    return parse_block_text(text, source=name)


def parse_block_text(text: str, *, source: str = "<block file>") -> BlockSpec:
    """Validate block-file TOML ``text``; raises `BlockFileError` listing every problem."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise BlockFileError([BlockFileProblem(source, str(exc))]) from None
    return _validate(data)


def _validate(data: dict[str, Any]) -> BlockSpec:
    problems = Problems()
    Table(data, "", problems, TOP_KEYS)
    block_data = data.get("block")
    if block_data is None:
        problems.add("block", "required")
    elif not isinstance(block_data, dict):
        problems.add("block", f"expected a table ([block]), got {type_name(block_data)}")
    if isinstance(block_data, dict):
        block, zone = read_block(block_data, problems)
    else:
        # Keep checking the rest with the default zone: one missing table is not the end.
        block, zone = {}, ZoneInfo(DEFAULT_TIMEZONE)
    criteria, kinds = read_criteria(data, problems)
    units = read_units(data, problems, kinds)
    phases = read_phases(data, problems, zone, block.get("year"))
    check_weights(block, phases, problems)
    covenant = read_covenant(data, problems, zone)
    reminders = read_reminders(data, problems)
    activities = read_activities(data, problems, zone, block.get("year"), criteria, phases)
    awards, review = read_awards(data, problems, len(units))
    ranking = read_ranking(data, problems)
    if problems:
        raise BlockFileError(sorted(problems.items, key=_section_rank))
    return BlockSpec(
        **_present(block),
        units=tuple(UnitSpec(**_present(u)) for u in units),
        phases=tuple(PhaseSpec(**_present(p)) for p in phases),
        criteria=tuple(CriterionSpec(**_present(c)) for c in criteria),
        covenant=CovenantSpec(**_present(covenant)) if covenant is not None else None,
        reminders=RemindersSpec(**_present(reminders)),
        activities=tuple(ActivitySpec(**_present(a)) for a in activities),
        awards=tuple(AwardSpec(**_present(a)) for a in awards),
        review=AwardReviewSpec(**_present(review)),
        ranking=RankingSpec(**_present(ranking)),
    )


def _present(fields: Fields) -> Fields:
    """Drop absent values so the dataclass defaults apply."""
    return {key: value for key, value in fields.items() if value is not None}


def _section_rank(problem: BlockFileProblem) -> int:
    head = problem.path.split(".", 1)[0].split("[", 1)[0]
    return TOP_KEYS.index(head) if head in TOP_KEYS else -1
