"""Excel files for the provincial office (openpyxl); writers are reusable sheet by sheet.

Writing a workbook is blocking work: call these through asyncio.to_thread from the bot.
"""
