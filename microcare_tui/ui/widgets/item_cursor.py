"""What the app's own line-painted lists share: a highlighted item moved by keys, the
highlight's colours following focus, and enter posting the widget's Selected message
(ResultLines, the lookup's results; LineList, Home's panels)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType

ITEM_KEYS: list[BindingType] = [
    Binding("down", "cursor_down", "Down", show=False),
    Binding("up", "cursor_up", "Up", show=False),
    Binding("home", "first", "First", show=False),
    Binding("end", "last", "Last", show=False),
    Binding("enter", "select", "Open", show=False),
]


class ItemCursor:
    """Mixin for a Widget with `_ids` (its items' ids), `highlighted` (a property that
    repaints) and a `Selected(widget, index, row_id)` message class."""

    _ids: list[str]
    _highlighted: int | None
    Selected: ClassVar[Any]
    highlighted: int | None  # a property on the widget

    def _set_highlighted(self, index: int | None) -> None:
        self.highlighted = index  # the widget's property (it repaints)

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)  # type: ignore[misc]
        self.refresh()  # type: ignore[attr-defined]  # the highlight's colours follow focus

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)  # type: ignore[misc]
        self.refresh()  # type: ignore[attr-defined]

    def action_cursor_down(self) -> None:
        if self._ids:
            self._set_highlighted(0 if self._highlighted is None else self._highlighted + 1)

    def action_cursor_up(self) -> None:
        if self._ids:
            self._set_highlighted(0 if self._highlighted is None else self._highlighted - 1)

    def action_first(self) -> None:
        if self._ids:
            self._set_highlighted(0)

    def action_last(self) -> None:
        if self._ids:
            self._set_highlighted(len(self._ids) - 1)

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None and 0 <= index < len(self._ids):
            self.post_message(self.Selected(self, index, self._ids[index]))  # type: ignore[attr-defined]
