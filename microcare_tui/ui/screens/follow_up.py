"""Mark a follow-up done, with a note of what was done (from Home with f, Enquiries with x)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from microcare_tui.services.enquiries import FollowUpView, complete_follow_up, follow_up_view
from microcare_tui.ui.widgets.form import FieldRow, FormScreen
from microcare_tui.ui.widgets.text_field import TextField

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
        self.about: FollowUpView | None = None

    def compose(self) -> ComposeResult:
        v = self.about = follow_up_view(self.mc.store, self.enquiry_id)
        lines = [v.caller, f"Needs: {v.needs} · outcome: {v.outcome}", f"Follow-up due {v.due}"]
        if v.earlier_notes:
            lines.append(f"Earlier notes: {v.earlier_notes}")
        with Vertical():
            yield Static("Follow-up done", classes="page-title")
            yield Static("\n".join(lines), id="follow-up-about", markup=False)
            note = TextField(id="follow_up_note", placeholder="e.g. rang back, all sorted")
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
        self.mc.data_changed("enquiries")  # the header's count; the list below reloads on resume
        self.dismiss(result)
        self.app.notify("Follow-up done and noted.")
