"""Raise a concern, complaint or compliment about a provider (k on the provider's record)."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, TextArea

from microcare_tui.domain.parse import format_date
from microcare_tui.services import concerns
from microcare_tui.services.qa_checks import provider_title
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, KeySelect
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.kept_form import FormFill, KeptForm
from microcare_tui.ui.widgets.text_field import TextField

# Each app's concern form, kept (installed) between forms: see KeptForm.
_KEPT: WeakKeyDictionary[App[Any], ConcernFormScreen] = WeakKeyDictionary()
_FIELDS = ("kind", "raised_on", "raised_by", "severity", "summary", "referred_on",
           "restricted_notes")  # fmt: skip


class ConcernFormScreen(KeptForm):
    """Record a concern, complaint or compliment; dismisses with the saved ConcernLine."""

    HELP = (
        "Concern, complaint or compliment about a provider. Who raised it is a role "
        "(daughter of a client, social worker), never a member of the public's name. "
        "An open safeguarding concern suspends the provider's good standing until it is "
        "closed. Restricted notes are shown only on request and never go into reports or "
        "exports. Tab moves on; ctrl+s saves; escape cancels."
    )
    title_text = "Concern"
    DEFAULT_CSS = """
    ConcernFormScreen .form-body { height: 1fr; }
    ConcernFormScreen .page-title { margin-bottom: 0; }
    ConcernFormScreen .concern-row { height: auto; }
    ConcernFormScreen .concern-row > FieldRow { width: 1fr; margin-right: 2; }
    ConcernFormScreen #restricted_notes { height: 4; }
    """

    KEPT = _KEPT
    FIRST_FIELD = "#kind"

    def aim(self, provider_id: str) -> None:
        """The provider the concern is about."""
        self.provider_id = provider_id

    def read_fill(self) -> FormFill:
        name = provider_title(self.mc.store, self.provider_id)
        values: dict[str, Any] = dict.fromkeys(_FIELDS, "")
        values.update(kind=None, severity=None, raised_on=format_date(self.mc.today()))
        return FormFill(values, f"Concern, complaint or compliment: {name}")

    def compose(self) -> ComposeResult:
        fill = self.read_fill_now()
        yield AppHeader()
        with VerticalScroll(classes="form-body"):
            yield Static(fill.heading, classes="page-title", id="form-heading", markup=False)
            with Horizontal(classes="concern-row"):
                kind = KeySelect(concerns.kind_choices(), id="kind", prompt="(choose)",
                                 compact=True)  # fmt: skip
                yield FieldRow("Kind", kind, "kind", required=True, hint="s, c")
                raised = TextField(fill.values["raised_on"], id="raised_on", compact=True)
                yield FieldRow("Raised on", raised, "raised_on", required=True)
            with Horizontal(classes="concern-row"):
                by = TextField(id="raised_by", placeholder="e.g. daughter of a client",
                               compact=True)  # fmt: skip
                yield FieldRow("Raised by", by, "raised_by", hint="a role, not a name")
                severity = KeySelect(concerns.severity_choices(), id="severity",
                                     prompt="(choose)", compact=True)  # fmt: skip
                yield FieldRow("Severity", severity, "severity", hint="l, m, h")
            summary = TextField(id="summary", placeholder="what it is about, in a line",
                                compact=True)  # fmt: skip
            yield FieldRow("Summary", summary, "summary", required=True)
            referred = TextField(id="referred_on", placeholder="e.g. today", compact=True)
            yield FieldRow(
                "Referred to the council's safeguarding team on", referred, "referred_on",
                hint="a date, if referred",
            )  # fmt: skip
            notes = TextArea(id="restricted_notes", compact=True)
            yield FieldRow(
                "Restricted notes", notes, "restricted_notes",
                hint="shown only on request; never in reports or exports",
            )  # fmt: skip
            yield Static(
                "An open safeguarding concern suspends good standing until it is closed. "
                "ctrl+s saves; escape cancels.",
                classes="muted",
            )
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> concerns.ConcernLine:
        line = concerns.save_concern(self.mc.store, self.provider_id, values, self.mc.today())
        self.mc.data_changed("concerns")
        self.notify(f"{line.kind_text} recorded ({line.status_text}).", markup=False)
        return line
