"""Forms for a provider's people and evidence items (metadata only, never a copy)."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Select, Static, Switch

from microcare_tui.domain import models as m
from microcare_tui.domain.parse import format_date, format_money
from microcare_tui.services import evidence as evidence_service
from microcare_tui.services import people as people_service
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, KeySelect
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.kept_form import FormFill, KeptForm
from microcare_tui.ui.widgets.text_field import TextField

_KEYS = "Tab moves on; ctrl+s (or F2) saves; escape cancels. * is required."


# Each app's person and evidence forms, kept (installed) between forms: see KeptForm.
_KEPT_PERSON: WeakKeyDictionary[App[Any], PersonFormScreen] = WeakKeyDictionary()
_KEPT_EVIDENCE: WeakKeyDictionary[App[Any], EvidenceFormScreen] = WeakKeyDictionary()


class PersonFormScreen(KeptForm):
    """Add or edit one of a provider's people; dismisses with the saved person or None."""

    HELP = (
        "Person form: someone who works for the provider (name, role, whether they work "
        "one-to-one: DBS evidence applies per one-to-one person). Nothing more is kept."
    )
    KEPT = _KEPT_PERSON

    def aim(self, provider_id: str, person_id: str | None = None) -> None:
        """The provider's person to edit (None: a new person)."""
        self.provider_id = provider_id
        self.person_id = person_id
        self.title_text = "Edit person" if person_id else "New person"

    def read_fill(self) -> FormFill:
        p = people_service.get_person(self.mc.store, self.person_id) if self.person_id else None
        values = {
            "name": p.name if p else "",
            "role": p.role if p else "worker",
            "works_one_to_one": p.works_one_to_one if p else True,
            "phone": (p.phone or "") if p else "",
            "left_on": format_date(p.left_on) if p else "",
        }
        return FormFill(values, self.title_text)

    def compose(self) -> ComposeResult:
        v = self.read_fill_now().values
        yield AppHeader()
        with VerticalScroll(classes="form-body"):
            yield Static(self.fill.heading, classes="page-title", id="form-heading")
            yield Static(_KEYS, classes="muted")
            name = TextField(v["name"], id="name", placeholder="e.g. Sam Patel")
            yield FieldRow("Name", name, "name", required=True)
            role = KeySelect(people_service.ROLES, id="role", allow_blank=False, value=v["role"])
            yield FieldRow("Role", role, "role", hint="type a letter")
            one = Switch(v["works_one_to_one"], id="works_one_to_one")
            yield FieldRow("Works one-to-one with clients", one, "works_one_to_one")
            phone = TextField(v["phone"], id="phone")
            yield FieldRow("Phone (only if they are a contact)", phone, "phone")
            left = TextField(v["left_on"], id="left_on", placeholder="e.g. 12/10/2026 or today")
            yield FieldRow("Left on", left, "left_on", hint="blank while they work here")
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> m.ProviderPerson:
        saved = people_service.save_person(self.mc.store, self.provider_id, values, self.person_id)
        self.mc.data_changed("people")
        return saved


class EvidenceFormScreen(KeptForm):
    """Record evidence seen for a provider or one of its people; dismisses with the item."""

    HELP = (
        "Evidence form: what was seen (type, reference, issue and expiry dates, insurance "
        "cover, how it was verified, who saw it and when). Metadata only: never a copy of a "
        "certificate. Dates like 22/11/2026, today or +3d."
    )
    KEPT = _KEPT_EVIDENCE

    def aim(
        self,
        provider_id: str,
        item_id: str | None = None,
        type_code: str | None = None,
        person_id: str | None = None,
    ) -> None:
        """The item to edit (None: a new one, of this type and person if given)."""
        self.provider_id = provider_id
        self.item_id = item_id
        self.type_code = type_code
        self.person_id = person_id
        self.title_text = "Edit evidence" if item_id else "New evidence"

    def read_fill(self) -> FormFill:
        db = self.mc.store
        e = evidence_service.get_item(db, self.item_id) if self.item_id else None
        people = people_service.person_choices(db, self.provider_id)
        person = e.person_id if e else self.person_id
        values = {
            "evidence_type_code": (e.evidence_type_code if e else self.type_code) or None,
            "person_id": person if person in {v for _, v in people} else None,
            "reference": (e.reference or "") if e else "",
            "issued_on": format_date(e.issued_on) if e else "",
            "expires_on": format_date(e.expires_on) if e else "",
            "cover_pence": format_money(e.cover_pence) if e and e.cover_pence else "",
            "verified_how": (e.verified_how or None) if e else None,
            "seen_by": (e.seen_by or "") if e else (db.worker or ""),
            "seen_on": format_date(e.seen_on) if e else format_date(self.mc.today()),
        }
        types = evidence_service.type_choices(db)
        # The types are the council's (Settings): composed with; the people are the
        # provider's, set in place for each provider.
        return FormFill(values, self.title_text, (types,), {"person_id": people})

    def compose(self) -> ComposeResult:
        fill = self.read_fill_now()
        v = fill.values

        def text(field: str, placeholder: str = "") -> TextField:
            return TextField(v[field], id=field, placeholder=placeholder)

        def choose(field: str, options: list[tuple[str, str]], prompt: str) -> KeySelect:
            value = Select.NULL if v[field] is None else v[field]
            return KeySelect(options, id=field, prompt=prompt, value=value)

        yield AppHeader()
        with VerticalScroll(classes="form-body"):
            yield Static(fill.heading, classes="page-title", id="form-heading")
            yield Static(_KEYS + " Metadata only: never a copy of a certificate.", classes="muted")
            kind = choose("evidence_type_code", fill.lists[0], "(choose a type)")
            yield FieldRow("Type", kind, "evidence_type_code", required=True, hint="type a letter")
            who = choose("person_id", fill.options["person_id"], "(the provider as a whole)")
            yield FieldRow("Person", who, "person_id")
            reference = text("reference", "certificate or policy number")
            yield FieldRow("Reference", reference, "reference")
            yield FieldRow("Issued", text("issued_on", "e.g. 03/11/2026"), "issued_on")
            expires = text("expires_on", "blank if it does not expire")
            yield FieldRow("Expires", expires, "expires_on")
            yield FieldRow("Cover (insurance)", text("cover_pence", "e.g. £5m"), "cover_pence")
            how = choose("verified_how", evidence_service.VERIFIED_HOW, "(not recorded)")
            yield FieldRow("How verified", how, "verified_how", hint="type a letter")
            yield FieldRow("Seen by", text("seen_by"), "seen_by")
            yield FieldRow("Seen on", text("seen_on"), "seen_on")
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> m.EvidenceItem:
        result = evidence_service.save_evidence(
            self.mc.store, self.provider_id, values, self.item_id, self.mc.today()
        )
        self.mc.data_changed("evidence")
        for warning in result.warnings:
            self.notify(warning, title="Saved, but check", severity="warning", markup=False)
        return result.item
