"""The provider form: add a provider to the register, or edit one."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Select, Static, Switch, TextArea

from microcare_tui.domain import models as m
from microcare_tui.domain import parse
from microcare_tui.domain.enums import Stage
from microcare_tui.domain.parse import format_money
from microcare_tui.services.providers import (
    ProviderFormChoices,
    base_area_name,
    get_provider,
    provider_form_choices,
    save_provider,
)
from microcare_tui.ui.widgets.cheap_screen import update_text
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, KeySelect, MultiPick
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.kept_form import FormFill, KeptForm
from microcare_tui.ui.widgets.pick import words_by_value
from microcare_tui.ui.widgets.text_field import TextField

WIDE = 78  # from this many columns the form uses two columns


# Each app's provider form, kept (installed) between forms: see KeptForm.
_KEPT: WeakKeyDictionary[App[Any], ProviderFormScreen] = WeakKeyDictionary()


class ProviderFormScreen(KeptForm):
    """Add or edit a provider; dismisses with the saved Provider, or None if cancelled."""

    HELP = (
        "Provider form: the provider's details for the register and the lookup. "
        "Tab moves on; in a list, type to filter and enter toggles; ctrl+s saves, escape cancels."
    )
    CSS_PATH = "providers.tcss"

    KEPT = _KEPT
    FIRST_FIELD = "#name"
    provider: m.Provider | None = None
    _choices: ProviderFormChoices  # the lists the form was last filled with (read_fill)

    # -- one screen for every provider form -------------------------------------------------
    # Composing the form (~120 widgets, several layout passes) was all of its cost, on every
    # n and e. As the call screen does, the form is kept (installed) when it closes and filled
    # afresh for the next provider, new or edited (KeptForm.open_for; prepare composes it off
    # screen for a new provider once the providers list is shown): only its values change.
    def aim(self, provider_id: str | None = None) -> None:
        """The provider to edit (None: a new provider)."""
        self.provider_id = provider_id
        self.title_text = "Edit provider" if provider_id else "New provider"

    def read_fill(self) -> FormFill:
        db = self.mc.store
        p = get_provider(db, self.provider_id) if self.provider_id else None
        choices = provider_form_choices(db, p.stage if p else None)
        self.provider, self._choices = p, choices
        # Composed with every list but the stages, which follow the provider.
        lists = tuple(v for k, v in vars(choices).items() if k != "stages")
        return FormFill(_form_values(p, choices), _heading(p), lists, {"stage": choices.stages})

    def started(self) -> None:
        self._set_width_class(self.app.size.width)  # resized meanwhile?
        self._show_area(self.query_one("#postcode", Input).value)

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        fill = self.read_fill_now()
        choices = self._choices  # read with the fill
        v = fill.values
        self._set_width_class(self.app.size.width)  # before the fields mount: one styling pass

        def text(field: str, placeholder: str = "") -> Input:
            return TextField(v[field], id=field, placeholder=placeholder)

        def choose(field: str, options: list[tuple[str, str]]) -> KeySelect:
            return KeySelect(options, id=field, prompt="(not known)", value=_chosen(v[field]))

        def pick(
            field: str, options: list[tuple[str, str]], words: dict[str, str] | None = None
        ) -> MultiPick:
            return MultiPick(options, v[field], id=field, words=words_by_value(words or {}))

        yield AppHeader()
        with VerticalScroll(classes="form-body", id="provider-form"):
            yield Static(fill.heading, classes="page-title", id="form-heading", markup=False)
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
                    yield FieldRow("Phone", text("phone", "e.g. 01233 123456"), "phone")
                    yield FieldRow("Email", text("email"), "email")
                    postcode = text("postcode", "e.g. TN23 4AB")
                    yield FieldRow("Postcode", postcode, "postcode", hint="sets the base area")
                    yield Static("", id="postcode-area", classes="field-hint muted", markup=False)
                    legal = KeySelect(
                        choices.legal_forms,
                        id="legal_form",
                        allow_blank=False,
                        value=_chosen(v["legal_form"]),
                    )
                    yield FieldRow("Legal form", legal, "legal_form", hint="type a letter")
                    stage = KeySelect(
                        choices.stages, id="stage", allow_blank=False, value=v["stage"]
                    )
                    yield FieldRow("Stage", stage, "stage")
                    staff = text("staff_count")
                    yield FieldRow("Staff (including the owner)", staff, "staff_count")
                    ownership = choose("ownership_model", choices.ownership_models)
                    yield FieldRow("Ownership model", ownership, "ownership_model")
                    yield FieldRow("Approach", choose("approach", choices.approaches), "approach")
                    rate = text("hourly_rate_pence", "e.g. £18.50")
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
                        taking = Switch(v["accepting_new_clients"], id="accepting_new_clients")
                        yield FieldRow("Taking new clients", taking, "accepting_new_clients")
                        regulated = Switch(v["regulated_activity"], id="regulated_activity")
                        yield FieldRow("Regulated (CQC)", regulated, "regulated_activity")
                    languages = text("languages", "e.g. Polish, BSL")
                    yield FieldRow("Languages", languages, "languages", hint="comma-separated")
                    specialisms = text("specialisms", "e.g. dementia, autism")
                    yield FieldRow(
                        "Specialisms", specialisms, "specialisms", hint="comma-separated"
                    )
            description = TextArea(v["description"], id="description", classes="form-text")
            yield FieldRow(
                "Description (what they offer, in their words)", description, "description"
            )
            notes = TextArea(v["notes"], id="notes", classes="form-text")
            yield FieldRow("Notes (for the team)", notes, "notes")
        yield FitFooter(compact=True)

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
        update_text(self.query_one("#postcode-area", Static), self._area_text(text.strip()))

    def _area_text(self, text: str) -> str:
        if not text:
            return ""
        try:
            postcode = parse.parse_postcode(text)
        except ValueError:
            return ""
        area = base_area_name(self.mc.store, postcode)
        if area:
            return f"Base area: {area}"
        return f"{postcode} is not in this council's areas; base area left empty"

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


def _heading(p: m.Provider | None) -> str:
    return f"Edit provider: {p.name}" if p else "New provider"


def _chosen(value: Any) -> Any:
    """A Select's value: blank when nothing is chosen."""
    return Select.NULL if value is None or value == "" else value


