"""The bot starts fast (matplotlib loads on the first chart only) and charts render off
the event loop."""

from __future__ import annotations

import subprocess
import sys
import threading

from bot.charts import RankingChart, render_off_loop, render_ranking
from bot.texts import catalog
from tests.charts import samples


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


async def test_render_off_loop_draws_in_another_thread() -> None:
    threads: list[str] = []

    def spy(chart: RankingChart) -> bytes:
        threads.append(threading.current_thread().name)
        return render_ranking(chart)

    chart = samples.one_unit()
    png = await render_off_loop(spy, chart)
    assert png == render_ranking(chart)
    assert threads and threads[0] != threading.current_thread().name


def test_plain_catalog_text_is_not_escaped() -> None:
    assert catalog().plain("vi", "chart-ranking-title", block="A & <B>") == (
        "Bảng xếp hạng thi đua – A & <B>"
    )
    assert "&amp;" in catalog().text("vi", "chart-ranking-title", block="A & <B>")
