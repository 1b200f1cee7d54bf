"""The forms opened from a provider's record are kept (issue 8, `KeptForm`): the next open,
for the same provider or another, shows the same screen filled afresh (every field the new
provider's or item's, no error left from before, its heading, the first field focused, clean:
escape on it untouched does not ask), and a save goes to the provider it was filled for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, Switch, TextArea

from microcare_tui.domain import models as m
from microcare_tui.services.people import save_person
from microcare_tui.services.qa_checks import start_check
from microcare_tui.store import evidence as evidence_repo
from microcare_tui.store import people as people_repo
from microcare_tui.store import records
from microcare_tui.store.concerns import concerns_for
from microcare_tui.store.db import Store
from microcare_tui.store.visits import visits_for
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call_prepare import preparing
from microcare_tui.ui.screens.concern_form import ConcernFormScreen
from microcare_tui.ui.screens.evidence_form import (
    _KEPT_EVIDENCE,
    EvidenceFormScreen,
    PersonFormScreen,
)
from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen
from microcare_tui.ui.screens.qa_check import _KEPT as _KEPT_QA
from microcare_tui.ui.screens.qa_check import QACheckScreen
from microcare_tui.ui.screens.visit_form import _KEPT as _KEPT_VISIT
from microcare_tui.ui.screens.visit_form import VisitFormScreen
from microcare_tui.ui.widgets.checklist import ChecklistList
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.form import KeySelect
from microcare_tui.ui.widgets.kept_form import KeptForm
from microcare_tui.ui.widgets.line_list import ScrolledLineList
from tests.conftest import TODAY
from tests.ui.provider_helpers import SIZE, add_provider, settle


def two_providers(store: Store) -> tuple[m.Provider, m.Provider]:
    """Oak Tree (Olive Oakley works there) and Birch Lane (Bea Birch)."""
    oak = add_provider(store)
    birch = add_provider(store, name="Birch Lane Help", services=["gardening"])
    save_person(store, oak.id, {"name": "Olive Oakley", "role": "owner"})
    save_person(store, birch.id, {"name": "Bea Birch", "role": "owner"})
    return oak, birch


@asynccontextmanager
async def running(db_path: Path) -> AsyncIterator[tuple[MicrocareApp, Pilot[Any]]]:
    """The app on the test's database, started."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def open_form(app: MicrocareApp, pilot: Pilot[Any], provider_id: str, *keys: str) -> Any:
    """Open the provider's record, then press `keys` there: the form they open."""
    app.open_provider(provider_id)
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)
    assert isinstance(app.screen, KeptForm)
    return app.screen


def value(form: Screen[Any], field: str) -> Any:
    control = form.query_one(f"#{field}")
    if isinstance(control, TextArea):
        return control.text
    assert isinstance(control, (Input, KeySelect, Switch))
    return None if control.value is KeySelect.NULL else control.value


def shown(app: MicrocareApp) -> Screen[Any]:
    """The screen on top (not narrowed by an earlier isinstance on app.screen)."""
    return app.screen


def heading(form: Screen[Any]) -> str:
    return str(form.query_one("#form-heading", Static).render())


def assert_afresh(app: MicrocareApp, form: Screen[Any], first: str) -> None:
    """No error left from before, the first field focused, nothing to ask on leaving."""
    assert isinstance(form, KeptForm)
    assert not form.query("FieldRow.-invalid")
    assert not [e for e in form.query(".field-error").results(Static) if str(e.render())]
    assert app.focused is form.query_one(f"#{first}")
    assert not form.has_unsaved_changes()


async def afresh_then_left(
    app: MicrocareApp, pilot: Pilot[Any], form: Screen[Any], first: str
) -> None:
    """Filled afresh (assert_afresh), so escape leaves without asking."""
    assert_afresh(app, form, first)
    await leave_unasked(app, pilot)


async def leave_asked(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    """Escape on a changed form: it asks; y leaves."""
    await pilot.press("escape")
    await settle(app, pilot)
    assert isinstance(app.screen, ConfirmDialog)
    await pilot.press("y")
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)


async def refused_and_left(app: MicrocareApp, pilot: Pilot[Any], form: KeptForm) -> None:
    """ctrl+s on bad input: refused in place, with an error under a field; then left."""
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert app.screen is form and form.query("FieldRow.-invalid")
    await leave_asked(app, pilot)


async def enter_on_evidence(app: MicrocareApp, pilot: Pilot[Any], words: str) -> None:
    """Enter on the record's evidence line that says `words`: its item's form."""
    lines = app.screen.query_one("#part-x ScrolledLineList", ScrolledLineList)
    texts = [lines.row_text(i) for i in range(lines.row_count)]
    lines.highlighted = next(i for i, t in enumerate(texts) if words in t)
    await pilot.press("enter")
    await settle(app, pilot)


