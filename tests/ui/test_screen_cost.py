"""What keeps screens and keys cheap (issue 8), counted with Textual's own work, not timed:
a key in a text field or a list's filter lays nothing out, the call screen for new calls is
kept and started afresh (no widget composed again), the footer keeps its keys while the
focus moves. Timings are in bench/instant.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, Static, TextArea

from microcare_tui.store.db import Store
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call import _KEPT, CallScreen
from microcare_tui.ui.screens.call_draft import DraftQuestion
from microcare_tui.ui.screens.call_prepare import preparing
from microcare_tui.ui.screens.home import HomeScreen
from microcare_tui.ui.screens.provider_form import _KEPT as form_kept
from microcare_tui.ui.screens.provider_form import ProviderFormScreen
from microcare_tui.ui.screens.providers import ProvidersScreen
from microcare_tui.ui.widgets.cheap_screen import mounting_off_screen
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import KeySelect, MultiPick
from microcare_tui.ui.widgets.line_list import LineList
from tests.conftest import TODAY
from tests.ui.provider_helpers import add_provider, names, settle, status, table

SIZE = (120, 40)


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every layout pass of any screen, by screen class, as it happens."""
    passes: list[str] = []
    original = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        passes.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    yield passes


@pytest.fixture
def mounted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every widget mounted (registered with the app), by class, as it happens."""
    from textual.app import App

    widgets: list[str] = []
    original = App._register

    def counted(self: App[Any], parent: Any, *new: Any, **kwargs: Any) -> Any:
        widgets.extend(type(w).__name__ for w in new)
        return original(self, parent, *new, **kwargs)

    monkeypatch.setattr(App, "_register", counted)
    yield widgets


async def quiet(app: MicrocareApp, pilot: Pilot[Any]) -> None:
    """Let what focusing set going (the footer's keys, placing notifications) finish."""
    await settle(app, pilot)
    for _ in range(3):
        await pilot.pause(0.05)


async def type_keys(app: MicrocareApp, pilot: Pilot[Any], keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await pilot.pause()


async def test_keys_in_fields_and_filters_lay_nothing_out(
    db_path: Path, store: Store, layouts: list[str]
) -> None:
    add_provider(store)
    add_provider(store, name="Birch Home Help", services=["home_help"], postcode="CT1 1AA")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "slash")
        await quiet(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProvidersScreen)
        asked = screen.generation
        layouts.clear()
        await type_keys(app, pilot, "oak")
        # No layout, and no page asked for while typing: once typing pauses, one page.
        assert layouts == []
        assert screen.generation == asked
        assert names(app) == ["Birch Home Help", "Oak Tree Companions"]
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert screen.generation == asked + 1
        assert names(app) == ["Oak Tree Companions"] and "filter: 'oak'" in status(app)

        await pilot.press("escape", "n")  # the provider form: keys in its name field
        await quiet(app, pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "name"
        layouts.clear()
        await type_keys(app, pilot, "Ash")
        assert app.focused.value == "Ash"
        assert layouts == []
        await pilot.press("escape", "y")
        await settle(app, pilot)

        await pilot.press("ctrl+n", "tab")  # the call screen: the caller's name
        await quiet(app, pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "caller_name"
        layouts.clear()
        await type_keys(app, pilot, "Ann")
        assert layouts == []


async def test_the_call_screen_is_kept_and_starts_each_new_call_afresh(
    db_path: Path, mounted: list[str]
) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        first = app.screen
        assert isinstance(first, CallScreen)
        name_field = first.query_one("#caller_name", Input)
        received = first.query_one("#received_at", Input).value
        await pilot.press("f", "tab", *"Ann Smith", "ctrl+f", *"shopping")
        await pilot.press("escape")  # changed: asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)

        mounted.clear()
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        # The same screen and widgets (nothing composed again; only the footer's keys, as the
        # focus went from the lookup back to the form), every field as a new call.
        assert mounted and set(mounted) == {"FooterKey"}
        assert app.screen is first
        assert first.query_one("#caller_name", Input) is name_field
        assert name_field.value == ""
        assert first.query_one("#enquirer_kind", Select).value is Select.NULL
        assert first.query_one("#summary", TextArea).text == ""
        # now, as a new call's: this minute (the first call's, unless a minute turned since)
        assert first.query_one("#received_at", Input).value == first.session.values["received_at"]
        assert received
        assert first.panel.query_line.value == ""
        assert not first.session.dirty and not first.has_unsaved_changes()
        assert app.focused is first.query_one("#enquirer_kind")
        footer = first.query_one(FitFooter)
        keys = list(footer.children)
        await pilot.press("tab", "tab")  # the focus moves: the footer keeps its keys
        await pilot.pause()
        assert list(footer.children) == keys
        await pilot.press("escape")  # untouched: leaves without asking
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)


def _form_text(screen: Screen[Any], field: str) -> str:
    return screen.query_one(f"#{field}", Input).value


async def test_the_provider_form_is_kept_and_filled_afresh_for_each_provider(
    db_path: Path, store: Store, mounted: list[str]
) -> None:
    add_provider(store, languages=["Polish"], hourly_rate_pence=1850)
    add_provider(store, name="Birch Home Help", services=["home_help"], postcode="CT1 1AA",
                 phone="01227 700800", stage="active")  # fmt: skip
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await quiet(app, pilot)
        await pilot.press("n")
        await quiet(app, pilot)
        form = app.screen
        assert isinstance(form, ProviderFormScreen)
        # Bad input: the message under the field, nothing saved, the form stays.
        await pilot.press(*"Ash Care", "tab", "tab", "tab", *"not-an-email", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and form.query(".field-error")
        await pilot.press("escape", "y")  # changed: asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)

        mounted.clear()
        await pilot.press("n")  # the same form, empty again, no error left from before
        await quiet(app, pilot)
        assert app.screen is form
        assert not {"FieldRow", "TextField", "MultiPick"} & set(mounted)
        assert _form_text(form, "name") == "" and _form_text(form, "email") == ""
        assert not form.query("FieldRow.-invalid")
        assert app.focused is form.query_one("#name")
        assert "New provider" in str(form.query_one("#form-heading", Static).render())
        await pilot.press(*"Ash Care", "ctrl+s")  # saved: back to the list, Ash Care in it
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)
        assert "Ash Care" in names(app)

        await pilot.press("n")  # after a save: empty, not the saved provider's values
        await quiet(app, pilot)
        assert app.screen is form and _form_text(form, "name") == ""
        assert not form.has_unsaved_changes()
        await pilot.press("escape")  # untouched: leaves without asking
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen)

        for name in ("Oak Tree Companions", "Birch Home Help"):  # e on each: its own values
            table(app).move_cursor(row=names(app).index(name))
            await pilot.press("e")
            await quiet(app, pilot)
            assert app.screen is form and _form_text(form, "name") == name
            assert f"Edit provider: {name}" in str(form.query_one("#form-heading").render())
            assert not form.has_unsaved_changes()
            await pilot.press("escape")
            await settle(app, pilot)
        assert _form_text(form, "phone") == "01227 700800"
        assert _form_text(form, "languages") == "" and _form_text(form, "hourly_rate_pence") == ""
        assert form.query_one("#services", MultiPick).value == ["home_help"]
        stages = [v for _, v in form.query_one("#stage", KeySelect).choices]
        assert "active" in stages and "enquiry" not in stages  # Birch's next stages

        table(app).move_cursor(row=names(app).index("Oak Tree Companions"))
        await pilot.press("e")
        await quiet(app, pilot)
        assert _form_text(form, "languages") == "Polish"
        assert _form_text(form, "hourly_rate_pence") == "£18.50"
        await pilot.press("end", *" Ltd", "ctrl+s")  # an edit saved through the kept form
        await settle(app, pilot)
        assert "Oak Tree Companions Ltd" in names(app)


async def prepared(app: MicrocareApp, pilot: Pilot[Any], kept: Any = _KEPT) -> Any:
    """The screen the app composes off screen (by default the call screen, after start-up),
    once it is mounted."""
    for _ in range(100):
        screen = kept.get(app)
        if screen is not None and screen.is_mounted:
            for _ in range(100):  # and the sections and forms made after it (call_prepare.py)
                if not preparing(app) and not mounting_off_screen(app):
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.2)  # its off-screen layout rounds
            return screen
        await pilot.pause(0.05)
    raise AssertionError("no call screen was prepared")


