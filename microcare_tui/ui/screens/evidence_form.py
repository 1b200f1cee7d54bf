"""Forms for a provider's people and evidence items (metadata only, never a copy)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Select, Static, Switch

from microcare_tui.domain import models as m
from microcare_tui.domain.parse import format_date, format_money
from microcare_tui.services import evidence as evidence_service
from microcare_tui.services import people as people_service
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, FormScreen, KeySelect
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField

_KEYS = "Tab moves on; ctrl+s (or F2) saves; escape cancels. * is required."


class PersonFormScreen(FormScreen):
    """Add or edit one of a provider's people; dismisses with the saved person or None."""

    HELP = (
        "Person form: someone who works for the provider (name, role, whether they work "
        "one-to-one: DBS evidence applies per one-to-one person). Nothing more is kept."
    )

    def __init__(self, provider_id: str, person_id: str | None = None) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.person_id = person_id
        self.title_text = "Edit person" if person_id else "New person"

    def compose(self) -> ComposeResult:
        p = people_service.get_person(self.mc.store, self.person_id) if self.person_id else None
        yield AppHeader()
        with VerticalScroll(classes="form-body"):
            yield Static(self.title_text, classes="page-title")
            yield Static(_KEYS, classes="muted")
            name = TextField(p.name if p else "", id="name", placeholder="e.g. Sam Patel")
            yield FieldRow("Name", name, "name", required=True)
            role = KeySelect(
                people_service.ROLES,
                id="role",
                allow_blank=False,
                value=p.role if p else "worker",
            )
            yield FieldRow("Role", role, "role", hint="type a letter")
            one = Switch(p.works_one_to_one if p else True, id="works_one_to_one")
            yield FieldRow("Works one-to-one with clients", one, "works_one_to_one")
            phone = TextField((p.phone or "") if p else "", id="phone")
            yield FieldRow("Phone (only if they are a contact)", phone, "phone")
            left = TextField(
                format_date(p.left_on) if p else "",
                id="left_on",
                placeholder="e.g. 12/10/2026 or today",
            )
            yield FieldRow("Left on", left, "left_on", hint="blank while they work here")
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> m.ProviderPerson:
        saved = people_service.save_person(self.mc.store, self.provider_id, values, self.person_id)
        self.mc.data_changed("people")
        return saved


class EvidenceFormScreen(FormScreen):
    """Record evidence seen for a provider or one of its people; dismisses with the item."""

    HELP = (
        "Evidence form: what was seen (type, reference, issue and expiry dates, insurance "
        "cover, how it was verified, who saw it and when). Metadata only: never a copy of a "
        "certificate. Dates like 22/11/2026, today or +3d."
    )

    def __init__(
        self,
        provider_id: str,
        item_id: str | None = None,
        type_code: str | None = None,
        person_id: str | None = None,
    ) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.item_id = item_id
        self.type_code = type_code
        self.person_id = person_id
        self.title_text = "Edit evidence" if item_id else "New evidence"

    def compose(self) -> ComposeResult:
        db = self.mc.store
        e = evidence_service.get_item(db, self.item_id) if self.item_id else None
        types = evidence_service.type_choices(db)
        people = people_service.person_choices(db, self.provider_id)
        code = e.evidence_type_code if e else self.type_code
        person = e.person_id if e else self.person_id

        def text(field: str, value: str, placeholder: str = "") -> TextField:
            return TextField(value, id=field, placeholder=placeholder)

        yield AppHeader()
        with VerticalScroll(classes="form-body"):
            yield Static(self.title_text, classes="page-title")
            yield Static(_KEYS + " Metadata only: never a copy of a certificate.", classes="muted")
            kind = KeySelect(
                types,
                id="evidence_type_code",
                prompt="(choose a type)",
                value=code if code else Select.NULL,
            )
            yield FieldRow("Type", kind, "evidence_type_code", required=True, hint="type a letter")
            who = KeySelect(
                people,
                id="person_id",
                prompt="(the provider as a whole)",
                value=person if person in {v for _, v in people} else Select.NULL,
            )
            yield FieldRow("Person", who, "person_id")
            yield FieldRow(
                "Reference",
                text("reference", (e.reference or "") if e else "", "certificate or policy number"),
                "reference",
            )
            yield FieldRow(
                "Issued",
                text("issued_on", format_date(e.issued_on) if e else "", "e.g. 03/11/2026"),
                "issued_on",
            )
            yield FieldRow(
                "Expires",
                text(
                    "expires_on",
                    format_date(e.expires_on) if e else "",
                    "blank if it does not expire",
                ),
                "expires_on",
            )
            cover = format_money(e.cover_pence) if e and e.cover_pence else ""
            yield FieldRow(
                "Cover (insurance)", text("cover_pence", cover, "e.g. £5m"), "cover_pence"
            )
            how = KeySelect(
                evidence_service.VERIFIED_HOW,
                id="verified_how",
                prompt="(not recorded)",
                value=e.verified_how if e and e.verified_how else Select.NULL,
            )
            yield FieldRow("How verified", how, "verified_how", hint="type a letter")
            seen_by = (e.seen_by or "") if e else (self.mc.store.worker or "")
            yield FieldRow("Seen by", text("seen_by", seen_by), "seen_by")
            seen_on = format_date(e.seen_on) if e else format_date(self.mc.today())
            yield FieldRow("Seen on", text("seen_on", seen_on), "seen_on")
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> m.EvidenceItem:
        result = evidence_service.save_evidence(
            self.mc.store, self.provider_id, values, self.item_id, self.mc.today()
        )
        self.mc.data_changed("evidence")
        for warning in result.warnings:
            self.notify(warning, title="Saved, but check", severity="warning", markup=False)
        return result.item
