"""Whole-table row counts, soft-deleted rows included: is this database new?

Free of the domain models (no pydantic), so the CLI can ask before the app starts without
slowing the first frame.
"""

from __future__ import annotations

from microcare_tui.store.db import Store


def count_rows(store: Store, table: str) -> int:
    """Every row of `table`, deleted or not (`table` is a schema name, never user input)."""
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    return int(store.scalar(f"SELECT COUNT(*) FROM [{table}]") or 0)
