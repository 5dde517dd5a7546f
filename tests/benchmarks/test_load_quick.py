"""The load benchmark's machinery on a tiny stream (2 blocks, 200 updates per row), so it
keeps working while the bot changes. The budget itself is judged by
`python -m tests.benchmarks.load`: timings of a 200-update run on a shared machine say
nothing, so this test checks that everything ran and was measured, not the verdict."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from tests.benchmarks import load
from tests.benchmarks.load_run import driver_gc_paused

pytestmark = pytest.mark.e2e

ROWS = ("baseline", "bot")


def test_both_rows_run_and_are_measured(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    code = load.main([
        "--updates", "200", "--blocks", "2", "--segments", "2", "--charts", "1",
        "--lanes", "8", "--settle", "0.5", "--out", str(out), "--keep", str(tmp_path / "run"),
    ])
    data = json.loads(out.read_text(encoding="utf-8"))

    assert code in (0, 1)
    assert data["complete"] is True
    for name in ROWS:
        row = data["rows"][name]
        assert row["updates"] == 200, name
        assert row["failed"] == 0, name
        assert row["per_second"] > 0 and row["p50_ms"] > 0 and row["cpu_s_per_1000"] > 0
        assert 0 < row["startup_s"] < 60 and row["peak_rss_mb"] > 10
    # Every kind of the mix was played, and the drawn chart was answered with a photo.
    kinds = data["bot_kinds"]
    assert {"status", "lines", "form-press", "ack-press", "ranking", "chart"} <= set(kinds)
    assert kinds["chart"]["count"] == 1
    assert data["ratios"]["per_second"] > 0
    checks = {check["name"]: check for check in data["checks"]}
    assert checks["failed updates"]["passed"] is True
    assert checks["/status p99 with/without charts"]["value"] is not None
    # The run's logs are kept next to the database for a diagnosis.
    assert (tmp_path / "run" / "bot.log").exists()


def test_the_drivers_gc_waits_while_a_segment_plays() -> None:
    """The driver's own collections would be counted as the rows' latency
    (load_run.driver_gc_paused); it collects again once the segment is over, even a
    failed one."""
    assert gc.isenabled()
    try:
        with pytest.raises(RuntimeError), driver_gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("the segment failed")
        assert gc.isenabled()
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
