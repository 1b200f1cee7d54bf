"""One provider's record: every field in words, standing and why, and the stage history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.domain.enums import QAOutcome, Stage, Standing, label
from microcare_tui.domain.errors import MicrocareError, NotFound
from microcare_tui.domain.labels import standing_label
from microcare_tui.domain.parse import format_date, format_datetime, format_money, format_phone
from microcare_tui.services.providers import move_stage
from microcare_tui.store import providers as repo
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store
from microcare_tui.ui.access import AppAccess

if TYPE_CHECKING:
    pass


def standing_with_reason(store: Store, provider: m.Provider, today: date) -> tuple[str, str]:
    """The provider's standing today (the domain rule) and a short reason in words."""
    evidence = records.find(store, m.EvidenceItem, "provider_id = ?", (provider.id,))
    checks = records.find(
        store, m.QACheck, "provider_id = ?", (provider.id,), order="checked_on DESC, rowid DESC"
    )
    latest = checks[0] if checks else None
    states = [
        rules.EvidenceState(e.evidence_type_code, e.status.value == "met", e.expires_on)
        for e in evidence
    ]
    word = rules.standing(provider.stage, latest.outcome if latest else None, states, today)
    if word is Standing.NOT_LISTED:
        if provider.stage not in rules.LISTED_STAGES:
            return word.value, f"stage is {label(provider.stage.value).lower()}"
        if latest is not None:
            return word.value, f"QA check on {format_date(latest.checked_on)} was not approved"
        return word.value, ""
    if word is Standing.LAPSED:
        names = {t.code: t.label for t in reference.evidence_types(store)}
        expired = sorted(
            (e for e in evidence if e.status.value == "met" and (e.expires_on or today) < today),
            key=lambda e: e.expires_on or today,
        )
        reasons = [
            f"{names.get(e.evidence_type_code, label(e.evidence_type_code))} expired "
            f"{format_date(e.expires_on)}"
            for e in expired
        ]
        return word.value, "; ".join(reasons)
    if latest is None:
        return word.value, f"{label(provider.stage.value).lower()}, no QA check yet"
    outcome = "approved" if latest.outcome is QAOutcome.APPROVED else "approved with actions"
    return word.value, f"QA {outcome} on {format_date(latest.checked_on)}, nothing lapsed"


