"""The standalone lookup (ctrl+f from anywhere outside a call)."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.cheap_screen import (
    KeepStyles,
    compose_off_screen,
    keep_screen,
    on_a_stack,
    prepared_off_screen,
)
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.lookup_panel import LookupPanel

_KEPT: WeakKeyDictionary[App[Any], LookupScreen] = WeakKeyDictionary()


class LookupScreen(KeepStyles, AppAccess, Screen[None]):
    """Find a provider: what the caller needs, where and when, in plain words."""

    title_text = "Find a provider"
    HELP = (
        "Find a provider: type what the caller needs in plain words (service, area or postcode, "
        "day or time, language, 'dp', 'taking'). Down moves into the results, enter opens one, "
        "F4 copies the phone, F6 removes the last understood chip, pageup/pagedown pages. "
        "To signpost, open a call (ctrl+n): the call screen has this same lookup."
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f3", "no_signpost", "Signpost (in a call)", show=False),
    ]
    DEFAULT_CSS = """
    LookupScreen > #lookup-title { padding: 0 1; color: $accent; text-style: bold; height: 1; }
    LookupScreen > LookupPanel { padding: 0 1; }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query

    @classmethod
    def open(cls, app: App[Any]) -> None:
        """Show the lookup, empty. The app keeps one lookup screen and shows it afresh each
        time: composing and styling its ~70 widgets was most of a ctrl+f (~120 ms at county,
        as the phone rings). A second one opens only while the kept one is open below (a
        record opened from the lookup, then ctrl+f again)."""
        kept = _KEPT.get(app)
        if kept is None:
            app.push_screen(keep_screen(_KEPT, app, cls(), "lookup"))
        elif on_a_stack(app, kept) or not kept.is_mounted:
            app.push_screen(cls())
        else:
            kept.start_afresh()
            app.push_screen(kept)

    @classmethod
    def prepare(cls, app: App[Any]) -> None:
        """Make the kept lookup screen now, off screen (a no-op if there is one): the first
        ctrl+f of a session then only shows it."""
        if app in _KEPT or not app.is_running:
            return
        screen = keep_screen(_KEPT, app, cls(), "lookup")
        compose_off_screen(app, screen)

    def start_afresh(self) -> None:
        """Nothing typed, the first results highlighted, searched again (the register may
        have changed since it was last shown), as a new lookup screen starts."""
        panel = self.panel
        panel.page_offset = 0
        if panel.query_line.value:
            panel.query_line.value = ""  # searches again for nothing typed
        else:
            panel.search("", 0, self.mc.today())
        panel.focus_query()

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(
            "Find a provider · enter opens · F4 copies the phone · "
            "to signpost, open a call (ctrl+n)",
            id="lookup-title", markup=False,
        )  # fmt: skip
        yield LookupPanel(self.initial, id="lookup", can_signpost=False)
        yield Footer(compact=True)

    @property
    def panel(self) -> LookupPanel:
        return self.query_one(LookupPanel)

    def on_mount(self) -> None:
        self.panel.focus_query()
        if not self.is_current:  # made in advance (prepare): laid out and drawn unseen
            prepared_off_screen(self)

    def focus_lookup(self) -> None:
        """ctrl+f again: back to the query line."""
        self.panel.focus_query()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(LookupPanel.ProviderChosen)
    def _open(self, event: LookupPanel.ProviderChosen) -> None:
        self.mc.open_provider(event.provider_id)

    def action_no_signpost(self) -> None:
        self.notify("Signposting is part of a call: open a call (ctrl+n) to signpost.")
