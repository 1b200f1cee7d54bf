"""The QA check: a keyboard-first checklist of the evidence that applies, pre-filled from the
evidence on file, with the outcome, the next review and the actions agreed; ctrl+s saves it
all in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from microcare_tui.domain import qa
from microcare_tui.domain.enums import EvidenceStatus, QAOutcome
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.parse import format_date, parse_date
from microcare_tui.domain.rules import add_months
from microcare_tui.services import qa_checks
from microcare_tui.ui.screens.qa_dialogs import ActionDialog, NoteDialog
from microcare_tui.ui.widgets.checklist import ChecklistList
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, KeySelect
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.kept_form import FormFill, KeptForm
from microcare_tui.ui.widgets.text_field import TextField

KEYS_HINT = "· enter: note · * mandatory"  # m, x, a and + are in the footer


# Each app's QA check, kept (installed) between checks: see KeptForm.
_KEPT: WeakKeyDictionary[App[Any], QACheckScreen] = WeakKeyDictionary()


class QACheckScreen(KeptForm):
    """Record a QA check of one provider; dismisses with the SavedCheck, or None."""

    HELP = (
        "QA check: one line per piece of evidence that applies, pre-filled from the evidence "
        "on file. Up/down move; m met, x not met, a not applicable (each moves on), space "
        "cycles; enter edits the line's note; + adds an action with a due date, delete removes "
        "the highlighted action. Tab reaches the outcome (a approved, n not approved). "
        "Approved needs every mandatory line (*) met: otherwise choose approved with actions "
        "or not approved. ctrl+s saves the check, its lines and actions together."
    )
    title_text = "QA check"
    AUTO_FOCUS = "#checklist"
    DEFAULT_CSS = """
    QACheckScreen #qa-page { height: 1fr; padding: 0 1; }
    QACheckScreen .page-title { margin-bottom: 0; }
    QACheckScreen .qa-fields { height: auto; }
    QACheckScreen .qa-fields > FieldRow { width: 1fr; margin-right: 2; }
    QACheckScreen #checklist { height: 1fr; min-height: 4; border: none; }
    QACheckScreen #qa-summary, QACheckScreen #qa-actions-title { height: 1; color: $text-muted; }
    QACheckScreen #qa-advice { height: auto; }
    QACheckScreen #qa-actions { height: auto; max-height: 4; border: none; }
    """
    BINDINGS = [
        Binding("plus", "add_action", "Add action", id="qa-add-action"),
        Binding("delete", "remove_action", "Remove action", show=False),
    ]

    KEPT = _KEPT
    FIRST_FIELD = "#checklist"

    def aim(self, provider_id: str, kind: str | None = None) -> None:
        """The provider to check, and the kind of check (None: the one that is due)."""
        self.provider_id = provider_id
        self.kind = kind
        self.actions: list[tuple[str, str]] = []  # (description, due date as shown)
        self._touched = False  # a line, a note or an action changed

    def read_fill(self) -> FormFill:
        today = self.mc.today()
        # One provider's evidence and requirement lines: a few dozen rows, read in ~ms.
        draft = self.draft = qa_checks.start_check(self.mc.store, self.provider_id, today,
                                                   self.kind)  # fmt: skip
        # the next review the screen filled in (it follows the date)
        self._auto_review = format_date(draft.next_review_on)
        values = {"kind": draft.kind, "checked_on": format_date(today),
                  "next_review_on": self._auto_review, "outcome": None, "notes": ""}  # fmt: skip
        # The review months are in a field's label: composed with, as the lists are.
        lists = (draft.kinds, draft.outcomes, draft.review_months)
        return FormFill(values, f"QA check: {draft.provider_name}", lists)

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        fill = self.read_fill_now()
        draft = self.draft
        v = fill.values
        yield AppHeader()
        with Vertical(id="qa-page"):
            yield Static(fill.heading, classes="page-title", id="form-heading", markup=False)
            with Horizontal(classes="qa-fields"):
                kind = KeySelect(
                    draft.kinds, id="kind", value=v["kind"], allow_blank=False, compact=True
                )
                yield FieldRow("Kind", kind, "kind", hint="type a letter")
                checked = TextField(v["checked_on"], id="checked_on", compact=True)
                yield FieldRow("Date", checked, "checked_on", required=True)
                review = TextField(v["next_review_on"], id="next_review_on", compact=True)
                months = draft.review_months
                yield FieldRow("Next review", review, "next_review_on", hint=f"{months} months")
            yield Static("", id="qa-summary", markup=False)
            yield ChecklistList(draft.lines, id="checklist")
            with Horizontal(classes="qa-fields"):
                outcome = KeySelect(draft.outcomes, id="outcome", prompt="(choose)", compact=True)
                yield FieldRow("Outcome", outcome, "outcome", required=True)
                notes = TextField(id="notes", placeholder="what was seen, who was there",
                                  compact=True)  # fmt: skip
                yield FieldRow("Notes", notes, "notes")
            yield Static("", id="qa-advice", markup=False)
            yield Static("", id="qa-actions-title", markup=False)
            yield OptionList(id="qa-actions")
        yield FitFooter(compact=True)

    def started(self) -> None:
        self.checklist.set_lines(self.draft.lines)  # the provider's (a kept check filled)
        self._show_summary()
        self._show_actions()

    def has_unsaved_changes(self) -> bool:
        return self._touched or super().has_unsaved_changes()

    # -- the checklist ---------------------------------------------------------------------
    @property
    def checklist(self) -> ChecklistList:
        return self.query_one("#checklist", ChecklistList)

    @on(ChecklistList.Changed)
    def _line_changed(self, event: ChecklistList.Changed) -> None:
        if isinstance(event, ChecklistList.NoteRequested):
            self._edit_note(event.index)
            return
        self._touched = True
        self._show_summary()

    def _edit_note(self, index: int) -> None:
        line = self.checklist.lines[index]

        def done(note: str | None) -> None:
            if note is not None:
                self.checklist.set_note(index, note)

        self.app.push_screen(NoteDialog(line.title, line.note), done)

    def _show_summary(self) -> None:
        lines = self.checklist.lines
        met = sum(ln.result is EvidenceStatus.MET for ln in lines)
        not_met = sum(ln.result is EvidenceStatus.NOT_MET for ln in lines)
        mandatory = len(qa.unmet_mandatory(lines))
        na = len(lines) - met - not_met
        words = f"Checklist: {met} met, {not_met} not met"
        if mandatory:
            words += f" ({mandatory} mandatory)"
        words += f", {na} n/a {KEYS_HINT}"
        if not lines:
            words = "No evidence applies to this provider: set their services and people first."
        self.query_one("#qa-summary", Static).update(words)
        self._show_advice()

    @on(Select.Changed, "#outcome")
    def _outcome_changed(self) -> None:
        self._show_advice()

    def _outcome(self) -> QAOutcome | None:
        value = self.query_one("#outcome", KeySelect).value
        return QAOutcome(str(value)) if value in {o.value for o in QAOutcome} else None

    def _show_advice(self) -> None:
        """The outcome rule in words as the checker works: what the checklist points to, and
        why a chosen outcome would be refused."""
        lines = self.checklist.lines
        outcome = self._outcome()
        drafts = [qa.ActionDraft(d, None) for d, _ in self.actions]
        problem = qa.outcome_problem(outcome, lines, drafts) if outcome else None
        if problem:
            text = f"! {problem}"
        else:
            suggested = qa.outcome_label(qa.suggested_outcome(lines).value).lower()
            text = f"The checklist points to: {suggested}."
            if outcome is None:
                text += " Tab to the outcome and type a letter (a approved, n not approved)."
        self.query_one("#qa-advice", Static).update(text)

    # -- dates -----------------------------------------------------------------------------
    @on(Input.Blurred, "#checked_on")
    def _date_left(self, event: Input.Blurred) -> None:
        """The next review follows the check's date until the worker types their own."""
        review = self.query_one("#next_review_on", Input)
        if review.value.strip() != self._auto_review:
            return
        try:
            on_day = parse_date(event.value, self.mc.today())
        except ValueError:
            return
        self._auto_review = format_date(qa.review_date(on_day, self.draft.review_months))
        review.value = self._auto_review

    def _checked_on(self) -> date | None:
        try:
            return parse_date(self.query_one("#checked_on", Input).value, self.mc.today())
        except ValueError:
            return None

    # -- actions ---------------------------------------------------------------------------
    def action_add_action(self) -> None:
        today = self.mc.today()
        checked = self._checked_on()

        def added(action: tuple[str, str] | None) -> None:
            if action is not None:
                self.actions.append(action)
                self._touched = True
                self._show_actions()

        due = add_months(checked or today, 1)  # a month on: the worker types their own
        self.app.push_screen(ActionDialog(checked, today, due), added)

    def action_remove_action(self) -> None:
        listing = self.query_one("#qa-actions", OptionList)
        index = listing.highlighted
        if not self.actions or index is None or self.focused is not listing:
            return
        del self.actions[index]
        self._touched = True
        self._show_actions()

    def _show_actions(self) -> None:
        listing = self.query_one("#qa-actions", OptionList)
        listing.set_options(
            Option(f"{i}. {d}  (due {due})") for i, (d, due) in enumerate(self.actions, 1)
        )
        listing.display = bool(self.actions)
        count = len(self.actions)
        title = f"Actions ({count}): + adds one, delete removes the highlighted one"
        self.query_one("#qa-actions-title", Static).update(
            title if count else "No actions: + adds one (what, and by when)"
        )
        self._show_advice()

    # -- saving ----------------------------------------------------------------------------
    def save_values(self, values: dict[str, Any]) -> qa_checks.SavedCheck:
        try:
            saved = qa_checks.save_check(
                self.mc.store,
                self.provider_id,
                kind=str(values.get("kind") or ""),
                checked_on=str(values.get("checked_on") or ""),
                next_review_on=str(values.get("next_review_on") or ""),
                outcome=values.get("outcome"),
                lines=self.checklist.lines,
                actions=self.actions,
                notes=str(values.get("notes") or ""),
                today=self.mc.today(),
            )
        except ValidationFailed as exc:
            raise ValidationFailed(self._grouped(exc.errors)) from None
        self.mc.data_changed("qa_checks")
        self.notify(
            f"QA check saved for {saved.provider_name}: {saved.outcome_text.lower()}, "
            f"{saved.lines} lines, {saved.actions} actions, next review {saved.next_review}.",
            markup=False,
        )
        return saved

    def saved(self, result: Any) -> None:
        self._touched = False
        super().saved(result)

    def _grouped(self, errors: dict[str, str]) -> dict[str, str]:
        """Line and action messages under one heading each; the first bad line highlighted."""
        grouped: dict[str, str] = {}
        for field, message in errors.items():
            if field.startswith("line"):
                if "Checklist" not in grouped:
                    self.checklist.highlighted = int(field.removeprefix("line"))
                grouped["Checklist"] = "; ".join(filter(None, [grouped.get("Checklist"), message]))
            elif field.startswith("action"):
                grouped["Actions"] = "; ".join(filter(None, [grouped.get("Actions"), message]))
            else:
                grouped[field] = message
        return grouped
