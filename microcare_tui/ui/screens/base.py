"""What every section screen shares: a help line, reloading when shown, the app's store."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.cheap_screen import KeepStyles


class SectionScreen(KeepStyles, AppAccess, Screen[None]):
    """A top-level section (Home, Enquiries, Providers, ...), reached with keys 1-9."""

    HELP = ""
    BINDINGS = [Binding("escape", "app.section('home')", "Home", show=False)]

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch what the screen shows again (when shown, and on DataChanged after a save)."""
