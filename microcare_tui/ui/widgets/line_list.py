"""LineList: a panel of one-line rows, some of them items to pick (Home's follow-ups,
expiry radar, actions due and next visits).

Home was ~40 widgets: each panel a container, a title, a summary, an OptionList or a
DataTable and a note. Every widget costs at start (compose, styles, layout, paint: ~5 ms
of CPU each here) and each list that received its lines asked for another layout of the
whole screen (an OptionList measures its options when first painted, after the layout; a
DataTable on its next idle). A LineList is one widget per panel: its title, notes and items
are lines it paints itself, it knows its height the moment it is given its lines, and moving
the highlight repaints two lines.

Lines with an id are items: up/down move the highlight between them (skipping the others),
home/end, enter selects (posts Selected). Lines without one are text (titles, notes).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget

from microcare_tui.ui.widgets.item_cursor import ITEM_KEYS, ItemCursor
from microcare_tui.ui.widgets.line_strips import LineStrips

# (item id, or None for a line of text; the line, or what makes it when it is first painted:
# a list of hundreds makes only the lines scrolled into view)
Line = tuple[str | None, Content | str | Callable[[], Content]]


class LineList(ItemCursor, LineStrips, Widget, can_focus=True):
    """Lines of text and items, one item highlighted; as tall as its lines."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-list--row", "line-list--highlighted"}
    BINDINGS: ClassVar[list[BindingType]] = ITEM_KEYS
    # Its height is its number of lines, set with them: a size change after a layout need not
    # ask for another layout of the whole screen (see ui/widgets/quiet.py).
    virtual_size = Reactive(Size(0, 0), layout=False)
    # Items look as an OptionList's options do, so Home looks as it did.
    DEFAULT_CSS = """
    LineList {
        height: 0; overflow: hidden;
        color: $foreground; background: $surface;
        &:focus { background-tint: $foreground 5%; }
        & > .line-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .line-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Selected(Message):
        """Enter (or a click) on an item."""

        def __init__(self, line_list: LineList, index: int, row_id: str) -> None:
            super().__init__()
            self.line_list = line_list
            self.index = index
            self.row_id = row_id

        @property
        def control(self) -> LineList:
            return self.line_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._lines: list[Content | Callable[[], Content]] = []
        self._ids: list[str] = []  # the items' ids, in order
        self._at: list[int] = []  # the line each item is on
        self._span: list[int] = []  # how many lines each item takes
        self._highlighted: int | None = None
        # (line, highlighted, focused, width) -> its strip; made again for new lines or styles
        self._strips: dict[tuple[int, bool, bool, int], Strip] = {}
        self._forget_run_styles()

    # -- what a panel uses ------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """How many items (lines with an id) are shown."""
        return len(self._ids)

    @property
    def highlighted(self) -> int | None:
        """The highlighted item's index (among the items), or None when there are none."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._ids) - 1)) if self._ids else None
        if index == self._highlighted:
            return
        old, self._highlighted = self._highlighted, index
        for item in (old, index):
            if item is not None:
                self.refresh(Region(0, self._at[item], self.size.width, self._span[item]))
        self._reveal(index)

    def _reveal(self, index: int | None) -> None:
        """Bring the highlighted item into view (a LineList is as tall as its lines: only one
        inside a scrolling container has anything to do; see ScrolledLineList)."""

    def row_id(self, index: int) -> str:
        """The id of item `index`."""
        return self._ids[index]

    def row_text(self, index: int) -> str:
        """Item `index` as plain text, each of its lines (what a screen reader or a test
        reads)."""
        at = self._at[index]
        return "\n".join(self._line(y).plain for y in range(at, at + self._span[index]))

    @property
    def text(self) -> str:
        """Every line as plain text."""
        return "\n".join(self._line(y).plain for y in range(len(self._lines)))

    def _line(self, y: int) -> Content:
        line = self._lines[y]
        if not isinstance(line, Content):
            line = self._lines[y] = line()
        return line

    def show(self, lines: Sequence[Line]) -> None:
        """Replace the lines; the highlight stays on the same item index (within the new
        items). The height changes only when the number of lines does."""
        self._lines = []
        self._ids = []
        self._at = []
        self._span = []
        for row_id, line in lines:
            if isinstance(line, str):
                line = Content(line)
            # An item of several lines (its text holds newlines) is highlighted as one; a
            # line made when first painted is one line.
            parts = line.split("\n") if isinstance(line, Content) and "\n" in line.plain else [line]
            if row_id is not None:
                self._ids.append(row_id)
                self._at.append(len(self._lines))
                self._span.append(len(parts))
            self._lines.extend(parts)
        keep = self._highlighted if self._highlighted is not None else 0
        self._highlighted = min(keep, len(self._ids) - 1) if self._ids else None
        self._strips.clear()
        height = self.styles.height
        if height is None or height.value != len(self._lines):
            self.styles.height = len(self._lines)  # a layout, batched with the screen's news
        self.refresh()

    # -- painting -----------------------------------------------------------------------
    def notify_style_update(self) -> None:
        """New styles (a theme, or focus moving): lines are made again from them."""
        super().notify_style_update()
        self._strips.clear()
        self._forget_run_styles()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not 0 <= y < len(self._lines):
            return Strip.blank(width, self.get_visual_style("line-list--row").rich_style)
        lit = self._highlighted is not None and (
            0 <= y - self._at[self._highlighted] < self._span[self._highlighted]
        )
        key = (y, lit, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            style = (
                self.get_visual_style("line-list--row", "line-list--highlighted")
                if lit
                else self.get_visual_style("line-list--row")
            )
            strip = self._strips[key] = self._line_strip(self._line(y), width, style)
        return strip

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        index = bisect_right(self._at, offset.y) - 1 if offset is not None else -1
        if index < 0 or offset is None or offset.y >= self._at[index] + self._span[index]:
            return  # a line of text, not of an item
        if index == self._highlighted:
            self.action_select()
        self.highlighted = index


class ScrolledLineList(LineList):
    """A LineList of hundreds of lines (the Quality section's), inside a scrolling container:
    one widget, and the container asks it to paint only the lines in view, where an
    OptionList of as many options measured and rendered each of them. Moving the highlight
    scrolls it into view; page up and page down move it by a screenful."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    _reveal_on_resize: int | None = None  # an item to bring into view once laid out

    def _reveal(self, index: int | None) -> None:
        parent = self.parent
        if index is None or not isinstance(parent, Widget):
            return
        if self.size.height != len(self._lines):
            # The lines came in since the last layout (a list read afresh as it shows): the
            # container does not know their height yet and would hold the scroll short of
            # the item. The layout that gives the list its height sends it a Resize.
            self._reveal_on_resize = index
        parent.scroll_to_region(self._item_region(index), animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        index, self._reveal_on_resize = self._reveal_on_resize, None
        if index is not None and index == self._highlighted and index < len(self._ids):
            self._reveal(index)

    def _item_region(self, index: int) -> Region:
        """Item `index`'s lines in the scrolling container's coordinates; the first item's
        include the titles above it, which come into view with it."""
        line = self.virtual_region.y + self._at[index]
        top = line - self._at[0] if index == 0 else line
        return Region(0, top, self.size.width, line - top + self._span[index])

    def action_page(self, direction: int) -> None:
        """Move the highlight by the height of the scrolling container (in lines), to the
        item on or nearest that line."""
        if not self._ids:
            return
        parent = self.parent
        page = (
            max(1, parent.scrollable_content_region.height - 1)
            if isinstance(parent, Widget)
            else 10
        )
        at = self._at[self._highlighted or 0] + direction * page
        after = bisect_left(self._at, at)  # the first item on or below that line
        if after == len(self._at) or (after and at - self._at[after - 1] < self._at[after] - at):
            after -= 1
        self.highlighted = after
