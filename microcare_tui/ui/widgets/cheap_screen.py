"""KeepStyles: a screen shown again is not restyled when nothing about the styles changed."""

from __future__ import annotations

from typing import Any, cast

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen


class KeepStyles:
    """Mixin for a Screen that is shown again and again (a section, the kept call screen).

    Textual restyles every widget of a screen each time it is pushed or switched to, in case
    the theme or the stylesheet changed while it was hidden. For the call screen that was a
    third of ctrl+n's cost (~120 widgets). Here the restyle happens only when the app's CSS
    did change since this screen was last shown (a theme change, a stylesheet loaded since);
    classes and focus changed while hidden restyle their own widgets as they change.
    """

    _styled_with: tuple[int, int] | None = None  # the app's CSS when last shown

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (the subclass's comes first), which reads this flag.
        app = cast(DOMNode, self).app
        css = (app._css_update_count, len(app.stylesheet.source))
        if css == self._styled_with:
            event.refresh_styles = False
        self._styled_with = css


def on_a_stack(app: App[Any], screen: Screen[Any]) -> bool:
    """Is this (kept) screen on the screen stack of any section: open, or under a dialog?"""
    # Textual keeps one stack per mode and offers no public way to ask all of them.
    return any(screen in stack for stack in app._screen_stacks.values())
