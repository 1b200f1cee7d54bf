"""Laptops of one team for sync tests (the team key made directly: no scrypt per test)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from microcare_tui.domain.ids import new_id
from microcare_tui.services import providers as ps
from microcare_tui.services.database import initialise, open_database
from microcare_tui.services.team import join_team
from microcare_tui.store.db import Store

# Columns a merge may fill differently on each laptop (who saved last here, and when).
BOOKKEEPING = {"created_at", "updated_at", "created_by", "updated_by", "device_id", "row_version"}
USER_TABLES = ("providers", "enquiries", "signposts", "areas", "service_types", "settings")


def new_team(name: str = "Kent East") -> dict[str, str]:
    """A team as an enrolment file holds it."""
    from pyrage import x25519

    ident = x25519.Identity.generate()
    return {
        "team_id": new_id(),
        "name": name,
        "recipient": str(ident.to_public()),
        "secret_key": str(ident),
    }


def laptop(folder: Path, worker: str, team: dict[str, str] | None) -> Store:
    """A set-up database for `worker`, in `team` (None: in no team)."""
    store = open_database(folder / f"{worker.lower().replace(' ', '-')}.db", worker=worker)
    initialise(store, worker, "Kent")
    if team is not None:
        join_team(store, team)
    return store


def add_provider(store: Store, name: str, **values: Any) -> str:
    """A new provider; its id."""
    data: dict[str, Any] = {"name": name, "phone": "01233 629000", "postcode": "TN23 4AB"}
    return ps.save_provider(store, {**data, **values}).id


def register(store: Store, tables: tuple[str, ...] = USER_TABLES) -> dict[str, list[tuple]]:
    """The user data of `tables` (not bookkeeping), sorted: equal on laptops that agree."""
    out = {}
    for table in tables:
        rows = store.query(f"SELECT * FROM [{table}] ORDER BY id")
        out[table] = [
            tuple(sorted((k, v) for k, v in row.items() if k not in BOOKKEEPING)) for row in rows
        ]
    return out


def file_hash(store: Store) -> str:
    """Everything in the database (every table, bookkeeping too), as one hash."""
    digest = hashlib.sha256()
    for line in store.conn.iterdump():
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()
