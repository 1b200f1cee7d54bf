"""The Providers list's columns, chosen per screen width: the essentials always, whole."""

from __future__ import annotations

from dataclasses import dataclass

from microcare_tui.services.providers import ProviderListRow


@dataclass(frozen=True)
class Column:
    """A column of the register: its narrowest width, how much of the spare room it takes
    (0: fixed), its widest, and the order it is dropped in when the screen is narrow."""

    name: str
    width: int
    grow: int = 0
    widest: int = 0
    drop: int = 0  # 0: always shown; otherwise kept in this order while there is room


# In display order. Name, standing, taking and phone are what a worker on the phone needs, so
# they always show; the fixed widths fit their longest words ('– not listed', '✓ yes',
# '01233 629000'), so they are never cut. Area, stage and services join as the room allows.
COLUMNS = [
    Column("Name", 19, grow=4, widest=40),
    Column("Stage", 10, drop=2),
    Column("Area", 10, grow=3, widest=22, drop=1),
    Column("Services", 13, grow=3, widest=60, drop=3),
    Column("Standing", 12),
    Column("Taking", 6),
    Column("Phone", 13),
]
CELL_PADDING = 2  # the table's padding, one cell each side of a column
SCREEN_MARGIN = 3  # the page's padding (1 each side) and the table's scrollbar


def column_widths(screen_width: int) -> dict[str, int]:
    """The columns shown at this width, with their widths, in display order: the essentials
    always, then area, stage and services while they fit; spare room widens name, area and
    services. At 80 columns: name, area, standing, taking, phone; from 100: every column."""
    room = screen_width - SCREEN_MARGIN
    shown = [c for c in COLUMNS if not c.drop]
    used = sum(c.width + CELL_PADDING for c in shown)
    for column in sorted((c for c in COLUMNS if c.drop), key=lambda c: c.drop):
        if used + column.width + CELL_PADDING <= room:
            shown.append(column)
            used += column.width + CELL_PADDING
    spare = max(0, room - used)
    weights = sum(c.grow for c in shown)
    widths = {
        c.name: min(c.widest, c.width + spare * c.grow // weights) if c.grow else c.width
        for c in shown
    }
    left = room - sum(w + CELL_PADDING for w in widths.values())
    for c in (c for c in shown if c.grow):  # what a capped column could not take
        extra = min(left, c.widest - widths[c.name])
        widths[c.name] += extra
        left -= extra
    return {c.name: widths[c.name] for c in COLUMNS if c.name in widths}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def row_cells(row: ProviderListRow, widths: dict[str, int]) -> list[str]:
    """A register row's cells for the columns shown, each cut to its column's width."""
    cells = {
        "Name": row.name,
        "Stage": row.stage_text,
        "Area": row.area or "-",
        "Services": ", ".join(row.services) or "-",
        "Standing": row.standing_text,
        "Taking": row.taking_text,
        "Phone": row.phone_text or "-",
    }
    return [_cut(cells[name], width) for name, width in widths.items()]
