"""Typed access to the running app from screens and widgets; screens reload on DataChanged."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from microcare_tui.ui.app import MicrocareApp
    from microcare_tui.ui.messages import DataChanged


class AppAccess:
    """Mixin: `self.mc` is the running MicrocareApp (its store, today, navigation).

    A screen with this mixin and a `reload()` method fetches what it shows again when the
    app tells it, with DataChanged, that something was saved.
    """

    @property
    def mc(self) -> MicrocareApp:
        """The app, typed."""
        from microcare_tui.ui.app import MicrocareApp

        app = cast(DOMNode, self).app
        assert isinstance(app, MicrocareApp)
        return app

    def on_data_changed(self, message: DataChanged) -> None:
        """Something was saved: show it (screens without a `reload` show nothing stored)."""
        reload = getattr(self, "reload", None)
        if callable(reload):
            reload()
