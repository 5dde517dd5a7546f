"""The demo's pure pieces: Telegram entities to HTML, working-hour scheduling, the figures
units type, the packaged example block and the command line."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.blockfile import load_block_file
from bot.cli.demo import add_commands
from bot.demo import default_block_file
from bot.demo.cast import cast_people, cast_roles, figure
from bot.demo.html_text import render
from bot.demo.year_start import spread, working
from bot.formatting import parse_number

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "deploy" / "examples" / "khoi-thi-dua-6.toml"


def test_entities_use_utf16_offsets_and_nest_safely() -> None:
    text = "✍️ Báo Bình Thuận đã ký <ok> (1/9)."
    start = len("✍️ ".encode("utf-16-le")) // 2
    entities = [{"type": "bold", "offset": start, "length": 14},
                {"type": "italic", "offset": start + 4, "length": 20}]
    out = render(text, entities)
    assert out.startswith("✍️ <b>Báo </b><b><i>Bình Thuận</i></b><i> đã ký ")
    assert "<ok>" not in out and "&lt;ok" in out  # escaped, never markup
    assert render("a < b") == "a &lt; b"


def test_links_are_shown_but_never_followed() -> None:
    out = render("xem hướng dẫn", [{"type": "text_link", "offset": 4, "length": 9,
                                    "url": "https://example.org/a\"b"}])
    assert "href" not in out and 'title="https://example.org/a&quot;b"' in out


def test_slots_stay_in_working_hours_and_in_order() -> None:
    start = datetime(2023, 5, 25, 17, 30, tzinfo=TZ)  # after work on a Thursday
    assert working(start) == datetime(2023, 5, 26, 8, 10, tzinfo=TZ)
    assert working(datetime(2023, 5, 27, 9, 0, tzinfo=TZ)).weekday() == 0  # Saturday -> Monday
    begin, end = datetime(2023, 5, 25, 8, 30, tzinfo=TZ), datetime(2023, 6, 12, 8, 0, tzinfo=TZ)
    slots = spread(begin, end, 7)
    assert slots == sorted(slots) and len(set(slots)) == 7
    assert all(begin <= s <= end and s.weekday() < 5 for s in slots)
    assert slots[-1] - slots[0] > timedelta(days=10)  # spread out, not bunched up


def test_roles_and_figures_fit_the_block() -> None:
    spec = load_block_file(EXAMPLE)
    roles = cast_roles(spec)
    assert roles.chair.code == "VPTU"
    special = [roles.late_signer, roles.late_reporter, roles.returned, roles.after_reminder]
    assert len({u.code for u in special}) == 4 and roles.chair.code not in {
        u.code for u in special}
    people = cast_people(spec)
    assert len({p.user_id for p in people.values()}) == len(spec.units)
    for c in spec.criteria:
        for unit in spec.units:
            typed = figure(c, unit, 0, None, "vi")
            if c.kind in ("score", "number", "percent") and typed is not None:
                value = parse_number(typed, "vi")
                assert value >= 0, (c.code, typed)
                if c.kind != "number":
                    assert value <= (100 if c.kind == "percent" else c.max_points)
            elif c.kind == "yesno":
                assert typed in ("có", "không")
    assert figure(spec.criteria[0], spec.units[0], 1, None, "vi") == figure(
        spec.criteria[0], spec.units[0], 1, None, "vi")  # same run, same figures


def test_the_packaged_example_is_the_example() -> None:
    shipped = REPO / "bot" / "demo" / "khoi-thi-dua-6.toml"
    assert shipped.read_bytes() == EXAMPLE.read_bytes()
    assert default_block_file().is_file()


def test_the_command_line() -> None:
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["demo"])
    assert (args.block, args.out, args.speed) == (None, "demo-output", 1.0)
    args = parser.parse_args(["demo", "--block", "b.toml", "--out", "x", "--speed", "50"])
    assert (args.block, args.out, args.speed) == ("b.toml", "x", 50.0)
    args = parser.parse_args(["demo", "--speed", "0"])
    assert args.handler(args) == 2  # refused before anything starts
