"""SVG snapshots of the pipeline board and the visit form at 80x24 and 120x40 (fixed data and
today, pinned theme, no cursor blink). Update deliberately after reading the report:
pytest --snapshot-update tests/ui/test_snapshots_pipeline.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcare_tui.services.database import open_database
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY
from tests.services.pipeline_helpers import seed_board
from tests.ui.test_snapshots_screens import SIZES, shows, still_screens  # noqa: F401


def _seeded(db_path: Path) -> dict[str, str]:
    store = open_database(db_path, worker="Sam Tester")
    ids = seed_board(store)
    store.close()
    return ids


@pytest.mark.parametrize("size", SIZES)
def test_pipeline_board(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    _seeded(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("4", "right", "right"))


@pytest.mark.parametrize("size", SIZES)
def test_visit_form(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    _seeded(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("4", "right", "right", "v"))
