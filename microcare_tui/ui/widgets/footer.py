"""FitFooter: a Footer that shows whole keys only.

At 80 columns a screen's keys overflow the Footer and run under the command-palette key on
its right, so the last key showed cut in half: "^f Find ^▏^p palette". FitFooter hides the
keys that do not fit whole (F1 and the palette, ctrl+p, list every key anyway).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Footer


class FitFooter(Footer):
    """A Footer whose keys never show cut off at the right edge, rebuilt only when the keys
    it shows change.

    Textual's Footer recomposes (removes and mounts every key) each time the screen's
    bindings may have changed: on mount, on each focus change, on each screen change, which
    came to ~6 rebuilds (120-180 ms of CPU) before the first frame. The keys it would show
    are compared first; equal keys keep the widgets as they are.
    """

    _shown: tuple[object, ...] | None = None

    def _signature(self) -> tuple[object, ...] | None:
        if not self._bindings_ready or not self.is_attached:
            return None
        app = self.app
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (
                    key,
                    binding.action,
                    binding.description,
                    binding.group,
                    app.get_key_display(binding),
                    enabled,
                    tooltip,
                )
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == app.COMMAND_PALETTE_BINDING
            ),
        )

    async def recompose(self) -> None:
        signature = self._signature()
        if signature is not None and signature == self._shown and self.children:
            return  # the same keys: nothing to rebuild
        self._shown = signature
        await super().recompose()
        self.call_after_refresh(self._hide_overflow)

    def on_resize(self, event: events.Resize) -> None:
        # Show every key again, measure once laid out, then hide what does not fit.
        for child in self._keys():
            child.display = True
        self.call_after_refresh(self._hide_overflow)

    def _keys(self) -> list[Widget]:
        return [c for c in self.children if not c.has_class("-command-palette")]

    def _hide_overflow(self) -> None:
        if not self.is_attached:
            return
        limit = self.region.right
        for child in self.children:
            if child.has_class("-command-palette") and child.display:
                limit = child.region.x
        hiding = False
        for child in self._keys():
            hiding = hiding or child.region.right > limit
            if hiding:
                child.display = False
