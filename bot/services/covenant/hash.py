"""The canonical text of a covenant signature and its SHA-256.

What a unit signs is one plain text: the covenant version (title, preamble, numbered
commitments) followed by the unit's own section (name, slogan, targets). The signature
stores that text and its hash; `covenant verify` rebuilds the text from the stored version
and pledge snapshot and recomputes the hash, so any later edit of either shows up.

Everything here is frozen on purpose: the labels and the number format below are part of
the signed document, not user-interface texts, so they live in code rather than in the
catalog (editing a catalog sentence must never invalidate a year of signatures).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The receipt shows this many hex digits: enough to compare by eye with the export.
RECEIPT_HASH_DIGITS = 12

_LABELS: dict[str, dict[str, str]] = {
    "vi": {"unit": "Đơn vị", "slogan": "Chủ đề", "targets": "Chỉ tiêu đăng ký", "none": "(không)"},
    "en": {"unit": "Unit", "slogan": "Slogan", "targets": "Registered targets", "none": "(none)"},
}
# Decimal and group separators as officials write them: 1.833.468.000 and 1,5 in Vietnamese.
_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}
_PLEDGE_RULE = "---"


@dataclass(frozen=True)
class CovenantContent:
    title: str
    preamble: str
    commitments: tuple[str, ...]

    @classmethod
    def from_settings(cls, data: Mapping[str, Any]) -> CovenantContent:
        """From blocks.settings["covenant"] as `thidua-bot setup` stores it."""
        return cls(
            title=clean(data["title"]),
            preamble=clean(data.get("preamble") or ""),
            commitments=tuple(clean(c) for c in data.get("commitments") or ()),
        )

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "preamble": self.preamble,
                "commitments": list(self.commitments)}


@dataclass(frozen=True)
class PledgedTarget:
    code: str
    title: str
    kind: str  # "number" or "percent"
    measure: str | None
    value: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "kind": self.kind,
                "measure": self.measure, "value": str(self.value)}


@dataclass(frozen=True)
class PledgeContent:
    unit_code: str
    unit_name: str
    slogan: str | None
    targets: tuple[PledgedTarget, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"unit_code": self.unit_code, "unit_name": self.unit_name,
                "slogan": self.slogan, "targets": [t.as_dict() for t in self.targets]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PledgeContent:
        return cls(
            unit_code=data["unit_code"],
            unit_name=data["unit_name"],
            slogan=data.get("slogan"),
            targets=tuple(
                PledgedTarget(t["code"], t["title"], t["kind"], t.get("measure"),
                              Decimal(t["value"]))
                for t in data.get("targets") or ()
            ),
        )


def clean(text: str) -> str:
    """One spelling of the same words: NFC (Vietnamese may arrive decomposed), \\n line
    ends, no trailing spaces, no surrounding blank lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def canonical_number(value: Decimal, lang: str) -> str:
    """1833468000 -> 1.833.468.000, 1.5 -> 1,5 (vi). Hand-written rather than Babel so a
    library upgrade can never change a signed text."""
    decimal_sep, group_sep = _SEPARATORS.get(lang, _SEPARATORS["vi"])
    sign = "-" if value < 0 else ""
    text = format(abs(value).normalize(), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    body = group_sep.join([whole, *groups])
    return sign + body + (decimal_sep + fraction if fraction else "")


def target_text(target: PledgedTarget, lang: str) -> str:
    number = canonical_number(target.value, lang)
    if target.kind == "percent":
        return f"{number}%"
    return f"{number} {target.measure}" if target.measure else number


def covenant_text(content: CovenantContent) -> str:
    parts = [content.title]
    if content.preamble:
        parts.append(content.preamble)
    parts.append("\n".join(f"{n}. {c}" for n, c in enumerate(content.commitments, start=1)))
    return "\n\n".join(parts)


def pledge_text(pledge: PledgeContent, lang: str) -> str:
    labels = _LABELS.get(lang, _LABELS["vi"])
    lines = [
        _PLEDGE_RULE,
        f"{labels['unit']}: {clean(pledge.unit_name)} ({pledge.unit_code})",
        f"{labels['slogan']}: {clean(pledge.slogan) if pledge.slogan else labels['none']}",
        f"{labels['targets']}:" + ("" if pledge.targets else f" {labels['none']}"),
    ]
    lines += [f"- {clean(t.title)} ({t.code}): {target_text(t, lang)}" for t in pledge.targets]
    return "\n".join(lines)


def signed_text(version_text: str, pledge: PledgeContent, lang: str) -> str:
    """The exact text a unit signs: the version's text, then its own section."""
    return version_text + "\n\n" + pledge_text(pledge, lang)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_hash(digest: str) -> str:
    return digest[:RECEIPT_HASH_DIGITS]


def commitments_changed(old: Iterable[str], new: Iterable[str]) -> dict[str, list[int]]:
    """Which numbered commitments were edited, added or removed (1-based), for the group."""
    before, after = list(old), list(new)
    common = min(len(before), len(after))
    return {
        "changed": [n + 1 for n in range(common) if before[n] != after[n]],
        "added": list(range(common + 1, len(after) + 1)),
        "removed": list(range(common + 1, len(before) + 1)),
    }
