"""The demo database service: made once (never half-made), reused after, and cheap to ask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.services.database import initialise, open_database
from microcare_tui.services.demo import (
    create_demo_database,
    discard_database,
    discard_stale_partials,
    ensure_demo_database,
    has_demo_data,
)


def _device_and_providers(path: Path) -> tuple[str, int]:
    store = open_database(path)
    try:
        return store.device_id, int(store.scalar("SELECT COUNT(*) FROM providers"))
    finally:
        store.close()


def test_made_on_first_use_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    assert not has_demo_data(path)
    assert not path.exists()  # asking does not create a database
    seen: list[tuple[str, int, int]] = []
    assert ensure_demo_database(path, progress=lambda *a: seen.append(a)) == path
    assert has_demo_data(path)
    assert ("providers", 60, 60) in seen
    device, providers = _device_and_providers(path)
    assert providers == 60
    # Only the finished database is left: no partial file, no side files of it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]

    seen.clear()
    assert ensure_demo_database(path, progress=lambda *a: seen.append(a)) == path
    assert seen == []  # not made again
    assert _device_and_providers(path) == (device, providers)


def test_an_empty_database_is_replaced_by_a_demo(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    store = open_database(path, worker="Sam Tester")
    initialise(store, "Sam Tester", "Test Council")
    store.close()
    assert not has_demo_data(path)
    (tmp_path / "demo.db.partial").write_text("left by an interrupted run")
    create_demo_database(path, seed=2)
    assert has_demo_data(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_discard_removes_the_side_files(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    for name in ("old.db", "old.db-wal", "old.db-shm", "other.db"):
        (tmp_path / name).write_text("x")
    discard_database(path)
    discard_database(path)  # nothing there: no error
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]


def test_asking_for_the_demo_does_not_load_the_generator() -> None:
    """`microcare --demo` on an existing demo starts without the generator (or pydantic)."""
    code = (
        "import sys, microcare_tui.services.demo; "
        "print(sorted(m for m in ('microcare_tui.demo', 'pydantic', 'phonenumbers') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_failed_demo_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import microcare_tui.demo as demo_package

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseUnavailable("The disk is full: nothing was saved.")

    monkeypatch.setattr(demo_package, "generate_demo", broken)
    with pytest.raises(DatabaseUnavailable, match="disk is full"):
        create_demo_database(tmp_path / "demo.db")
    assert list(tmp_path.iterdir()) == []


def test_stale_partials_go_and_live_ones_stay(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is free now: a run killed mid-way
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        names = [
            f"demo.db.{dead.pid}.partial",
            f"demo.db.{dead.pid}.partial-wal",
            f"demo.db.{live.pid}.partial",
            "demo.db.partial",  # an older microcare's name
            "other.db.1.partial",  # not this database's
            "demo.db.notes.partial",  # not one of ours
        ]
        for name in names:
            (tmp_path / name).write_text("x")
        gone = discard_stale_partials(path)
        assert sorted(p.name for p in gone) == sorted(
            [f"demo.db.{dead.pid}.partial", "demo.db.partial"]
        )
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [f"demo.db.{live.pid}.partial", "other.db.1.partial", "demo.db.notes.partial"]
        )
    finally:
        live.kill()
        live.wait()


def test_discard_refuses_a_folder_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "d.db").mkdir()
    with pytest.raises(DatabaseUnavailable, match="is a folder"):
        discard_database(tmp_path / "d.db")
    assert (tmp_path / "d.db").is_dir()
