"""The administrative layout every document of the bot shares (Nghị định 30/2020/NĐ-CP).

1. Build the frame: `layout.block_head(block, title=…, on=…, kind="BB")` and
   `layout.block_foot(lang, layout.chair_unit(units), preparer=…)` (plain dataclasses).
2. Word: `docx.new_document(head)`, then `add_heading` / `add_paragraph` / `add_table`,
   `add_signatures(doc, foot)`, `save(doc, path)`. Excel: `xlsx.write_head(ws, head, …)`,
   the table, `xlsx.write_foot`, `xlsx.print_setup`, `xlsx.use_font`. Blocking: to_thread.
"""
