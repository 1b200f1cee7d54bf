"""The header's status line: who is working, and how much is waiting to be exported.

Its own small module: the app reads it before its first frame, and the home screen's
figures (services/dashboard.py) import the enquiry and provider queries it does not need."""

from __future__ import annotations

from typing import NamedTuple

from microcare_tui.store import reference
from microcare_tui.store.db import Store


class Status(NamedTuple):
    """The header's line: who is working, and how much is waiting to be exported."""

    worker: str  # '' until the first run records it
    unexported_changes: int


def load_status(db: Store) -> Status:
    """The worker's name and the changes not yet in an export bundle."""
    return Status(
        worker=str(reference.get_setting(db, "worker_name") or ""),
        unexported_changes=db.unexported_changes(),
    )
