"""SVG snapshots of the Quality section and the record's evidence part at 80x24 and 120x40
(fixed data, fixed today). Update deliberately after reading the report:
pytest --snapshot-update tests/ui/test_snapshots_quality.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from microcare_tui.services.database import open_database
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY
from tests.ui.test_quality import _lapsed_provider
from tests.ui.test_snapshots_screens import SIZES, shows


@pytest.fixture(autouse=True)
def still_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def _seed(db_path: Path) -> None:
    store = open_database(db_path, worker="Sam Tester")
    _lapsed_provider(store)
    store.close()


@pytest.mark.parametrize("size", SIZES)
def test_quality_section(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    _seed(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("6"))


@pytest.mark.parametrize("size", SIZES)
def test_record_evidence_part(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    _seed(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("6", "enter", "x"))


@pytest.mark.parametrize("size", SIZES)
def test_record_why(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    _seed(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    assert snap_compare(app, terminal_size=size, run_before=shows("6", "enter", "s"))
