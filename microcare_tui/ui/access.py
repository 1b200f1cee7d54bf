"""Typed access to the running app from screens and widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from microcare_tui.ui.app import MicrocareApp


class AppAccess:
    """Mixin: `self.mc` is the running MicrocareApp (its store, today, navigation)."""

    @property
    def mc(self) -> MicrocareApp:
        """The app, typed."""
        from microcare_tui.ui.app import MicrocareApp

        app = cast(DOMNode, self).app
        assert isinstance(app, MicrocareApp)
        return app
