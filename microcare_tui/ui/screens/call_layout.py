"""The call screen's layout: its CSS, its fields, and writing values back into them.

Only layout lives here: which field goes where, with what label and placeholder. What the
fields start with and what they may hold come from services.call_form.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static, TextArea

from microcare_tui.services.call_form import KIND_PROMPT, CallChoices
from microcare_tui.ui.widgets.form import FieldRow, KeySelect, MultiPick
from microcare_tui.ui.widgets.hint_line import CallerHint, HintLine
from microcare_tui.ui.widgets.lookup_panel import FixedInput
from microcare_tui.ui.widgets.pick import words_by_value

# The screen's DEFAULT_CSS (kept at default priority, as the widgets' own CSS is).
CALL_CSS = """
CallScreen #call-bar { height: 1; padding: 0 1; background: $boost; }
CallScreen #call-bar-time { width: 12; text-style: bold; color: $accent; }
CallScreen.-existing #call-bar-time { width: 27; }
CallScreen #call-bar-text { width: 1fr; color: $text-muted; padding-left: 2; }
CallScreen #call-body { height: 1fr; }
CallScreen #call-form { width: 1fr; min-width: 40; padding: 0 1; }
CallScreen #call-side { width: 2fr; padding: 0 1 0 0; }
CallScreen.-narrow #call-form, CallScreen.-narrow #call-side { width: 1fr; padding: 0 1; }
CallScreen.-narrow #call-side { display: none; }
CallScreen.-narrow.-show-lookup #call-side { display: block; }
CallScreen.-narrow.-show-lookup #call-form { display: none; }
CallScreen .section-title { text-style: bold; color: $accent; height: 1; margin-top: 1; }
CallScreen .hint { color: $text-muted; height: auto; padding: 0 0 0 1; }
CallScreen .hint.-empty { display: none; }
CallScreen .hint.-found { color: $warning; }
CallScreen FixedInput { margin: 0 0 0 1; height: 1; }
CallScreen Select { margin: 0 0 0 1; }
CallScreen TextArea { height: 4; margin: 0 0 0 1; }
CallScreen MultiPick > SelectionList { max-height: 5; }
CallScreen #pick-days > SelectionList, CallScreen #pick-times > SelectionList {
    max-height: 7;
}
CallScreen #when-row { height: auto; }
CallScreen #when-row > FieldRow { width: 1fr; }
CallScreen #call-side LookupPanel { height: 1fr; min-height: 8; }
CallScreen #signposted-title { height: 1; text-style: bold; }
CallScreen SignpostList { height: auto; max-height: 4; border: none; padding: 0 1; }
/* No focus border: at 4 lines it would hide two of the signposts. */
CallScreen SignpostList:focus { background: $boost; border: none; }
CallScreen #wrap-up { height: auto; }
CallScreen #wrap-up > FieldRow { width: 1fr; }
"""


def _input(field: str, value: str = "", placeholder: str = "") -> Input:
    return FixedInput(value, placeholder=placeholder, id=field, compact=True)


def _chosen(value: str | None) -> Any:
    """A Select's value: blank when nothing is chosen."""
    return Select.NULL if value is None else value


def compose_form(choices: CallChoices, v: dict[str, Any], enquiry_id: str | None) -> ComposeResult:
    """The left column: caller, need and call details."""
    yield Static("Caller", classes="section-title")
    yield FieldRow("Enquirer", KeySelect(
        choices.kinds, id="enquirer_kind", prompt=KIND_PROMPT, value=_chosen(v["enquirer_kind"]),
        compact=True,
    ), "enquirer_kind", required=True)  # fmt: skip
    yield FieldRow("Caller's name", _input("caller_name", v["caller_name"],
                   "a first name is fine"), "caller_name")  # fmt: skip
    yield FieldRow("Phone", _input("caller_phone", v["caller_phone"], "any UK form"),
                   "caller_phone")  # fmt: skip
    yield CallerHint("contact-hint", exclude_id=enquiry_id)
    yield FieldRow("Relationship", _input("relationship", v["relationship"],
                   "e.g. daughter, neighbour"), "relationship")  # fmt: skip
    yield FieldRow("Postcode", _input("postcode", v["postcode"], "full or district, e.g. TN23"),
                   "postcode")  # fmt: skip
    yield HintLine("area-hint")
    yield Static("Need", classes="section-title")
    yield FieldRow("Needs", MultiPick(
        choices.services, v["needs"], id="needs", words=words_by_value(choices.service_phrases),
    ), "needs")  # fmt: skip
    with Horizontal(id="when-row"):
        yield FieldRow("Days", MultiPick(choices.days, v["days"], id="pick-days",
                       placeholder="filter", words=choices.day_words), "days")  # fmt: skip
        yield FieldRow("Times", MultiPick(choices.times, v["times"], id="pick-times",
                       placeholder="filter"), "times")  # fmt: skip
    yield FieldRow("Summary", TextArea(v["summary"], id="summary", compact=True), "summary")
    yield FieldRow("Urgency", KeySelect(
        choices.urgencies, id="urgency", value=v["urgency"], allow_blank=False, compact=True,
    ), "urgency")  # fmt: skip
    yield Static("Call details", classes="section-title")
    yield FieldRow("Received", _input("received_at", v["received_at"], "22/11/2026 14:05"),
                   "received_at", required=True)  # fmt: skip
    yield FieldRow("Channel", KeySelect(
        choices.channels, id="channel", value=v["channel"], allow_blank=False, compact=True,
    ), "channel")  # fmt: skip


def compose_wrap_up(choices: CallChoices, v: dict[str, Any]) -> ComposeResult:
    """Under the lookup: what came of the call, and when to follow it up."""
    with Horizontal(id="wrap-up"):
        yield FieldRow("Outcome", KeySelect(
            choices.outcomes, id="outcome", value=_chosen(v["outcome"]), prompt="type a letter",
            compact=True,
        ), "outcome")  # fmt: skip
        yield FieldRow("Follow up on", _input("follow_up_on", v["follow_up_on"],
                       "+3d, tue, 22/11"), "follow_up_on")  # fmt: skip
