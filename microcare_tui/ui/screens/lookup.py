"""The standalone lookup (ctrl+f from anywhere outside a call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.lookup_panel import LookupPanel

if TYPE_CHECKING:
    pass


class LookupScreen(AppAccess, Screen[None]):
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
