"""Keys typed in one burst after Tab go to the field Tab moved to.

A worker on the phone types fast: "f", Tab, "Mary Jones" arrive together. Tab was a screen
binding, so it waited in the Enquirer pick's queue while the app handed that pick the
letters typed after it: the name was read as picks ("r": Referral by a professional) and the
caller's name stayed empty. Tab and shift+tab now move the focus as the app reads them."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY
from tests.ui.provider_helpers import settle
from tests.ui.test_call import call_screen

WIDE = (120, 40)


def burst(app: MicrocareApp, *keys: str) -> None:
    """Queue keys as a terminal delivers a fast typist's: all before the app reads one."""
    for key in keys:
        character = key if len(key) == 1 else (" " if key == "space" else None)
        app.post_message(events.Key(key, character))


async def test_keys_typed_straight_after_tab_go_where_tab_moved_the_focus(
    db_path: Path,
) -> None:
    """In the call's form (Tab and shift+tab), then Tab out of the lookup."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        screen = call_screen(app)
        burst(app, "f", "tab", "M", "a", "r", "y", "space", "J", "o", "n", "e", "s", "tab")
        await settle(app, pilot)
        assert screen.query_one("#caller_name", Input).value == "Mary Jones"
        # shift+tab back: the name is selected as it takes the focus, and typing replaces it.
        burst(app, "0", "1", "2", "3", "3", "shift+tab", "A", "n", "n")
        await settle(app, pilot)
        assert screen.query_one("#caller_name", Input).value == "Ann"
        assert screen.query_one("#caller_phone", Input).value == "01233"
        picked = screen.query_one("#enquirer_kind")
        assert str(getattr(picked, "value", "")) == "family_carer"

        await pilot.press("ctrl+f")
        await settle(app, pilot)
        burst(app, "o", "a", "k", "tab", "x", "y")
        await settle(app, pilot)
        assert screen.query_one("#lookup-query", Input).value == "oak"
        assert app.focused is screen.query_one("#outcome")
