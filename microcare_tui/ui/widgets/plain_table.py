"""PlainTable: a PageTable whose one-line text cells are drawn without Rich's layout engine.

DataTable draws each cell through Rich (a Padding inside a Styled, rendered by the console:
~0.3 ms a cell here), so a screenful of Training's rows (35 rows of 4-5 cells) cost ~60-100
ms each time the table was filled or its view changed. A cell that is one line of plain
text (no markup, no newline) is the text cut or padded to the cell's width between its
padding, in one style: drawn here directly, as the same segments Rich would give. Any other
cell (the header, a styled or wrapping one) is drawn by DataTable as before.
"""

from __future__ import annotations

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.widgets.data_table import ColumnKey, RowKey

from microcare_tui.ui.widgets.page_table import PageTable

PlainCell = tuple[RowKey, ColumnKey, str]


class PlainTable(PageTable):
    """A PageTable whose plain one-line text cells are drawn cheaply (see the module)."""

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        plain = self._plain_cell(row_index, column_index)
        if plain is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key, column_key, value = plain
        # DataTable's own cache key, so its invalidation (an update, a pseudo class) holds.
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
               self._update_count, self._pseudo_class_state)  # fmt: skip
        lines = self._cell_render_cache.get(key)
        if lines is None:
            component, post = self._get_styles_to_render_cell(
                False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
                self.cursor_foreground_priority == "css",
                self.cursor_background_priority == "css",
            )  # fmt: skip
            meta = Style.from_meta({"row": row_index, "column": column_index})
            style = base_style + meta + component + post
            pad = self.cell_padding
            inner = max(0, width - 2 * pad)
            text = " " * pad + set_cell_size(value, inner) + " " * pad
            lines = [[Segment(set_cell_size(text, width), style)]]
            self._cell_render_cache[key] = lines
        return lines

    def _plain_cell(
        self, row_index: int, column_index: int
    ) -> tuple[RowKey, ColumnKey, str] | None:
        """The cell's keys and text if it is one line of plain text in an ordinary row."""
        if row_index < self.fixed_rows or column_index < self.fixed_columns or column_index < 0:
            return None  # the header (-1), row labels and fixed cells: as DataTable draws them
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None or self.rows[row_key].height != 1:
            return None
        value = self._data.get(row_key, {}).get(column_key)
        if not isinstance(value, str) or "[" in value or "\n" in value or "\t" in value:
            return None  # markup, or more than a line: Rich decides
        return row_key, column_key, value
