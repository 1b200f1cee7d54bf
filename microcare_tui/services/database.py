"""Opening, creating and checking a microcare database; the app's connections to it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from microcare_tui.domain.errors import DatabaseUnavailable, MicrocareError, ValidationFailed
from microcare_tui.store import health, reference
from microcare_tui.store.db import UI_BUSY_TIMEOUT_MS, Store
from microcare_tui.store.migrate import latest_version, migrate, schema_version

T = TypeVar("T")

# How long closing waits for the reader thread to finish a read in flight and close its
# connection (a lookup takes milliseconds; the longest list read well under a second).
CLOSE_WAIT_S = 5.0

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
        health.assert_sqlite(store)
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


@contextmanager
def opened(path: Path, worker: str | None = None, create: bool = True) -> Iterator[Database]:
    """`open_database` for the length of a `with` block (the CLI's commands)."""
    store = open_database(path, worker=worker, create=create)
    try:
        yield store
    finally:
        store.close()


def is_first_run(store: Store) -> bool:
    """True until the worker's name has been recorded."""
    return not reference.get_setting(store, "worker_name")


def initialise(store: Store, worker: str, team: str) -> None:
    """Record who uses this database (first-run screen or `microcare init`)."""
    with store.transaction():
        store.worker = worker
        reference.set_setting(store, "worker_name", worker)
        reference.set_setting(store, "team_name", team)


class AlreadySetUp(MicrocareError):
    """`microcare init` on a database that already records its worker."""


def init_database(path: Path, worker: str, team: str = "") -> None:
    """`microcare init`: make a database (or finish one) for this worker and team.

    AlreadySetUp if a worker is recorded already; ValidationFailed on `worker` when no name
    is given, before anything is created.
    """
    path = Path(path)
    if path.exists():
        with opened(path) as db:
            if not is_first_run(db):
                raise AlreadySetUp(f"{path} is already set up; nothing changed.")
    if not worker.strip():
        raise ValidationFailed({"worker": "Give the worker's name"})
    with opened(path, worker=worker.strip()) as db:
        initialise(db, worker.strip(), team.strip())


# -- the app's connections ---------------------------------------------------------------


class Connections:
    """The app's connections to one database, owned by the app (as datasette's Database
    owns its write connection and thread-local readers).

    - `ui`: the UI thread's connection, for quick reads and single-form saves; opened (and
      the file created and migrated if need be) on first use, on the thread that uses it.
    - `read(fn)`: runs `fn(db)` on one reader thread with its own long-lived connection.
      Every lookup-style read (searches, lists, the dashboard) goes there, so the store's
      per-connection caches (the lookup's rank tables, its vocabulary) are built once rather
      than once per worker thread (~40 ms on the county demo, ~0.5 s at 10,000 providers).

    `close()` closes both, each on its own thread; reads asked for after that return None.
    """

    def __init__(self, path: Path, worker: str | None = None) -> None:
        self.path = Path(path)
        self._worker = worker
        self._ui: Database | None = None
        self._reader: Database | None = None  # touched only on the reader thread
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def ui(self) -> Database:
        """The UI thread's connection."""
        if self._closed:
            raise DatabaseUnavailable(f"The database {self.path} was closed.")
        if self._ui is None:
            # Opening (and migrating) waits the usual time; afterwards a save on the UI
            # thread fails fast as "busy, try again" rather than freezing the screen.
            self._ui = open_database(self.path, worker=self._worker)
            self._ui.set_busy_timeout(UI_BUSY_TIMEOUT_MS)
        return self._ui

    def read(
        self, fn: Callable[[Database], T], cancelled: Callable[[], bool] | None = None
    ) -> T | None:
        """Run `fn(db)` on the reader thread and wait for its result (call from a worker
        thread). None if `cancelled()` says so before its turn came (the worker typed on),
        or if the connections were closed meanwhile."""

        def run() -> T | None:
            if self._closed or (cancelled is not None and cancelled()):
                return None
            return fn(self._reader_db())

        with self._lock:
            if self._closed:
                return None
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="microcare-reader")
            future = self._pool.submit(run)
        return future.result()

    def _reader_db(self) -> Database:
        if self._reader is None:
            # The UI connection made and migrated the file; the reader only reads it.
            worker = self._ui.worker if self._ui is not None else (self._worker or "unknown")
            self._reader = open_for_thread(self.path, worker)
        return self._reader

    def close(self) -> None:
        """Close both connections (each on the thread that made it); idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            closed = pool.submit(self._close_reader)  # after any read already queued
            pool.shutdown(wait=False)
            wait([closed], timeout=CLOSE_WAIT_S)  # a read in flight finishes first
        if self._ui is not None:
            self._ui.close()
            self._ui = None

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None


# -- checking ----------------------------------------------------------------------------


@dataclass
class CheckReport:
    """What `microcare check` found: facts to print, and problems (none when ok)."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)


def check_database(path: Path) -> CheckReport:
    """Integrity and schema check: SQLite's own check, schema version, FTS and change log."""
    if not path.exists():
        return CheckReport(ok=False, problems=[f"There is no database at {path}."])
    try:
        store = Store(path, readonly=True)
    except DatabaseUnavailable as exc:
        return CheckReport(ok=False, problems=[exc.message])
    report = CheckReport(ok=True)
    try:
        health.assert_sqlite(store)
        _check_integrity_and_schema(store, report)
        if report.facts["schema_version"]:
            _check_contents(store, report)
    except DatabaseUnavailable as exc:
        report.problems.append(exc.message)
    finally:
        store.close()
    report.ok = not report.problems
    return report


def _check_integrity_and_schema(store: Store, report: CheckReport) -> None:
    result = health.integrity(store)
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


def _check_contents(store: Store, report: CheckReport) -> None:
    missing = sorted(health.expected_tables() - health.table_names(store))
    if missing:
        report.problems.append(f"Missing tables: {', '.join(missing)}.")
        return
    broken = health.broken_references(store)
    if broken:
        report.problems.append(f"{broken} broken references.")
    c = health.coverage(store)
    report.facts["providers"] = c.providers
    report.facts["enquiries"] = c.enquiries
    report.facts["changes"] = c.changes
    if c.providers != c.providers_indexed:
        report.problems.append(
            f"Search index out of step: {c.providers_indexed} indexed for {c.providers} providers."
        )
    if c.enquiries != c.enquiries_indexed:
        report.problems.append(
            f"Enquiry search index out of step: {c.enquiries_indexed} indexed"
            f" for {c.enquiries} enquiries."
        )
    if c.providers_unlogged:
        report.problems.append(f"{c.providers_unlogged} providers have no change-log entry.")
    if not c.devices:
        report.problems.append("No device id recorded.")
