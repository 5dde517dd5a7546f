"""The README says what the bot does: its table of Telegram commands lists every registered
command and nothing else, its command-line table every `thidua-bot` subcommand, and every
button or screen it quotes «like this» is a text the bot really shows."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli import parser_and_commands
from bot.texts import catalog
from handlers import all_commands

README = Path(__file__).resolve().parents[2] / "README.md"
# The quoted figures in «✅ Đã nhận: k/N» or «Đang gửi 120/300…», a cell as in «H9: …» and a
# lone "…" as in «… THI ĐUA NĂM …» stand for a placeholder.
STANDS_FOR_A_VALUE = re.compile(r"\b[A-Z]{1,3}\d+\b|\d+(?:[.,]\d+)*|\b[kN]\b|(?<=\s)…")


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    level = title.split(" ")[0]
    end = re.search(rf"\n#{{1,{len(level)}}} ", text[start + len(title) + 2:])
    return text[start:start + len(title) + 2 + (end.start() if end else len(text))]


def first_column(table: str) -> list[str]:
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    return [row.split("|")[1] for row in rows[1:]]  # the header row is not a command


def test_the_command_table_lists_every_registered_command_and_no_other() -> None:
    cells = first_column(section("### Commands in Telegram"))
    listed = {name for cell in cells for name in re.findall(r"`/([a-z_]+)", cell)}
    registered = {spec.name for spec in all_commands()}
    assert sorted(registered - listed) == [], "registered but missing from the README"
    assert sorted(listed - registered) == [], "in the README but not registered"


def test_the_command_line_table_lists_every_subcommand() -> None:
    cells = first_column(section("### The command line"))
    listed = {name for cell in cells for name in re.findall(r"`thidua-bot ([a-z]+)", cell)}
    _, commands = parser_and_commands()
    assert listed == set(commands)


def test_quoted_buttons_and_screens_are_what_the_bot_says() -> None:
    texts = catalog().texts
    templates = [re.sub(r"\s+", " ", t) for lang in ("vi", "en") for t in texts[lang].values()]
    # Each template with its placeholders made one marker: a quote's figures stand there.
    flat = "\n".join(re.sub(r"\{[^}]*\}", "\x00", t) for t in templates)
    quoted = set(re.findall(r"«([^»]+)»", README.read_text(encoding="utf-8")))
    assert len(quoted) > 10
    missing = []
    for quote in quoted:
        words = re.sub(r"\s+", " ", quote).strip()
        # What stands between the values is the bot's own words (a quote may join two
        # texts, as a cell and its reason do in «H10: không phải là số»).
        pieces = [p.strip(" :;,·/") for p in STANDS_FOR_A_VALUE.split(words)]
        if not all(piece in flat for piece in pieces if piece):
            missing.append(quote)
    assert sorted(missing) == []
