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
    "", ":", "rp", "RP:o:1",
)
FILE_NAMES = ("bien-ban.pdf", "anh.jpg", "ke hoach 🎉.docx", "../../etc/passwd", "a" * 250 + ".pdf",
              "noextension", ".pdf", "setup.exe", "bảng điểm.xlsx", '"><b>.pdf', "x.PDF")
MIME_TYPES = ("application/pdf", "image/jpeg", "image/png", "application/octet-stream",
              "text/plain", "application/vnd.openxmlformats-officedocument.wordprocessingml"
              ".document", "", "application/x-msdownload")


def fill(rng: random.Random, units: int) -> str:
    """Pieces up to exactly `units` UTF-16 units (a non-blank text)."""
    out: list[str] = []
    used = 0
    while used < units:
        piece = rng.choice(PIECES)
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


def command_text(rng: random.Random, names: list[str]) -> str:
    name = rng.choice(names)
    if rng.random() < 0.1:
        name += rng.choice(("@thidua_test_bot", "@other_bot", "@"))
    head = "/" + name
    roll = rng.random()
    if roll < 0.3:
        return head
    if roll < 0.55:
        return f"{head} {rng.choice(ARG_WORDS)}"
    if roll < 0.7:
        return f"{head} {rng.choice(ID_LIKE) or 'x'} {rng.choice(ARG_WORDS)}"
    if roll < 0.85:
        return f"{head} {fill(rng, rng.randint(1, 200))}"
    return f"{head} {fill(rng, TEXT_MAX - utf16_len(head) - 1)}"  # the longest there is


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
