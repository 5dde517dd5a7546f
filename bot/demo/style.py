"""The transcript page's stylesheet (inlined: the page has no external assets)."""

CSS = """
:root { --ink:#1f2933; --muted:#66727f; --line:#d9e0e7; --bot:#ffffff; --user:#e3f4d7;
  --accent:#1f5fa8; --bg:#eef2f5; --chat:#dfe8ee; --red:#a4262c; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
.page { max-width: 980px; margin: 0 auto; padding: 24px 16px 64px; }
header.top { background:#fff; border-top:6px solid var(--red); padding:20px 24px;
  border-radius:8px; box-shadow:0 1px 3px rgba(0,0,0,.08); }
header.top h1 { margin:0 0 4px; font-size:24px; color:var(--red); }
header.top .lead { margin:8px 0; }
header.top .hint { margin:8px 0; font-size:13.5px; color:#3e4c59; }
header.top .meta { color:var(--muted); font-size:13px; margin:0; }
section.box, nav.toc { background:#fff; margin-top:20px; padding:16px 24px; border-radius:8px;
  box-shadow:0 1px 3px rgba(0,0,0,.08); }
h2 { font-size:19px; margin:4px 0 12px; color:#12395f; }
nav.toc ol { margin:0; padding-left:22px; } nav.toc li { margin:3px 0; }
nav.toc .count { color:var(--muted); font-size:13px; }
table.timeline { width:100%; border-collapse:collapse; font-size:14px; }
table.timeline td { border-top:1px solid var(--line); padding:6px 8px; vertical-align:top; }
table.timeline td.when { white-space:nowrap; color:var(--muted); width:8.5em; }
table.timeline tr.auto td.what { color:#5b4a00; }
table.timeline td.where a { display:inline-block; margin:0 4px 2px 0; font-size:12px;
  padding:0 6px; border:1px solid var(--line); border-radius:10px; text-decoration:none; }
pre.console { background:#17212b; color:#d7e3ee; padding:12px 14px; border-radius:6px;
  overflow-x:auto; font-size:12.5px; white-space:pre-wrap; }
pre.console .cmd { color:#9fe29f; }
section.chat { margin-top:28px; background:var(--chat); border-radius:8px; overflow:hidden;
  box-shadow:0 1px 3px rgba(0,0,0,.1); }
section.chat > .head { position:sticky; top:0; z-index:2; background:#fff;
  padding:12px 20px; border-bottom:1px solid var(--line); }
section.chat > .head h2 { margin:0; }
section.chat > .head .sub { margin:2px 0 0; color:var(--muted); font-size:13px; }
section.chat > .head .back { float:right; font-size:13px; }
.messages { padding:12px 16px 20px; display:flex; flex-direction:column; gap:6px; }
.day { align-self:center; margin:10px 0 4px; background:rgba(31,41,51,.55); color:#fff;
  font-size:12.5px; padding:2px 12px; border-radius:12px; }
.msg { max-width:78%; border-radius:12px; padding:7px 11px 5px; position:relative;
  box-shadow:0 1px 1px rgba(0,0,0,.12); }
.msg.bot { align-self:flex-start; background:var(--bot); border-top-left-radius:4px; }
.msg.user { align-self:flex-end; background:var(--user); border-top-right-radius:4px; }
.msg .who { font-weight:600; font-size:13px; color:var(--accent); margin-bottom:2px; }
.msg.user .who { color:#2f6f2f; }
.msg .who .tag { font-weight:400; font-size:11px; color:#fff; background:var(--accent);
  border-radius:6px; padding:0 5px; margin-left:4px; }
.msg .body { white-space:pre-wrap; overflow-wrap:anywhere; }
.msg .when { text-align:right; font-size:11.5px; color:var(--muted); margin-top:2px; }
.msg .when .edited { font-style:italic; }
details.history { margin-top:4px; border-top:1px dashed var(--line); padding-top:3px;
  font-size:13px; }
details.history > summary { cursor:pointer; color:var(--accent); font-size:12.5px; }
details.history ol.states { margin:4px 0 0; padding-left:18px; }
details.history li { margin:6px 0; padding:4px 8px; background:#f6f8fa; border-radius:8px;
  color:#3e4c59; }
details.history li .label { font-weight:600; font-size:12px; }
details.history li.skipped { background:none; color:var(--muted); list-style:none; }
details.history .kb .btn { font-size:12px; }
.msg img { display:block; max-width:100%; border-radius:8px; margin:2px 0 6px; }
.msg a.doc { display:flex; align-items:center; gap:8px; text-decoration:none; color:var(--ink);
  background:#f1f5f9; border:1px solid var(--line); border-radius:8px; padding:8px 10px;
  margin:2px 0 6px; }
.msg a.doc .icon { font-size:22px; } .msg a.doc .size { color:var(--muted); font-size:12px; }
.kb { margin-top:6px; display:flex; flex-direction:column; gap:4px; }
.kb .row { display:flex; gap:4px; }
.kb .btn { flex:1; text-align:center; background:#eaf1f8; color:var(--accent);
  border-radius:6px; padding:4px 6px; font-size:13.5px; font-weight:500; }
.note { align-self:center; font-size:12.5px; color:#3e4c59; background:rgba(255,255,255,.7);
  border-radius:10px; padding:2px 10px; max-width:90%; text-align:center; }
.note.press { align-self:flex-end; background:#f4fbef; }
.note.toast { background:#fff7d6; align-self:flex-end; }
.note .at { color:var(--muted); font-size:11.5px; }
.cmd { color:var(--accent); } .mention { color:var(--accent); }
.link { color:var(--accent); text-decoration:underline; }
code { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size:13px;
  background:#eef2f6; padding:0 3px; border-radius:3px; }
code.pre { display:block; padding:6px; }
.quote { display:block; border-left:3px solid var(--accent); padding-left:8px; }
.spoiler { background:#c9d1d9; }
footer { margin-top:28px; color:var(--muted); font-size:12.5px; text-align:center; }
@media print {
  body { background:#fff; } section.chat > .head { position:static; }
  section.chat, section.box, nav.toc, header.top { box-shadow:none; border:1px solid var(--line); }
  .msg { break-inside:avoid; } details.history { display:none; }
}
@media (max-width: 640px) { .msg { max-width:92%; } }
"""
