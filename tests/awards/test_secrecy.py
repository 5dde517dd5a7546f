"""The secret ballot, tested as someone holding the database file and the logs afterwards
would try to break it: the units cast their ballots in a known order, then every table,
every byte of the file and of its write-ahead log, and every log line are searched for
anything that ties a ballot to the unit that cast it, or to the order of casting."""

from __future__ import annotations

import logging
import re

import pytest

from bot.services.awards.tokens import shown
from tests.awards import forensics
from tests.awards.flow import Vote
from tests.e2e.harness import GROUP_ID, BotHarness

pytestmark = pytest.mark.e2e

# Cast in this order, each ballot different from the others (flag, certificates).
ORDER = ["BBT", "UBKT", "VPTU", "TCT", "BDV", "BNC", "DUK", "BTC", "BTG"]
BALLOTS = {
    "BBT": [["VPTU"], ["VPTU"]],
    "UBKT": [["VPTU"], ["BTG"]],
    "VPTU": [["BTG"], ["UBKT"]],
    "TCT": [["BTG"], ["VPTU", "BTG"]],
    "BDV": [["UBKT"], ["VPTU", "UBKT"]],
    "BNC": [[], ["BTG", "UBKT"]],
    "DUK": [["VPTU"], ["VPTU", "BTG", "UBKT"]],
    "BTC": [[], []],
    "BTG": [["UBKT"], ["BDV"]],
}
TOKEN = re.compile(r"^aw:[tpsc]:[0-9]+:([A-Za-z0-9_-]{22})")


async def test_nothing_links_a_ballot_to_its_unit(
        harness: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    # What the bot writes to its log when it runs (INFO), and our own modules' DEBUG too.
    caplog.set_level(logging.INFO)
    for name in ("bot", "handlers", "storage"):
        caplog.set_level(logging.DEBUG, logger=name)
    people = await harness.register_all()
    await harness.bind_group(people["VPTU"])
    v = Vote(harness, people)
    await v.open_vote()
    path = harness.tmp_path / "bot.db"
    trackers: dict[str, str] = {}
    for code in ORDER:
        trackers[code] = await v.vote(code, BALLOTS[code])
    plain = {code: t.replace("-", "") for code, t in trackers.items()}
    tokens = {m[1] for chat in people.values() for sent in harness.emu.sent_messages(chat.user_id)
              for version in [sent.message, *sent.versions]
              for row in (version.get("reply_markup") or {}).get("inline_keyboard", [])
              for b in row if (m := TOKEN.match(str(b.get("callback_data"))))}
    assert len(tokens) >= len(ORDER)

    # 1. The buttons of a ballot name neither the unit nor the choices: a candidate's button
    # carries the same data whether it is marked or not, through every edit of the ballot.
    pages = 0
    for person in people.values():
        for sent in harness.emu.sent_messages(person.user_id):
            seen: dict[str, list[str]] = {}  # award position -> the page's toggle data
            for version in [sent.message, *sent.versions]:
                toggles = sorted(str(b.get("callback_data")) for row in
                                 (version.get("reply_markup") or {}).get("inline_keyboard", [])
                                 for b in row if str(b.get("callback_data")).startswith("aw:t:"))
                if toggles:
                    pages += 1
                    page = toggles[0].split(":")[4]
                    assert seen.setdefault(page, toggles) == toggles
    assert pages > 2 * len(ORDER)  # every ballot was edited through both of its pages

    # 2. Before the results are published: the ballots are the only place a tracker is.
    rows = forensics.every_row(path)
    columns, ballots = rows["awards_ballots"]
    assert columns == ["round_id", "tracker", "cast", "choices"]  # no unit, no time
    assert sorted(b[1] for b in ballots) == sorted(plain.values())
    for table, (_, content) in rows.items():
        text = repr(content)
        if table != "awards_ballots":
            assert not any(t in text for t in plain.values()), table
        assert not any(t in text for t in tokens), table
    data, wal = forensics.raw(path)
    for tracker in plain.values():
        assert data.count(tracker.encode()) == 1, tracker  # one ballot row, nowhere else
        assert tracker.encode() not in wal  # the log of the last commits holds no ballot
    assert not rows["awards_drafts"][1]  # every draft was deleted when its ballot was cast

    # 3. Neither the rows' order nor where their bytes sit follows the order of casting:
    # the table's pages are byte for byte those of the same ballots filled in tracker
    # order. (The control shows the comparison would catch rows written at casting time.)
    by_tracker = sorted(ballots, key=lambda b: b[1])
    assert forensics.natural_order(path) == [b[1] for b in by_tracker]
    sql = forensics.schema_of(path, "awards_ballots")
    folder = harness.tmp_path / "forensics"
    folder.mkdir()
    cast_order = [next(i for i, b in enumerate(by_tracker) if b[1] == plain[code])
                  for code in ORDER]
    actual = forensics.table_pages(path, "awards_ballots")
    assert actual == forensics.rebuilt_pages(folder, sql, by_tracker, range(len(by_tracker)))
    assert actual == forensics.rebuilt_pages(folder, sql, by_tracker, cast_order)
    assert forensics.inserted_pages(folder, sql, by_tracker, cast_order) != (
        forensics.inserted_pages(folder, sql, by_tracker, range(len(by_tracker))))

    # 4. What links units to times (who voted when) holds no ballot; the audit trail holds
    # no button data of a ballot.
    _, voted = rows["awards_voted"]
    assert len(voted) == 9 and all(row[2] == 1 for row in voted)
    _, audit = rows["audit_log"]
    assert not any(re.search(r"aw:[tpsc]:", str(row)) for row in audit)

    # 5. Close, publish: every ballot is listed by tracker, and still nothing else links.
    await v.close()
    listing = next(t for t in v.group() if "Danh sách phiếu" in t)
    assert all(shown(t) in listing for t in plain.values())
    rows = forensics.every_row(path)
    for table, (_, content) in rows.items():
        for row in content:
            text = repr(row)
            found = [t for t in plain.values() if t in text or shown(t) in text]
            if not found or table == "awards_ballots":
                continue
            # The published list (the group's post) names every tracker at once.
            assert table == "outbox" and str(GROUP_ID) in text and len(found) == 9, row
    assert not rows["awards_drafts"][1]

    # 6. The log: no tracker, no draft token, no ballot button, no ballot's content.
    log = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert caplog.records  # the bot did log (registrations, the outbox...)
    for secret in [*plain.values(), *trackers.values(), *tokens]:
        assert secret not in log
    assert not re.search(r"aw:[tpsc]:", log)
