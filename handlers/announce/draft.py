"""The /announce draft as the handler keeps it in user_data, and its panel as the chair sees
it: the texts and buttons of bot.services.announce.compose's Panel, in the chair's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.buttons import Button, Buttons, rows
from bot.formatting import format_datetime
from bot.services.announce import callbacks
from bot.services.announce.callbacks import Action
from bot.services.announce.compose import DEADLINES, MODES, NO_DEADLINE, PICK, Options, Panel
from handlers.common import caller_of
from handlers.context import BotContext

DRAFT_KEY = "announce_draft"
UNITS_PER_ROW = 4


@dataclass
class Wizard:
    """One draft in the making. Every panel button carries the nonce, so a press on an old
    panel cannot change or send a newer draft."""

    nonce: str
    options: Options | None = None  # None while waiting for the content
    preview: tuple[int, str, int] | None = None  # (message id, content kind, parts) sent


def wizard_of(context: BotContext, nonce: str) -> Wizard | None:
    wizard = (context.user_data or {}).get(DRAFT_KEY)
    if isinstance(wizard, Wizard) and wizard.nonce == nonce:
        return wizard
    return None


def render_panel(context: BotContext, nonce: str, shown: Panel) -> tuple[str, Buttons]:
    if shown.options.picking:
        return context.t("announce-pick-title"), _pick_keyboard(context, nonce, shown)
    options, audience = shown.options, shown.audience
    assert audience is not None
    block = caller_of(context).block
    assert block is not None
    people, units = len(audience.members), len(audience.ack_units)
    if options.mode == PICK:
        codes = ", ".join(u.code for u in audience.ack_units)
        described = (context.t("announce-audience-picked", codes=codes, people=people)
                     if codes else context.t("announce-audience-picked-none"))
    else:
        described = context.t(f"announce-audience-{options.mode}", units=units, people=people)
    text = context.t(
        "announce-panel", audience=described,
        ack=context.t("announce-yes" if options.ask_ack else "announce-no"),
        deadline=format_datetime(shown.deadline, block.tz) if shown.deadline
        else context.t("announce-deadline-none"),
    )
    return text, _panel_keyboard(context, nonce, shown)


def _button(nonce: str, label: str, action: Action, arg: str | int | None = None,
            chosen: bool = False) -> Button:
    return Button(("✓ " if chosen else "") + label, callbacks.panel(nonce, action, arg))


def _panel_keyboard(context: BotContext, nonce: str, shown: Panel) -> Buttons:
    options = shown.options
    modes = MODES if shown.has_group else ("units",)
    lines = [
        [_button(nonce, context.t(f"announce-btn-{m}"), Action.AUDIENCE, m, options.mode == m)
         for m in modes],
        [_button(nonce, context.t("announce-btn-pick"), Action.PICK,
                 chosen=options.mode == PICK)],
        [_button(nonce, context.t(
            "announce-btn-ack-on" if options.ask_ack else "announce-btn-ack-off"), Action.ACK)],
    ]
    if options.ask_ack:
        lines.append([
            _button(nonce, _deadline_label(context, code), Action.DEADLINE,
                    code or NO_DEADLINE, options.deadline == code)
            for code in DEADLINES
        ])
    lines.append([_button(nonce, context.t("announce-btn-send"), Action.SEND),
                  _button(nonce, context.t("announce-btn-cancel"), Action.CANCEL)])
    return rows(*lines)


def _deadline_label(context: BotContext, code: str) -> str:
    delta = DEADLINES[code]
    if delta is None:
        return context.t("announce-btn-deadline-none")
    if delta < timedelta(days=1):
        return context.t("announce-btn-deadline-hours", hours=int(delta.total_seconds() // 3600))
    if delta.days == 1:  # "1 day", not "1 days"
        return context.t("announce-btn-deadline-one-day")
    return context.t("announce-btn-deadline-days", days=delta.days)


def _pick_keyboard(context: BotContext, nonce: str, shown: Panel) -> Buttons:
    chosen = set(shown.options.unit_ids)
    buttons = [_button(nonce, u.code, Action.TOGGLE, u.id, u.id in chosen) for u in shown.units]
    lines = [buttons[i:i + UNITS_PER_ROW] for i in range(0, len(buttons), UNITS_PER_ROW)]
    lines.append([_button(nonce, context.t("announce-btn-all"), Action.ALL),
                  _button(nonce, context.t("announce-btn-clear"), Action.CLEAR)])
    lines.append([_button(nonce, context.t("announce-btn-done"), Action.DONE)])
    return rows(*lines)
