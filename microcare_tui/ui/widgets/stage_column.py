"""A pipeline board's column: one stage, a page of cards, its counts on the border."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from microcare_tui.domain.labels import count_text
from microcare_tui.services.pipeline import Card, Column

PAGE = 10  # cards bound to a column at a time (pageup/pagedown for more): a screenful


def card_text(card: Card, width: int) -> Content:
    """A card in three lines: name; area and lead worker; days in stage and stalled (in words,
    with a mark, never colour alone)."""
    room = max(8, width - 4)  # the column's two borders, its scroll bar and a space

    def fit(text: str) -> str:
        return text if len(text) <= room else text[: room - 1] + "…"

    where = " · ".join(x for x in (card.area, card.lead_worker) if x) or "-"
    parts: list[str | tuple[str, str]] = [
        (fit(card.name), "bold"),
        "\n" + fit(where),
        "\n" + fit(card.days_text),
    ]
    if card.stalled_text:
        stalled = f"! {card.stalled_text}"
        if len(stalled) > room:  # a narrow column: the number must show whole
            stalled = f"! stalled {card.stalled_days}d"
        parts.append(("\n" + fit(stalled), "bold $warning"))
    return Content.assemble(*parts)


class StageColumn(OptionList):
    """One stage: its name on the border, a page of cards, the counts and page below.

    One widget per column (not a title, a list and a footer): the board mounts a column per
    stage when it opens, and each widget mounted costs the UI thread its styling.
    """

    DEFAULT_CSS = """
    StageColumn {
        width: 26; height: 1fr; padding: 0; margin: 0;
        border: round $panel; border-title-style: bold; border-title-color: $text;
        border-subtitle-color: $text-muted; background: $surface 0%;
        scrollbar-size-vertical: 1; overflow-y: hidden;
    }
    StageColumn:focus { border: round $accent; background: $surface 0%; }
    """
    BINDINGS = [
        Binding("left", "screen.column(-1)", "Column left", show=False),
        Binding("right", "screen.column(1)", "Column right", show=False),
    ]

    def __init__(self, code: str) -> None:
        super().__init__(id=f"column-{code}")
        self.code = code
        self.offset_cards = 0
        self.column: Column | None = None

    @property
    def cards(self) -> StageColumn:
        """The list of cards (the column itself)."""
        return self

    def show(self, column: Column, width: int, keep: str | None = None) -> None:
        """Put a page of the column's cards in the list (keeping `keep` highlighted)."""
        self.column = column
        cards = column.cards
        if keep is not None:
            ids = [c.id for c in cards]
            if keep in ids:
                self.offset_cards = ids.index(keep) // PAGE * PAGE
        self.offset_cards = max(0, min(self.offset_cards, (len(cards) - 1) // PAGE * PAGE))
        page = cards[self.offset_cards : self.offset_cards + PAGE]
        highlighted = self.highlighted_id()
        self.clear_options()
        shown: list[Option | None] = []
        for card in page:
            shown.extend([Option(card_text(card, width), id=card.id), None])
        self.add_options(shown[:-1] or [Option("(none)", disabled=True)])
        target = keep or highlighted
        ids = [c.id for c in page]
        if target in ids:
            self.highlighted = ids.index(target)
        elif page:
            self.highlighted = 0
        self.border_title = column.label
        counts = count_text(len(cards)) + (f" · {column.stalled} stalled" if column.stalled else "")
        if len(cards) > PAGE:
            last = min(len(cards), self.offset_cards + PAGE)
            counts = f"{self.offset_cards + 1}-{last}/{counts}"
        self.border_subtitle = counts

    def highlighted_id(self) -> str | None:
        """The highlighted card's provider id, if any."""
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id
