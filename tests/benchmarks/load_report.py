"""Figures, the table, the budget checks and the JSON of the load benchmark.

Budget (issue 8), each checked against the same run's baseline:
- mixed throughput ≥ 50 % of the baseline's; p95 latency ≤ 2 × the baseline's;
- /status p99 while uncached charts render ≤ 2 × its p99 without charts in flight;
- the bot's peak RSS ≤ 250 MB with the province loaded; start-up ≤ 3 s;
- zero failed updates (error handler, ERROR log records, updates unanswered within the
  timeout or answered by a refused call).
A check is "gross" when it misses the budget by more than a factor of two (or any update
failed): only gross misses make the exit code non-zero, so a noisy machine cannot fail CI.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.benchmarks.load_driver import Sample
from tests.benchmarks.load_run import RowResult

THROUGHPUT_RATIO = 0.5
P95_RATIO = 2.0
CHART_P99_RATIO = 2.0
PEAK_RSS_MB = 250.0
STARTUP_S = 3.0
GROSS = 2.0  # "ratios worse than twice the budget"


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of unsorted values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latencies(samples: Iterable[Sample]) -> list[float]:
    return [s.latency for s in samples if s.latency is not None]


@dataclass(frozen=True)
class RowFigures:
    name: str
    updates: int
    per_second: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    peak_rss_mb: float | None
    cpu_s_per_1000: float | None
    startup_s: float | None
    emulator_load: float  # share of a core this process (emulator + driver) used
    failed: int

    @classmethod
    def of(cls, row: RowResult) -> RowFigures:
        lat = latencies(row.samples)
        ms = [v * 1000 for v in lat]
        answered = len(lat)
        lost = sum(1 for s in row.samples if s.end is None or not s.ok)
        return cls(
            name=row.name, updates=answered,
            per_second=answered / row.wall_s if row.wall_s > 0 else 0.0,
            p50_ms=percentile(ms, 50), p95_ms=percentile(ms, 95), p99_ms=percentile(ms, 99),
            peak_rss_mb=row.peak_rss_mb,
            cpu_s_per_1000=row.cpu_s / answered * 1000 if row.cpu_s and answered else None,
            startup_s=row.startup_s,
            emulator_load=row.emulator_cpu_s / row.wall_s if row.wall_s > 0 else 0.0,
            # Other refused calls (a counter edit "not modified") are the bot's to handle and
            # do not fail an update; they are listed separately.
            failed=len(row.failed_updates) + max(row.error_records, 0) + lost,
        )


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


@dataclass(frozen=True)
class Check:
    name: str
    value: float | None
    limit: float
    higher_is_better: bool = False
    always_gross: bool = False  # a failure is a bug, not noise

    @property
    def passed(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.limit if self.higher_is_better else self.value <= self.limit

    @property
    def gross(self) -> bool:
        if self.value is None or self.passed:
            return False
        if self.always_gross:
            return True
        if self.higher_is_better:
            return self.value < self.limit / GROSS
        return self.value > self.limit * GROSS


def chart_overlap(
    samples: list[Sample], chart_kind: str | None
) -> tuple[list[float], list[float]]:
    """/status latencies split by whether an uncached chart was in flight meanwhile."""
    charts = [(s.start, s.end) for s in samples if s.kind == chart_kind and s.end is not None]
    during: list[float] = []
    without: list[float] = []
    for s in samples:
        if s.kind != "status" or s.latency is None or s.end is None:
            continue
        busy = any(start < s.end and s.start < end for start, end in charts)
        (during if busy else without).append(s.latency * 1000)
    return during, without


def checks(base: RowFigures, bot: RowFigures, bot_row: RowResult,
           chart_kind: str | None) -> list[Check]:
    during, without = chart_overlap(bot_row.samples, chart_kind)
    return [
        Check("throughput bot/baseline", ratio(bot.per_second, base.per_second),
              THROUGHPUT_RATIO, higher_is_better=True),
        Check("p95 latency bot/baseline", ratio(bot.p95_ms, base.p95_ms), P95_RATIO),
        Check("/status p99 with/without charts",
              ratio(percentile(during, 99), percentile(without, 99)) if chart_kind else None,
              CHART_P99_RATIO),
        Check("peak RSS of the bot (MB)", bot.peak_rss_mb, PEAK_RSS_MB),
        Check("start-up of the bot (s)", bot.startup_s, STARTUP_S),
        Check("failed updates", float(bot.failed), 0.0, always_gross=True),
    ]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table(base: RowFigures, bot: RowFigures) -> str:
    head = (f"{'':<10}{'updates':>9}{'upd/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'peak RSS MB':>13}{'CPU s/1k':>10}{'start s':>9}{'failed':>8}")
    lines = [head]
    for row in (base, bot):
        lines.append(f"{row.name:<10}{row.updates:>9}{_fmt(row.per_second):>9}"
                     f"{_fmt(row.p50_ms):>9}{_fmt(row.p95_ms):>9}{_fmt(row.p99_ms):>9}"
                     f"{_fmt(row.peak_rss_mb):>13}{_fmt(row.cpu_s_per_1000, 2):>10}"
                     f"{_fmt(row.startup_s, 2):>9}{row.failed:>8}")
    r = {k: ratio(getattr(bot, k), getattr(base, k)) for k in (
        "per_second", "p50_ms", "p95_ms", "p99_ms", "peak_rss_mb", "cpu_s_per_1000",
        "startup_s")}
    lines.append(f"{'bot/base':<10}{'':>9}{_fmt(r['per_second'], 2):>9}{_fmt(r['p50_ms'], 2):>9}"
                 f"{_fmt(r['p95_ms'], 2):>9}{_fmt(r['p99_ms'], 2):>9}"
                 f"{_fmt(r['peak_rss_mb'], 2):>13}{_fmt(r['cpu_s_per_1000'], 2):>10}"
                 f"{_fmt(r['startup_s'], 2):>9}{'':>8}")
    return "\n".join(lines)


def own_times(samples: list[Sample]) -> dict[int, float]:
    """An estimate of each update's own time (by id of the sample): from when the bot was
    free for it (its arrival, or the previous answer) to its answer. Meaningful for
    sequential processing, where answers come in processing order; the latency of a
    closed loop is mostly waiting behind the other users' updates."""
    done = sorted((s for s in samples if s.end is not None), key=lambda s: s.end or 0.0)
    found: dict[int, float] = {}
    previous: float | None = None
    for s in done:
        assert s.end is not None
        begin = s.start if previous is None else max(s.start, previous)
        found[id(s)] = s.end - begin
        previous = s.end
    return found


