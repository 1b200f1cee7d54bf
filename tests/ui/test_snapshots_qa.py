"""SVG snapshots of the QA checklist and the concern form at 80x24 and 120x40, opened from a
provider's record (q and k). Update deliberately after reading the report:
pytest --snapshot-update tests/ui/test_snapshots_qa.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcare_tui.services.database import open_database
from microcare_tui.ui.app import MicrocareApp
from tests.conftest import TODAY
from tests.ui.test_qa_check import seed_checked_provider
from tests.ui.test_snapshots_screens import SIZES, shows, still_screens  # noqa: F401


def seeded(db_path: Path) -> MicrocareApp:
    store = open_database(db_path, worker="Sam Tester")
    try:
        seed_checked_provider(store)
    finally:
        store.close()
    return MicrocareApp(db_path=db_path, today=TODAY)


@pytest.mark.parametrize("size", SIZES)
def test_qa_checklist(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    # x on the first line: a mandatory line not met; the advice says what the checklist allows.
    keys = ("3", "enter", "q", "q", "x", "tab", "a")
    assert snap_compare(seeded(db_path), terminal_size=size, run_before=shows(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_concern_form(snap_compare: Any, db_path: Path, size: tuple[int, int]) -> None:
    keys = ("3", "enter", "k", "k", "s")
    assert snap_compare(seeded(db_path), terminal_size=size, run_before=shows(*keys))
