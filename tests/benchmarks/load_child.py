"""One row of the load benchmark in a process of its own: `python -m tests.benchmarks.load_child`.

The parent (tests/benchmarks/load.py) runs the Bot API emulator; this process is either the
baseline (a bare python-telegram-bot Application answering every message with a fixed
text) or the real bot (bot.factory.build_application), both polling the emulator exactly
as `thidua-bot run` does (`run_polling`, same transport, same rate limiter, same
concurrency). A process of its own gives each row its own peak RSS, CPU time and start-up
time, none of it blurred by the emulator's work.

SIGTERM stops it gracefully; it then prints one JSON line on stdout: peak RSS, CPU time,
the error records logged and `runtime.failed_updates` (bot only).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import factory
from bot.charts.offloop import start_renderer, stop_renderer
from bot.config import load_settings
from bot.logsetup import configure_logging
from bot.memory import freeze_startup_objects
from bot.runtime import runtime_of

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
BASELINE_ANSWER = "Đã nhận tin nhắn của đồng chí."


class ErrorCounter(logging.Handler):
    """Counts records at ERROR and above (the bot's error handler logs every failed update)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.samples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.samples) < 5:
            self.samples.append(f"{record.name}: {record.getMessage()}"[:300])


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer any message with the same fixed text."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(BASELINE_ANSWER)


def baseline(args: argparse.Namespace) -> AnyApplication:
    """The bare application, with the factory's transport: PTB's own HTTPXRequest (the
    builder's default) for answers, and for PTB's own eager getUpdates."""
    settings = load_settings(BOT_TOKEN=args.token, BOT_API_URL=args.api)
    application = (
        ApplicationBuilder()
        .token(args.token)
        .base_url(f"{args.api}/bot")
        .base_file_url(f"{args.api}/file/bot")
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=args.rate,
                group_max_rate=factory.GROUP_MAX_RATE,
                group_time_period=factory.GROUP_TIME_PERIOD,
                max_retries=factory.RATE_LIMIT_RETRIES,
            )
        )
        .concurrent_updates(args.concurrency)
        .build()
    )
    application.add_handler(MessageHandler(filters.ALL, _answer))
    return application


def real_bot(args: argparse.Namespace) -> AnyApplication:
    settings = load_settings(BOT_TOKEN=args.token, BOT_API_URL=args.api,
                             DATABASE_URL=args.db, BOT_ADMIN_IDS="",
                             EVIDENCE_DIR=args.evidence)
    return factory.build_application(settings, overall_max_rate=args.rate,
                                     **_concurrency(args.concurrency))


def _concurrency(value: int) -> dict[str, Any]:
    # Only passed when asked for, so the benchmark also runs against a factory without it.
    return {} if value == 1 else {"concurrent_updates": value}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("baseline", "bot"))
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", default="")
    parser.add_argument("--evidence", default="")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--cpu", type=int, default=None, help="run on this CPU only")
    args = parser.parse_args(argv)
    if args.cpu is not None:  # before any thread starts: they inherit it
        os.sched_setaffinity(0, {args.cpu})
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    # The production logging (INFO, token redacted), on stderr, which the parent keeps;
    # LOAD_LOG_LEVEL=DEBUG for a diagnosis.
    configure_logging(os.environ.get("LOAD_LOG_LEVEL", "INFO"), secrets=[args.token])
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    application = baseline(args) if args.mode == "baseline" else real_bot(args)
    if args.mode == "bot":  # as `thidua-bot run` does (bot/serve.py)
        start_renderer()
        freeze_startup_objects()
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    stop_renderer()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # The chart worker's peak, added: an upper bound of the two processes' peak together.
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    failed: list[str] = []
    if args.mode == "bot":
        failed = list(runtime_of(application).failed_updates)
    print(json.dumps({
        "maxrss_kb": usage.ru_maxrss + workers.ru_maxrss,
        "cpu_s": usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime,
        "errors": errors.count, "error_samples": errors.samples, "failed_updates": failed,
    }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
