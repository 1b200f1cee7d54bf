"""Widgets whose size change after a layout does not ask for another layout.

Textual sets every widget's `virtual_size` after each layout pass, and that reactive asks for
a layout of the whole screen when it changes. So a pass in which a text grows (a record
arriving in place of 'Loading...') is always followed by a second pass that changes nothing:
a Static's or a plain container's height comes from its content, not from its virtual size,
and a scrolling container's scrollbars are set by the pass itself (`show_vertical_scrollbar`
still asks for a layout when a scrollbar has to appear or go). Measured on the provider
record: the second pass was 8-9 ms of each open. PageTable, Pick and TextField do the same.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import ContentSwitcher, Static


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
    """A VerticalScroll whose virtual size only repaints (its scrollbars lay out alone)."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class QuietSwitcher(ContentSwitcher):
    """A ContentSwitcher whose virtual size only repaints."""

    virtual_size = Reactive(Size(0, 0), layout=False)
