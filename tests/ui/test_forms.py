"""The shared form widgets: pick lists, dropdowns, saves that fail, where notifications go.

Through the real app where the defect showed (the call screen, the provider form), and through
a small form of its own where a widget's contract is checked on its own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Select
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from microcare_tui.domain.errors import DatabaseUnavailable, ValidationFailed
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call import CallScreen
from microcare_tui.ui.screens.enquiries import EnquiriesScreen
from microcare_tui.ui.screens.help import HelpScreen
from microcare_tui.ui.screens.home import HomeScreen
from microcare_tui.ui.screens.provider_form import ProviderFormScreen
from microcare_tui.ui.screens.providers import ProvidersScreen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, FormScreen, KeySelect, MultiPick
from microcare_tui.ui.widgets.pick import PickFilter, PickList, match_choice, words_by_value
from tests.conftest import TODAY

WIDE = (120, 40)
SMALL = (80, 24)

SERVICES = [
    ("Personal care", "personal_care"),
    ("Home help", "home_help"),
    ("Companionship", "companionship"),
    ("Shopping and errands", "shopping"),
    ("Gardening", "gardening"),
]
WORDS = {
    "home_help": "cleaning housework domestic laundry",
    "shopping": "shopping errands prescriptions",
    "personal_care": ["washing", "dressing"],
}


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def burst(app: App[Any], text: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued before any is handled
    (Pilot's press waits for the app to go idle after each key, which hid the crash)."""
    driver = app._driver
    assert driver is not None
    for char in text:
        event = events.Key(char, char)
        event.set_sender(app)
        driver.send_message(event)


def empty_line(pick: MultiPick) -> str:
    line = pick.query_one(".pick-empty")
    return str(line.render()) if line.display else ""


def listed(pick: MultiPick) -> list[str]:
    listing = pick.query_one(PickList)
    return [str(listing.get_option_at_index(i).value) for i in range(listing.option_count)]


def messages(app: App[Any]) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- a small form of our own ------------------------------------------------------------
class PickForm(FormScreen):
    """A name, a pick list with caller words, a dropdown and a note: enough of a form."""

    def __init__(self, save: Any = None) -> None:
        super().__init__()
        self.save = save
        self.results: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield FieldRow("Name", Input(id="name"), "name")
        yield FieldRow("Needs", MultiPick(SERVICES, id="needs", words=WORDS), "needs")
        yield FieldRow("Urgency", KeySelect([("Routine", "routine"), ("Urgent", "urgent")],
                                            id="urgency"), "urgency")  # fmt: skip
        yield FieldRow("Note", Input(id="note"), "note")

    def save_values(self, values: dict[str, Any]) -> Any:
        if self.save is not None:
            self.save(values)
        self.results.append(values)
        return values

    def saved(self, result: Any) -> None:
        self.dirty = False
        self.notify("Saved")


class FormApp(App[None]):
    def __init__(self, form: PickForm) -> None:
        super().__init__()
        self.form = form

    def on_mount(self) -> None:
        self.push_screen(self.form)


def needs(app: App[Any]) -> MultiPick:
    return app.screen.query_one("#needs", MultiPick)


async def test_filter_finds_choices_by_the_callers_words() -> None:
    form = PickForm()
    app = FormApp(form)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # name -> the pick's filter: one tab stop
        assert isinstance(app.focused, PickFilter)
        await pilot.press(*"cleaning")
        assert listed(needs(app)) == ["home_help"]
        prompt = needs(app).query_one(PickList).get_option_at_index(0).prompt
        assert "Home help" in str(prompt) and "cleaning" in str(prompt)
        await pilot.press("enter")  # toggles the highlighted (only) choice
        assert needs(app).value == ["home_help"]
        assert app.focused is needs(app).query_one(PickFilter)  # the filter keeps focus
        assert needs(app).query_one(PickFilter).value == ""  # cleared for the next need
        assert len(listed(needs(app))) == len(SERVICES)
        await pilot.press(*"prescr", "enter")
        assert needs(app).value == ["home_help", "shopping"]
        await pilot.press(*"wash")
        assert listed(needs(app)) == ["personal_care"]


