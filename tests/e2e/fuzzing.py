"""What the fuzz test (test_fuzz.py) sends: texts, command arguments, file names and
callback data, random but drawn from one seeded generator, so a failure repeats with its
seed (FUZZ_SEED=...).

Texts mix what breaks bots: emoji (two UTF-16 units each, some joined by zero-width
joiners), HTML that is not ours, digits that are not ASCII (superscripts, Arabic-Indic,
full-width), ids too large for SQLite, and sizes up to the most Telegram lets a person send
(4,096 UTF-16 units for a text, 1,024 for a caption).
"""

from __future__ import annotations

import random

from bot.formatting import prefix_within, utf16_len

TEXT_MAX = 4096  # Telegram: what a person can send in one message
CAPTION_MAX = 1024

PIECES = (
    "abc", "xyz ", "Tiếng Việt có dấu ", "Kính gửi các đơn vị. ", "🎉", "👨‍👩‍👧", "🇻🇳", "😀 ",
    "<b>", "</i>", "<a href='x'>", "&amp;", "&", "<", ">", '"><b>', "<script>", "&#128512;",
    "\n", "\n\n", "  ", "\t", "NV_CHINH_TRI: 35", "KET_QUA_NOI_BAT: ", "XYZ: 1", "CODE:",
    "1.833.468.000", "1,5", "35,5", "-1", "0", "1e5", "9" * 20, "¹²³", "١٢٣", "１２３", "²",
    "\u200b", "\u202e", "%", "có", "không", "đạt", "yes", "/help", "@thidua_test_bot",
    'http://x.y/"><b>', "; Chưa đủ minh chứng", ":", "DOT1", "year", "KTD6-2023",
)
ARG_WORDS = ("DOT1", "dot1", "DOT2", "year", "done", "publish", "status", "en", "vi", "report",
             "sign", "KTD6-2023", "ktd6-2024", "BBT", "abc", "0", "-1", "²", "１")
ID_LIKE = ("0", "1", "2", "3", "7", "-1", "01", "9" * 18, "9" * 19, "9" * 20, "9" * 40, "¹", "²",
           "³", "١", "１", "1e3", "0x1", " 1", "1 ", "", "a", "abcdef", "zzzzzz", "1.5", "+1")
# Around every prefix of our buttons (bot/services/*/callbacks.py), and some of no feature.
PREFIXES = (
    "an:ack:", "an:v:", "an:n:", "an:t:", "an:pv", "an:d:", "cov:s:", "cov:c:", "cov:p:",
    "cov:n", "cov:x", "plg:s:", "plg:t:", "plg:x", "rp:o:", "rp:c:", "rp:y:", "rp:s:", "rp:k:",
    "rv:l:", "rv:d:", "rv:u:", "rv:e:", "rv:a:", "rv:r:", "rv:c:", "rp:", "rv:", "an:", "xx:",
    "", ":", "rp", "RP:o:1", "rx:t:", "rx:",
)
FILE_NAMES = ("bien-ban.pdf", "anh.jpg", "ke hoach 🎉.docx", "../../etc/passwd", "noextension",
              "a" * 250 + ".pdf", ".pdf", "setup.exe", "bảng điểm.xlsx", '"><b>.pdf', "x.PDF")
MIME_TYPES = ("application/pdf", "image/jpeg", "image/png", "application/octet-stream",
              "text/plain", "application/vnd.openxmlformats-officedocument.wordprocessingml"
              ".document", "", "application/x-msdownload")


def fill(rng: random.Random, units: int, *, word: bool = False) -> str:
    """Pieces up to exactly `units` UTF-16 units (a non-blank text); with `word`, without
    white space, so a command takes all of it as its first argument."""
    out: list[str] = []
    used = 0
    while used < units:
        piece = rng.choice(PIECES)
        if word:
            piece = "".join(piece.split()) or "x"
        out.append(piece)
        used += utf16_len(piece)
    text = "".join(out)
    text = text[: prefix_within(text, units)]
    text += "x" * (units - utf16_len(text))  # an emoji cut at the end leaves one unit
    return text if text.strip() else "x" * units


def text(rng: random.Random, maximum: int = TEXT_MAX) -> str:
    """Short most of the time, sometimes long, sometimes the most Telegram allows."""
    roll = rng.random()
    if roll < 0.55:
        units = rng.randint(1, 40)
    elif roll < 0.8:
        units = rng.randint(41, 600)
    elif roll < 0.9:
        units = rng.randint(601, maximum - 1)
    else:
        units = maximum
    return fill(rng, units)


# Commands that draw a chart or write a workbook (a second of work each): mostly given an
# argument they refuse, so a run stays short; the refusals are what is being tested.
HEAVY = frozenset({"ranking", "progress", "export"})


