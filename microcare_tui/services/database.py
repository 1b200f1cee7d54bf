"""Opening, creating and checking a microcare database; the app's connections to it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from microcare_tui.domain.errors import DatabaseUnavailable, MicrocareError, ValidationFailed
from microcare_tui.services.files import (
    discard_database,
    file_error,
    is_new_file,
    make_folder,
    start_partial,
)
from microcare_tui.store import health
from microcare_tui.store.db import UI_BUSY_TIMEOUT_MS, Store
from microcare_tui.store.migrate import (
    latest_version,
    migrate,
    refuse_newer,
    schema_tables,
    schema_version,
)

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from microcare_tui.services.checks import CheckReport

T = TypeVar("T")

# How long closing waits for the reader thread to finish a read in flight and close its
# connection (a lookup takes milliseconds; the longest list read well under a second).
CLOSE_WAIT_S = 5.0

# The handle on an open database that screens and the CLI hold and pass back to services.
# They never call it: every read and write goes through a service function.
Database = Store


def open_database(path: Path, worker: str | None = None, create: bool = True) -> Store:
    """Open (creating and migrating if needed) the database at `path` for this thread.

    The worker name for change records comes from `worker`, else the stored setting. A file
    that is not a database, or one a newer microcare wrote, is refused before anything in it
    changes (setting WAL rewrites the header, so the version is read from the header first).
    """
    path = Path(path)
    if is_new_file(path):
        if not create:
            raise DatabaseUnavailable(
                f"There is no database at {path}. Run `microcare init` to create one."
            )
        make_folder(path)
    else:
        facts = health.inspect_file(path)
        if not facts.stale_version:
            refuse_newer(path, facts.user_version)
        if not os.access(path, os.W_OK):
            raise DatabaseUnavailable(
                f"The database {path} is read-only: check the file's permissions, or copy it."
            )
    # Imported here: `microcare search` opens a database read-only and never needs them.
    from microcare_tui.store import reference
    from microcare_tui.store.identity import ensure_identity

    store = Store(path, worker=worker or "unknown")
    try:
        health.probe(store)
        migrate(store)
        ensure_identity(store)  # a copied or restored file gets its own device id
        reference.seed_defaults(store)
        if worker is None:
            store.worker = str(reference.get_setting(store, "worker_name") or "unknown")
    except BaseException:
        store.close()
        raise
    return store


def open_readonly(path: Path) -> Store:
    """Open the database at `path` to read (`microcare search`): it must be a current
    microcare database; nothing is created, migrated or seeded, and nothing is written."""
    store = health.open_readonly(Path(path))
    try:
        version = schema_version(store)
        refuse_newer(store.path, version)
        if version == 0:
            raise DatabaseUnavailable(
                f"{store.path} is an SQLite file but not a microcare database."
            )
        newest = latest_version()
        if version < newest:
            raise DatabaseUnavailable(
                f"{store.path} was made by an older microcare (schema {version} of {newest}): "
                "open it once in the app (`microcare --db PATH`) to bring it up to date."
            )
        store.worker = "microcare (read only)"
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


@contextmanager
def reading(path: Path) -> Iterator[Database]:
    """`open_readonly` for the length of a `with` block (`microcare search`)."""
    store = open_readonly(path)
    try:
        yield store
    except DatabaseUnavailable:
        # A damaged file (a table dropped) shows as an error part-way through the read; the
        # tables are compared with the migrations' only then (reading every migration for
        # each `microcare search` cost it ~2 ms), so the message still names what is missing.
        refuse_missing_tables(store)
        raise
    finally:
        store.close()


def refuse_missing_tables(store: Store) -> None:
    """DatabaseUnavailable naming the tables a current database has and this one lacks."""
    missing = sorted(schema_tables() - health.table_names(store))
    if missing:
        raise DatabaseUnavailable(
            f"{store.path} is damaged: missing {', '.join(missing)}. Run `microcare check`."
        )


def is_first_run(store: Store) -> bool:
    """True until the worker's name has been recorded."""
    from microcare_tui.store import reference

    return not reference.get_setting(store, "worker_name")


def clean_name(value: str, field: str, required: bool = False, longest: int = 100) -> str:
    """A person's or team's name as typed, trimmed; ValidationFailed on `field` when it is
    missing (if `required`), too long, has control characters, or is not valid text (bytes
    a terminal sent in another encoding arrive as unpaired surrogates)."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationFailed({field: "Give a name"})
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationFailed(
            {field: "The name is not valid text (check the terminal's encoding is UTF-8)"}
        ) from None
    import unicodedata  # names are checked when saved, never by `microcare search`

    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValidationFailed({field: "The name has control characters in it"})
    if len(value) > longest:
        raise ValidationFailed({field: f"At most {longest} characters"})
    return value


def initialise(store: Store, worker: str, team: str) -> None:
    """Record who uses this database (first-run screen or `microcare init`, which checks
    the names with `clean_name` first)."""
    from microcare_tui.store import reference

    with store.transaction():
        store.worker = worker
        reference.set_setting(store, "worker_name", worker)
        reference.set_setting(store, "team_name", team)


class AlreadySetUp(MicrocareError):
    """`microcare init` on a database that already records its worker."""


def init_database(path: Path, worker: str, team: str = "") -> None:
    """`microcare init`: make a database (or finish one) for this worker and team.

    AlreadySetUp if a worker is recorded already; ValidationFailed on `worker` or `team`
    before anything is created. A new database is made under a temporary name and renamed
    when complete, so a failure leaves no file behind.
    """
    path = Path(path)
    if not is_new_file(path):
        with opened(path) as db:
            if not is_first_run(db):
                raise AlreadySetUp(f"{path} is already set up; nothing changed.")
    worker = clean_name(worker, "worker", required=True)
    team = clean_name(team, "team")
    if not is_new_file(path):
        with opened(path, worker=worker) as db:
            initialise(db, worker, team)
        return
    tmp = start_partial(path)
    try:
        with opened(tmp, worker=worker) as db:
            initialise(db, worker, team)
        os.replace(tmp, path)
    except OSError as exc:
        discard_database(tmp)
        raise file_error(exc, f"create {path}") from None
    except BaseException:
        discard_database(tmp)
        raise


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

    def __init__(self, path: Path, worker: str | None = None, ui: Database | None = None) -> None:
        """`ui`: a connection to `path` already opened by `open_database` on the thread that
        will use it (the command line opens the file before the app starts), kept as `ui`."""
        self.path = Path(path)
        self._worker = worker
        self._ui: Database | None = ui
        if ui is not None:
            ui.set_busy_timeout(UI_BUSY_TIMEOUT_MS)
        self._reader: Database | None = None  # touched only on the reader thread
        self._pool: ThreadPoolExecutor | None = None
        import threading  # here: `microcare search` opens a database without the app's threads

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
                # Imported here: `microcare search` and `check` open databases without it.
                from concurrent.futures import ThreadPoolExecutor

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
            from concurrent.futures import wait

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


def check_database(path: Path, full: bool = False) -> CheckReport:
    """`microcare check` (services.checks): what is wrong with the database at `path`."""
    from microcare_tui.services.checks import check_database as run_check

    return run_check(Path(path), full=full)
