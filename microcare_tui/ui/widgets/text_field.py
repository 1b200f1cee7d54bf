"""The app's single-line text field: an Input that types at the least cost Textual allows.

What a key in a plain Input costs (Textual 8.2.8, measured with bench/instant.py and
callgrind), and what this field does instead:

- Input sets `virtual_size` to the text's width on every key, and that reactive lays out the
  whole screen. A field's box never depends on its text: here it does not lay out.
- The value, the cursor and the blink each repaint the whole widget: its three lines (the
  border's two included) drawn again, and the caches of its styles thrown away (the cursor's
  colours, and its colours against every ancestor's, worked out again on each key). Only the
  line of text changes: here a key repaints that line, and the styles stay cached until
  Textual repaints the whole widget (it does for anything that changes how it looks: a style,
  a class, the focus, the theme).
- The line is drawn from three segments (before the cursor, the cursor, the rest), not by
  rendering a rich Text through the console (~0.5-1 ms a key); Input's drawing for anything
  else (a placeholder, a selection, a suggestion, wide characters, a password).
- Its messages (Changed, Submitted, Blurred) go straight to the nearest ancestor that handles
  them, not through every container between (on the provider form six hops, each a turn of
  the event loop and a search of the container's classes for a handler that is not there).

Use it for every text field in the app.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets._input import Selection

_HANDLES: dict[tuple[type, type], bool] = {}


def _handles(node_class: type, message_class: type[Message]) -> bool:
    """Whether a node of this class has a handler for this message: one decorated with `on`
    for it (or a base of it), or one named by the convention (`on_input_changed`)."""
    known = _HANDLES.get((node_class, message_class))
    if known is None:
        known = _HANDLES[node_class, message_class] = _find_handler(node_class, message_class)
    return known


def _find_handler(node_class: type, message_class: type[Message]) -> bool:
    bases = [m for m in message_class.__mro__ if issubclass(m, Message)]
    name = message_class.handler_name
    for cls in node_class.__mro__:
        handlers = cls.__dict__.get("_decorated_handlers")
        if handlers and any(base in handlers for base in bases):
            return True
        if name in cls.__dict__ or f"_{name}" in cls.__dict__:
            return True
    return False


class _Direct(Message):
    """A TextField's message bubbles past the ancestors that do not handle it.

    Textual bubbles a message one ancestor at a time (each a turn of the event loop). An
    ancestor with no handler for it does nothing with it but pass it on, so it is handed at
    once to the first that has one (which passes it on as Textual does, here again straight to
    the next that handles it). All of the field's messages go this way, so they keep their
    order."""

    __slots__ = ()

    def _bubble_to(self, widget: Any) -> None:
        node = widget
        while not _handles(type(node), type(self)):
            # Textual would hand it here, where nothing happens, and pass it on: as it would.
            parent = node._parent
            if self._stop_propagation or parent is None:
                return
            if not (node.is_parent_active and node.is_attached):
                return
            if self._sender is not None and self._sender == parent:
                self.stop()  # sent by the parent: Textual stops after it
            node = parent
        super()._bubble_to(node)


class TextField(Input):
    """An Input whose key repaints one line and lays nothing out (see the module's notes).
    Behaves as Input: the same messages (`Input.Changed` handlers receive them), keys,
    scrolling of long text, validation, placeholder and blink."""

    # Reactives Input declares, here repainting only the line of text (their watchers below);
    # the virtual size (the text's width) never lays out nor repaints.
    value: Reactive[str] = reactive("", init=False, repaint=False)
    selection: Reactive[Selection] = reactive(Selection.cursor(0), repaint=False)
    _cursor_visible = reactive(True, repaint=False)
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)

    class Changed(_Direct, Input.Changed, namespace="input"):
        """Input.Changed (handlers of Input.Changed and `on_input_changed` receive it)."""

        as_input = Input.Changed

    class Submitted(_Direct, Input.Submitted, namespace="input"):
        """Input.Submitted (handlers of Input.Submitted and `on_input_submitted` receive it)."""

        as_input = Input.Submitted

    class Blurred(_Direct, Input.Blurred, namespace="input"):
        """Input.Blurred (handlers of Input.Blurred and `on_input_blurred` receive it)."""

        as_input = Input.Blurred

    def _is_prevented(self, message_type: type[Message]) -> bool:
        # `prevent(Input.Changed)` (Textual matches the exact class) prevents this field's.
        as_input = getattr(message_type, "as_input", message_type)
        return super()._is_prevented(message_type) or super()._is_prevented(as_input)

    def check_message_enabled(self, message: Message) -> bool:
        # `disable_messages(Input.Changed)` (Textual matches the exact class) disables it too.
        as_input = getattr(type(message), "as_input", None)
        if as_input is not None and as_input in self._disabled_messages:
            return False
        return super().check_message_enabled(message)

    _styles_kept: tuple[Style, tuple[Color, Color]] | None = None

    # -- a key repaints its line ------------------------------------------------------------
    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self._repaint_text()

    def _watch_selection(self, selection: Selection) -> None:
        super()._watch_selection(selection)
        self._repaint_text()

    def _watch__cursor_visible(self) -> None:
        self._repaint_text()

    def _repaint_text(self) -> None:
        """Repaint the line of text only: what `refresh(region)` does, keeping the caches of
        the styles (nothing a key changes is in them)."""
        if not self._is_mounted or not self.size:
            self.refresh()
            return
        self._set_dirty(Region(-self.content_offset.x, 0, self.size.width, 1))
        self._repaint_required = True
        self.check_idle()

    def refresh(self, *regions: Region, **kwargs: Any) -> Any:
        """Textual's refresh; a whole repaint (a style, a class, the focus, the theme
        changed) works the styles out again."""
        if not regions and kwargs.get("repaint", True):
            self._styles_kept = None
        return super().refresh(*regions, **kwargs)

    def notify_style_update(self) -> None:
        self._styles_kept = None
        super().notify_style_update()

    def _kept_styles(self) -> tuple[Style, tuple[Color, Color]]:
        if self._styles_kept is None:
            self._styles_kept = (
                DOMNode.rich_style.fget(self),  # type: ignore[attr-defined]
                DOMNode.background_colors.fget(self),  # type: ignore[attr-defined]
            )
        return self._styles_kept

    @property
    def rich_style(self) -> Style:
        """Input's (its colours against its ancestors'), kept until a whole repaint."""
        return self._kept_styles()[0]

    @property
    def background_colors(self) -> tuple[Color, Color]:
        """Input's, kept until a whole repaint."""
        return self._kept_styles()[1]

    # -- drawing the line -------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """The line as Input draws it, made from three segments (the text before the
        cursor, the cursor, the rest): Input renders a rich Text through the console on
        every key (~0.5-1 ms). Input's own drawing for anything else (the placeholder, a
        selection, a suggestion, wide characters, a highlighter, a password)."""
        value = self.value
        if (
            y != 0
            or not value
            or self.password
            or self.highlighter is not None
            or not self.selection.is_empty
            or (self.has_focus and len(self._suggestion) > len(value))
            or cell_len(value) != len(value)
        ):
            return super().render_line(y)
        width = self.scrollable_content_region.width + 1
        segments = [Segment(value)]
        if self.has_focus and self._cursor_visible:
            cursor = self.cursor_position
            text = value + " " if self.cursor_at_end else value
            segments = [
                Segment(text[:cursor]),
                Segment(text[cursor : cursor + 1], self.get_component_rich_style("input--cursor")),
                Segment(text[cursor + 1 :]),
            ]
        strip = Strip([segment for segment in segments if segment.text])
        scroll_x = self.scroll_offset.x
        strip = strip.crop(scroll_x, scroll_x + width).extend_cell_length(width)
        return strip.apply_style(self.rich_style)
