"""`microcare check`: is this database whole, and may microcare trust what is in it?

Read only: the file is inspected before SQLite opens it, then read through read-only
connections; nothing is created, migrated or written. Each kind of fault has its own
message, so a person (or a script grepping stderr) can tell a cut-off copy from a busy file
from a search index out of step.

Two depths (issue 8: the default <= 1 s on the county demo):
- the default reads what microcare relies on: the file's header, the schema version and
  tables, the references between records, the search indexes and the change log. Every
  table and index those reads walk is read through SQLite, so a damaged page among them is
  reported too; pages no check touches are not read.
- `full` adds SQLite's own integrity_check: every page and record of the file, and every
  index matched to its table (~1.5-2.5 s of CPU on the county demo). It runs on a second
  thread (sqlite3 releases the GIL while a query runs) beside microcare's own checks.
The own checks use counts and index seeks, probing row by row only where counts disagree.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.store import health
from microcare_tui.store.db import Store
from microcare_tui.store.migrate import latest_version, schema_tables, schema_version


@dataclass
class CheckReport:
    """What `microcare check` found: facts to print, and problems (none when ok)."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)


def check_database(path: Path, full: bool = False) -> CheckReport:
    """The schema version, the tables, references, search indexes and change log; `full`
    adds SQLite's integrity_check of every page (see the module's docstring)."""
    report = CheckReport(ok=True)
    try:
        store = health.open_readonly(path)
    except MicrocareError as exc:
        return CheckReport(ok=False, problems=[exc.message])
    try:
        version = schema_version(store)
        report.facts["schema_version"] = version
        problem = _version_problem(store, version)
        if problem is not None:
            report.problems += _sqlite_check(path) if full else []
            report.problems.append(problem)
        else:
            contents = _checked(store, path, full)
            report.problems += contents.problems
            report.facts.update(contents.facts)
    except MicrocareError as exc:
        report.problems.append(exc.message)
    finally:
        store.close()
    report.ok = not report.problems
    return report


def _checked(store: Store, path: Path, full: bool) -> _Found:
    """microcare's own checks, and with `full` SQLite's page check beside them."""
    if not full:
        found = _check_contents(store)
        found.facts["pages"] = "those the checks read (every page: --full)"
        return found
    with ThreadPoolExecutor(1, thread_name_prefix="microcare-check") as pool:
        pages = pool.submit(_sqlite_check, path)
        found = _check_contents(store)
        found.problems[:0] = pages.result()
    found.facts["pages"] = "every page (SQLite integrity_check)"
    return found


def _version_problem(store: Store, version: int) -> str | None:
    newest = latest_version()
    if version > newest:
        return f"Schema {version} is newer than this microcare ({newest}): update microcare."
    if version == 0:
        return f"{store.path} is an SQLite file but not a microcare database (no schema)."
    if version < newest:
        return f"Schema {version} is older than {newest}: open it once with microcare to upgrade."
    return None


def _sqlite_check(path: Path) -> list[str]:
    """SQLite's page, record and index check, on its own connection (run on another thread)."""
    try:
        with health.open_readonly(path) as store:
            result = health.integrity(store)
    except MicrocareError as exc:
        return [exc.message]
    if result != "ok":
        return [f"SQLite integrity check failed: {result}"]
    return []


@dataclass
class _Found:
    problems: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)


def _check_contents(store: Store) -> _Found:
    found = _Found()
    missing = sorted(schema_tables() - health.table_names(store))
    if missing:
        found.problems.append(f"Missing tables: {', '.join(missing)}.")
        return found
    counts = {t: health.row_count(store, t) for t in health.LOGGED_TABLES}
    found.facts["providers"] = counts["providers"]
    found.facts["enquiries"] = counts["enquiries"]
    found.facts["changes"] = health.row_count(store, "_change_log")
    devices = health.device_count(store)
    if devices != 1:
        found.problems.append(
            "No device id recorded." if not devices else f"{devices} device ids (one expected)."
        )
    _references(store, found)
    for table in ("providers", "enquiries"):
        _index(store, table, found)
    _change_log(store, counts, found)
    return found


def _references(store: Store, found: _Found) -> None:
    for (table, column, parent), n in health.broken_references(store).items():
        found.problems.append(
            f"Broken references: {n:,} {table} name {_singular(parent)} that does not exist"
            f" ({table}.{column})."
        )


def _singular(table: str) -> str:
    word = {"enquiries": "enquiry", "areas": "area"}.get(table, table.removesuffix("s"))
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _index(store: Store, table: str, found: _Found) -> None:
    s = health.index_state(store, table)
    if s.missing:
        found.problems.append(
            f"Search index ({table}) is missing rows: {s.missing:,} of {s.live:,} {table}"
            " are not in it (searches cannot find them)."
        )
    if s.ghost:
        found.problems.append(
            f"Search index ({table}) has ghost rows: {s.ghost:,} index rows for {table} that"
            " do not exist or were withdrawn (searches would offer them)."
        )
    if s.stale:
        found.problems.append(
            f"Search index ({table}) has stale rows: {s.stale:,} index rows no longer match"
            f" their {table} (renamed or edited since)."
        )


def _change_log(store: Store, counts: dict[str, int], found: _Found) -> None:
    for origin, missing in health.change_log_gaps(store).items():
        found.problems.append(
            f"Change-log gap: {missing:,} changes missing from device {origin}'s sequence"
            " (sync would lose them)."
        )
    logged = health.logged_ids(store)
    for table in health.LOGGED_TABLES:
        # Fast path: as many distinct logged ids as rows means every row is logged, unless
        # a row was also deleted outside microcare; only a mismatch is probed row by row.
        if logged.get(table, 0) == counts[table]:
            continue
        unlogged = health.unlogged_rows(store, table)
        if unlogged:
            found.problems.append(
                f"Change log incomplete: {unlogged:,} {table} have no change-log entry"
                " (sync would never send them)."
            )
        orphaned = health.log_rows_without_row(store, table)
        if orphaned:
            found.problems.append(
                f"Change log names {orphaned:,} {table} that are not in the table"
                " (deleted outside microcare)."
            )