async def test_space_types_and_arrows_move_and_enter_toggles() -> None:
    app = FormApp(PickForm())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"home help")  # space is typed: two-word filters work
        assert needs(app).query_one(PickFilter).value == "home help"
        assert listed(needs(app)) == ["home_help"]
        assert needs(app).value == []
        await pilot.press(*["backspace"] * 9)
        assert len(listed(needs(app))) == len(SERVICES)
        await pilot.press("down", "down", "enter")  # the third choice: Companionship
        assert needs(app).value == ["companionship"]
        await pilot.press("up", "enter")  # Home help, one above
        assert needs(app).value == ["home_help", "companionship"]
        await pilot.press("enter")  # again: unchosen
        assert needs(app).value == ["companionship"]
        await pilot.press("tab")  # leaves the pick for the next field, no stop on the list
        assert app.focused is app.screen.query_one("#urgency", KeySelect)


async def test_a_click_toggles_and_the_filter_takes_focus() -> None:
    app = FormApp(PickForm())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert await pilot.click(PickList, offset=(8, 1))  # the second row: Home help
        await pilot.pause()
        assert needs(app).value == ["home_help"]
        assert isinstance(app.focused, PickFilter)
        assert await pilot.click(PickList, offset=(8, 1))
        await pilot.pause()
        assert needs(app).value == []


async def test_no_match_says_so_keeps_the_choices_and_changes_nothing() -> None:
    app = FormApp(PickForm())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"garden", "enter", *"kent")
        pick = needs(app)
        assert listed(pick) == []
        assert empty_line(pick) == "No match for 'kent' · chosen: Gardening"
        await pilot.press("enter", "space", "backspace", "backspace", "enter")
        assert pick.value == ["gardening"]
        assert app.screen is app.form
        await pilot.press(*["backspace"] * 4)
        assert empty_line(pick) == ""
        assert len(listed(pick)) == len(SERVICES)


async def test_a_burst_of_typing_that_matches_nothing_never_breaks_the_pick() -> None:
    """The list was told to highlight its first row, then emptied by the next keys before it
    got there; the late highlight crashed the list, and the next key took the app down."""
    app = FormApp(PickForm())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        burst(app, "cleaningx")
        await pilot.pause()
        burst(app, " ")
        await pilot.pause()
        await pilot.press("enter", "backspace", "backspace")
        pick = needs(app)
        assert pick.query_one(PickFilter).value == "cleaning"
        assert pick.query_one(PickList).is_attached
        assert listed(pick) == ["home_help"]
        await pilot.press("enter")
        assert pick.value == ["home_help"]
        assert app.return_code is None and app._exception is None


def test_match_choice_by_label_or_words() -> None:
    words = ("cleaning", "housework")
    assert match_choice("", "Home help", words) == ""
    assert match_choice("elp", "Home help", words) == ""  # anywhere in the label
    assert match_choice("HOME  help", "Home help", words) == ""
    assert match_choice("clean", "Home help", words) == "cleaning"
    assert match_choice("home clean", "Home help", words) == "cleaning"
    assert match_choice("kent", "Home help", words) is None
    assert match_choice("ning", "Home help", words) is None  # words match from their start
    assert match_choice("tuesday", "Tue") == ""  # a label word said in full
    assert match_choice("andrew", "Shopping and errands") is None
    assert match_choice("errands", "Shopping and errands") == ""
    assert match_choice("odd", "Gardening and odd jobs") == ""
    assert words_by_value({"cleaning": "home_help", "laundry": "home_help", "tn23": "a1"}) == {
        "home_help": "cleaning laundry",
        "a1": "tn23",
    }


# -- the real app: the call screen and the provider form ----------------------------------
async def test_call_needs_filter_matching_nothing_keeps_the_call(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "tab", *"Ann", "tab", *"01233 123456")
        pick = app.screen.query_one("#needs", MultiPick)
        pick.query_one(Input).focus()
        await pilot.pause()
        burst(app, "xyzzy")
        await pilot.pause()
        for key in ("space", "backspace", "enter"):
            await pilot.press(key)
        await pilot.pause()
        assert app.return_code is None and app._exception is None
        assert isinstance(app.screen, CallScreen)
        assert empty_line(pick).startswith("No match for 'xyzz")
        assert app.screen.query_one("#caller_name", Input).value == "Ann"
        await pilot.press(*["backspace"] * 5)
        assert empty_line(pick) == ""
        assert listed(pick)


