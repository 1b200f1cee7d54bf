"""Figures over the register for the home screen (counts the other repositories don't keep)."""

from __future__ import annotations

from datetime import date

from microcare_tui.store.db import Store
from microcare_tui.store.providers import STANDING_SQL


def good_standing_count(store: Store, today: date) -> int:
    """Providers on the register in good standing today."""
    return int(
        store.scalar(
            f"SELECT COUNT(*) FROM providers p WHERE p.deleted_at IS NULL "
            f"AND ({STANDING_SQL}) = 'good'",
            {"today": today.isoformat()},
        )
        or 0
    )
