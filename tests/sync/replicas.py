"""Laptops in one process for sync tests: temp database files, skewed clocks, exchanges."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from microcare_tui.domain import hlc
from microcare_tui.domain import models as m
from microcare_tui.services.database import initialise, open_database
from microcare_tui.store import providers, records
from microcare_tui.store.db import BOOKKEEPING, Store
from microcare_tui.store.identity import ensure_identity
from microcare_tui.sync.changes import (
    ApplyReport,
    Change,
    apply_changes,
    changes_not_in_json,
    local_vector,
    peer_vector,
    record_peer,
)

USER_TABLES = ("providers", "visits", "areas", "settings")
_real_wall = hlc.wall_ms_now
_skew = [0]  # ms added to the wall clock of whichever laptop is acting


def skewed_wall() -> int:
    """The wall clock as the acting laptop sees it."""
    return _real_wall() + _skew[0]


@cache
def template() -> Path:
    """A migrated, seeded database made once per run; laptops start as copies of it (each
    copy gets its own device id, as a copied file must)."""
    folder = Path(tempfile.mkdtemp(prefix="mc-sync-template-"))
    path = folder / "template.db"
    store = open_database(path, worker="Template")
    initialise(store, "Template", "Test Council")
    store.checkpoint()
    store.close()
    return path


class Laptop:
    """One replica: a database file, its own clock skew."""

    def __init__(self, path: Path, name: str, skew_ms: int = 0) -> None:
        self.path = path
        self.name = name
        self.skew_ms = skew_ms
        self.store = Store(path, worker=name)
        # Durability is not under test here: no fsync per commit (thousands of them).
        self.store.conn.execute("PRAGMA synchronous = OFF")
        ensure_identity(self.store)

    @classmethod
    def fresh(cls, folder: Path, name: str, skew_ms: int = 0) -> Laptop:
        path = folder / f"{name}.db"
        shutil.copyfile(template(), path)
        return cls(path, name, skew_ms)

    def copy_to(self, folder: Path, name: str) -> Laptop:
        """A copy of this laptop's file, opened as another laptop (a restore elsewhere)."""
        self.store.checkpoint()
        path = folder / f"{name}.db"
        shutil.copyfile(self.path, path)
        return Laptop(path, name, self.skew_ms)

    @contextmanager
    def acting(self) -> Iterator[Store]:
        _skew[0] = self.skew_ms
        try:
            yield self.store
        finally:
            _skew[0] = 0

    def close(self) -> None:
        self.store.close()

    # -- edits ---------------------------------------------------------------------------
    def write(self, table: str, row: dict[str, Any], resolves: str | None = None) -> str:
        with self.acting() as db, db.transaction():
            stored = db.write_row(table, row, resolves=resolves)
            if table == "providers":
                providers.index_providers(db, [records.row_to_model(m.Provider, stored)])
        return str(stored["id"])

    def live(self, table: str, row_id: str) -> dict[str, Any] | None:
        rows = self.store.query(f"SELECT * FROM [{table}] WHERE id = ?", (row_id,))
        return rows[0] if rows else None

    # -- sync ----------------------------------------------------------------------------
    def bundle_for(self, peer: Laptop) -> tuple[list[Change], dict[str, Any]]:
        """What this laptop would export for `peer` (from what it knows `peer` has), and
        its own vector (the bundle's acknowledgement)."""
        with self.acting() as db:
            known = peer_vector(db, peer.store.device_id)
            # As a bundle carries them: JSON lines, read back on the other side.
            lines = changes_not_in_json(db, known)
            return [Change.from_json(line) for line in lines], local_vector(db).to_json()

    def receive(
        self, sender_id: str, changes: list[Change], sender_vector: dict[str, Any]
    ) -> ApplyReport:
        from microcare_tui.sync.changes import VersionVector

        vector = VersionVector.from_json(sender_vector)
        with self.acting() as db, db.transaction():
            report = apply_changes(db, changes, vector)
            record_peer(db, sender_id, vector)
        return report


def exchange(src: Laptop, dst: Laptop, rnd: random.Random | None = None) -> ApplyReport:
    """src writes a bundle for dst; dst imports it (shuffled and with duplicates if `rnd`)."""
    changes, vector = src.bundle_for(dst)
    if rnd is not None and changes:
        changes = changes + rnd.sample(changes, k=rnd.randint(0, min(3, len(changes))))
        rnd.shuffle(changes)
    return dst.receive(src.store.device_id, changes, vector)


def sync_all(laptops: list[Laptop]) -> None:
    """Exchange until nothing new moves (every laptop then has every change)."""
    for _ in range(len(laptops) + 2):
        moved = 0
        for a in laptops:
            for b in laptops:
                if a is not b:
                    moved += exchange(a, b).new_changes
        if not moved:
            return
    raise AssertionError("changes still moving after a full exchange round")


# -- what must be equal --------------------------------------------------------------------
def content(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every user row of the tables the tests write, without per-laptop bookkeeping."""
    out = {}
    for table in USER_TABLES:
        rows = store.query(f"SELECT * FROM [{table}] ORDER BY id")
        out[table] = [{k: v for k, v in r.items() if k not in BOOKKEEPING} for r in rows]
    out["provider_fts"] = store.query(
        "SELECT provider_id, name, services, areas, extra FROM provider_fts ORDER BY provider_id"
    )
    return out


def effective_clocks(store: Store) -> dict[tuple[str, str, str], str]:
    """Which change wrote each field's value, per (table, row, field): the explicit clock, or
    the row's insert for a field that insert wrote."""
    out: dict[tuple[str, str, str], str] = {}
    stars: dict[tuple[str, str], str] = {}
    for tbl, row_id, field, h, origin, seq in store.conn.execute(
        "SELECT tbl, row_id, field, hlc, origin, seq FROM _field_clock"
    ):
        key = f"{h}|{origin}|{seq}"
        if field == "*":
            stars[(tbl, row_id)] = key
            fields = store.scalar(
                "SELECT fields FROM _change_log WHERE origin = ? AND seq = ?", (origin, seq)
            )
            for name in json.loads(fields):
                out.setdefault((tbl, row_id, name), key)
        else:
            out[(tbl, row_id, field)] = key
    return out


def conflict_state(store: Store) -> list[tuple[Any, ...]]:
    """The conflict queue as every laptop must have it."""
    return [
        (r["id"], r["tbl"], r["row_id"], r["field"], r["kind"], r["status"], r["sides"])
        for r in store.query("SELECT * FROM _sync_conflict ORDER BY id")
    ]


def log_keys(store: Store) -> set[tuple[str, int]]:
    """Every (origin, seq) in the log."""
    return {(o, s) for o, s in store.conn.execute("SELECT origin, seq FROM _change_log")}
