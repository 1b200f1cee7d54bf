"""The call screen through the real app, by keys only: the standard call and its edge cases."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import Outcome, Stage
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services.database import open_database
from microcare_tui.services.drafts import load_drafts
from microcare_tui.services.providers import save_provider
from microcare_tui.store import enquiries as enquiry_store
from microcare_tui.store import providers as provider_store
from microcare_tui.store import records, reference
from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call import CallScreen
from microcare_tui.ui.screens.call_draft import DraftQuestion
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.form import FieldRow
from microcare_tui.ui.widgets.lookup_panel import LookupPanel
from microcare_tui.ui.widgets.signpost_list import SignpostList
from tests.conftest import TODAY

WIDE = (120, 40)


# Three good, taking, Tuesday shopping providers in Ashford (TN23/TN24), and others that
# must rank below them: not taking, not listed, lapsed evidence, nearby, other area.
PROVIDERS: list[dict[str, Any]] = [
    {"name": "Oak Tree Companions", "services": ["shopping", "companionship"],
     "postcode": "TN23 4AB", "days": ["tue", "wed"], "phone": "01233 629000"},
    {"name": "Beech Errand Helpers", "services": ["shopping"], "postcode": "TN24 8XY",
     "days": ["mon", "tue"], "phone": "07811 234567"},
    {"name": "Ash Lane Shopping", "services": ["shopping", "meals"], "postcode": "TN23 1AA",
     "days": ["tue", "thu"], "phone": "01233 612345", "stage": "registered"},
    {"name": "Cedar Not Taking", "services": ["shopping"], "postcode": "TN23 2BB",
     "days": ["tue"], "phone": "01233 600001", "accepting_new_clients": False},
    {"name": "Larch Still Developing", "services": ["shopping"], "postcode": "TN23 3DD",
     "days": ["tue"], "stage": "developing"},
    {"name": "Holly Lapsed Insurance", "services": ["shopping"], "postcode": "TN23 5DD",
     "days": ["tue"], "phone": "01233 600002"},
    {"name": "Willow Canterbury Shopping", "services": ["shopping"], "postcode": "CT1 2AB",
     "days": ["tue"], "phone": "01227 111222"},
    {"name": "Dartford Shop Runners", "services": ["shopping"], "postcode": "DA1 1AA",
     "days": ["tue"], "phone": "01322 222333"},
    {"name": "Hazel Gardens", "services": ["gardening"], "postcode": "TN23 6EE",
     "days": ["sat"], "languages": ["polish"], "phone": "01233 600003"},
]  # fmt: skip


def seed_providers(db_path: Path, extra: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """Providers for the lookup; returns name -> id."""
    store = open_database(db_path, worker="Sam Tester")
    ids: dict[str, str] = {}
    try:
        for values in [*PROVIDERS, *(extra or [])]:
            saved = save_provider(store, {"stage": Stage.ACTIVE.value, **values})
            ids[saved.name] = saved.id
        records.save(store, m.EvidenceItem(
            provider_id=ids["Holly Lapsed Insurance"], evidence_type_code="public_liability",
            issued_on=date(2025, 1, 1), expires_on=date(2026, 1, 1),
        ))  # fmt: skip
    finally:
        store.close()
    return ids


def open_store(db_path: Path) -> Store:
    return open_database(db_path, worker="Sam Tester")


def kept_drafts(db_path: Path) -> int:
    """How many drafts of unsaved calls are kept."""
    store = open_store(db_path)
    try:
        return len(load_drafts(store).drafts)
    finally:
        store.close()


def draft_kept(db_path: Path) -> bool:
    """Is a draft of an unsaved call kept?"""
    return kept_drafts(db_path) > 0


class Keys:
    """Presses keys and counts the non-text ones (everything but typing characters)."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.non_text: list[str] = []

    async def press(self, *keys: str) -> None:
        for key in keys:
            if len(key) != 1:  # "tab", "enter", "f3", "ctrl+s", "down" ...
                self.non_text.append(key)
            await self.pilot.press(key)

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)  # characters into the focused field