async def test_provider_areas_filter_matching_nothing_keeps_the_form(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ProviderFormScreen)
        await pilot.press(*"Oak Care")
        pick = app.screen.query_one("#areas_served", MultiPick)
        pick.query_one(Input).focus()
        await pilot.pause()
        burst(app, "ash")
        await pilot.pause()
        await pilot.press("enter")  # Ashford chosen
        burst(app, "kent")
        await pilot.pause()
        await pilot.press("backspace", "space", "enter")
        await pilot.pause()
        assert app.return_code is None and app._exception is None
        assert isinstance(app.screen, ProviderFormScreen)
        assert "No match for 'ken'" in empty_line(pick)
        assert len(pick.value) == 1
        assert app.screen.query_one("#name", Input).value == "Oak Care"


async def test_help_lists_the_pick_keys(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        app.screen.query_one("#needs", MultiPick).query_one(Input).focus()
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1])
                for i in range(table.row_count)}  # fmt: skip
        assert rows.get("enter") == "Toggle the highlighted choice"
        assert rows.get("down") == "Next choice"
        assert rows.get("up") == "Previous choice"
        keys = list(rows)
        assert keys.index("enter") < keys.index("down") < keys.index("left")  # pick keys first


# -- dropdowns ---------------------------------------------------------------------------
async def test_escape_closes_a_provider_form_dropdown(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        stage = app.screen.query_one("#stage", KeySelect)
        stage.focus()
        await pilot.press("down")
        await pilot.pause()
        assert stage.expanded
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ProviderFormScreen)
        assert not stage.expanded


