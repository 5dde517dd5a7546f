"""The words of the group's progress message: the phase's opening notice with one line of
counts under it ("Đã ký giao ước 7/9 · Đã nộp báo cáo Đợt 1: 5/9 · Hạn nộp 17 giờ 00,
ngày 20/6/2023"). Pure: the counts are read by bot.services.progress.posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.formatting import format_date, format_deadline
from bot.texts import Catalog, Html
from storage.records import Block, Phase

SEPARATOR = " · "


@dataclass(frozen=True)
class Counts:
    """What the line counts, as of `now`."""

    now: datetime
    total: int
    signed: int | None = None  # None: no covenant published, or nothing to say about it
    sign_by: datetime | None = None
    handed: int | None = None  # reports in the chair's hands for the post's phase
    phase: Phase | None = None


def progress_line(texts: Catalog, lang: str, block: Block, counts: Counts) -> str:
    parts: list[str] = []
    if counts.signed is not None:
        parts.append(texts.text(lang, "progress-signed", signed=counts.signed,
                                total=counts.total))
        if counts.signed < counts.total and counts.sign_by and counts.sign_by > counts.now:
            parts.append(texts.text(lang, "progress-sign-due",
                                    due=format_deadline(counts.sign_by, block.tz, lang)))
    phase = counts.phase
    if phase is not None and counts.handed is not None:
        parts.append(texts.text(lang, "progress-reported", phase=phase.name,
                                handed=counts.handed, total=counts.total))
        due = format_deadline(phase.report_due, block.tz, lang)
        key = "progress-report-due" if phase.report_due > counts.now else "progress-report-closed"
        parts.append(texts.text(lang, key, due=due))
    return texts.text(lang, "progress-title", line=Html(SEPARATOR.join(parts)))


def phase_head(texts: Catalog, lang: str, block: Block, phase: Phase) -> str:
    """The phase's opening notice (what the group got at 08:00 on its first day)."""
    head = texts.text(lang, "remind-phase-start", phase=phase.name,
                      start=format_date(phase.start), end=format_date(phase.end),
                      due=format_deadline(phase.report_due, block.tz, lang))
    if phase.theme:
        head += "\n" + texts.text(lang, "remind-phase-theme", theme=phase.theme)
    return head


def post_text(texts: Catalog, lang: str, block: Block, head: str, counts: Counts) -> str:
    return f"{head}\n\n{progress_line(texts, lang, block, counts)}"