async def settle(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def call_screen(app: MicrocareApp) -> CallScreen:
    screen = app.screen
    assert isinstance(screen, CallScreen), screen
    return screen


def row_error(app: MicrocareApp, field: str) -> str:
    row = app.screen.query_one(f"#row-{field}", FieldRow)
    return str(row.query_one(".field-error", Static).render())


def only_enquiry(db_path: Path) -> m.Enquiry:
    store = open_store(db_path)
    try:
        rows = enquiry_store.page_enquiries(store, enquiry_store.EnquiryFilter(), today=TODAY)
        assert len(rows) == 1, rows
        return enquiry_store.get_enquiry(store, rows[0].id)
    finally:
        store.close()


def enquiry_count(db_path: Path) -> int:
    store = open_store(db_path)
    try:
        return enquiry_store.count_enquiries(store, enquiry_store.EnquiryFilter(), TODAY)
    finally:
        store.close()


async def test_standard_call(db_path: Path) -> None:
    """The issue's standard call, from the home screen, in 8 non-text keys or fewer."""
    ids = seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        keys = Keys(pilot)
        await keys.press("ctrl+n")
        await settle(app, pilot)
        screen = call_screen(app)
        await keys.type("f")  # Enquirer: f = Family member or carer
        await keys.press("tab")
        await keys.type("Mary Jones")
        await keys.press("tab")
        await keys.type("01233 123456")
        await keys.press("ctrl+f")
        await keys.type("shopping ashford tue")
        await settle(app, pilot)
        await keys.press("f3", "f3")
        await keys.press("tab")  # leaves the lookup for the follow-up date (outcome is set)
        await keys.type("+3d")
        await keys.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
        print(f"\nstandard call: {len(keys.non_text)} non-text keys: {' '.join(keys.non_text)}")
        assert keys.non_text == ["ctrl+n", "tab", "tab", "ctrl+f", "f3", "f3", "tab", "ctrl+s"]
        assert len(keys.non_text) <= 8
        elapsed_at_end = screen.session.elapsed()
        assert not draft_kept(db_path)

    enquiry = only_enquiry(db_path)
    assert enquiry.caller_name == "Mary Jones"
    assert enquiry.caller_phone == "+441233123456"
    assert enquiry.enquirer_kind.value == "family_carer"
    assert enquiry.needs == ["shopping"]
    assert [d.value for d in enquiry.days] == ["tue"]
    assert enquiry.outcome is Outcome.SIGNPOSTED
    assert enquiry.follow_up_on == TODAY + timedelta(days=3)
    assert enquiry.duration_seconds is not None
    assert enquiry.duration_seconds <= elapsed_at_end  # the call's length when it was saved
    store = open_store(db_path)
    try:
        areas = {a.name: a.id for a in reference.areas(store)}
        assert enquiry.area_id == areas["Ashford"]
        signposted = [s.provider_id for s in enquiry_store.signposts_for(store, enquiry.id)]
    finally:
        store.close()
    assert len(signposted) == 2
    # The first two results: good standing, taking clients, in Ashford, working Tuesdays.
    good = {ids["Oak Tree Companions"], ids["Beech Errand Helpers"], ids["Ash Lane Shopping"]}
    assert set(signposted) <= good


async def test_standard_call_at_80x24_needs_the_same_keys(db_path: Path) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = Keys(pilot)
        await keys.press("ctrl+n")
        await settle(app, pilot)
        screen = call_screen(app)
        assert screen.has_class("-narrow")
        await keys.type("s")
        await keys.press("tab")
        await keys.type("Ann")
        await keys.press("tab")
        await keys.type("07811 234568")
        await keys.press("ctrl+f")
        assert screen.has_class("-show-lookup")
        assert not screen.query_one("#call-form").display  # the lookup has the whole width
        await keys.type("shopping ashford tue")
        await settle(app, pilot)
        await keys.press("f3", "f3", "tab")
        await keys.type("+1w")
        await keys.press("ctrl+s")
        await settle(app, pilot)
        assert len(keys.non_text) == 8
        assert not isinstance(app.screen, CallScreen)
    enquiry = only_enquiry(db_path)
    assert enquiry.caller_name == "Ann"
    assert enquiry.follow_up_on == TODAY + timedelta(weeks=1)


async def test_ctrl_f_toggles_between_form_and_lookup_when_narrow(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        screen = call_screen(app)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#caller_name")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.focused is screen.panel.query_line
        assert screen.has_class("-show-lookup")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.focused is screen.query_one("#caller_name")
        assert not screen.has_class("-show-lookup")
        await pilot.press("escape")  # nothing typed: leaves without asking, keeps no draft
        await settle(app, pilot)
        assert not isinstance(app.screen, (CallScreen, ConfirmDialog))
        assert not draft_kept(db_path)


async def test_bad_phone_blocks_save_and_enquirer_kind_is_required_not_a_surname(
    db_path: Path,
) -> None:
    """Two calls in one session (each start of the app costs more than a call): a bad phone
    number is flagged, kept and blocks the save; then the enquirer kind is required and a
    first name is enough."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "tab", *"Joe Bloggs", "tab", *"12345", "tab")
        await pilot.pause()
        assert "not" in row_error(app, "caller_phone")
        assert app.screen.query_one("#row-caller_phone", FieldRow).has_class("-invalid")
        assert app.screen.query_one("#caller_phone", Input).value == "12345"  # kept, not dropped
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CallScreen)
        assert "12345" in row_error(app, "caller_phone")
        assert app.focused is app.screen.query_one("#caller_phone")
        assert any("Nothing was saved" in str(n.message) for n in app._notifications)
        assert enquiry_count(db_path) == 0
        await pilot.press("escape", "y")  # leave that call unsaved
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)

        await pilot.press("ctrl+n")
        await settle(app, pilot)
        call_screen(app)  # a new call, no question about the one left
        await pilot.press("tab", *"Mary", "ctrl+s")  # a caller who won't give a surname
        await settle(app, pilot)
        assert isinstance(app.screen, CallScreen)
        assert "who is calling" in row_error(app, "enquirer_kind")
        assert app.focused is app.screen.query_one("#enquirer_kind")
        assert enquiry_count(db_path) == 0
        await pilot.press("r", "ctrl+s")  # r = Referral by a professional
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
    enquiry = only_enquiry(db_path)
    assert enquiry.enquirer_kind.value == "professional"
    assert enquiry.caller_name == "Mary"
    assert enquiry.caller_phone is None
    assert enquiry.outcome is None


async def test_would_be_provider_becomes_a_provider_record(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "tab", *"Jo Carter", "f9")  # not a would-be provider: refused
        await settle(app, pilot)
        assert isinstance(app.screen, CallScreen)
        assert enquiry_count(db_path) == 0
        await pilot.press("shift+tab", "w", "tab", "tab", *"07811 555666")
        await pilot.press("tab", "tab", *"tn23 7ab", "tab", *"garden", "enter", "space")
        await pilot.press("f9")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
    enquiry = only_enquiry(db_path)
    assert enquiry.postcode == "TN23 7AB"
    assert enquiry.provider_id is not None
    store = open_store(db_path)
    try:
        provider = provider_store.get_provider(store, enquiry.provider_id)
    finally:
        store.close()
    assert provider.stage is Stage.ENQUIRY
    assert provider.name == "Jo Carter"
    assert provider.phone == "+447811555666"
    assert provider.services == ["gardening"]
    assert provider.enquiry_id == enquiry.id
    assert provider.area_id == enquiry.area_id is not None


async def test_draft_is_restored_after_a_crash(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("f", "tab", *"Rita Patel", "tab", *"01233 777888", "tab")
        await pilot.pause()
        assert draft_kept(db_path)  # written when a field is left
    # The app ended without saving or cancelling (as in a crash): the draft stays.
    assert draft_kept(db_path)
    assert enquiry_count(db_path) == 0

    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftQuestion)
        await pilot.press("y")
        await settle(app, pilot)
        screen = call_screen(app)
        assert screen.query_one("#caller_name", Input).value == "Rita Patel"
        assert screen.query_one("#caller_phone", Input).value == "01233 777888"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
        assert not draft_kept(db_path)
    enquiry = only_enquiry(db_path)
    assert enquiry.caller_name == "Rita Patel"
    assert enquiry.caller_phone == "+441233777888"
    assert enquiry.enquirer_kind.value == "family_carer"


async def test_declined_draft_is_discarded_and_cancel_removes_it(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "tab", *"Tom", "tab")
        await pilot.pause()
        assert draft_kept(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftQuestion)
        await pilot.press("delete")  # discard: the one explicit key for it
        await settle(app, pilot)
        assert not draft_kept(db_path)
        screen = call_screen(app)
        assert screen.query_one("#caller_name", Input).value == ""
        await pilot.press("tab", *"Una", "tab")
        await pilot.pause()
        assert draft_kept(db_path)
        await pilot.press("escape", "y")  # leave without saving
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
        assert not draft_kept(db_path)
    assert enquiry_count(db_path) == 0


async def test_no_suitable_provider_records_an_unmet_need(db_path: Path) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "tab", *"Len", "ctrl+f", *"pet care dover")
        await settle(app, pilot)
        result = call_screen(app).panel.result
        assert result is not None
        assert result.total == 0
        await pilot.press("f7")  # copy the understood service and area into the form
        await pilot.press("tab", "n")  # to the outcome; n = No suitable provider
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
        assert any("unmet need" in str(n.message) for n in app._notifications)
    enquiry = only_enquiry(db_path)
    assert enquiry.outcome is Outcome.NO_SUITABLE_PROVIDER
    assert enquiry.needs == ["pet_care"]
    store = open_store(db_path)
    try:
        counts = enquiry_store.unmet_need_counts(store)
    finally:
        store.close()
    assert [(c["area"], c["service_code"], c["n"]) for c in counts] == [("Dover", "pet_care", 1)]


async def test_possible_earlier_caller_is_hinted_and_linked(db_path: Path) -> None:
    store = open_store(db_path)
    earlier = enquiry_service.log_enquiry(store, {
        "enquirer_kind": "family_carer", "caller_name": "Margaret Hughes",
        "caller_phone": "01233 440044", "received_at": "2026-11-01T10:00:00+00:00",
    })  # fmt: skip
    store.close()
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("f", "tab", *"Mags", "tab", *"01233440044")
        await pilot.pause(0.5)
        await settle(app, pilot)
        hint = str(app.screen.query_one("#contact-hint", Static).render())
        assert "Margaret Hughes" in hint and "same phone" in hint and "F8" in hint
        await pilot.press("f8", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
    store = open_store(db_path)
    try:
        rows = enquiry_store.page_enquiries(store, enquiry_store.EnquiryFilter(), today=TODAY)
        newest = enquiry_store.get_enquiry(store, rows[0].id)
    finally:
        store.close()
    assert newest.caller_name == "Mags"
    assert newest.contact_enquiry_id == earlier.id


async def test_signpost_can_be_removed_before_saving(db_path: Path) -> None:
    seed_providers(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "ctrl+f", *"shopping ashford")
        await settle(app, pilot)
        screen = call_screen(app)
        await pilot.press("f3", "f3")  # the first two; the highlight moves on to the third
        await pilot.pause()
        assert len(screen.session.signposts) == 2
        await pilot.press("down", "up")  # into the results, back up to the second
        await pilot.press("s")  # s (or F3) on a signposted provider takes the signpost back
        await pilot.pause()
        assert len(screen.session.signposts) == 1
        await pilot.press("tab", "shift+tab", "shift+tab")  # follow-up, outcome, signposted
        assert app.focused is screen.query_one("#signposted")
        await pilot.press("delete")
        await pilot.pause()
        assert screen.session.signposts == {}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    enquiry = only_enquiry(db_path)
    store = open_store(db_path)
    try:
        assert enquiry_store.signposts_for(store, enquiry.id) == []
    finally:
        store.close()


def seed_follow_up(db_path: Path) -> tuple[dict[str, str], m.Enquiry]:
    """Providers, and Vera's enquiry signposted to Oak Tree, due for follow-up."""
    ids = seed_providers(db_path)
    store = open_store(db_path)
    try:
        earlier = enquiry_service.log_enquiry(
            store,
            {"enquirer_kind": "seeking_support", "caller_name": "Vera", "needs": ["shopping"],
             "outcome": "follow_up", "follow_up_on": "2026-11-20"},
            [ids["Oak Tree Companions"]],
        )  # fmt: skip
    finally:
        store.close()
    return ids, earlier


async def test_existing_enquiry_opens_for_follow_up(db_path: Path) -> None:
    ids, earlier = seed_follow_up(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # home: open the highlighted follow-up
        await settle(app, pilot)
        screen = call_screen(app)
        assert screen.enquiry_id == earlier.id
        assert screen.query_one("#caller_name", Input).value == "Vera"
        assert list(screen.session.signposts) == [ids["Oak Tree Companions"]]
        await pilot.press("ctrl+f", *"shopping ashford")
        await settle(app, pilot)
        panel = screen.query_one(LookupPanel)
        assert panel.result is not None
        # Oak Tree is already signposted; the lookup offers others as well.
        assert ids["Oak Tree Companions"] in [row.id for row in panel.result.rows]
        assert len(panel.result.rows) > 1
        await pilot.press("down")
        while panel.highlighted_row() and panel.highlighted_row().id in screen.session.signposts:  # type: ignore[union-attr]
            await pilot.press("down")
        await pilot.press("s", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
    store = open_store(db_path)
    try:
        assert len(enquiry_store.signposts_for(store, earlier.id)) == 2
        again = enquiry_store.get_enquiry(store, earlier.id)
    finally:
        store.close()
    assert again.caller_name == "Vera"
    assert again.duration_seconds is None  # editing does not pretend to be a new call


async def test_record_what_happened_after_a_signpost(db_path: Path) -> None:
    ids, earlier = seed_follow_up(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # home: open the follow-up
        await settle(app, pilot)
        screen = call_screen(app)
        screen.query_one(SignpostList).focus()
        await pilot.press("o", "o")  # unknown -> contacted -> started
        await settle(app, pilot)
        label = str(screen.query_one(SignpostList).get_option_at_index(0).prompt)
        assert "started" in label
    store = open_store(db_path)
    try:
        (signpost,) = enquiry_store.signposts_for(store, earlier.id)
    finally:
        store.close()
    assert signpost.reported_outcome.value == "started"


# -- issue 7: the draft question, F5 after a signpost, caller words in the pick lists --------
def screen_text(app: MicrocareApp) -> str:
    """What the terminal shows now (the current screen over the ones behind it), as text."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, legacy_windows=False, safe_box=False)  # fmt: skip
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens,
    ))  # fmt: skip
    return console.export_text()


async def leave_a_call_unsaved(db_path: Path, size: tuple[int, int] = WIDE) -> None:
    """Take a call and end the app without saving or cancelling it (as a crash would)."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("f", "tab", *"Rita Patel", "tab", *"01233 777888", "tab")
        await pilot.pause()
    assert draft_kept(db_path)


@pytest.mark.parametrize("size", [WIDE, (80, 24)])
async def test_draft_question_is_on_top_and_focused_and_escape_keeps_the_draft(
    db_path: Path, size: tuple[int, int]
) -> None:
    await leave_a_call_unsaved(db_path, size)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, DraftQuestion)
        assert isinstance(app.screen_stack[-2], CallScreen)  # asked over the new call
        assert app.focused is not None
        assert app.focused.screen is question  # keys go to the question the worker sees
        shown = screen_text(app)
        assert "Rita Patel" in shown
        assert "Restore it?" in shown
        await pilot.press(*"Dave")  # type-ahead meant for the form answers nothing
        await settle(app, pilot)
        assert app.screen is question
        await pilot.press("escape")  # ask later: keeps the draft
        await settle(app, pilot)
        screen = call_screen(app)
        assert screen.query_one("#caller_name", Input).value == ""
        assert draft_kept(db_path)
        await pilot.press("escape")  # nothing typed in this call: leaves without asking
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
        assert draft_kept(db_path)
        await pilot.press("ctrl+n")  # asked again
        await settle(app, pilot)
        assert app.screen is not question
        assert isinstance(app.screen_stack[-2], CallScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert call_screen(app).query_one("#caller_name", Input).value == "Rita Patel"


async def test_f5_records_what_happened_after_a_signpost_in_two_keys(db_path: Path) -> None:
    ids, earlier = seed_follow_up(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # home: open the follow-up; focus is on Enquirer
        await settle(app, pilot)
        screen = call_screen(app)
        signposts = screen.query_one(SignpostList)
        await pilot.press("f5")
        await pilot.pause()
        assert app.focused is signposts
        assert signposts.highlighted == 0
        assert signposts.region.height > 0  # on screen, also when narrow
        await pilot.press("o")  # unknown -> contacted
        await settle(app, pilot)
        assert "contacted" in str(signposts.get_option_at_index(0).prompt)
    store = open_store(db_path)
    try:
        (signpost,) = enquiry_store.signposts_for(store, earlier.id)
    finally:
        store.close()
    assert signpost.reported_outcome.value == "contacted"


async def test_needs_and_days_understand_the_callers_words(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        screen = call_screen(app)
        await pilot.press("s", "tab", "tab", "tab", "tab", "tab")  # name, phone, rel., postcode
        await pilot.press(*"cleaning", "enter")
        await pilot.pause()
        assert screen.values()["needs"] == ["home_help"]
        await pilot.press("tab", *"weekend", "enter")
        await pilot.pause()
        assert screen.values()["days"] == ["sat"]


async def test_make_provider_keeps_the_form_when_the_save_fails(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from microcare_tui.services.call import CallSession

    def refuse(self: CallSession) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(CallSession, "make_provider", refuse)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("w", "tab", *"Jo Carter", "f9")
        await settle(app, pilot)
        screen = call_screen(app)
        assert screen.query_one("#caller_name", Input).value == "Jo Carter"
        assert any("disk is full" in str(n.message) for n in app._notifications)


async def test_call_screen_footer_shows_whole_keys(db_path: Path) -> None:
    from microcare_tui.ui.widgets.footer import FitFooter

    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert call_screen(app).query(FitFooter)
