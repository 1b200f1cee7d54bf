"""Mark a follow-up done, with a note of what was done (from Home with f, Enquiries with x)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from microcare_tui.domain.labels import OUTCOME_LABELS
from microcare_tui.domain.parse import format_date, format_phone
from microcare_tui.services.enquiries import complete_follow_up
from microcare_tui.store import enquiries as enquiry_store
from microcare_tui.store import reference
from microcare_tui.ui.widgets.form import FieldRow, FormScreen

if TYPE_CHECKING:
    from microcare_tui.domain import models as m


class FollowUpDoneScreen(FormScreen, ModalScreen[Any]):
    """Dismisses with the updated enquiry, or None when cancelled."""

    title_text = "Follow-up done"
    HELP = (
        "Follow-up done: say what was done (e.g. 'rang back, Oak Tree started Tuesdays'); "
        "ctrl+s saves and takes it off the follow-ups list, escape leaves it as it was."
    )
    DEFAULT_CSS = """
    FollowUpDoneScreen { align: center middle; }
    FollowUpDoneScreen > Vertical {
        width: 76; max-width: 98%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    FollowUpDoneScreen #follow-up-about { margin-bottom: 1; }
    """

    def __init__(self, enquiry_id: str) -> None:
        super().__init__()
        self.enquiry_id = enquiry_id
        self.enquiry: m.Enquiry | None = None

    def compose(self) -> ComposeResult:
        store = self.mc.store
        e = self.enquiry = enquiry_store.get_enquiry(store, self.enquiry_id)
        labels = {st.code: st.label for st in reference.service_types(store)}
        needs = ", ".join(labels.get(n, n) for n in e.needs) or "needs not recorded"
        lines = [
            f"{e.caller_name or '(no name)'} · {format_phone(e.caller_phone) or 'no phone'}",
            f"Needs: {needs} · outcome: {OUTCOME_LABELS[e.outcome] if e.outcome else 'open'}",
            f"Follow-up due {format_date(e.follow_up_on) or '(no date)'}",
        ]
        if e.follow_up_note:
            lines.append(f"Earlier notes: {e.follow_up_note}")
        with Vertical():
            yield Static("Follow-up done", classes="page-title")
            yield Static("\n".join(lines), id="follow-up-about", markup=False)
            note = Input(id="follow_up_note", placeholder="e.g. rang back, all sorted")
            yield FieldRow("What was done", note, "follow_up_note", required=True)
            yield Static("ctrl+s saves · escape cancels", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#follow_up_note", Input).focus()

    def save_values(self, values: dict[str, Any]) -> m.Enquiry:
        return complete_follow_up(
            self.mc.store, self.enquiry_id, values.get("follow_up_note") or ""
        )

    def saved(self, result: Any) -> None:
        self.dirty = False
        self.dismiss(result)
        self.app.notify("Follow-up done and noted.")
