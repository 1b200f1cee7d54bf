"""A pipeline board's column: one stage, a page of cards, its counts on the border.

The column draws its cards itself (Textual's line API): it was an OptionList, which renders
every option it holds to measure it, again for each width and style, and lays the screen out
when its scroll bar is restyled (each focus change). Here a line is drawn only when it shows
and changed: a new board draws the lines in view (~35 a column), moving the highlight two
cards. No scroll bar: the highlighted card is kept in view, the border says which cards of
the stage the page holds.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from microcare_tui.domain.labels import count_text
from microcare_tui.services.pipeline import Card, Column
from microcare_tui.ui.widgets.item_cursor import ItemCursor

PAGE = 10  # cards on a column's page (pageup/pagedown for the next): a screenful
RULE = -1  # the line after a card: a rule between it and the next


def card_lines(card: Card, width: int) -> list[Content]:
    """A card in three lines: name; area and lead worker; days in stage; and a fourth when
    stalled (in words, with a mark, never colour alone)."""
    room = max(8, width - 3)  # the column's two borders and a space

    def fit(text: str) -> str:
        return text if len(text) <= room else text[: room - 1] + "…"

    where = " · ".join(x for x in (card.area, card.lead_worker) if x) or "-"
    lines = [Content.styled(fit(card.name), "bold"), Content(fit(where)),
             Content(fit(card.days_text))]  # fmt: skip
    if card.stalled_text:
        stalled = f"! {card.stalled_text}"
        if len(stalled) > room:  # a narrow column: the number must show whole
            stalled = f"! stalled {card.stalled_days}d"
        lines.append(Content.styled(fit(stalled), "bold $warning"))
    return lines


def card_height(card: Card) -> int:
    """How many lines the card takes (card_lines, without drawing them)."""
    return 4 if card.stalled_text else 3


class StageColumn(ItemCursor, Widget, can_focus=True):
    """One stage: its name on the border, a page of cards, the counts and page below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stage-column--card",
        "stage-column--highlighted",
        "stage-column--rule",
        "stage-column--none",
    }
    # The cards look as the OptionList's options did.
    DEFAULT_CSS = """
    StageColumn {
        width: 26; height: 1fr; padding: 0; margin: 0; overflow: hidden;
        color: $foreground;
        border: round $panel; border-title-style: bold; border-title-color: $text;
        border-subtitle-color: $text-muted; background: $surface 0%;
        & > .stage-column--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .stage-column--rule { color: $foreground 15%; }
        & > .stage-column--none { color: $text-disabled; }
        &:focus {
            border: round $accent; background: $surface 0%; background-tint: $foreground 5%;
            & > .stage-column--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
        Binding("left", "screen.column(-1)", "Column left", show=False),
        Binding("right", "screen.column(1)", "Column right", show=False),
        Binding("pagedown", "screen.page(1)", "Next page", show=False),
        Binding("pageup", "screen.page(-1)", "Previous page", show=False),
    ]

    class Selected(Message):
        """Enter (or a click on the highlighted card): open the card's provider."""

        def __init__(self, column: StageColumn, index: int, row_id: str) -> None:
            super().__init__()
            self.column = column
            self.index = index
            self.row_id = row_id

        @property
        def control(self) -> StageColumn:
            return self.column

    def __init__(self, code: str) -> None:
        super().__init__(id=f"column-{code}")
        self.code = code
        self.offset_cards = 0  # the page's first card, in the stage
        self.column: Column | None = None
        self.page: list[Card] = []  # the cards shown
        self._ids: list[str] = []
        self._highlighted: int | None = None
        self._starts: list[int] = []  # each card's first line
        self._line_of: list[tuple[int, int]] = []  # line -> (card, its line or RULE)
        self._drawn: dict[int, list[Content]] = {}  # card -> its lines, at _width
        self._width = 0  # the column's width the cards were fitted to
        self._top = 0  # the first line in view
        self._borders: tuple[str, str] | None = None  # the title and subtitle set

    # -- what the board uses -------------------------------------------------------------
    @property
    def highlighted(self) -> int | None:
        """The highlighted card's index on the page, or None when the page has none."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.page) - 1)) if self.page else None
        if index == self._highlighted:
            return
        old, self._highlighted = self._highlighted, index
        if not self._in_view():
            for card in (old, index):
                if card is not None:
                    self._refresh_card(card)

    def highlighted_id(self) -> str | None:
        """The highlighted card's provider id, if any."""
        return None if self._highlighted is None else self._ids[self._highlighted]

    def show(self, column: Column, width: int, keep: str | None = None) -> None:
        """Put a page of the column's cards in it (keeping `keep`, else the card highlighted
        before, highlighted); drawn again only if what it shows changed."""
        cards = column.cards
        if keep is not None:
            ids = [c.id for c in cards]
            if keep in ids:
                self.offset_cards = ids.index(keep) // PAGE * PAGE
        self.offset_cards = max(0, min(self.offset_cards, (len(cards) - 1) // PAGE * PAGE))
        page = cards[self.offset_cards : self.offset_cards + PAGE]
        target = keep or self.highlighted_id()
        self.column = column
        counts = count_text(len(cards)) + (f" · {column.stalled} stalled" if column.stalled else "")
        if len(cards) > PAGE:
            last = min(len(cards), self.offset_cards + PAGE)
            counts = f"{self.offset_cards + 1}-{last}/{counts}"
        if (column.label, counts) != self._borders:  # setting either draws the column again
            self._borders = (column.label, counts)
            self.border_title, self.border_subtitle = column.label, counts
        ids = [c.id for c in page]
        index = ids.index(target) if target in ids else (0 if ids else None)
        if page == self.page and width == self._width:
            self.highlighted = index  # the same cards: only the highlight may move
            return
        self.page, self._ids, self._width, self._drawn = page, ids, width, {}
        self._lay_lines()
        self._highlighted, self._top = index, 0
        self._in_view()
        self.refresh()

    def _lay_lines(self) -> None:
        """Which card (and which of its lines, or the rule after it) is on each line."""
        self._starts, self._line_of = [], []
        for index, card in enumerate(self.page):
            if index:
                self._line_of.append((index - 1, RULE))
            self._starts.append(len(self._line_of))
            self._line_of.extend((index, n) for n in range(card_height(card)))

    def _in_view(self) -> bool:
        """Scroll so the highlighted card shows whole (its top if taller than the column);
        True if the lines in view moved (the column is then drawn again)."""
        index, height = self._highlighted, self.size.height
        if index is None or not height:
            return False
        start = self._starts[index]
        end = start + card_height(self.page[index])
        top = self._top
        if start < top:
            top = start
        elif end > top + height:
            top = min(start, end - height)
        if top == self._top:
            return False
        self._top = top
        self.refresh()
        return True

    def _refresh_card(self, index: int) -> None:
        start = self._starts[index] - self._top
        self.refresh(Region(0, start, self.size.width, card_height(self.page[index])))

    # -- drawing -----------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._in_view()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        line = self._top + y
        if not self.page:
            style = self.get_visual_style("stage-column--card", "stage-column--none")
            return self._strip(Content("(none)") if line == 0 else Content(""), style, width)
        if line >= len(self._line_of):
            return Strip.blank(width, self.get_visual_style("stage-column--card").rich_style)
        index, offset = self._line_of[line]
        if offset == RULE:
            style = self.get_visual_style("stage-column--rule")
            return self._strip(Content("─" * width), style, width)
        if index == self._highlighted:
            style = self.get_visual_style("stage-column--card", "stage-column--highlighted")
        else:
            style = self.get_visual_style("stage-column--card")
        drawn = self._drawn.get(index)
        if drawn is None:
            drawn = self._drawn[index] = card_lines(self.page[index], self._width)
        return self._strip(drawn[offset], style, width)

    def _strip(self, content: Content, style: object, width: int) -> Strip:
        strips = Visual.to_strips(self, content, width, 1, style)  # type: ignore[arg-type]
        strip = strips[0] if strips else Strip.blank(width)
        return strip.crop(0, width).extend_cell_length(width, style.rich_style)  # type: ignore[attr-defined]

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= self._top + offset.y < len(self._line_of):
            return
        index = self._line_of[self._top + offset.y][0]
        if index == self._highlighted:
            self.action_select()
        self.highlighted = index
