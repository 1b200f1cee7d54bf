"""The lookup's results as a line-API widget: a keystroke repaints lines, never lays out.

An OptionList rebuilt per keystroke re-measured and re-rendered all 20 options and, when the
number of rows or the scrollbar changed, asked for a layout of the whole screen (~63% of a
keystroke's cost at county scale). Here each provider is two lines rendered once per distinct
row (cached by the row's key, so rows that stay in the top 20 as the worker types cost
nothing), and a new set of rows is a repaint of this widget: its height is fixed by the
panel's CSS, and its virtual height (the scrollbar's thumb) is updated in place. The
scrollbar is always there (overflow-y: scroll): one that came and went with the number of
rows took a column and so a layout of the whole screen (one keystroke in seven).

Keys: up/down move the highlight, home/end, enter selects (posts Selected); the lookup
panel adds s, c, pageup and pagedown.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from microcare_tui.ui.widgets.item_cursor import ITEM_KEYS, ItemCursor
from microcare_tui.ui.widgets.line_strips import LineStrips

LINES_PER_ROW = 2
NO_GUTTER = Spacing(0, 0, 0, 0)


class ResultLines(ItemCursor, LineStrips, ScrollView, can_focus=True):
    """Rows of two lines each, one highlighted; `show` replaces them with a repaint only."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results--row", "results--highlighted"}
    BINDINGS: ClassVar[list[BindingType]] = ITEM_KEYS
    # As OptionList looks, so the screen looks the same as before.
    DEFAULT_CSS = """
    ResultLines {
        overflow-x: hidden; overflow-y: scroll;
        color: $foreground; background: $surface;
        &:focus { background-tint: $foreground 5%; }
        & > .results--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .results--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Selected(Message):
        """Enter (or a click) on a row."""

        def __init__(self, results: ResultLines, index: int, row_id: str) -> None:
            super().__init__()
            self.results = results
            self.index = index
            self.row_id = row_id

        @property
        def control(self) -> ResultLines:
            return self.results

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - as Textual's widgets
        super().__init__(id=id)
        self._ids: list[str] = []
        self._keys: list[Hashable] = []
        self._contents: list[Content] = []
        self._highlighted: int | None = None
        # (row key, highlighted, focused, width) -> its two strips
        self._strips: dict[tuple[Hashable, bool, bool, int], list[Strip]] = {}
        self._forget_run_styles()

    # -- what the panel uses ------------------------------------------------------------
    @property
    def option_count(self) -> int:
        """How many rows are shown."""
        return len(self._ids)

    @property
    def highlighted(self) -> int | None:
        """The highlighted row's index, or None."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._ids) - 1)) if self._ids else None
        if index == self._highlighted:
            return
        old, self._highlighted = self._highlighted, index
        self._refresh_rows([old, index])
        self._scroll_to_row(index)

    def show(self, rows: Sequence[tuple[str, Hashable, Content]], highlight: int | None) -> None:
        """Replace the rows: (id, key, two-line content) each; equal keys, equal lines.

        Only rows whose key or highlight changed are repainted (typing on often keeps some
        of the top 20 in place)."""
        before = self._painted()
        self._ids = [row_id for row_id, _, _ in rows]
        self._keys = [key for _, key, _ in rows]
        self._contents = [content for _, _, content in rows]
        if len(self._strips) > 400:
            self._strips.clear()
            self._forget_run_styles()
        if highlight is not None:
            highlight = max(0, min(highlight, len(self._ids) - 1)) if self._ids else None
        self._highlighted = highlight
        self._set_virtual_height()
        after = self._painted()
        self._refresh_rows(
            [
                index
                for index in range(max(len(before), len(after)))
                if index >= len(before) or index >= len(after) or before[index] != after[index]
            ]
        )
        self._scroll_to_row(highlight)

    def _painted(self) -> list[tuple[Hashable, bool]]:
        return [(key, i == self._highlighted) for i, key in enumerate(self._keys)]

    def notify_style_update(self) -> None:
        """New styles (a theme, or the list gaining or losing focus): the rows' lines and run
        styles are made again from them, not kept from the old ones."""
        super().notify_style_update()
        self._strips.clear()
        self._forget_run_styles()

    # -- the line API -------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._set_virtual_height(resized=True)
        self._scroll_to_row(self._highlighted)

    def _set_virtual_height(self, resized: bool = False) -> None:
        # Never less than the list's height: rows that fit show the same full thumb whether
        # there are 3 or 15 of them, so the scrollbar is not repainted (31 lines) for that.
        region = self.scrollable_content_region
        size = Size(region.width, max(len(self._ids) * LINES_PER_ROW, region.height))
        if size == self.virtual_size:
            return
        if resized:
            self.virtual_size = size
        else:
            # The same scrollbar, a new thumb: set without the reactive's layout pass.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Every line is a row's cached strip or a blank: with no border, padding, tint or
        opacity on the list there is nothing for Textual's per-line styling pass to add, and
        that pass cost more than the rows themselves (the box around the list draws the
        border). With any of those set (a theme or subclass), Textual's own pass runs."""
        styles = self.styles
        if (
            styles.gutter != NO_GUTTER
            or styles.tint.a
            or styles.text_opacity != 1.0
            or self.opacity != 1.0
            or styles.has_rule("hatch")
        ):
            return super().render_lines(crop)
        # What every line needs is looked up once per call, not per line (each is a walk of
        # the DOM or a reactive read: ~60 us a line, 2 ms for the list's 31 lines).
        width = self.size.width
        rows_width = self.scrollable_content_region.width
        filters = self.get_line_filters()
        background = self.background_colors[1]
        blank_style = self.get_visual_style("results--row").rich_style
        blank = Strip.blank(width, blank_style)
        top = round(self.scroll_offset.y)
        focused = self.has_focus
        count = len(self._ids)
        strips = []
        for y in crop.line_range:
            index, part = divmod(top + y, LINES_PER_ROW)
            if 0 <= index < count:
                strip = self._row_strips(index, rows_width, focused)[part]
                if rows_width != width:
                    strip = strip.extend_cell_length(width, blank_style)
            else:
                strip = blank
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = round(self.scroll_offset.y) + y
        index, part = divmod(line, LINES_PER_ROW)
        if not 0 <= index < len(self._ids):
            return Strip.blank(width, self.get_visual_style("results--row").rich_style)
        return self._row_strips(index, width, self.has_focus)[part]

    def _row_strips(self, index: int, width: int, focused: bool) -> list[Strip]:
        lit = index == self._highlighted
        key = (self._keys[index], lit, focused, width)
        strips = self._strips.get(key)
        if strips is None:
            style = (
                self.get_visual_style("results--row", "results--highlighted")
                if lit
                else self.get_visual_style("results--row")
            )
            lines = self._contents[index].split("\n")[:LINES_PER_ROW]
            strips = [self._line_strip(line, width, style) for line in lines]
            while len(strips) < LINES_PER_ROW:
                strips.append(Strip.blank(width, style.rich_style))
            self._strips[key] = strips
        return strips

    def _refresh_rows(self, indexes: Sequence[int | None]) -> None:
        """Repaint these rows' lines, in one refresh (each refresh call walks the widget's
        dirty state: ~25 us, 20 times a page)."""
        top = round(self.scroll_offset.y)
        width = max(self.virtual_size.width, self.size.width)
        regions = [
            Region(0, index * LINES_PER_ROW - top, width, LINES_PER_ROW)
            for index in indexes
            if index is not None
        ]
        if regions:
            self.refresh(*regions)

    def _scroll_to_row(self, index: int | None) -> None:
        height = self.scrollable_content_region.height
        if index is None or not height:
            return
        top, bottom = index * LINES_PER_ROW, (index + 1) * LINES_PER_ROW
        y = round(self.scroll_offset.y)
        if top < y:
            self.scroll_to(y=top, animate=False, force=True)
        elif bottom > y + height:
            self.scroll_to(y=bottom - height, animate=False, force=True)

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_offset.y) + offset.y) // LINES_PER_ROW
        if 0 <= index < len(self._ids):
            if index == self._highlighted:
                self.action_select()
            self.highlighted = index
