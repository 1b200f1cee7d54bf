"""The demo database for the app and the CLI: made once with the demo package, reused after.

A demo database is made under a temporary name (`demo.db.<pid>.partial`) and takes its real
name only when complete; a failed or interrupted run deletes its partial file, and one left
by a killed run (its process gone) is deleted by the next run. The generator is imported
only when a demo is made: `microcare --demo` on an existing demo starts without it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from microcare_tui.domain.errors import DatabaseUnavailable, MicrocareError
from microcare_tui.services.database import open_database
from microcare_tui.services.files import (
    discard_database,
    discard_stale_partials,
    file_error,
    is_new_file,
    start_partial,
)
from microcare_tui.store import health
from microcare_tui.store.counts import count_rows

if TYPE_CHECKING:
    from microcare_tui.demo import Progress

__all__ = [
    "create_demo_database",
    "discard_database",
    "discard_stale_partials",
    "ensure_demo_database",
    "has_demo_data",
]


def has_demo_data(path: Path) -> bool:
    """True if a database at `path` already holds providers (a finished demo). Only reads:
    a file that is not a database raises DatabaseUnavailable saying so."""
    if is_new_file(path):
        return False
    with health.open_readonly(path, glance=True) as store:
        if "providers" not in health.table_names(store):
            return False
        return bool(count_rows(store, "providers"))


def create_demo_database(
    path: Path, scale: str = "small", seed: int = 1, progress: Progress | None = None
) -> Path:
    """Make a demo database at `path`, replacing any file there once it is complete."""
    from microcare_tui.demo import DEMO_WORKER, generate_demo

    path = Path(path)
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder: give a file name for the demo database.")
    tmp = start_partial(path)
    try:
        store = open_database(tmp, worker=DEMO_WORKER)
        try:
            generate_demo(store, scale=scale, seed=seed, progress=progress)
            store.checkpoint()
        finally:
            store.close()
        # Only a complete demo database takes the real name.
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise file_error(exc, f"replace {path}") from None
    except BaseException:
        # Failed, interrupted or refused: no half-gigabyte leftover (a kill -9 is cleaned
        # by the next run, see discard_stale_partials).
        with contextlib.suppress(MicrocareError):
            discard_database(tmp)
        raise
    for side in ("-wal", "-shm"):
        Path(f"{tmp}{side}").unlink(missing_ok=True)
    return path


def ensure_demo_database(
    path: Path, scale: str = "small", seed: int = 1, progress: Progress | None = None
) -> Path:
    """The demo database at `path`, made on first use (reused after); returns its path."""
    discard_stale_partials(path)
    if not has_demo_data(path):
        create_demo_database(path, scale=scale, seed=seed, progress=progress)
    return path
