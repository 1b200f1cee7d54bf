"""What keeps the Pipeline board (4) and Training (5) cheap to open (issue 8), counted with
Textual's own work, not timed: the board mounts one widget per stage, never one per card, and
Training's table holds a page of rows, whatever the number of providers or sessions; shown
again with the data unchanged, neither reads its data again, mounts anything or draws a row
again. Timings are in bench/instant.py (screen_opens: "pipeline board", "training")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual._styles_cache import StylesCache
from textual.app import App
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from microcare_tui.services import pipeline as pipeline_service
from microcare_tui.services import training as training_service
from microcare_tui.services.database import open_database
from microcare_tui.store import reference
from microcare_tui.ui import screens
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.pipeline import PipelineScreen, StageColumn
from microcare_tui.ui.screens.training import TrainingScreen
from tests.conftest import TODAY
from tests.services.pipeline_helpers import seed_board
from tests.training_helpers import seed_training
from tests.ui.provider_helpers import at_rest, settle

SIZE = (120, 40)
MORE = 90  # providers added at the enquiry stage: nine pages of that column


class Work:
    """Widgets mounted and lines drawn (by widget class), layouts, and reads, as they happen."""

    def __init__(self) -> None:
        self.mounted: Counter[str] = Counter()
        self.lines: Counter[str] = Counter()
        self.layouts = 0
        self.reads: Counter[str] = Counter()

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    seen = Work()
    register, layout = App._register, Screen._refresh_layout
    render_lines, render_line = Widget.render_lines, StylesCache.render_line

    def counted_register(self: App[Any], parent: Any, *new: Any, **kwargs: Any) -> Any:
        seen.mounted.update(type(w).__name__ for w in new)
        return register(self, parent, *new, **kwargs)

    def counted_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        seen.layouts += 1
        layout(self, *args, **kwargs)

    def counted_render_lines(self: Widget, crop: Region) -> Any:
        self._styles_cache._counted_for = type(self).__name__  # type: ignore[attr-defined]
        return render_lines(self, crop)

    def counted_line(self: StylesCache, *args: Any, **kwargs: Any) -> Any:
        seen.lines[getattr(self, "_counted_for", "?")] += 1
        return render_line(self, *args, **kwargs)

    def counting(module: Any, name: str) -> None:
        original = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            seen.reads[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    monkeypatch.setattr(App, "_register", counted_register)
    monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
    monkeypatch.setattr(Widget, "render_lines", counted_render_lines)
    monkeypatch.setattr(StylesCache, "render_line", counted_line)
    counting(pipeline_service, "_read_board")
    counting(training_service, "_read_overview")
    yield seen


def _seed(db_path: Path) -> None:
    store = open_database(db_path, worker="Sam Tester")
    try:
        seed_board(store)
        seed_training(store)
        ashford = next(a.id for a in reference.areas(store) if a.name == "Ashford")
        with store.transaction():
            for n in range(MORE):
                store.write_row(
                    "providers",
                    {"name": f"Provider {n:03}", "stage": "enquiry", "area_id": ashford,
                     "lead_worker": "Sam Tester", "stage_changed_on": "2026-11-01"},
                )  # fmt: skip
    finally:
        store.close()


async def test_the_board_mounts_a_column_per_stage_and_shows_again_without_drawing(
    db_path: Path, work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screens.training, "PAGE_ROWS", 1)  # two sessions: two pages
    _seed(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        work.clear()
        await pilot.press("4")
        await settle(app, pilot)
        await at_rest(app, pilot)  # the board's data painted
        board = app.screen
        assert isinstance(board, PipelineScreen) and board.board is not None
        columns = list(board.query(StageColumn))
        assert board.board.total == 9 + 2 + MORE  # seed_board's, seed_training's, MORE
        # A widget per stage shown, none per card: everything the board mounted (header,
        # footer and its keys included) is fewer than the cards of one column.
        assert work.mounted["StageColumn"] == len(columns) == 7
        assert sum(work.mounted.values()) < MORE, work.mounted
        enquiry = board.query_one("#column-enquiry", StageColumn)
        assert len(enquiry.page) == 10  # a page of cards
        assert enquiry.column is not None and len(enquiry.column.cards) > MORE
        assert enquiry.border_subtitle == f"1-10/{len(enquiry.column.cards)}"
        assert work.reads["_read_board"] == 1
        assert work.lines["StageColumn"] > 0  # drawn (what the count below would see)
        assert app.focused is enquiry
        await pilot.press("pagedown")  # the column's next page (the column's own key)
        await settle(app, pilot)
        assert enquiry.border_subtitle == f"11-20/{len(enquiry.column.cards)}"
        assert enquiry.highlighted_id() == enquiry.column.cards[10].id

        await pilot.press("1")
        await settle(app, pilot)
        work.clear()
        await pilot.press("4")  # shown again, nothing changed: nothing read, mounted or drawn
        await settle(app, pilot)
        assert app.screen is board
        assert work.reads["_read_board"] == 0
        assert not work.mounted
        assert work.lines["StageColumn"] == 0
        assert work.layouts <= 1  # Textual lays out a screen it switches to, once

        work.clear()
        await pilot.press("5")
        await settle(app, pilot)
        training = app.screen
        assert isinstance(training, TrainingScreen)
        # Its footer's keys are made once: the table taking the focus does not change them.
        assert work.mounted["FooterKey"] == len(training.query(FooterKey)) > 0
        table = training.query_one("#training-table", DataTable)
        assert table.row_count == 1  # a page (of one row, here)
        title = str(training.query_one("#training-title", Static).render())
        assert title == "Training · Sessions · 1-1 of 2 (PgUp/PgDn)"
        assert work.reads["_read_overview"] == 1
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert training.page == 1 and str(table.get_row_at(0)[0]) == "Fri 20/11/2026 10:00"
        await pilot.press("pagedown")  # the last page already: it stays
        await settle(app, pilot)
        assert training.page == 1
        await pilot.press("4", "5")
        await settle(app, pilot)
        work.clear()
        await pilot.press("4", "5")
        await settle(app, pilot)
        assert app.screen is training and training.page == 1
        assert work.reads == Counter()  # neither section read its data again
        assert work.lines["TrainingTable"] == 0 and work.lines["StageColumn"] == 0
        assert not work.mounted
