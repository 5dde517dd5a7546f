"""transcript.html: one self-contained page (inline CSS, files as data: URIs, no scripts,
no external links) with the year's timeline, the helper's commands and every chat."""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass
from datetime import datetime

from bot.demo.chatlog import ChatInfo, ChatRenderer
from bot.demo.story import Story
from bot.demo.style import CSS

CHROME = {
    "vi": {
        "title": "{block} – năm {year}: một năm thi đua trên Telegram (bản minh họa)",
        "lead": ("Trang này ghi lại toàn bộ các cuộc trò chuyện giữa bot và Khối trong một năm "
                 "thi đua được mô phỏng: từ khi Khối trưởng gửi đường dẫn mời, các đơn vị đăng "
                 "ký, ký giao ước, nhận thông báo, báo cáo theo từng đợt, đến khi Khối trưởng "
                 "thẩm định và công bố bảng xếp hạng. Mọi tin nhắn của bot đều do chính bot "
                 "tạo ra, đúng như đại diện các đơn vị sẽ thấy trên điện thoại."),
        "meta": ("Thời gian mô phỏng: {start} – {end} · Giờ theo múi giờ của Khối ({tz}) · "
                 "Tên người và số liệu là giả định"),
        "toc": "Mục lục", "timeline": "Diễn biến trong năm", "console": (
            "Việc của cán bộ kỹ thuật (dòng lệnh)"),
        "chats": "Các cuộc trò chuyện", "messages": "{n} tin nhắn", "when": "Thời gian",
        "back": "↑ Mục lục", "footer": "Tạo bởi lệnh «thidua-bot demo» lúc {now}.",
        "console_lead": ("Các lệnh người phụ trách kỹ thuật chạy trên máy chủ của bot, và "
                         "kết quả in ra."),
        "hint": ("Bot sửa tin nhắn tại chỗ thay vì gửi thêm (bộ đếm «Đã nhận», màn hình báo "
                 "cáo, bảng thẩm định): mỗi tin nhắn hiện trạng thái cuối cùng; bấm «Xem … "
                 "trạng thái trước» dưới tin nhắn để xem lần lượt các trạng thái trước, kèm "
                 "thời gian, và đối chiếu với các lần bấm nút ghi ngay dưới tin nhắn."),
    },
    "en": {
        "title": "{block} – {year}: a year of emulation on Telegram (demo)",
        "lead": ("This page records every conversation between the bot and the block during a "
                 "simulated year: from the chair's invite links, registration and signing the "
                 "covenant, through notices and each phase's reports, to the chair's appraisal "
                 "and the rankings. Every message of the bot was written by the bot itself, "
                 "exactly as the representatives would see it on their phones."),
        "meta": ("Simulated time: {start} – {end} · Times in the block's time zone ({tz}) · "
                 "People and figures are fictitious"),
        "toc": "Contents", "timeline": "The year at a glance", "console": (
            "The technical helper's commands"), "chats": "Conversations",
        "messages": "{n} messages", "when": "When", "back": "↑ Contents",
        "footer": "Made by «thidua-bot demo» at {now}.",
        "console_lead": "Commands run on the bot's server, and what they printed.",
        "hint": ("The bot edits its messages in place instead of sending more (the «received» "
                 "counter, the report screens, the appraisal panel): each message shows its "
                 "last state; open «Show this message's … earlier states» under it to read "
                 "the earlier ones in order, with their times, beside the button presses "
                 "noted under the message."),
    },
}


@dataclass
class PageInput:
    block: str
    year: int
    tz: str
    lang: str
    chats: list[ChatInfo]
    story: Story
    start: datetime
    end: datetime
    made: datetime


def _timeline(lang: str, story: Story, anchors: dict[int, list[tuple[int, str]]],
              shorts: dict[int, str]) -> str:
    rows = []
    for scene in story.scenes:
        stamp = int(scene.when.timestamp())
        links = []
        for chat_id in dict.fromkeys(scene.chats):
            if chat_id not in shorts:
                continue
            marks = anchors.get(chat_id) or []
            at = bisect.bisect_left([d for d, _ in marks], stamp)
            target = marks[at][1] if at < len(marks) else ""
            if target:
                links.append(f'<a href="#{target}">{html.escape(shorts[chat_id])}</a>')
        text = scene.en if lang == "en" else scene.vi
        css = ' class="auto"' if scene.automatic else ""
        prefix = "⏰ " if scene.automatic else ""
        rows.append(f'<tr{css}><td class="when">{scene.when:%d/%m/%Y %H:%M}</td>'
                    f'<td class="what">{prefix}{html.escape(text)}</td>'
                    f'<td class="where">{"".join(links)}</td></tr>')
    return f'<table class="timeline">{"".join(rows)}</table>'


def _console(story: Story) -> str:
    blocks = [f'<span class="cmd">$ {html.escape(cmd)}</span>\n{html.escape(out)}'
              for cmd, out in story.console]
    return f'<pre class="console">{chr(10).join(blocks)}</pre>'


def render_page(data: PageInput, renderer: ChatRenderer) -> str:
    words = CHROME.get(data.lang, CHROME["vi"])
    anchors = {c.chat_id: renderer.anchors(c) for c in data.chats}
    shorts = {c.chat_id: c.short for c in data.chats}
    sections, toc = [], []
    for chat in data.chats:
        body, count = renderer.render(chat)
        toc.append(f'<li><a href="#{chat.anchor}">{html.escape(chat.title)}</a> '
                   f'<span class="count">– {words["messages"].format(n=count)}</span></li>')
        sections.append(
            f'<section class="chat" id="{chat.anchor}"><div class="head">'
            f'<a class="back" href="#toc">{words["back"]}</a><h2>{html.escape(chat.title)}'
            f'</h2><p class="sub">{html.escape(chat.subtitle)}</p></div>'
            f'<div class="messages">{body}</div></section>')
    title = words["title"].format(block=data.block, year=data.year)
    meta = words["meta"].format(start=f"{data.start:%d/%m/%Y}", end=f"{data.end:%d/%m/%Y}",
                                tz=data.tz)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(data.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<div class="page">
<header class="top"><h1>{html.escape(title)}</h1>
<p class="lead">{html.escape(words["lead"])}</p>
<p class="hint">{html.escape(words["hint"])}</p>
<p class="meta">{html.escape(meta)}</p></header>
<nav class="toc" id="toc"><h2>{words["toc"]}</h2><ol>
<li><a href="#timeline">{words["timeline"]}</a></li>
<li><a href="#console">{words["console"]}</a></li>
<li>{words["chats"]}<ol>{"".join(toc)}</ol></li>
</ol></nav>
<section class="box" id="timeline"><h2>{words["timeline"]}</h2>
{_timeline(data.lang, data.story, anchors, shorts)}</section>
<section class="box" id="console"><h2>{words["console"]}</h2>
<p>{html.escape(words["console_lead"])}</p>{_console(data.story)}</section>
{"".join(sections)}
<footer>{html.escape(words["footer"].format(now=f"{data.made:%d/%m/%Y %H:%M}"))}</footer>
</div>
</body>
</html>
"""
