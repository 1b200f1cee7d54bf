"""Shared fixtures. Tests never touch the user's real data folder or the network."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from microcare_tui.services.database import initialise, open_database
from microcare_tui.store.db import Store

TODAY = date(2026, 11, 22)  # a Sunday; fixed so dates in tests and snapshots never drift


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every data path at a temp folder; drop any developer overrides."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("MICROCARE_DATA_DIR", str(data))
    monkeypatch.delenv("MICROCARE_DB", raising=False)
    monkeypatch.delenv("MICROCARE_EXIT_ON_READY", raising=False)
    monkeypatch.setenv("MICROCARE_THEME", "textual-dark")
    monkeypatch.setenv("MICROCARE_PREPARE_AFTER_S", "off")  # no call screen composed mid-test
    monkeypatch.setenv("MICROCARE_MACHINE_ID", "test-machine")  # never the real config folder
    return data


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A new database, set up for worker 'Sam Tester'."""
    path = tmp_path / "test.db"
    store = open_database(path, worker="Sam Tester")
    initialise(store, "Sam Tester", "Test Council")
    store.close()
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_database(db_path, worker="Sam Tester")
    yield s
    s.close()
