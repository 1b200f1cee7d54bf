"""FitFooter: a Footer that shows whole keys only.

At 80 columns a screen's keys overflow the Footer and run under the command-palette key on
its right, so the last key showed cut in half: "^f Find ^▏^p palette". FitFooter hides the
keys that do not fit whole (F1 and the palette, ctrl+p, list every key anyway).

It also recomposes only when the keys it shows change, and a key that only turns enabled or
disabled is dimmed or lit in place (no layout: Home's "f Follow-up done" lights up when
its follow-ups arrive). Textual's Footer removes and mounts
every key (a dozen widgets, and a layout pass) each time the focus moves; opening a form
moved the focus three or four times, and tabbing between fields once per key (measured on the
call screen: 4 recomposes per open, each ~14 widgets).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class FitFooter(Footer):
    """A Footer whose keys never show cut off at the right edge."""

    _shown: tuple[object, ...] | None = None  # what the keys were composed from
    _awaiting_layout = False  # keys not placed yet: measure after the screen's next layout

    def _keys_shown(self) -> tuple[object, ...]:
        """Everything compose() reads to make the keys, so equal means the same keys."""
        if not self._bindings_ready:
            return ()
        bindings = tuple(
            (binding, self.app.get_key_display(binding), enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )
        return (self.compact, self.show_command_palette, bindings)

    def compose(self) -> ComposeResult:
        # Textual's Footer composes no keys at first and its keys once the screen says its
        # bindings are ready, after the first frame: a second mount and layout of the whole
        # screen on every screen open (~50 ms of a provider record's ~165 here). The screen's
        # bindings are known now; if focusing a widget changes them, recompose says so.
        if not self._bindings_ready:
            self.set_reactive(Footer._bindings_ready, True)
        self._shown = self._keys_shown()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Each key sets this class on itself as it mounts (its `compact`, bound to
                # the footer's), and each class set restyled the key: ~2 ms a key, a dozen
                # keys on every screen's first open. Set before it mounts, it costs nothing.
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown == self._shown and self.children:
            return  # the same keys: keep the widgets (and the layout) as they are
        if self.children and self._toggle_in_place(shown):
            return
        self._shown = shown
        await super().recompose()
        self.call_after_refresh(self._hide_overflow)

    def _toggle_in_place(self, shown: tuple[object, ...]) -> bool:
        """When only keys' enabled flags changed, set them on the keys shown; False when
        anything else changed (then the keys are composed again)."""
        old = self._shown
        if old is None or len(old) != 3 or len(shown) != 3 or old[:2] != shown[:2]:
            return False
        before, after = old[2], shown[2]
        assert isinstance(before, tuple) and isinstance(after, tuple)
        if len(before) != len(after):
            return False
        if any(
            a[0] is not b[0] or a[1] != b[1] or a[3] != b[3]
            for a, b in zip(before, after, strict=True)
        ):
            return False
        enabled = {b[0].action: b[2] for b in after}
        for key in self.query(FooterKey):
            if key.action in enabled:
                key.disabled = not enabled[key.action]
        self._shown = shown
        return True

    def on_resize(self, event: events.Resize) -> None:
        # Show every key again, measure once laid out, then hide what does not fit.
        for child in self._keys():
            if not child.display:  # setting it, even to what it is, asks for a layout
                child.display = True
        self.call_after_refresh(self._hide_overflow)

    def _keys(self) -> list[Widget]:
        return [c for c in self.children if not c.has_class("-command-palette")]

    def _hide_overflow(self) -> None:
        if not self.is_attached:
            return
        if any(key.display and not key.region.width for key in self._keys()):
            # Keys mounted but not laid out yet: on a screen made off screen (a section
            # prepared after start-up) the refresh this waited for laid nothing out, and the
            # screen shows later at the same size, with no resize to measure again. On a fast
            # machine the last key showed cut off under the palette key.
            self._measure_after_layout()
            return
        limit = self.region.right
        for child in self.children:
            if child.has_class("-command-palette") and child.display:
                limit = child.region.x
        hiding = False
        for child in self._keys():
            hiding = hiding or child.region.right > limit
            if hiding and child.display:
                child.display = False

    def _measure_after_layout(self) -> None:
        if self._awaiting_layout or not self.is_running:  # a signal takes running nodes only
            return
        self._awaiting_layout = True
        self.screen.screen_layout_refresh_signal.subscribe(self, self._laid_out)

    def _laid_out(self, screen: object) -> None:
        self._awaiting_layout = False
        if self.is_attached:
            self.screen.screen_layout_refresh_signal.unsubscribe(self)
        self._hide_overflow()
