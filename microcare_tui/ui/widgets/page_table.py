"""PageTable: a DataTable for a page of a list, whose box never depends on its rows."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable


class PageTable(DataTable[str]):
    """A DataTable sized by its screen (e.g. `height: 1fr`), never by its rows.

    DataTable lays out the whole screen whenever its virtual size (how far it scrolls)
    changes, which is every time a page of another length is shown: each filter or search
    result. Here that only repaints, and the scrollbars are updated as a layout pass would
    have updated them; a scrollbar that has to appear or go still lays out, by itself.
    """

    virtual_size = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, size: Size) -> None:
        self._scroll_update(size)
