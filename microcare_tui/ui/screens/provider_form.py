"""The provider form: add a provider to the register, or edit one."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input, Select, Static, Switch, TextArea

from microcare_tui.domain import models as m
from microcare_tui.domain import parse
from microcare_tui.domain.enums import Stage
from microcare_tui.domain.parse import format_money
from microcare_tui.services.providers import (
    base_area_name,
    get_provider,
    provider_form_choices,
    save_provider,
)
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, FormScreen, KeySelect, MultiPick
from microcare_tui.ui.widgets.pick import words_by_value

WIDE = 78  # from this many columns the form uses two columns


class ProviderFormScreen(FormScreen):
    """Add or edit a provider; dismisses with the saved Provider, or None if cancelled."""

    HELP = (
        "Provider form: the provider's details for the register and the lookup. "
        "Tab moves on; in a list, type to filter and enter toggles; ctrl+s saves, escape cancels."
    )
    CSS_PATH = "providers.tcss"

    def __init__(self, provider_id: str | None = None) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.provider: m.Provider | None = None
        self.title_text = "Edit provider" if provider_id else "New provider"

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        db = self.mc.store
        p = get_provider(db, self.provider_id) if self.provider_id else None
        self.provider = p
        choices = provider_form_choices(db, p.stage if p else None)
        forms = choices.legal_forms
        self._set_width_class(self.app.size.width)  # before the fields mount: one styling pass

        def text(field: str, placeholder: str = "") -> Input:
            value = getattr(p, field, None) if p else None
            return Input("" if value is None else str(value), id=field, placeholder=placeholder)

        def words(field: str, placeholder: str) -> Input:
            value = ", ".join(getattr(p, field)) if p else ""
            return Input(value, id=field, placeholder=placeholder)

        def choose(field: str, options: list[tuple[str, str]], value: Any) -> KeySelect:
            blank = value is None or value == ""
            return KeySelect(
                options,
                id=field,
                prompt="(not known)",
                value=Select.NULL if blank else getattr(value, "value", value),
            )

        def pick(
            field: str, options: list[tuple[str, str]], words: dict[str, str] | None = None
        ) -> MultiPick:
            chosen = [getattr(v, "value", v) for v in getattr(p, field)] if p else []
            return MultiPick(options, chosen, id=field, words=words_by_value(words or {}))

        yield Header()
        with VerticalScroll(classes="form-body", id="provider-form"):
            heading = f"Edit provider: {p.name}" if p else "New provider"
            yield Static(heading, classes="page-title", markup=False)
            yield Static(
                "Tab to move; in a list, type to filter and enter toggles; ctrl+s (or F2) saves; "
                "escape cancels. "
                "* is required.",
                classes="muted",
            )
            with Horizontal(classes="form-columns"):
                with Vertical(id="form-left"):
                    name = text("name", "e.g. Oak Tree Companions")
                    yield FieldRow("Name", name, "name", required=True)
                    yield FieldRow("Lead contact", text("lead_contact"), "lead_contact")
                    phone = Input(_phone_text(p), id="phone", placeholder="e.g. 01233 123456")
                    yield FieldRow("Phone", phone, "phone")
                    yield FieldRow("Email", text("email"), "email")
                    postcode = text("postcode", "e.g. TN23 4AB")
                    yield FieldRow("Postcode", postcode, "postcode", hint="sets the base area")
                    yield Static("", id="postcode-area", classes="field-hint muted", markup=False)
                    legal = KeySelect(
                        forms,
                        id="legal_form",
                        allow_blank=False,
                        value=p.legal_form if p else forms[0][1] if forms else Select.NULL,
                    )
                    yield FieldRow("Legal form", legal, "legal_form", hint="type a letter")
                    stage = KeySelect(
                        choices.stages,
                        id="stage",
                        allow_blank=False,
                        value=p.stage.value if p else Stage.ENQUIRY.value,
                    )
                    yield FieldRow("Stage", stage, "stage")
                    staff = Input(str(p.staff_count) if p else "1", id="staff_count")
                    yield FieldRow("Staff (including the owner)", staff, "staff_count")
                    ownership = choices.ownership_models
                    yield FieldRow(
                        "Ownership model",
                        choose("ownership_model", ownership, p.ownership_model if p else None),
                        "ownership_model",
                    )
                    yield FieldRow(
                        "Approach",
                        choose("approach", choices.approaches, p.approach if p else None),
                        "approach",
                    )
                    rate = Input(
                        format_money(p.hourly_rate_pence) if p else "",
                        id="hourly_rate_pence",
                        placeholder="e.g. £18.50",
                    )
                    yield FieldRow("Hourly rate", rate, "hourly_rate_pence")
                with Vertical(id="form-right"):
                    services = pick("services", choices.services, choices.service_words)
                    yield FieldRow("Services", services, "services")
                    areas = pick("areas_served", choices.areas, choices.area_words)
                    yield FieldRow("Areas served", areas, "areas_served")
                    yield FieldRow("Days", pick("days", choices.days), "days")
                    yield FieldRow("Times", pick("times", choices.times), "times")
                    funding = pick("funding_accepted", choices.funding)
                    yield FieldRow("Funding accepted", funding, "funding_accepted")
                    with Horizontal(classes="switches"):
                        taking = Switch(
                            p.accepting_new_clients if p else True, id="accepting_new_clients"
                        )
                        yield FieldRow("Taking new clients", taking, "accepting_new_clients")
                        regulated = Switch(
                            p.regulated_activity if p else False, id="regulated_activity"
                        )
                        yield FieldRow("Regulated (CQC)", regulated, "regulated_activity")
                    languages = words("languages", "e.g. Polish, BSL")
                    yield FieldRow("Languages", languages, "languages", hint="comma-separated")
                    specialisms = words("specialisms", "e.g. dementia, autism")
                    yield FieldRow(
                        "Specialisms", specialisms, "specialisms", hint="comma-separated"
                    )
            description = TextArea(
                (p.description or "") if p else "", id="description", classes="form-text"
            )
            yield FieldRow(
                "Description (what they offer, in their words)", description, "description"
            )
            notes = TextArea((p.notes or "") if p else "", id="notes", classes="form-text")
            yield FieldRow("Notes (for the team)", notes, "notes")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self._show_area(self.query_one("#postcode", Input).value)
        self.query_one("#name", Input).focus()
        # Controls announce their first values as they mount; that is not an edit.
        self.call_after_refresh(self._start_clean)

    def _start_clean(self) -> None:
        self.dirty = False

    def on_resize(self, event: events.Resize) -> None:
        self._set_width_class(event.size.width)

    def _set_width_class(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")

    # -- checks as the worker leaves a field -------------------------------------------------
    def validate_field(self, field: str, value: Any) -> str | None:
        text = str(value).strip()
        try:
            if field == "name" and len(text) < 2:
                return "Enter at least 2 characters"
            if field == "phone":
                parse.parse_phone(text)
            elif field == "email":
                parse.parse_email(text)
            elif field == "postcode":
                parse.parse_postcode(text)
            elif field == "hourly_rate_pence":
                pence = parse.parse_money(text)
                if pence > 100_000:
                    return "That is over £1,000 an hour: check the amount"
            elif field == "staff_count":
                parse.parse_whole_number(text, 0, 10_000)
        except ValueError as exc:
            return str(exc)
        return None

    @on(Input.Blurred, "#postcode")
    def _postcode_left(self, event: Input.Blurred) -> None:
        self._show_area(event.value)

    def _show_area(self, text: str) -> None:
        hint = self.query_one("#postcode-area", Static)
        text = text.strip()
        if not text:
            hint.update("")
            return
        try:
            postcode = parse.parse_postcode(text)
        except ValueError:
            hint.update("")
            return
        area = base_area_name(self.mc.store, postcode)
        if area:
            hint.update(f"Base area: {area}")
        else:
            hint.update(f"{postcode} is not in this council's areas; base area left empty")

    # -- saving ----------------------------------------------------------------------------
    def save_values(self, values: dict[str, Any]) -> m.Provider:
        data = dict(values)
        if self.provider is not None:
            # On edit, None means "keep what is stored"; an emptied choice must clear it.
            for key in ("ownership_model", "approach"):
                if data.get(key) is None:
                    data[key] = ""
        # The base area follows the postcode (emptied postcode, no base area): the service's
        # rule, not the form's.
        provider = save_provider(self.mc.store, data, self.provider_id)
        self.mc.data_changed("providers")
        self.notify(f"Saved {provider.name}", markup=False)
        return provider


def _phone_text(p: m.Provider | None) -> str:
    if p is None or not p.phone:
        return ""
    return parse.format_phone(p.phone)