class MoveStageDialog(ModalScreen[tuple[Stage, str] | None]):
    """Pick the next stage (only the allowed ones) and an optional note."""

    DEFAULT_CSS = """
    MoveStageDialog { align: center middle; }
    MoveStageDialog > Vertical {
        width: 60; max-width: 95%; height: auto; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    MoveStageDialog OptionList { height: auto; max-height: 9; }
    MoveStageDialog Input { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, current: Stage) -> None:
        super().__init__()
        self.provider_name = name
        self.current = current
        self.choices = [s for s in Stage if s in rules.allowed_next_stages(current)]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Move {self.provider_name} from {label(self.current.value).lower()} to:",
                markup=False,
                classes="page-title",
            )
            yield OptionList(*[Option(label(s.value), id=s.value) for s in self.choices])
            yield Input(placeholder="note (optional): why, what next", id="stage-note")
            yield Static("Enter moves, tab for the note, escape cancels.", classes="muted")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._finish(event.option.id)

    @on(Input.Submitted)
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None:
            options.focus()
            return
        self._finish(options.get_option_at_index(options.highlighted).id)

    def _finish(self, stage_id: str | None) -> None:
        if not stage_id:
            return
        note = self.query_one("#stage-note", Input).value.strip()
        self.dismiss((Stage(stage_id), note))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProviderDetailScreen(AppAccess, Screen[None]):
    """A provider's record, read-only, with keys to edit, move stage and copy the phone."""

    HELP = (
        "Provider record: everything held about one provider, their standing today and why, "
        "and every dated stage move."
    )
    title_text = "Provider"
    CSS_PATH = "providers.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("m", "move_stage", "Move stage"),
        Binding("c", "copy_phone", "Copy phone"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, provider_id: str) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.provider: m.Provider | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="page", id="detail-page"):
            yield Static("", id="detail-name", classes="page-title", markup=False)
            yield Static("", id="detail-standing")
            with Horizontal(id="detail-columns"):
                with Vertical(classes="detail-panel"):
                    yield Static("Contact and business", classes="panel-title")
                    yield Static("", id="detail-contact")
                with Vertical(classes="detail-panel"):
                    yield Static("What they offer", classes="panel-title")
                    yield Static("", id="detail-offer")
            yield Static("Stage history", classes="panel-title")
            yield Static("", id="detail-history")
            yield Static("About", classes="panel-title", id="detail-about-title")
            yield Static("", id="detail-about")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    def on_screen_resume(self) -> None:
        if self.provider is not None:
            self.reload()

    def reload(self) -> None:
        store = self.mc.store
        try:
            p = repo.get_provider(store, self.provider_id)
        except NotFound:
            self.notify("That provider is no longer on the register.", severity="warning")
            self.dismiss(None)
            return
        self.provider = p
        areas = {a.id: a.name for a in reference.areas(store)}
        services = {st.code: st.label for st in reference.service_types(store)}
        forms = {f.code: f.label for f in reference.legal_forms(store)}
        word, why = standing_with_reason(store, p, self.mc.today())

        self.query_one("#detail-name", Static).update(p.name)
        reason = f" — {escape(why)}" if why else ""
        self.query_one("#detail-standing", Static).update(
            f"Standing: [b]{escape(standing_label(word))}[/]{reason}\n"
            f"Stage: [b]{escape(label(p.stage.value))}[/]"
            + (f" since {format_date(p.stage_changed_on)}" if p.stage_changed_on else "")
        )
        self.query_one("#detail-standing", Static).set_classes(f"status-{word}")

        def line(name: str, value: str) -> str:
            return f"[b]{escape(name)}[/]: {escape(value) if value else '[dim]-[/]'}"

        base_area = areas.get(p.area_id or "", "")
        place = " · ".join(x for x in [p.postcode or "", base_area] if x)
        contact = [
            line("Lead contact", p.lead_contact or ""),
            line("Phone", format_phone(p.phone)),
            line("Email", p.email or ""),
            line("Postcode", place),
            line("Legal form", forms.get(p.legal_form, label(p.legal_form))),
            line("Staff", f"{p.staff_count} ({p.size_band.value})"),
            line("Ownership", label(p.ownership_model.value) if p.ownership_model else ""),
            line("Approach", label(p.approach.value) if p.approach else ""),
            line("Regulated (CQC)", "yes" if p.regulated_activity else "no"),
        ]
        offer = [
            line("Services", ", ".join(services.get(s, s) for s in p.services)),
            line("Areas served", ", ".join(areas.get(a, "?") for a in p.areas_served)),
            line("Taking new clients", "yes" if p.accepting_new_clients else "no"),
            line("Hourly rate", format_money(p.hourly_rate_pence)),
            line("Funding", ", ".join(label(f.value) for f in p.funding_accepted)),
            line("Days", ", ".join(label(d.value) for d in p.days)),
            line("Times", ", ".join(label(t.value) for t in p.times)),
            line("Languages", ", ".join(p.languages)),
            line("Specialisms", ", ".join(p.specialisms)),
        ]
        self.query_one("#detail-contact", Static).update("\n".join(contact))
        self.query_one("#detail-offer", Static).update("\n".join(offer))

        moves = repo.stage_history(store, p.id)
        history = [
            f"{format_date(mv.moved_on)}  "
            + escape(
                f"{label(mv.from_stage.value) if mv.from_stage else 'added'} → "
                f"{label(mv.to_stage.value)}"
                + (f" ({mv.note})" if mv.note else "")
                + (f" by {mv.created_by}" if mv.created_by else "")
            )
            for mv in moves
        ]
        self.query_one("#detail-history", Static).update(
            "\n".join(history) or "[dim]No stage moves recorded.[/]"
        )
        about = [line("Description", p.description or ""), line("Notes", p.notes or "")]
        added = format_datetime(p.created_at)
        if added:
            about.append(line("Added", f"{added} by {p.created_by or 'unknown'}"))
        if p.updated_at and p.updated_at != p.created_at:
            about.append(
                line("Updated", f"{format_datetime(p.updated_at)} by {p.updated_by or 'unknown'}")
            )
        self.query_one("#detail-about", Static).update("\n".join(about))

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.reload()

    def action_edit(self) -> None:
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        self.app.push_screen(ProviderFormScreen(self.provider_id))

    def action_copy_phone(self) -> None:
        if self.provider is None or not self.provider.phone:
            self.notify("No phone number recorded: press e to add one.")
            return
        self.mc.copy_text(format_phone(self.provider.phone), "phone number")

    def action_move_stage(self) -> None:
        p = self.provider
        if p is None:
            return

        def chosen(result: tuple[Stage, str] | None) -> None:
            if result is None:
                return
            target, note = result
            try:
                moved = move_stage(self.mc.store, p.id, target, note or None)
            except MicrocareError as exc:
                self.notify(exc.message, title="Not moved", severity="error")
                return
            self.mc.data_changed("providers")
            self.notify(f"{moved.name} moved to {label(moved.stage.value).lower()}", markup=False)

        self.app.push_screen(MoveStageDialog(p.name, p.stage), chosen)
