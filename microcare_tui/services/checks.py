"""`microcare check`: is this database whole, and may microcare trust what is in it?

Read only: the file is inspected before SQLite opens it, then read through read-only
connections; nothing is created, migrated or written. Each kind of fault has its own
message, so a person (or a script grepping stderr) can tell a cut-off copy from a busy file
from a search index out of step.

Speed (issue 8: <= 1 s on the county demo): SQLite's page check runs on one thread while
microcare's own checks run on another (sqlite3 releases the GIL while a query runs), and
the own checks use counts and index seeks, probing row by row only where counts disagree.
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
    """SQLite's own check (`full`: the slower integrity_check that also matches indexes to
    tables), the schema version, the tables, references, search indexes and change log."""
    report = CheckReport(ok=True)
    try:
        store = health.open_readonly(path)
    except MicrocareError as exc:
        return CheckReport(ok=False, problems=[exc.message])
    try:
        version = schema_version(store)
        report.facts["schema_version"] = version
        problem = _version_problem(store, version)
        if problem is None:
            with ThreadPoolExecutor(1, thread_name_prefix="microcare-check") as pool:
                pages = pool.submit(_sqlite_check, path, full)
                contents = _check_contents(store)
                integrity = pages.result()
            report.problems += integrity
            report.problems += contents.problems
            report.facts.update(contents.facts)
        else:
            report.problems += _sqlite_check(path, full)
            report.problems.append(problem)
    except MicrocareError as exc:
        report.problems.append(exc.message)
    finally:
        store.close()
    report.ok = not report.problems
    return report


def _version_problem(store: Store, version: int) -> str | None:
    newest = latest_version()
    if version > newest:
        return f"Schema {version} is newer than this microcare ({newest}): update microcare."
    if version == 0:
        return f"{store.path} is an SQLite file but not a microcare database (no schema)."
    if version < newest:
        return f"Schema {version} is older than {newest}: open it once with microcare to upgrade."
    return None


def _sqlite_check(path: Path, full: bool) -> list[str]:
    """SQLite's page and record check, on its own connection (run on another thread)."""
    try:
        with health.open_readonly(path) as store:
            result = health.integrity(store, full=full)
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
