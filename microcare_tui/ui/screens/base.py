"""What every section screen shares: a help line, reloading when shown, the app's store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from microcare_tui.ui.app import MicrocareApp


class SectionScreen(Screen[None]):
    """A top-level section (Home, Enquiries, Providers, ...), reached with keys 1-9."""

    HELP = ""
    BINDINGS = [Binding("escape", "app.section('home')", "Home", show=False)]

    @property
    def mc(self) -> MicrocareApp:
        """The app, typed."""
        from microcare_tui.ui.app import MicrocareApp

        assert isinstance(self.app, MicrocareApp)
        return self.app

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch what the screen shows again (after a save, or when shown)."""
