"""PlainTable draws exactly what DataTable draws (each cell's characters and their styles),
cut, padded, wide characters, zebra stripes and the cursor row included, without Rich's
layout for plain one-line text; anything else is left to DataTable."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import DataTable

from microcare_tui.ui.widgets.plain_table import PlainTable

ROWS = [
    ("Mon 30/11/2026 10:00", "Safeguarding adults (level 2)", "7/14"),
    ("café £5 · 日本語の研修", "x", ""),
    ("[b]markup[/b]", "two", "! full"),  # markup: DataTable draws it
]


class Both(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable(id="rich", cursor_type="row", zebra_stripes=True)
        yield PlainTable(id="plain", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            for heading, width in (("When", 12), ("Course", 10), ("Places", 6)):
                table.add_column(heading, width=width)
            for n, row in enumerate(ROWS):
                table.add_row(*row, key=str(n))
            table.move_cursor(row=1)


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    return [(ch, seg.style) for seg in strip if not seg.control for ch in seg.text]


async def test_plain_cells_draw_as_datatable_draws_them() -> None:
    app = Both()
    async with app.run_test(size=(60, 12)) as pilot:
        rich, plain = app.query_one("#rich", DataTable), app.query_one("#plain", PlainTable)

        async def drawn(table: DataTable[str]) -> list[list[tuple[str, Style | None]]]:
            table.focus()  # each as it looks focused
            await pilot.pause()
            return [cells(table.render_line(y)) for y in range(len(ROWS) + 1)]

        lines = await drawn(plain)
        assert lines == await drawn(rich)
        assert "".join(ch for ch, _ in lines[1]).startswith(" Mon 30/11/20  Safeguardi ")
        assert plain._plain_cell(1, 1) is not None  # drawn here...
        assert plain._plain_cell(2, 0) is None  # ...markup by DataTable
        for table in (plain, rich):  # the cursor row's style moves with it
            table.move_cursor(row=2)
        assert await drawn(plain) == await drawn(rich)
