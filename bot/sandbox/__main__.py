"""Run the emulator standalone: ``python -m bot.sandbox --port 8081``.

Point the bot at it with ``BOT_API_URL=<printed url>`` and ``BOT_TOKEN=<printed token>``, then
type lines on stdin to act as users::

    user 111 An            # add user 111 named An
    text 111 /start        # user 111 writes in private (chat id = user id)
    press 111 5 vote:yes   # user 111 presses the button with data "vote:yes" on message 5
    log 111                # print the transcript of chat 111
    calls                  # the last API calls
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import threading

from bot.sandbox.api import BotApiEmulator


def _command(emu: BotApiEmulator, line: str) -> str:
    verb, _, rest = line.strip().partition(" ")
    if verb == "user":
        user_id, _, name = rest.partition(" ")
        emu.add_user(int(user_id), name or f"User {user_id}")
        return f"added user {user_id}"
    if verb == "text":
        user_id, _, text = rest.partition(" ")
        message = emu.send_text(int(user_id), text)
        return f"sent message {message['message_id']}"
    if verb == "press":
        user_id, message_id, data = rest.split(" ", 2)
        emu.press_button(int(user_id), int(message_id), data)
        return "pressed"
    if verb == "log":
        return emu.transcript(int(rest))
    if verb == "calls":
        return "\n".join(call.summary() for call in emu.calls[-20:])
    return "commands: user ID NAME | text ID TEXT | press ID MSG_ID DATA | log CHAT_ID | calls"


async def _main(args: argparse.Namespace) -> None:
    emu = BotApiEmulator(token=args.token, bot_username=args.username, port=args.port,
                         privacy_mode=not args.no_privacy)
    async with emu:
        print(f"Bot API emulator listening on {emu.url}", flush=True)
        print(f"BOT_API_URL={emu.url}  BOT_TOKEN={emu.token}", flush=True)
        lines: asyncio.Queue[str] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def read_stdin() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line)

        # A daemon thread, not run_in_executor: Ctrl+C must not wait for a pending readline.
        threading.Thread(target=read_stdin, daemon=True).start()
        while True:
            line = await lines.get()
            if line.strip():
                try:
                    print(_command(emu, line), flush=True)
                except (KeyError, LookupError, ValueError) as exc:
                    print(f"error: {exc}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--username", default="thidua_test_bot")
    parser.add_argument("--no-privacy", action="store_true", help="bot sees all group messages")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is the normal way to stop it
        asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