def kinds_table(row: RowResult) -> tuple[str, dict[str, dict[str, Any]]]:
    """Latency per kind of update, and the estimated own time (the bot row)."""
    found: dict[str, dict[str, Any]] = {}
    own = own_times(row.samples)
    for kind in sorted({s.kind for s in row.samples}):
        mine = [s for s in row.samples if s.kind == kind]
        ms = [v * 1000 for v in latencies(mine)]
        busy = [own[id(s)] * 1000 for s in mine if id(s) in own]
        found[kind] = {"count": len(ms), "p50_ms": percentile(ms, 50),
                       "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
                       "own_p50_ms": percentile(busy, 50)}
    lines = [f"{'kind':<16}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
             f"{'own ms p50':>12}"]
    for kind, f in found.items():
        lines.append(f"{kind:<16}{f['count']:>8}{_fmt(f['p50_ms']):>9}{_fmt(f['p95_ms']):>9}"
                     f"{_fmt(f['p99_ms']):>9}{_fmt(f['own_p50_ms']):>12}")
    return "\n".join(lines), found


def checks_text(found: list[Check]) -> str:
    lines = []
    for check in found:
        op = "≥" if check.higher_is_better else "≤"
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[check.passed]
        gross = "  (gross)" if check.gross else ""
        lines.append(f"{verdict}  {check.name:<34}{_fmt(check.value, 2):>10}  "
                     f"budget {op} {check.limit:g}{gross}")
    return "\n".join(lines)


def write_json(path: Path, config: dict[str, Any], base: RowFigures, bot: RowFigures,
               kinds: dict[str, dict[str, Any]], found: list[Check],
               extra: dict[str, Any]) -> None:
    data = {
        "config": config,
        "rows": {"baseline": asdict(base), "bot": asdict(bot)},
        "ratios": {k: ratio(getattr(bot, k), getattr(base, k)) for k in (
            "per_second", "p50_ms", "p95_ms", "p99_ms", "peak_rss_mb", "cpu_s_per_1000",
            "startup_s")},
        "bot_kinds": kinds,
        "checks": [{"name": c.name, "value": c.value, "limit": c.limit,
                    "higher_is_better": c.higher_is_better, "passed": c.passed,
                    "gross": c.gross} for c in found],
        **extra,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
