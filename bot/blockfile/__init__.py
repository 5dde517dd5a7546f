"""The block file: the TOML a chair's secretariat writes to describe its block-year."""

from bot.blockfile.model import (
    DATE_ONLY_DEADLINE_TIME,
    BlockFileError,
    BlockFileProblem,
    BlockSpec,
    CovenantSpec,
    CriterionKind,
    CriterionSpec,
    LateReports,
    PhaseSpec,
    RemindersSpec,
    UnitRole,
    UnitSpec,
)
from bot.blockfile.parse import load_block_file, parse_block_text

__all__ = [
    "DATE_ONLY_DEADLINE_TIME",
    "BlockFileError",
    "BlockFileProblem",
    "BlockSpec",
    "CovenantSpec",
    "CriterionKind",
    "CriterionSpec",
    "LateReports",
    "PhaseSpec",
    "RemindersSpec",
    "UnitRole",
    "UnitSpec",
    "load_block_file",
    "parse_block_text",
]