@pytest.mark.parametrize("size", [WIDE, SMALL])
async def test_open_dropdown_covers_its_labels_and_escape_closes_it_not_the_call(
    db_path: Path, size: Any
) -> None:
    """The call screen indents its fields by one column; the open list started at the field,
    so the first letter of each label behind it showed: "Ctype a letter", "PPerson...".
    Then escape on an open dropdown closes it, not the call (one session for both)."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        # The open list covers the labels beside it.
        await pilot.press("enter")
        await pilot.pause()
        kind = app.screen.query_one("#enquirer_kind", KeySelect)
        overlay = kind.query_one(OptionList)
        rows_below = [
            row for row in app.screen.query(FieldRow)
            if overlay.region.y <= row.region.y < overlay.region.bottom
        ]  # fmt: skip
        assert rows_below
        for row in rows_below:
            assert overlay.region.x <= row.region.x
        assert overlay.region.right == kind.region.right
        await pilot.press("escape")
        await pilot.pause()
        assert not kind.expanded

        # Escape closes an open dropdown, not the call.
        await pilot.press("tab", *"Ann", "shift+tab")  # something typed: leaving would ask
        assert app.focused is kind
        await pilot.press("enter")
        await pilot.pause()
        assert kind.expanded
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)  # no "leave without saving?" question
        assert not kind.expanded
        assert app.focused is kind
        await pilot.press("escape")  # closed: escape leaves, asking first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)


# -- saves that fail ---------------------------------------------------------------------
FAILURES: list[tuple[Exception, str]] = [
    (sqlite3.OperationalError("database or disk is full"), "The disk is full"),
    (sqlite3.OperationalError("database is locked"), "The database is busy"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
    (DatabaseUnavailable("The database /x/y.db is busy: close the other one."), "/x/y.db"),
    (OSError(28, "No space left on device"), "The disk is full"),
    (RuntimeError("Mary Jones 07811 234567"), "unexpected problem (RuntimeError)"),
]


async def test_a_failed_save_keeps_the_form_and_can_be_retried() -> None:
    """Each way a save can fail (full disk, busy, read-only, unavailable, no space, a bug):
    the form stays with what was typed, one message says what happened and to press ctrl+s
    again, never the error's own text (it may hold personal data), and ctrl+s then saves.
    One session for the six (each was a start of the app); the notifications are cleared
    between them, so each message is looked for on its own."""
    failing: list[Exception] = []

    def save(values: dict[str, Any]) -> None:
        if failing:
            raise failing.pop()

    form = PickForm(save)
    app = FormApp(form)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press(*"Mary Jones", "tab", *"clean", "enter")
        for error, said in FAILURES:
            failing[:] = [error]
            form.results.clear()
            app.clear_notifications()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.return_code is None and app._exception is None
            assert app.screen is form
            [message] = [m for m in messages(app) if said in m]
            assert "press ctrl+s to try again" in message, said
            assert "Mary" not in message and "07811" not in message  # never the error's text
            assert form.values()["name"] == "Mary Jones"
            assert form.values()["needs"] == ["home_help"]
            assert form.results == []
            await pilot.press("ctrl+s")  # the disk has room again: the same form saves
            await pilot.pause()
            assert [r["name"] for r in form.results] == ["Mary Jones"], said
            assert "Saved" in messages(app)


async def test_validation_errors_still_go_to_their_fields() -> None:
    def save(values: dict[str, Any]) -> None:
        raise ValidationFailed({"needs": "Choose at least one need"})

    app = FormApp(PickForm(save))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#row-needs", FieldRow).has_class("-invalid")
        assert app.focused is needs(app).query_one(PickFilter)


async def test_a_call_saved_on_a_full_disk_stays_open_and_saves_on_retry(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = enquiry_service.log_enquiry
    calls: list[int] = []

    def full_then_fine(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database or disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(enquiry_service, "log_enquiry", full_then_fine)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("s", "tab", *"Vera", "tab", *"01233 123456")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.return_code is None and app._exception is None
        assert isinstance(app.screen, CallScreen)
        assert any(m.startswith("The disk is full") for m in messages(app))
        assert app.screen.query_one("#caller_name", Input).value == "Vera"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)
        assert len(calls) == 2


# -- notifications -----------------------------------------------------------------------
async def test_notifications_keep_off_the_follow_up_field(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        follow_up = app.screen.query_one("#follow_up_on", Input)
        follow_up.focus()
        await pilot.pause()
        app.notify("Signposted to Oak Tree Companions")
        app.notify("Signposted to Beech Errand Helpers")
        await pilot.pause()
        await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 2
        for toast in toasts:
            assert not toast.region.overlaps(follow_up.region), (toast.region, follow_up.region)
        app.screen.query_one("#caller_name", Input).focus()  # high up: back to the bottom
        await pilot.pause()
        await pilot.pause()
        name = app.screen.query_one("#caller_name", Input)
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(name.region)


async def test_dropdown_value_by_letter_still_works() -> None:
    app = FormApp(PickForm())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        urgency = app.screen.query_one("#urgency", KeySelect)
        urgency.focus()
        await pilot.press("u")
        assert urgency.value == "urgent"
        assert not urgency.expanded
        assert urgency.value is not Select.NULL


# -- footers -----------------------------------------------------------------------------
async def test_footer_palette_key_covers_the_right_edge(db_path: Path) -> None:
    """Textual's compact Footer leaves a margin right of its right-docked palette key; keys
    that overflow at 80 columns showed through it: "^p palette1", "^p paletten". Home, then
    Enquiries (2), Providers (3) and the call (ctrl+n), each reached from Home, in one
    session (each start of the app costs more than the check)."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        shown: list[type[Screen[Any]]] = [HomeScreen, EnquiriesScreen, ProvidersScreen, CallScreen]
        for keys, screen in zip([(), ("2",), ("3",), ("ctrl+n",)], shown, strict=True):
            if keys:
                await pilot.press("1")  # back to Home first
                await settle(app, pilot)
                assert isinstance(app.screen, HomeScreen)
            await pilot.press(*keys)
            await settle(app, pilot)
            assert isinstance(app.screen, screen)
            footer = app.screen.query_one(Footer)
            palette = footer.query_one(".-command-palette")
            assert palette.region.right == footer.region.right == SMALL[0], keys


class ManyKeys(App[None]):
    BINDINGS = [
        Binding(key, f"ring('{key}')", f"Action number {key}")
        for key in ("f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12")
    ]

    def action_ring(self, key: str) -> None:
        self.bell()

    def compose(self) -> ComposeResult:
        yield Input()
        yield FitFooter(compact=True)


@pytest.mark.parametrize("width", [80, 100, 250])
async def test_fit_footer_shows_whole_keys_only(width: int) -> None:
    app = ManyKeys()
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = app.query_one(FitFooter)
        palette = footer.query_one(".-command-palette")
        keys = [k for k in footer.query(FooterKey) if k is not palette]
        shown = [k for k in keys if k.display]
        assert shown  # the first keys always show
        for key in shown:
            assert key.region.right <= palette.region.x
        if width == 250:
            assert shown == keys
        else:
            assert len(shown) < len(keys)
        await pilot.resize_terminal(250, 10)
        await pilot.pause()
        await pilot.pause()
        assert all(k.display for k in footer.query(FooterKey))