def command_text(rng: random.Random, names: list[str]) -> str:
    name = rng.choice(names)
    heavy = name in HEAVY and rng.random() < 0.9
    if rng.random() < 0.1:
        name += rng.choice(("@thidua_test_bot", "@other_bot", "@"))
    head = "/" + name
    roll = rng.uniform(0.55, 1) if heavy else rng.random()
    if roll < 0.3:
        return head
    if roll < 0.55:
        return f"{head} {rng.choice(ARG_WORDS)}"
    if roll < 0.7:
        return f"{head} {rng.choice(ID_LIKE) or 'x'}{rng.choice(PIECES)}"
    if roll < 0.85:
        return f"{head} {fill(rng, rng.randint(1, 200))}"
    return f"{head} {fill(rng, TEXT_MAX - utf16_len(head) - 1)}"  # the longest there is


HOSTILE_ATTRIBUTES = ('"><b>', "https://example.org/\"><b>x</b>", "javascript:alert(1)",
                      "tg://user?id=1", "https://x.y/?a=1&b=<2>", "python", "'", "&amp;")


def entities(rng: random.Random, text: str) -> list[dict[str, object]] | None:
    """Formatting a client might attach to `text` (a quarter of the time): bold, links and
    code blocks whose address or language is hostile, inside the text, never splitting an
    emoji in two."""
    if rng.random() < 0.75 or not text:
        return None
    bounds = [0]
    for char in text:  # UTF-16 offsets of the characters' starts, and of the end
        bounds.append(bounds[-1] + utf16_len(char))
    found: list[dict[str, object]] = []
    for _ in range(rng.randint(1, 3)):
        start, end = sorted(rng.sample(range(len(bounds)), 2)) if len(bounds) > 2 else (0, 1)
        kind = rng.choice(("bold", "italic", "underline", "spoiler", "code", "pre",
                           "text_link", "strikethrough", "blockquote"))
        entity: dict[str, object] = {"type": kind, "offset": bounds[start],
                                     "length": bounds[end] - bounds[start]}
        if kind == "text_link":
            entity["url"] = rng.choice(HOSTILE_ATTRIBUTES)
        if kind == "pre" and rng.random() < 0.7:
            entity["language"] = rng.choice(HOSTILE_ATTRIBUTES)
        found.append(entity)
    return found


def _clip_bytes(data: str, limit: int = 64) -> str:
    """Telegram delivers at most 64 bytes of callback data."""
    raw = data.encode()[:limit]
    return raw.decode("utf-8", "ignore") or "x"


def mutate(rng: random.Random, real: str) -> str:
    """A real button's data, or one changed the way a forger (or an old client) would."""
    roll = rng.random()
    if roll < 0.35:
        return real
    parts = real.split(":")
    if roll < 0.7 and len(parts) > 1:
        at = rng.randrange(1, len(parts))
        parts[at] = rng.choice(ID_LIKE)
        return _clip_bytes(":".join(parts))
    if roll < 0.8:
        return _clip_bytes(real[: rng.randint(0, len(real))])
    if roll < 0.9:
        return _clip_bytes(real + ":" + rng.choice(ID_LIKE))
    return _clip_bytes(real + rng.choice(PIECES))


def forged(rng: random.Random) -> str:
    """Data around one of the real prefixes, with made-up ids."""
    segments = [rng.choice(ID_LIKE) for _ in range(rng.randint(0, 4))]
    return _clip_bytes(rng.choice(PREFIXES) + ":".join(segments))


def file_name(rng: random.Random) -> str:
    return rng.choice(FILE_NAMES)


def mime_type(rng: random.Random) -> str:
    return rng.choice(MIME_TYPES)


def payload(rng: random.Random) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300)))


def raw_update(rng: random.Random, user: dict[str, object], date: int) -> dict[str, object]:
    """An update as an odd Bot API server sends it (inject_update, unchecked): a poll or
    poll answer of another API version, a private message without `from`, an edited
    message, a channel post, a command whose entity runs past the text."""
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    message = {"message_id": rng.randint(1, 10**6), "date": date, "chat": chat}
    kinds: list[dict[str, object]] = [
        {"poll": {"id": "1", "question": "Câu hỏi?", "total_voter_count": 0,
                  "is_closed": False, "options": [{"text": "Có", "voter_count": 0}]}},
        {"poll_answer": {"poll_id": "1", "user": user}},
        {"message": {**message, "text": "/status"}},
        {"edited_message": {**message, "from": user, "edit_date": date, "text": "/report"}},
        {"channel_post": {**message, "chat": {"id": -100_999, "type": "channel",
                                             "title": "Kênh"}, "text": "/status"}},
        {"message": {**message, "from": user, "text": "/help",
                     "entities": [{"type": "bot_command", "offset": 0, "length": 99}]}},
        {"message": {**message, "from": user, "location": {"latitude": 10.9,
                                                           "longitude": 108.1}}},
    ]
    return rng.choice(kinds)
