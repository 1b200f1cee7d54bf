"""What every section screen shares: a help line, reloading when shown, the app's store."""

from __future__ import annotations

from typing import Any

from textual import events
from textual._context import NoActiveAppError
from textual.actions import SkipAction
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.cheap_screen import KeepStyles


class SectionScreen(KeepStyles, AppAccess, Screen[None]):
    """A top-level section (Home, Enquiries, Providers, ...), reached with keys 1-9."""

    HELP = ""
    BINDINGS = [Binding("escape", "app.section('home')", "Home", show=False)]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A section made after the first screen says it is styled with the app's CSS as it is
        # now (its widgets are styled as they mount). Textual marks a new screen out of date,
        # and a section's first open then parsed the app's whole stylesheet again twice and
        # restyled every widget of every screen (the kept call screen's ~120 too): ~100-200
        # ms, and the kept screens' drawn lines thrown away. A theme changed later still
        # restyles it. The first screen is left to Textual: that pass sets the CSS variables.
        try:
            app = self.app
        except NoActiveAppError:
            return
        if any(app._screen_stacks.values()):
            self._css_update_count = app._css_update_count

    def focus_field_now(self, field: Widget) -> None:
        """Move to a list's filter or search field (its / key) at once, so that keys typed
        or pasted right after / go there; in the field itself / is typed like any character.

        Bound with priority, the action runs as the app takes the key, before it hands the
        next keys to the focused widget, and the focus moves now rather than after the keys
        already queued (Widget.focus): otherwise "/oak" typed fast went to the list, and the
        enter after it opened a record."""
        if field.has_focus:
            raise SkipAction()
        self.set_focus(field)

    def _on_mount(self, event: events.Mount) -> None:
        # Styled as it mounted, with the CSS as it is now: a theme set as the app started
        # (before this first screen had mounted) left it marked out of date, and coming back
        # to it later parsed and restyled the whole app for nothing. Its first show need not
        # restyle every widget either (KeepStyles), unless the CSS changes before it.
        self._css_update_count = self.app._css_update_count
        self.styled_now()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch what the screen shows again (when shown, and on DataChanged after a save)."""
