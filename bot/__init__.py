"""thidua-bot: a Telegram bot for a Vietnamese emulation block (khối thi đua)."""

import os

# python-telegram-bot 22 warns on every int-valued retry_after and announces timedeltas as
# the future; opt in now so 429 handling reads one type and never emits that warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
