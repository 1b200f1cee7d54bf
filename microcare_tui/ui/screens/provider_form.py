"""The provider form: add a provider to the register, or edit one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Select, Static, Switch, TextArea

from microcare_tui.domain import models as m
from microcare_tui.domain import parse, rules
from microcare_tui.domain.enums import Approach, Day, Funding, OwnershipModel, Stage, TimeOfDay, label
from microcare_tui.domain.parse import format_money
from microcare_tui.services.providers import save_provider
from microcare_tui.store import providers as repo
from microcare_tui.store import reference
from microcare_tui.ui.widgets.form import FieldRow, FormScreen, MultiPick

if TYPE_CHECKING:
    from microcare_tui.ui.app import MicrocareApp

WIDE = 110  # from this many columns the form uses two columns


class KeySelect(Select[str]):
    """A Select that chooses by typing while closed: 'c' picks the next option starting with c.

    Enter, space or the arrows still open the list (and type-to-search works there too).
    """

    def __init__(self, options: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        self.choices = list(options)
        super().__init__(self.choices, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if self.expanded or not char or not char.isprintable() or char == " ":
            return
        event.stop()
        event.prevent_default()
        needle = char.lower()
        values = [v for _, v in self.choices]
        start = values.index(self.value) + 1 if self.value in values else 0
        ordered = self.choices[start:] + self.choices[:start]
        for text, value in ordered:
            if text.lower().startswith(needle):
                self.value = value
                return
        self.app.bell()


def _enum_choices(values: Iterable[str]) -> list[tuple[str, str]]:
    return [(label(v), v) for v in values]


def _stage_choices(current: Stage | None) -> list[tuple[str, str]]:
    if current is None:
        return _enum_choices(s.value for s in Stage)
    allowed = rules.allowed_next_stages(current) | {current}
    return _enum_choices(s.value for s in Stage if s in allowed)


class ProviderFormScreen(FormScreen):
    """Add or edit a provider; dismisses with the saved Provider, or None if cancelled."""

    HELP = (
        "Provider form: the provider's details for the register and the lookup. "
        "Tab moves on, space toggles a choice, ctrl+s saves, escape cancels."
    )
    CSS_PATH = "providers.tcss"

    def __init__(self, provider_id: str | None = None) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.provider: m.Provider | None = None
        self.title_text = "Edit provider" if provider_id else "New provider"

    @property
    def mc(self) -> MicrocareApp:
        """The app, typed."""
        from microcare_tui.ui.app import MicrocareApp

        assert isinstance(self.app, MicrocareApp)
        return self.app

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        store = self.mc.store
        p = repo.get_provider(store, self.provider_id) if self.provider_id else None
        self.provider = p
        areas = [(a.name, a.id) for a in reference.areas(store)]
        services = [(st.label, st.code) for st in reference.service_types(store)]
        forms = [(f.label, f.code) for f in reference.legal_forms(store)]

        def text(value: Any) -> str:
            return "" if value is None else str(value)

        yield Header()
        with VerticalScroll(classes="form-body", id="provider-form"):
            heading = f"Edit provider: {p.name}" if p else "New provider"
            yield Static(heading, classes="page-title", markup=False)
            yield Static(
                "Tab to move, space to toggle, ctrl+s (or F2) to save, escape to cancel. "
                "* is required.",
                classes="muted",
            )
            with Horizontal(classes="form-columns"):
                with Vertical(id="form-left"):
                    yield FieldRow("Name", Input(text(p and p.name), id="name",
                                                 placeholder="e.g. Oak Tree Companions"),
                                   "name", required=True)  # fmt: skip
                    yield FieldRow("Lead contact", Input(text(p and p.lead_contact),
                                                         id="lead_contact"), "lead_contact")  # fmt: skip
                    yield FieldRow("Phone", Input(_phone_text(p), id="phone",
                                                  placeholder="e.g. 01233 123456"), "phone")  # fmt: skip
                    yield FieldRow("Email", Input(text(p and p.email), id="email"), "email")
                    yield FieldRow("Postcode", Input(text(p and p.postcode), id="postcode",
                                                     placeholder="e.g. TN23 4AB"),
                                   "postcode", hint="sets the base area")  # fmt: skip
                    yield Static("", id="postcode-area", classes="field-hint muted", markup=False)
                    yield FieldRow("Legal form", KeySelect(
                        forms, id="legal_form", allow_blank=False,
                        value=p.legal_form if p else forms[0][1] if forms else Select.NULL,
                    ), "legal_form", hint="type a letter to choose")  # fmt: skip
                    yield FieldRow("Stage", KeySelect(
                        _stage_choices(p.stage if p else None), id="stage", allow_blank=False,
                        value=p.stage.value if p else Stage.ENQUIRY.value,
                    ), "stage")  # fmt: skip
                    yield FieldRow("Staff (including the owner)", Input(
                        str(p.staff_count) if p else "1", id="staff_count"), "staff_count")  # fmt: skip
                    yield FieldRow("Ownership model", KeySelect(
                        _enum_choices(o.value for o in OwnershipModel), id="ownership_model",
                        prompt="(not known)",
                        value=p.ownership_model.value if p and p.ownership_model else Select.NULL,
                    ), "ownership_model")  # fmt: skip
                    yield FieldRow("Approach", KeySelect(
                        _enum_choices(a.value for a in Approach), id="approach",
                        prompt="(not known)",
                        value=p.approach.value if p and p.approach else Select.NULL,
                    ), "approach")  # fmt: skip
                    yield FieldRow("Hourly rate", Input(
                        format_money(p.hourly_rate_pence) if p else "", id="hourly_rate_pence",
                        placeholder="e.g. £18.50"), "hourly_rate_pence")  # fmt: skip
                with Vertical(id="form-right"):
                    yield FieldRow("Services", MultiPick(
                        services, p.services if p else (), id="services"), "services")  # fmt: skip
                    yield FieldRow("Areas served", MultiPick(
                        areas, p.areas_served if p else (), id="areas_served"), "areas_served")  # fmt: skip
                    yield FieldRow("Days", MultiPick(
                        _enum_choices(d.value for d in Day), p.days if p else (), id="days"),
                        "days")  # fmt: skip
                    yield FieldRow("Times", MultiPick(
                        _enum_choices(t.value for t in TimeOfDay), p.times if p else (), id="times"),
                        "times")  # fmt: skip
                    yield FieldRow("Funding accepted", MultiPick(
                        _enum_choices(f.value for f in Funding),
                        [f.value for f in p.funding_accepted] if p else (),
                        id="funding_accepted"), "funding_accepted")  # fmt: skip
                    with Horizontal(classes="switches"):
                        yield FieldRow("Taking new clients", Switch(
                            p.accepting_new_clients if p else True, id="accepting_new_clients"),
                            "accepting_new_clients")  # fmt: skip
                        yield FieldRow("Regulated (CQC)", Switch(
                            p.regulated_activity if p else False, id="regulated_activity"),
                            "regulated_activity")  # fmt: skip
                    yield FieldRow("Languages", Input(", ".join(p.languages) if p else "",
                                                      id="languages", placeholder="e.g. Polish, BSL"),
                                   "languages", hint="comma-separated")  # fmt: skip
                    yield FieldRow("Specialisms", Input(", ".join(p.specialisms) if p else "",
                                                        id="specialisms",
                                                        placeholder="e.g. dementia, autism"),
                                   "specialisms", hint="comma-separated")  # fmt: skip
            yield FieldRow("Description (what they offer, in their words)", TextArea(
                text(p and p.description), id="description", classes="form-text"),
                "description")  # fmt: skip
            yield FieldRow("Notes (for the team)", TextArea(
                text(p and p.notes), id="notes", classes="form-text"), "notes")  # fmt: skip
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._set_width_class(self.app.size.width)
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
        area_id = reference.area_for_postcode(self.mc.store, postcode)
        names = {a.id: a.name for a in reference.areas(self.mc.store)}
        if area_id:
            hint.update(f"Base area: {names.get(area_id, '?')}")
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
            if self.provider.postcode and not str(data.get("postcode") or "").strip():
                data["area_id"] = ""
        provider = save_provider(self.mc.store, data, self.provider_id)
        self.mc.data_changed("providers")
        self.notify(f"Saved {provider.name}", markup=False)
        return provider


def _phone_text(p: m.Provider | None) -> str:
    if p is None or not p.phone:
        return ""
    return parse.format_phone(p.phone)