async def test_the_first_call_screen_is_prepared_after_start(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, mounted: list[str]
) -> None:
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen: CallScreen = await prepared(app, pilot)
        await pilot.pause(1.2)
        pressed = time.monotonic()
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        # The clock starts with ctrl+n, not when the screen was made (1.2 s before): at most
        # the whole seconds since the key (a busy machine's settle can take over a second).
        shown = str(screen.bar_time.render())
        assert shown.startswith("Call 00:")
        assert int(shown.removeprefix("Call 00:")) <= int(time.monotonic() - pressed)
        assert app.screen is screen and app.focused is screen.query_one("#enquirer_kind")
        await pilot.press("f", "tab", *"Rita Patel", "tab")
        await pilot.pause()
    # Left without saving (as in a crash): the next start's prepared screen offers the draft.
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(app, pilot)
        mounted.clear()
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftQuestion)  # over the prepared screen
        assert app.screen_stack[-2] is screen
        assert not {"FieldRow", "MultiPick", "LookupPanel"} & set(mounted)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.query_one("#caller_name", Input).value == "Rita Patel"
        assert screen.has_unsaved_changes()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallScreen)

        # The providers list, once shown, composes the provider form off screen: n shows it.
        await pilot.press("3")
        form = await prepared(app, pilot, form_kept)
        mounted.clear()
        await pilot.press("n")
        await quiet(app, pilot)
        assert app.screen is form and not {"FieldRow", "MultiPick"} & set(mounted)
        assert app.focused is form.query_one("#name") and _form_text(form, "name") == ""
        await pilot.press(*"Ash Care", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProvidersScreen) and names(app) == ["Ash Care"]


