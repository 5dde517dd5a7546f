"""The plain model of an administrative document's frame (Nghị định 30/2020/NĐ-CP):
its head (issuer and number left; national title and motto right; place and date; title)
and its foot ("Nơi nhận" left; signature blocks right). No docx or xlsx here: the writers
in bot.documents.docx and bot.documents.xlsx draw the same model.

Every text comes from the catalog (`document-*` keys, locales/*/documents.toml), in the
block's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.texts import Catalog, catalog
from storage.records import Block, Unit

FONT_NAME = "Times New Roman"
BODY_SIZE = 13  # points: 13-14 for running text
TABLE_SIZE = 12  # points: tables may be a size smaller
# Page margins in millimetres (top/bottom 20-25, left 30-35, right 15-20).
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
A4_MM = (210, 297)


@dataclass(frozen=True)
class Signer:
    """One signature block: caption ("TM. KHỐI TRƯỞNG"), the office it signs for (the
    chair unit's name), a hint in italics, and the name typed under the space to sign."""

    caption: str
    office: str | None = None
    hint: str | None = None
    name: str | None = None

    def lines(self) -> list[tuple[str, str]]:
        """(kind, text) from top to bottom; kind is "bold", "italic", "space" or "name"."""
        out = [("bold", self.caption)]
        if self.office:
            out.append(("bold", self.office))
        if self.hint:
            out.append(("italic", self.hint))
        out += [("space", ""), ("space", ""), ("space", "")]
        if self.name:
            out.append(("name", self.name))
        return out


@dataclass(frozen=True)
class DocumentHead:
    issuer: str  # the block's name, upper case (left, bold)
    number: str  # "Số:     /BB-KTĐ6" (left, under the issuer)
    nation: str  # Quốc hiệu (right, bold)
    motto: str  # Tiêu ngữ (right, bold, underlined)
    place_date: str  # "Bình Thuận, ngày 15 tháng 12 năm 2023" (right, italic)
    title: str  # the document's kind and name (centred, bold)
    summary: tuple[str, ...] = ()  # lines under the title (centred, bold)
    superior: str | None = None  # an optional line above the issuer (not bold)


@dataclass(frozen=True)
class DocumentFoot:
    recipients_caption: str = ""
    recipients: tuple[str, ...] = ()
    signers: tuple[Signer, ...] = field(default_factory=tuple)


def abbreviation(name: str) -> str:
    """"Khối thi đua 6" -> "KTĐ6", "Cụm thi đua các sở, ban, ngành số 3" -> "CTĐ3": the
    initials of the first three words and the block's number, the usual short form in a
    document's number."""
    words = [w.strip(",.;:-–()") for w in name.split()]
    letters = [w[0].upper() for w in words[:3] if w and not w.isdigit()]
    digits = [w for w in words if w.isdigit()]
    return "".join(letters + digits[-1:])


def date_line(texts: Catalog, lang: str, place: str | None, on: date) -> str:
    """Days below 10 and months below 3 take a leading zero (Nghị định 30/2020)."""
    day = f"{on.day:02d}" if on.day < 10 else str(on.day)
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return texts.plain(lang, "document-date-line",
                       place=place or texts.plain(lang, "document-place-blank"),
                       day=day, month=month, year=on.year)


def block_head(block: Block, *, title: str, on: date, kind: str,
               summary: Sequence[str] = (), texts: Catalog | None = None) -> DocumentHead:
    """The head of a document the block issues; `kind` is the document's code in its
    number ("BC" report, "BB" minutes, "DS" list…), completed with the block's initials."""
    texts = texts or catalog()
    lang = block.language
    return DocumentHead(
        issuer=block.name.upper(),
        number=texts.plain(lang, "document-number", kind=f"{kind}-{abbreviation(block.name)}"),
        nation=texts.plain(lang, "document-nation"),
        motto=texts.plain(lang, "document-motto"),
        place_date=date_line(texts, lang, block.province, on),
        title=title,
        summary=tuple(summary),
    )


def chair_unit(units: Iterable[Unit]) -> Unit | None:
    return next((u for u in units if u.role == "chair" and u.active), None)


def chair_signer(lang: str, chair: Unit | str | None,
                 texts: Catalog | None = None) -> Signer:
    """"TM. KHỐI TRƯỞNG" over the chair unit's name, to be signed and sealed."""
    texts = texts or catalog()
    name = chair.name if isinstance(chair, Unit) else chair
    return Signer(caption=texts.plain(lang, "document-sign-chair"),
                  office=name.upper() if name else None,
                  hint=texts.plain(lang, "document-sign-hint-seal"))


def preparer_signer(lang: str, texts: Catalog | None = None) -> Signer:
    texts = texts or catalog()
    return Signer(caption=texts.plain(lang, "document-sign-preparer"),
                  hint=texts.plain(lang, "document-sign-hint"))


def block_foot(lang: str, chair: Unit | str | None, *, preparer: bool = False,
               recipients: bool = True, texts: Catalog | None = None) -> DocumentFoot:
    """The usual foot: "Nơi nhận" (the members, the provincial office, the file) and the
    chair's signature, with "NGƯỜI LẬP BIỂU" beside it for a table someone compiled."""
    texts = texts or catalog()
    signers = ((preparer_signer(lang, texts),) if preparer else ()) + (
        chair_signer(lang, chair, texts),)
    if not recipients:
        return DocumentFoot(signers=signers)
    return DocumentFoot(
        recipients_caption=texts.plain(lang, "document-recipients"),
        recipients=tuple(texts.plain(lang, f"document-recipient-{k}")
                         for k in ("units", "office", "archive")),
        signers=signers,
    )
