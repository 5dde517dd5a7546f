"""Joint activities (hoạt động chung): announced in the block file or with /activity new,
answered per unit, reminded to the silent units only, attendance into the scoring table.

Modules: callbacks (button data), wording (how it reads), loaded (an activity with its
context), delivery (card and invitations), answers, schedule and reminders (the planned
moments), attendance and fills (the day and the scoring table), wizard and moments (the
chair's /activity new), setup_sync (the block file), listing (/activities, the export,
`activities_of` for the year's review).
"""