async def saved(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    """ctrl+s: saved, back on the record."""
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)


async def leave_unasked(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await settle(app, pilot)
    assert isinstance(app.screen, ProviderDetailScreen)


async def test_the_evidence_form_is_kept_and_filled_afresh_for_each_provider_and_item(
    db_path: Path, store: Store
) -> None:
    oak, birch = two_providers(store)
    async with running(db_path) as (app, pilot):
        form = await open_form(app, pilot, oak.id, "x", "a")
        assert isinstance(form, EvidenceFormScreen)
        reference = form.query_one("#reference", Input)
        assert [name for name, _ in form.query_one("#person_id", KeySelect).choices] == [
            "Olive Oakley"
        ]
        # Typed, and refused with an error under a field; left unsaved.
        form.query_one("#evidence_type_code", KeySelect).value = "public_liability"
        reference.value = "OAK-1"
        form.query_one("#issued_on", Input).value = "04/11/2026"
        form.query_one("#expires_on", Input).value = "03/11/2026"
        await refused_and_left(app, pilot, form)

        again = await open_form(app, pilot, oak.id, "x", "a")  # the same screen and fields
        assert again is form and form.query_one("#reference") is reference
        for field in ("evidence_type_code", "person_id", "reference", "issued_on", "expires_on"):
            assert value(form, field) in ("", None), field
        assert value(form, "seen_on") == "22/11/2026"
        assert heading(form) == "New evidence"
        await afresh_then_left(app, pilot, form, "evidence_type_code")

        # Another provider: the same screen with that provider's people; saved for them.
        again = await open_form(app, pilot, birch.id, "x", "a")
        assert again is form
        people = form.query_one("#person_id", KeySelect).choices
        assert [name for name, _ in people] == ["Bea Birch"]
        assert_afresh(app, form, "evidence_type_code")
        form.query_one("#evidence_type_code", KeySelect).value = "public_liability"
        form.query_one("#person_id", KeySelect).value = people[0][1]
        reference.value = "BIRCH-1"
        form.query_one("#expires_on", Input).value = "03/11/2027"
        await saved(app, pilot)
        assert [i.reference for i in evidence_repo.items_for(store, birch.id)] == ["BIRCH-1"]
        assert evidence_repo.items_for(store, oak.id) == []

        # Enter on the met line edits the item: the same screen, with the item's values.
        await enter_on_evidence(app, pilot, "Public liability")
        assert shown(app) is form
        assert (value(form, "reference"), value(form, "expires_on")) == ("BIRCH-1", "03/11/2027")
        assert value(form, "person_id") == people[0][1]
        assert heading(form) == "Edit evidence"
        await afresh_then_left(app, pilot, form, "evidence_type_code")


async def test_the_person_form_is_kept_and_shows_each_persons_values(
    db_path: Path, store: Store
) -> None:
    oak, birch = two_providers(store)
    save_person(store, birch.id, {"name": "Cy Birch", "role": "volunteer",
                                  "works_one_to_one": False})  # fmt: skip
    async with running(db_path) as (app, pilot):
        form = await open_form(app, pilot, oak.id, "p", "a")
        assert isinstance(form, PersonFormScreen)
        form.query_one("#name", Input).value = "Sam Patel"
        form.query_one("#works_one_to_one", Switch).value = False
        await leave_asked(app, pilot)

        again = await open_form(app, pilot, birch.id, "p", "enter")  # edits Bea Birch
        assert again is form
        assert (value(form, "name"), value(form, "role")) == ("Bea Birch", "owner")
        assert value(form, "works_one_to_one") is True
        assert heading(form) == "Edit person"
        await afresh_then_left(app, pilot, form, "name")
        await pilot.press("down", "enter")  # Cy Birch: not one-to-one
        await settle(app, pilot)
        assert app.screen is form
        assert (value(form, "name"), value(form, "works_one_to_one")) == ("Cy Birch", False)
        await pilot.press("end", *"ton", "ctrl+s")
        await settle(app, pilot)
        names = sorted(p.name for p in people_repo.people_for(store, birch.id))
        assert names == ["Bea Birch", "Cy Birchton"]
        assert [p.name for p in people_repo.people_for(store, oak.id)] == ["Olive Oakley"]


async def test_the_visit_form_is_kept_and_filled_afresh_for_each_provider(
    db_path: Path, store: Store
) -> None:
    oak, birch = two_providers(store)
    async with running(db_path) as (app, pilot):
        form = await open_form(app, pilot, oak.id, "v", "v")
        assert isinstance(form, VisitFormScreen)
        assert "Oak Tree Companions" in heading(form)
        form.query_one("#notes", TextArea).text = "Met Olive"
        form.query_one("#action_1", Input).value = "Send the leaflet"
        form.query_one("#visited_on", Input).value = "not a date"
        await refused_and_left(app, pilot, form)

        again = await open_form(app, pilot, birch.id, "v", "v")
        assert again is form
        assert heading(form) == "Visit or contact: Birch Lane Help"
        assert (value(form, "notes"), value(form, "action_1")) == ("", "")
        assert (value(form, "visited_on"), value(form, "kind")) == ("22/11/2026", "development")
        assert_afresh(app, form, "visited_on")
        form.query_one("#duration_minutes", Input).value = "45"
        await saved(app, pilot)
        assert [v["duration_minutes"] for v in visits_for(store, birch.id)] == [45]
        assert visits_for(store, oak.id) == []

        again = await open_form(app, pilot, birch.id, "v", "v")  # after a save: empty
        assert again is form and value(form, "duration_minutes") == ""
        await afresh_then_left(app, pilot, form, "visited_on")


async def test_the_concern_form_is_kept_and_filled_afresh_for_each_provider(
    db_path: Path, store: Store
) -> None:
    oak, birch = two_providers(store)
    async with running(db_path) as (app, pilot):
        form = await open_form(app, pilot, oak.id, "k", "k")
        assert isinstance(form, ConcernFormScreen)
        await pilot.press("c")  # kind: complaint
        form.query_one("#raised_by", Input).value = "daughter of a client"
        await refused_and_left(app, pilot, form)  # no summary

        again = await open_form(app, pilot, birch.id, "k", "k")
        assert again is form
        assert heading(form) == "Concern, complaint or compliment: Birch Lane Help"
        for field in ("kind", "raised_by", "summary", "severity", "restricted_notes"):
            assert value(form, field) in ("", None), field
        assert value(form, "raised_on") == "22/11/2026"
        assert_afresh(app, form, "kind")
        await pilot.press("c")  # a complaint
        form.query_one("#severity", KeySelect).value = "low"
        form.query_one("#summary", Input).value = "Late twice"
        await saved(app, pilot)
        assert [c["summary"] for c in concerns_for(store, birch.id)] == ["Late twice"]
        assert concerns_for(store, oak.id) == []


async def test_the_qa_check_is_kept_and_shows_each_providers_checklist(
    db_path: Path, store: Store
) -> None:
    oak, birch = two_providers(store)
    async with running(db_path) as (app, pilot):
        form = await open_form(app, pilot, oak.id, "q", "q")
        assert isinstance(form, QACheckScreen)
        checklist = form.query_one(ChecklistList)
        oak_titles = [line.title for line in checklist.lines]
        assert "Olive Oakley" in " ".join(oak_titles)
        await pilot.press("x")  # a line not met: a change, so leaving asks
        await settle(app, pilot)
        await leave_asked(app, pilot)

        again = await open_form(app, pilot, birch.id, "q", "q")
        assert again is form and form.query_one(ChecklistList) is checklist
        birch_lines = start_check(store, birch.id, TODAY).lines
        assert checklist.lines == birch_lines and checklist.highlighted == 0
        assert checklist.option_count == len(birch_lines)
        assert heading(form) == "QA check: Birch Lane Help"
        assert form.actions == [] and value(form, "outcome") is None
        await afresh_then_left(app, pilot, form, "checklist")


async def made_off_screen(
    app: MicrocareApp, pilot: Pilot[Any], kept: WeakKeyDictionary[Any, Any]
) -> Any:
    """The form call_prepare.py makes off screen after start-up (into `kept`), once it has
    mounted (None if it was not made within ~10 s)."""
    for _ in range(200):
        await pilot.pause(0.05)
        made = kept.get(app)
        if not preparing(app) and made is not None and made.is_mounted:
            return made
    return kept.get(app)


async def test_the_evidence_form_made_off_screen_after_start_up_is_the_first_one_opened(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0.01")
    oak, _ = two_providers(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        made = await made_off_screen(app, pilot, _KEPT_EVIDENCE)  # after the sections' first ones
        assert isinstance(made, EvidenceFormScreen) and made.is_mounted
        form = await open_form(app, pilot, oak.id, "x", "a")
        assert form is made
        people = form.query_one("#person_id", KeySelect).choices
        assert [name for name, _ in people] == ["Olive Oakley"]
        assert_afresh(app, form, "evidence_type_code")


async def test_the_visit_form_made_off_screen_after_start_up_is_the_first_one_opened(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made for no provider (after the evidence form), it is named and filled for the
    provider whose record opens it, and logs the visit there."""
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0.01")
    oak, _ = two_providers(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        made = await made_off_screen(app, pilot, _KEPT_VISIT)  # after the evidence form
        assert isinstance(made, VisitFormScreen) and made.is_mounted
        assert heading(made) == "Visit or contact: "  # made for no provider
        form = await open_form(app, pilot, oak.id, "v", "v")
        assert form is made
        assert heading(form) == "Visit or contact: Oak Tree Companions"
        assert (value(form, "visited_on"), value(form, "kind")) == ("22/11/2026", "development")
        assert_afresh(app, form, "visited_on")
        form.query_one("#notes", TextArea).text = "Talked through the DBS checks."
        await saved(app, pilot)
        assert [v["notes"] for v in visits_for(store, oak.id)] == ["Talked through the DBS checks."]


async def test_the_qa_check_made_off_screen_after_start_up_is_the_first_one_opened(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made for no provider (an empty checklist), it shows the provider's own checklist and
    name when its record opens it."""
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0.01")
    oak, _ = two_providers(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        made = await made_off_screen(app, pilot, _KEPT_QA)  # after the visit form
        assert isinstance(made, QACheckScreen) and made.is_mounted
        assert made.query_one(ChecklistList).option_count == 0  # made for no provider
        form = await open_form(app, pilot, oak.id, "q", "q")
        assert form is made
        assert heading(form) == "QA check: Oak Tree Companions"
        expected = start_check(store, oak.id, TODAY).lines
        checklist = form.query_one(ChecklistList)
        assert checklist.lines == expected and checklist.option_count == len(expected)
        assert "Olive Oakley" in " ".join(line.title for line in checklist.lines)
        assert checklist.highlighted == 0 and value(form, "kind") == "initial"
        await afresh_then_left(app, pilot, form, "checklist")


async def test_a_choice_the_form_does_not_offer_is_shown_and_saved_back_unchanged(
    db_path: Path, store: Store
) -> None:
    """An item whose way of checking is not one the form offers (imported from a colleague's
    laptop, say): the form's first open (composed) and a kept form's refill both show it as a
    choice of its own, a save keeps it, and the next item's form no longer offers it. Given
    to a Select it raised (a fault screen on the worker's first open); a blank dropped it."""
    oak, _ = two_providers(store)
    item = records.save(
        store,
        m.EvidenceItem(
            provider_id=oak.id,
            evidence_type_code="public_liability",
            expires_on=date(2027, 11, 3),
            verified_how="by phone",
            reference="PL-9",
        ),
    )
    async with running(db_path) as (app, pilot):
        app.open_provider(oak.id)
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        await enter_on_evidence(app, pilot, "Public liability")  # the first open: composed
        form = shown(app)
        assert isinstance(form, EvidenceFormScreen)
        assert (value(form, "reference"), value(form, "verified_how")) == ("PL-9", "by phone")
        how = form.query_one("#verified_how", KeySelect)
        assert ("by phone", "by phone") in how.choices
        await saved(app, pilot)
        assert evidence_repo.get_item(store, item.id).verified_how == "by phone"

        await pilot.press("a")  # a new item: the kept form, offering the list alone
        await settle(app, pilot)
        assert shown(app) is form and value(form, "verified_how") is None
        assert ("by phone", "by phone") not in how.choices
        how.value = "seen original"
        await leave_asked(app, pilot)
        await enter_on_evidence(app, pilot, "Public liability")  # refilled: shown again
        assert shown(app) is form and value(form, "reference") == "PL-9"
        assert value(form, "verified_how") == "by phone"  # not the last form's choice


async def test_a_form_open_already_is_left_alone_and_another_gets_its_own(
    db_path: Path, store: Store
) -> None:
    oak, birch = two_providers(store)
    async with running(db_path) as (app, pilot):
        form = await open_form(app, pilot, oak.id, "k", "k")
        form.query_one("#summary", Input).value = "Typed for Oak Tree"
        # Another concern form asked for while this one is open (under a record opened from
        # it, say): a screen of its own, and the open one keeps what was typed.
        other = ConcernFormScreen.open_for(app, birch.id)
        assert other is not form and ConcernFormScreen.KEPT[app] is form
        assert heading(form) == "Concern, complaint or compliment: Oak Tree Companions"
        assert value(form, "summary") == "Typed for Oak Tree"
        app.push_screen(other)
        await settle(app, pilot)
        assert heading(other) == "Concern, complaint or compliment: Birch Lane Help"
        assert value(other, "summary") == ""
