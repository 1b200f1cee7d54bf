"""Opening, creating and checking a microcare database."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.migrate import latest_version, migrate, schema_version

# The handle on an open database that screens and the CLI hold and pass back to services.
# They never call it: every read and write goes through a service function.
Database = Store


def open_database(path: Path, worker: str | None = None, create: bool = True) -> Store:
    """Open (creating and migrating if needed) the database at `path` for this thread.

    The worker name for change records comes from `worker`, else the stored setting.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise DatabaseUnavailable(
                f"There is no database at {path}. Run `microcare init` to create one."
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Cannot create the folder {path.parent}: {exc.strerror}."
            ) from None
    elif path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder, not a database file.")
    elif not os.access(path, os.W_OK):
        raise DatabaseUnavailable(
            f"The database {path} is read-only: check the file's permissions, or copy it."
        )
    store = Store(path, worker=worker or "unknown")
    try:
        _check_is_sqlite(store)
        migrate(store)
        reference.seed_defaults(store)
        if worker is None:
            store.worker = str(reference.get_setting(store, "worker_name") or "unknown")
    except BaseException:
        store.close()
        raise
    return store


def open_for_thread(path: Path, worker: str) -> Store:
    """A connection for a worker thread on a database already opened once (no migration)."""
    return Store(path, worker=worker)


def _check_is_sqlite(store: Store) -> None:
    try:
        store.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        raise DatabaseUnavailable(
            f"{store.path} is not a microcare database (it is not an SQLite file)."
        ) from None


def is_first_run(store: Store) -> bool:
    """True until the worker's name has been recorded."""
    return not reference.get_setting(store, "worker_name")


def initialise(store: Store, worker: str, team: str) -> None:
    """Record who uses this database (first-run screen or `microcare init`)."""
    with store.transaction():
        store.worker = worker
        reference.set_setting(store, "worker_name", worker)
        reference.set_setting(store, "team_name", team)


@dataclass
class CheckReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)


def check_database(path: Path) -> CheckReport:
    """Integrity and schema check: SQLite's own check, schema version, FTS and change log."""
    report = CheckReport(ok=True)
    if not path.exists():
        return CheckReport(ok=False, problems=[f"There is no database at {path}."])
    try:
        store = Store(path, readonly=True)
    except DatabaseUnavailable as exc:
        return CheckReport(ok=False, problems=[exc.message])
    try:
        _check_is_sqlite(store)
        result = store.scalar("PRAGMA integrity_check")
        if result != "ok":
            report.problems.append(f"SQLite integrity check failed: {result}")
        version = schema_version(store)
        newest = latest_version()
        report.facts["schema_version"] = version
        if version > newest:
            report.problems.append(f"Schema {version} is newer than this microcare ({newest}).")
        elif version < newest:
            report.problems.append(
                f"Schema {version} is older than {newest}: open it once with microcare to upgrade."
            )
        if version:
            from microcare_tui.store.records import TABLES

            expected = {*TABLES.values(), "_change_log", "_device", "provider_fts", "enquiry_fts"}
            missing = sorted(expected - set(store.db.table_names()))
            if missing:
                report.problems.append(f"Missing tables: {', '.join(missing)}.")
                report.ok = False
                return report
            fk = store.query("PRAGMA foreign_key_check")
            if fk:
                report.problems.append(f"{len(fk)} broken references.")
            providers = store.scalar("SELECT COUNT(*) FROM providers WHERE deleted_at IS NULL")
            indexed = store.scalar(
                "SELECT COUNT(*) FROM provider_fts f JOIN providers p ON p.rowid = f.rowid"
                " WHERE p.deleted_at IS NULL"
            )
            report.facts["providers"] = providers
            report.facts["enquiries"] = store.scalar(
                "SELECT COUNT(*) FROM enquiries WHERE deleted_at IS NULL"
            )
            report.facts["changes"] = store.scalar("SELECT COUNT(*) FROM _change_log")
            if providers != indexed:
                report.problems.append(
                    f"Search index out of step: {indexed} indexed for {providers} providers."
                )
            enquiries = store.scalar("SELECT COUNT(*) FROM enquiries WHERE deleted_at IS NULL")
            enquiries_indexed = store.scalar(
                "SELECT COUNT(*) FROM enquiry_fts f JOIN enquiries e ON e.rowid = f.rowid"
                " WHERE e.deleted_at IS NULL"
            )
            if enquiries != enquiries_indexed:
                report.problems.append(
                    f"Enquiry search index out of step: {enquiries_indexed} indexed"
                    f" for {enquiries} enquiries."
                )
            unlogged = store.scalar(
                """SELECT COUNT(*) FROM providers p WHERE NOT EXISTS
                   (SELECT 1 FROM _change_log c WHERE c.tbl = 'providers' AND c.row_id = p.id)"""
            )
            if unlogged:
                report.problems.append(f"{unlogged} providers have no change-log entry.")
            if not store.scalar("SELECT COUNT(*) FROM _device"):
                report.problems.append("No device id recorded.")
    except DatabaseUnavailable as exc:
        report.problems.append(exc.message)
    finally:
        store.close()
    report.ok = not report.problems
    return report