_TEXT_FIELDS = (
    "name", "lead_contact", "phone", "email", "postcode", "hourly_rate_pence", "languages",
    "specialisms", "description", "notes",
)  # fmt: skip
_PICK_FIELDS = ("services", "areas_served", "days", "times", "funding_accepted")


def _form_values(p: m.Provider | None, choices: ProviderFormChoices) -> dict[str, Any]:
    """Each field's value as the form shows it: the provider's, or a new provider's."""
    if p is None:
        forms = choices.legal_forms
        return {
            **dict.fromkeys(_TEXT_FIELDS, ""),
            **{field: [] for field in _PICK_FIELDS},
            "legal_form": forms[0][1] if forms else None,
            "stage": Stage.ENQUIRY.value,
            "staff_count": "1",
            "ownership_model": None,
            "approach": None,
            "accepting_new_clients": True,
            "regulated_activity": False,
        }

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    def plain(value: Any) -> Any:
        return getattr(value, "value", value)

    return {
        "name": p.name,
        "lead_contact": text(p.lead_contact),
        "phone": parse.format_phone(p.phone) if p.phone else "",
        "email": text(p.email),
        "postcode": text(p.postcode),
        "legal_form": p.legal_form,
        "stage": p.stage.value,
        "staff_count": str(p.staff_count),
        "ownership_model": plain(p.ownership_model),
        "approach": plain(p.approach),
        "hourly_rate_pence": format_money(p.hourly_rate_pence),
        "services": list(p.services),
        "areas_served": list(p.areas_served),
        "days": [plain(d) for d in p.days],
        "times": [plain(t) for t in p.times],
        "funding_accepted": [plain(f) for f in p.funding_accepted],
        "accepting_new_clients": p.accepting_new_clients,
        "regulated_activity": p.regulated_activity,
        "languages": ", ".join(p.languages),
        "specialisms": ", ".join(p.specialisms),
        "description": p.description or "",
        "notes": p.notes or "",
    }
