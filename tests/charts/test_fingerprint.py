"""The fingerprint changes exactly when the picture would."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from bot.charts import chart_fingerprint
from tests.charts import samples


def test_same_data_same_fingerprint() -> None:
    chart = samples.nine_units()
    first = chart.entries[0]
    same = replace(first, total=Decimal("96.00"),
                   points_by_group=dict(reversed(list(first.points_by_group.items()))))
    assert chart_fingerprint(chart) == chart_fingerprint(samples.nine_units())
    assert chart_fingerprint(chart) == chart_fingerprint(
        replace(chart, entries=(same, *chart.entries[1:]))
    )
    assert len(chart_fingerprint(chart)) == 64


def test_later_the_same_day_is_the_same_picture_but_not_the_next_day() -> None:
    chart = samples.nine_units()
    later = replace(chart, as_of=chart.as_of + timedelta(hours=3))
    tomorrow = replace(chart, as_of=chart.as_of + timedelta(days=1))
    assert chart_fingerprint(later) == chart_fingerprint(chart)
    assert chart_fingerprint(tomorrow) != chart_fingerprint(chart)


def test_any_shown_change_changes_the_fingerprint() -> None:
    chart = samples.nine_units()
    first = chart.entries[0]
    variants = [
        replace(chart, entries=(replace(first, total=first.total + 1), *chart.entries[1:])),
        replace(chart, entries=(replace(first, provisional=not first.provisional),
                                *chart.entries[1:])),
        replace(chart, lang="en"),
        replace(chart, period_label="Đợt 2"),
        replace(chart, max_points=Decimal(110)),
        replace(chart, entries=(replace(first, short_name="Văn phòng"), *chart.entries[1:])),
    ]
    prints = {chart_fingerprint(v) for v in variants} | {chart_fingerprint(chart)}
    assert len(prints) == len(variants) + 1


def test_progress_and_ranking_never_collide() -> None:
    progress = samples.progress()
    assert chart_fingerprint(progress) == chart_fingerprint(samples.progress())
    assert chart_fingerprint(progress) != chart_fingerprint(samples.nine_units())
    changed = replace(progress.entries[1], percent_by_criterion={})
    assert chart_fingerprint(progress) != chart_fingerprint(
        replace(progress, entries=(progress.entries[0], changed, *progress.entries[2:]))
    )
