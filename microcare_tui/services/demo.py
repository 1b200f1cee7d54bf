"""The demo database for the app and the CLI: made once with the demo package, reused after.

A demo database is made under a temporary name and takes its real name only when complete,
so an interrupted run never leaves a half-made demo behind. The generator is imported only
when a demo is made: `microcare --demo` on an existing demo starts without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from microcare_tui.services.database import open_database
from microcare_tui.store.counts import count_rows

if TYPE_CHECKING:
    from microcare_tui.demo import Progress


def has_demo_data(path: Path) -> bool:
    """True if a database at `path` already holds providers (a finished demo)."""
    if not path.exists():
        return False
    store = open_database(path)
    try:
        return bool(count_rows(store, "providers"))
    finally:
        store.close()


def create_demo_database(
    path: Path, scale: str = "small", seed: int = 1, progress: Progress | None = None
) -> Path:
    """Make a demo database at `path`, replacing any file there once it is complete."""
    from microcare_tui.demo import DEMO_WORKER, generate_demo

    tmp = path.with_name(path.name + ".partial")
    discard_database(tmp)  # left by an interrupted run
    store = open_database(tmp, worker=DEMO_WORKER)
    try:
        generate_demo(store, scale=scale, seed=seed, progress=progress)
        store.checkpoint()
    finally:
        store.close()
    # Only a complete demo database takes the real name: an interrupted run leaves no half file.
    tmp.replace(path)
    for side in ("-wal", "-shm"):
        Path(f"{tmp}{side}").unlink(missing_ok=True)
    return path


def ensure_demo_database(
    path: Path, scale: str = "small", seed: int = 1, progress: Progress | None = None
) -> Path:
    """The demo database at `path`, made on first use (reused after); returns its path."""
    if not has_demo_data(path):
        create_demo_database(path, scale=scale, seed=seed, progress=progress)
    return path


def discard_database(path: Path) -> None:
    """Delete a database file and its WAL and shared-memory files, where they exist."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
