"""The visit form: log a visit or contact with a provider (or correct one), with actions."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Select, Static, TextArea

from microcare_tui.services.visits import (
    ACTION_SLOTS,
    KIND_CHOICES,
    VisitFormValues,
    log_visit,
    visit_form_values,
)
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, KeySelect
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.kept_form import FormFill, KeptForm
from microcare_tui.ui.widgets.text_field import TextField

# Each app's visit form, kept (installed) between forms: see KeptForm.
_KEPT: WeakKeyDictionary[App[Any], VisitFormScreen] = WeakKeyDictionary()
_FIELDS = (
    "visited_on", "kind", "duration_minutes", "notes",
    *(f"action_{n}{due}" for n in range(1, ACTION_SLOTS + 1) for due in ("", "_due")),
    "next_visit_on",
)  # fmt: skip


class VisitFormScreen(KeptForm):
    """Log a visit; dismisses with the saved visit row, or None when cancelled."""

    HELP = (
        "Visit: when, what kind (type a letter: i initial, d development, q QA, r review, "
        "s support, c closure, p phone, e email), how long (45, 1h30), notes, up to three "
        "actions each with a due date (+2w, fri, 22/11), and the next visit. Visits are kept "
        "as written: to fix one, correct it from the provider's record (the original stays)."
    )
    DEFAULT_CSS = """
    VisitFormScreen #visit-form { padding: 0 1; }
    VisitFormScreen #notes { height: 5; }
    VisitFormScreen .action-line { height: auto; }
    VisitFormScreen .action-line > FieldRow { width: 1fr; }
    VisitFormScreen .action-line > FieldRow.due { width: 18; margin-left: 1; }
    VisitFormScreen .visit-top { height: auto; }
    VisitFormScreen .visit-top > FieldRow { width: 1fr; margin-right: 1; }
    """

    KEPT = _KEPT
    form: VisitFormValues | None = None  # what the form was last filled with

    def aim(self, provider_id: str, corrects: str | None = None) -> None:
        """The provider to log a visit for, or the visit to correct."""
        self.provider_id = provider_id
        self.corrects = corrects
        self.title_text = "Correct a visit" if corrects else "Log a visit"

    def read_fill(self) -> FormFill:
        form = self.form = visit_form_values(
            self.mc.store, self.provider_id, self.corrects, self.mc.today()
        )
        values = {name: form.values.get(name, "") for name in _FIELDS}
        values["kind"] = form.values.get("kind", "development")
        what = "Correct the visit to" if self.corrects else "Visit or contact:"
        return FormFill(values, f"{what} {form.provider_name}")

    def compose(self) -> ComposeResult:
        fill = self.read_fill_now()
        values = fill.values

        def text(field: str, placeholder: str = "") -> TextField:
            return TextField(values[field], id=field, placeholder=placeholder)

        yield AppHeader()
        with VerticalScroll(id="visit-form"):
            yield Static(fill.heading, classes="page-title", id="form-heading", markup=False)
            with Horizontal(classes="visit-top"):
                yield FieldRow("Date", text("visited_on", "today, 22/11"), "visited_on",
                               required=True)  # fmt: skip
                kind = KeySelect(KIND_CHOICES, id="kind", allow_blank=False,
                                 value=values["kind"])  # fmt: skip
                yield FieldRow("Kind", kind, "kind", hint="type a letter")
                yield FieldRow("Minutes", text("duration_minutes", "45, 1h30"), "duration_minutes")
            notes = TextArea(values["notes"], id="notes", soft_wrap=True)
            yield FieldRow("Notes", notes, "notes")
            for n in range(1, ACTION_SLOTS + 1):
                with Horizontal(classes="action-line"):
                    yield FieldRow(f"Action {n}", text(f"action_{n}", "what, by whom"),
                                   f"action_{n}")  # fmt: skip
                    due = FieldRow("Due", text(f"action_{n}_due", "+2w, fri"), f"action_{n}_due")
                    due.add_class("due")
                    yield due
            yield FieldRow("Next visit", text("next_visit_on", "+4w, 22/12"), "next_visit_on")
            yield Static("ctrl+s saves · escape cancels · * is required", classes="muted")
        yield FitFooter(compact=True)

    def validate_field(self, field: str, value: Any) -> str | None:
        if field in {"visited_on", "next_visit_on"} or field.endswith("_due"):
            from microcare_tui.domain.parse import parse_date

            try:
                parse_date(str(value), self.mc.today())
            except ValueError as exc:
                return str(exc)
        return None

    def values(self) -> dict[str, Any]:
        found = super().values()
        kind = found.get("kind")
        found["kind"] = None if kind is Select.NULL else kind
        return found

    def save_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return log_visit(
            self.mc.store, self.provider_id, values, self.mc.today(), corrects=self.corrects
        )

    def saved(self, result: Any) -> None:
        self.dirty = False
        self.mc.data_changed("visits")
        self.dismiss(result)
        self.app.notify("Correction saved; the original stays in the history."
                        if self.corrects else "Visit saved.")  # fmt: skip
