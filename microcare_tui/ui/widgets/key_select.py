"""KeySelect: a short-list choice set by typing a letter (UX.md: choices from short lists use keys).

| Key | Does |
| :- | :- |
| a letter | picks the next choice starting with it (the list stays closed) |
| enter, space, up, down | open the list |
| escape (list open) | closes the list only; the form around it stays (see FormScreen) |
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events
from textual.widgets import OptionList, Select


class KeySelect(Select[str]):
    """A Select you set by typing: a letter picks the next option starting with it.

    Choices from short lists use keys (UX.md); enter, space or the arrows still open the list.
    """

    def __init__(self, options: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        self._offered = list(options)
        self.choices = _with_value(self._offered, kwargs.get("value"))
        super().__init__(self.choices, **kwargs)

    def set_choices(self, options: Iterable[tuple[str, str]]) -> None:
        """Offer other choices (a kept form filled for another provider), unless they are
        these already: setting the options again rebuilds the list and clears the value."""
        self._offered = list(options)
        self._show_choices(self._offered)

    def hold(self, value: str | None) -> None:
        """Show `value` chosen (None: nothing chosen). A value the list does not offer (a
        record imported from a colleague's laptop or a spreadsheet, a type retired since) is
        shown as a choice of its own, so it is seen and saved back unchanged: a Select given
        a value it does not offer raised, and a blank would have dropped it on save."""
        self._show_choices(_with_value(self._offered, value))
        if value is not None:
            self.value = value
        elif self._allow_blank:
            self.clear()
        elif self.choices:  # a list that must hold a choice: its first, as a new form has
            self.value = self.choices[0][1]

    def _show_choices(self, choices: list[tuple[str, str]]) -> None:
        if choices != self.choices:
            self.choices = choices
            self.set_options(choices)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and character != " "

    def on_key(self, event: events.Key) -> None:
        if self.expanded or not event.character or event.character == " ":
            return
        if not event.character.isprintable():
            return
        event.stop()
        event.prevent_default()
        letter = event.character.lower()
        matches = [v for text, v in self.choices if text.lower().startswith(letter)]
        if not matches:
            self.app.bell()
            return
        current = self.value
        if current in matches:
            self.value = matches[(matches.index(str(current)) + 1) % len(matches)]
        else:
            self.value = matches[0]

    def watch_expanded(self, expanded: bool) -> None:
        """Open: the list also covers this field's left margin.

        Textual draws the list from the field's left edge; a screen that indents its fields
        (margin-left) left the labels of the rows below peeking out of that margin, so an
        open list read "Ctype a letter", "PPerson seeking support". Wider by the margin and
        shifted left by it, the list covers them.
        """
        if not expanded:
            return
        margin = self.styles.margin.left
        overlay = self.query_one(OptionList)
        overlay.styles.offset = (-margin, 0)
        overlay.styles.width = self.size.width + margin
        overlay.styles.padding = (0, 0, 0, margin)  # the choices stay in line with the field


def _with_value(offered: list[tuple[str, str]], value: object) -> list[tuple[str, str]]:
    """The choices offered, and `value` as one more when it is a value none of them has."""
    if not isinstance(value, str) or any(v == value for _, v in offered):
        return offered
    return [*offered, (value, value)]
