"""Widgets whose size change after a layout does not ask for another layout.

Textual sets every widget's `virtual_size` after each layout pass, and that reactive asks for
a layout of the whole screen when it changes. So a pass in which a text grows (a record
arriving in place of 'Loading...') is always followed by a second pass that changes nothing:
a Static's or a plain container's height comes from its content, not from its virtual size,
and a scrolling container's scrollbars are set by the pass itself (`show_vertical_scrollbar`
still asks for a layout when a scrollbar has to appear or go). Measured on the provider
record: the second pass was 8-9 ms of each open. PageTable, Pick and TextField do the same.

And a page that takes the focus restyles itself, not all it holds (see `QuietScroll`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import ContentSwitcher, Static

if TYPE_CHECKING:
    from textual.css.model import RuleSet


class QuietStatic(Static):
    """A Static whose virtual size only repaints."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class QuietVertical(Vertical):
    """A Vertical whose virtual size only repaints."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class QuietHorizontal(Horizontal):
    """A Horizontal whose virtual size only repaints."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class QuietScroll(VerticalScroll):
    """A VerticalScroll whose virtual size only repaints (its scrollbars lay out alone), and
    whose focus restyles only itself when no rule styles what it holds by its focus.

    Textual restyles a widget that gains or loses the focus and everything in it, as a rule
    such as `VerticalScroll:focus Static` could change any of them. Home's page takes the
    focus as the app starts: its twelve widgets restyled, unchanged, were ~3 ms of the
    first frame (issue 8's cold start)."""

    virtual_size = Reactive(Size(0, 0), layout=False)

    def watch_has_focus(self, _has_focus: bool) -> None:
        if focus_styles_inside(self, self.app.stylesheet.rules):
            super().watch_has_focus(_has_focus)
        else:
            self.app.stylesheet.update_nodes([self], animate=True)


class QuietSwitcher(ContentSwitcher):
    """A ContentSwitcher whose virtual size only repaints."""

    virtual_size = Reactive(Size(0, 0), layout=False)


# The pseudo-classes that change as a widget gains or loses the focus.
_FOCUS_STATES = frozenset({"focus", "blur", "focus-within"})


def focus_styles_inside(node: DOMNode, rules: Iterable[RuleSet]) -> bool:
    """True if one of `rules` styles the widgets inside `node` by its focus: a selector that
    names it (by type, class or id, whatever its state) with a focus state, then more."""
    for rule in rules:
        for selector_set in rule.selector_set:
            for selector in selector_set.selectors[:-1]:
                if selector.pseudo_classes & _FOCUS_STATES and selector._check(node):
                    return True
    return False
