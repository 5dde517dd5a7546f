"""Both catalogs carry the same keys with the same placeholders, and render safely."""

from __future__ import annotations

from bot.texts import catalog
from bot.texts.catalog import Html, placeholders


def test_languages_have_the_same_keys() -> None:
    texts = catalog().texts
    assert set(texts["vi"]) == set(texts["en"])
    assert len(texts["vi"]) > 30


def test_languages_have_the_same_placeholders() -> None:
    texts = catalog().texts
    mismatched = [
        key
        for key in texts["vi"]
        if placeholders(texts["vi"][key]) != placeholders(texts["en"][key])
    ]
    assert mismatched == []


def test_every_command_has_a_description_in_both_languages() -> None:
    from handlers import all_commands

    for spec in all_commands():
        for lang in ("vi", "en"):
            assert catalog().texts[lang].get(spec.text_key), (lang, spec.name)


def test_placeholders_are_html_escaped_unless_marked_safe() -> None:
    c = catalog()
    text = c.text("vi", "bind-done", block="<b>Khối & Co</b>")
    assert "&lt;b&gt;Khối &amp; Co&lt;/b&gt;" in text
    assert "<b>Khối thi đua 6</b>" in c.text("vi", "bind-done", block=Html("Khối thi đua 6"))


def test_vietnamese_texts_have_diacritics() -> None:
    # A catalog typed without diacritics reads as careless to an official.
    assert "Đăng ký thành công" in catalog().text("vi", "start-registered", unit="A", block="B")
