"""Chart benchmark: `python -m tests.benchmarks.charts`.

1. Render time of the 9- and 30-unit ranking charts and of the 30-unit, 12-target
   progress chart against a bare matplotlib horizontal bar chart of the same pixel size
   rendered in the same run (the ratio is what matters: it survives a slower machine).
2. Event-loop lag while 5 charts render at once: in parallel threads (asyncio.to_thread),
   through `bot.charts.render_off_loop` (one warm worker process on pipes, the choice),
   and in a multiprocessing pool of 5 (cold and warm), measured by a coroutine that asks
   to wake every 5 ms and records how late it wakes; wall time says when the last chart
   was ready.

Exits 1 only on a gross regression (ratio > 10 or lag > 2 s): timings on shared machines
wobble, and this is a guard rail, not a test.
"""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from PIL import Image

from bot.charts import Chart, RankingChart, render_off_loop, render_progress, render_ranking
from bot.charts.offloop import stop_renderer
from tests.charts.samples import nine_units, progress, thirty_units

RATIO_LIMIT = 10.0
LAG_LIMIT_S = 2.0
REPEAT = 5
CONCURRENT = 5
TICK_S = 0.005
CHOSEN = "render_off_loop: 1 worker (chosen)"


def best_of(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def render(chart: Chart) -> bytes:
    return render_ranking(chart) if isinstance(chart, RankingChart) else render_progress(chart)


def bare_chart(chart: Chart, size: tuple[int, int]) -> bytes:
    """The plainest matplotlib chart of the same data and pixel size: one barh, codes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    rows = range(len(chart.entries))
    if isinstance(chart, RankingChart):
        totals = [float(e.total) for e in chart.entries]
    else:
        totals = [float(sum(e.percent_by_criterion.values())) for e in chart.entries]
    ax.barh(rows, totals)
    ax.set_yticks(rows, [e.unit_code for e in chart.entries])
    ax.invert_yaxis()
    ax.set_title(chart.block_name)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


async def measure_lag(work: Callable[[], Awaitable[object]]) -> tuple[float, float, float]:
    """(wall seconds of `work`, max lag, p95 lag) with a 5 ms ticker running alongside."""
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(TICK_S)
            lags.append(max(0.0, time.perf_counter() - start - TICK_S))

    tick = asyncio.create_task(ticker())
    start = time.perf_counter()
    await work()
    wall = time.perf_counter() - start
    done.set()
    await tick
    lags.sort()
    p95 = lags[int(0.95 * (len(lags) - 1))] if lags else 0.0
    return wall, (lags[-1] if lags else 0.0), p95


async def lag_table(chart: RankingChart) -> list[tuple[str, float, float, float]]:
    rows = []

    async def idle() -> None:
        await asyncio.sleep(0.5)

    rows.append(("idle loop (noise floor)", *await measure_lag(idle)))

    async def to_thread() -> None:
        await asyncio.gather(
            *(asyncio.to_thread(render_ranking, chart) for _ in range(CONCURRENT))
        )

    async def chosen() -> None:
        await asyncio.gather(*(render_off_loop(render_ranking, chart) for _ in range(CONCURRENT)))

    await render_off_loop(render_ranking, chart)  # warm, as the bot starts it at start-up

    rows.append((f"{CONCURRENT} charts, to_thread, all at once", *await measure_lag(to_thread)))
    rows.append((CHOSEN, *await measure_lag(chosen)))

    loop = asyncio.get_running_loop()
    # spawn, not fork: forking a process that runs threads (PTB's, the loop's) is unsafe.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=CONCURRENT, mp_context=context) as pool:

        async def processes() -> None:
            await asyncio.gather(
                *(loop.run_in_executor(pool, render_ranking, chart) for _ in range(CONCURRENT))
            )

        rows.append((f"{CONCURRENT} charts, process pool, cold", *await measure_lag(processes)))
        rows.append((f"{CONCURRENT} charts, process pool, warm", *await measure_lag(processes)))
    stop_renderer()
    return rows


def main() -> int:
    import matplotlib

    render_ranking(nine_units())  # import matplotlib and load fonts outside the timings
    print(f"Chart benchmark · Python {platform.python_version()} · matplotlib "
          f"{matplotlib.__version__} · {multiprocessing.cpu_count()} CPU(s)\n")
    print(f"{'chart':<22}{'size (px)':>12}{'ours (ms)':>12}{'bare (ms)':>12}{'ratio':>8}")
    worst_ratio = 0.0
    cases: tuple[tuple[str, Chart], ...] = (
        ("ranking, 9 units", nine_units()), ("ranking, 30 units", thirty_units()),
        ("progress, 30 x 12", progress(30, 12)),
    )
    for label, chart in cases:
        png = render(chart)
        with Image.open(io.BytesIO(png)) as image:
            size = image.size
        ours = best_of(partial(render, chart))
        bare = best_of(partial(bare_chart, chart, size))
        ratio = ours / bare
        worst_ratio = max(worst_ratio, ratio)
        print(f"{label:<22}{f'{size[0]}x{size[1]}':>12}{ours * 1000:>12.0f}{bare * 1000:>12.0f}"
              f"{ratio:>8.1f}")

    print(f"\nEvent-loop lag, {CONCURRENT} x 30-unit ranking rendered concurrently "
          f"(ticker every {TICK_S * 1000:.0f} ms)")
    print(f"{'strategy':<36}{'wall (s)':>10}{'max lag (ms)':>14}{'p95 lag (ms)':>14}")
    rows = asyncio.run(lag_table(thirty_units()))
    for name, wall, worst, p95 in rows:
        print(f"{name:<36}{wall:>10.2f}{worst * 1000:>14.1f}{p95 * 1000:>14.1f}")
    worst_lag = next(worst for name, _, worst, _ in rows if name == CHOSEN)

    failed = worst_ratio > RATIO_LIMIT or worst_lag > LAG_LIMIT_S
    verdict = "FAIL: gross regression" if failed else "ok"
    print(f"\nlimits: ratio <= {RATIO_LIMIT:g}, lag of the chosen strategy <= {LAG_LIMIT_S:g} s "
          f"-> {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