async def test_a_kept_screen_is_restyled_only_by_css_that_can_reach_it(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        providers = app.screen
        assert isinstance(providers, ProvidersScreen) and not providers._css_changed()
        await pilot.press("9")  # Settings mounts widget types of its own, with their CSS
        await settle(app, pilot)
        assert not providers._css_changed()  # scoped to types Providers does not hold
        app.stylesheet.add_source(
            "DataTable { color: red; }", read_from=("test", "DataTable"), scope="DataTable"
        )
        assert providers._css_changed()  # a type it holds (its table)
        providers.styled_now()
        app.theme = "textual-light"
        assert providers._css_changed()  # the theme: every colour
        await pilot.press("3")
        await settle(app, pilot)
        assert not providers._css_changed()  # restyled as it was shown


async def test_home_lays_out_once_for_its_figures_and_not_again_when_unchanged(
    db_path: Path, store: Store, layouts: list[str]
) -> None:
    """Home's figures, radar and agenda arrive in one message and cost one layout (and the
    pass that follows any size change); back on Home with nothing changed, none."""
    add_provider(store)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await quiet(app, pilot)
        layouts.clear()
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.reload()  # the same figures read again
        await settle(app, pilot)
        await quiet(app, pilot)
        assert layouts == []
        await pilot.press("3")  # away and back: Home reads again on coming back
        await settle(app, pilot)
        await quiet(app, pilot)
        layouts.clear()
        await pilot.press("1")
        await settle(app, pilot)
        await quiet(app, pilot)
        assert app.screen is home
        assert layouts == ["HomeScreen"]  # showing the screen; for its figures, none
        add_provider(store, name="Birch Lane Help", phone="01233 111222")
        layouts.clear()
        assert isinstance(home, HomeScreen)
        home.reload()  # a new provider: the figures change
        await settle(app, pilot)
        await quiet(app, pilot)
        assert layouts == ["HomeScreen"]  # one for the new figures


async def test_home_adds_its_radar_agenda_and_guide_after_its_first_frame(
    db_path: Path, store: Store, layouts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first frame holds Home's top half only (issue 8's cold start); the radar, the
    agenda and the guide join the page under the follow-ups after it, and the figures fill
    them with one layout."""
    add_provider(store)
    held: list[HomeScreen] = []
    reload = HomeScreen.reload
    monkeypatch.setattr(HomeScreen, "reload", lambda self: held.append(self))
    at_first_frame: list[list[str | None]] = []
    add_lower_panels = HomeScreen._add_lower_panels

    def noting(self: HomeScreen) -> None:
        at_first_frame.append([w.id for w in self.query_one("#home-page").children])
        add_lower_panels(self)

    monkeypatch.setattr(HomeScreen, "_add_lower_panels", noting)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await quiet(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert {id(screen) for screen in held} == {id(home)}  # its first reads held
        assert at_first_frame == [["home-title", "home-panels", "follow-ups"]]
        page = home.query_one("#home-page")
        ids = [w.id for w in page.children]
        assert ids == ["home-title", "home-panels", "follow-ups", "radar", "agenda", "guide"]
        radar = home.query_one("#radar", LineList)
        assert "Loading..." in str(radar.render_line(2).text)
        layouts.clear()
        reload(home)
        await settle(app, pilot)
        await quiet(app, pilot)
        assert layouts == ["HomeScreen"]
        assert "0 lapsed or overdue" in str(radar.render_line(2).text)


async def test_the_record_screen_is_prepared_after_start_and_filled_for_the_first_record(
    db_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch, mounted: list[str]
) -> None:
    """After the call screen, the app makes the provider record's screen off screen with no
    provider in it; the first record opened fills it (nothing of the record is composed)."""
    from microcare_tui.ui.screens import provider_detail
    from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen

    oak = add_provider(store)
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "0")
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await prepared(app, pilot, provider_detail._KEPT)
        assert isinstance(screen, ProviderDetailScreen)
        assert not screen.is_current
        mounted.clear()
        app.open_provider(oak.id)
        await settle(app, pilot)
        assert app.screen is screen
        assert "Static" not in mounted and "ContentSwitcher" not in mounted
        assert str(screen.query_one("#detail-name", Static).render()) == "Oak Tree Companions"
        assert "01233 629000" in str(screen.query_one("#detail-contact", Static).render())
        # Its people and evidence parts were made with it (hidden): x and p only fill them.
        for key, words in (("x", "Public liability insurance"), ("p", "No people recorded")):
            await pilot.press(key)
            await settle(app, pilot)
            parts = [w for w in screen.query(".page") if (w.id or "").startswith("part-")]
            shown = [part.id for part in parts if part.display]
            assert shown == [f"part-{key}"]  # the one part shown, the other still hidden
            assert words in screen.query_one(f"#part-{key} ScrolledLineList", LineList).text
        assert mounted == []
