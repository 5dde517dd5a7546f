"""The bot starts fast (matplotlib loads on the first chart only) and charts render off
the event loop, in a worker process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.charts import RankingChart, offloop, render_off_loop, render_ranking
from bot.charts.worker import WORKER_NICENESS
from bot.texts import catalog
from tests.charts import samples, worker_calls


async def worker_pid(chart: RankingChart) -> int:
    """The pid of the process that draws charts (the worker, or this one without it)."""
    return int(await render_off_loop(worker_calls.process_id, chart))


def test_importing_the_package_does_not_import_matplotlib() -> None:
    code = (
        "import sys\n"
        "import bot.charts\n"
        "from tests.charts.samples import nine_units\n"
        "chart = nine_units()\n"
        "bot.charts.caption_for(chart); bot.charts.chart_fingerprint(chart)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'matplotlib'], 'loaded'\n"
        "bot.charts.render_ranking(chart)\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True, timeout=60)


async def test_render_off_loop_draws_in_the_worker_process() -> None:
    chart = samples.one_unit()
    png = await render_off_loop(render_ranking, chart)
    assert png == render_ranking(chart)  # the same bytes as drawn here
    pid = await worker_pid(chart)
    assert pid != os.getpid()
    assert pid == offloop.renderer_pid()
    assert int(await render_off_loop(worker_calls.process_id, chart)) == pid  # kept warm


async def test_the_worker_yields_the_cpu_to_the_bot() -> None:
    chart = samples.one_unit()
    nice = int(await render_off_loop(worker_calls.niceness, chart))
    assert nice == min(19, os.nice(0) + WORKER_NICENESS)


async def test_a_failed_chart_reports_the_worker_traceback_and_the_worker_goes_on() -> None:
    chart = samples.one_unit()
    pid = await worker_pid(chart)
    with pytest.raises(offloop.RenderError, match="ValueError: cannot draw"):
        await render_off_loop(worker_calls.broken, chart)
    assert int(await render_off_loop(worker_calls.process_id, chart)) == pid


async def test_a_dead_worker_is_replaced_and_the_chart_drawn() -> None:
    marker = worker_calls.die_marker()
    marker.unlink(missing_ok=True)
    try:
        chart = samples.one_unit()
        before = await worker_pid(chart)
        after = int(await render_off_loop(worker_calls.die_once, chart))
        assert marker.exists() and after != before
    finally:
        marker.unlink(missing_ok=True)


async def test_local_functions_are_refused_before_reaching_the_worker() -> None:
    def local(chart: RankingChart) -> bytes:
        return b""

    with pytest.raises(ValueError, match="module-level"):
        await render_off_loop(local, samples.one_unit())


async def test_without_a_worker_process_charts_are_drawn_in_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offloop.stop_renderer()

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(offloop.subprocess, "Popen", no_processes)
    chart = samples.one_unit()
    assert int(await render_off_loop(worker_calls.process_id, chart)) == os.getpid()
    assert offloop.renderer_pid() is None


async def test_stopping_the_renderer_ends_the_worker() -> None:
    chart = samples.one_unit()
    pid = await worker_pid(chart)
    offloop.stop_renderer()
    assert offloop.renderer_pid() is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_plain_catalog_text_is_not_escaped() -> None:
    assert catalog().plain("vi", "chart-ranking-title", block="A & <B>") == (
        "Bảng xếp hạng thi đua – A & <B>"
    )
    assert "&amp;" in catalog().text("vi", "chart-ranking-title", block="A & <B>")
