"""`thidua-bot demo`: a whole block-year played offline, so anyone can see the bot work
without a Telegram token.

The offline Bot API emulator (bot.sandbox) and the real bot (bot.factory) run on a temporary
SQLite database and a simulated clock (bot.demo.clock). A script (bot.demo.year and its
year_* scenes) plays the year through the emulator's user-side API only: people write,
press the buttons they see and send files; the bot answers as it would on Telegram. What
the chair's technical helper does on the command line (setup, invites, covenant export)
goes through the same services as those commands (bot.demo.helper).

    from bot.demo import run_demo
    result = await run_demo(block_file=None, out=Path("demo-output"), speed=1.0)
    result.transcript  # transcript.html, self-contained

Outputs: transcript.html (bot.demo.page, bot.demo.chatlog), charts/*.png, the xlsx files
the bot sent (/export) and the covenant record, summary.txt (bot.demo.outputs).
"""

from bot.demo.runner import DemoResult, default_block_file, run_demo

__all__ = ["DemoResult", "default_block_file", "run_demo"]
