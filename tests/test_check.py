"""`microcare check`, through the real entry point: each fault its own message and a
non-zero exit; a healthy database (read-only or not) passes; nothing is written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcare_tui.services.demo import create_demo_database
from tests.test_cli_errors import digest, unwritable


def check(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "microcare_tui", "check", "--db", str(db), *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_database(path)
    return path


@pytest.fixture
def db(tmp_path: Path, demo_file: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    return path


def damage(db: Path, *statements: str) -> None:
    """Change the file behind microcare's back, as another program or a bad copy would."""
    conn = sqlite3.connect(db)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


FIRST = "(SELECT MIN(rowid) FROM {})"


def _copy_row(table: str, new_id: str) -> tuple[str, ...]:
    """A row added without the change log (and without a search-index row)."""
    return (
        f"CREATE TEMP TABLE t AS SELECT * FROM {table} WHERE rowid = {FIRST.format(table)}",
        f"UPDATE t SET id = '{new_id}'",
        f"INSERT INTO {table} SELECT * FROM t",
    )


FAULTS = {
    "ghost provider index row (withdrawn outside microcare)": (
        (
            "UPDATE providers SET deleted_at = '2026-01-01'"
            f" WHERE rowid = {FIRST.format('providers')}",
        ),
        "Search index (providers) has ghost rows: 1 ",
    ),
    "ghost enquiry index row (no such enquiry)": (
        (
            "INSERT INTO enquiry_fts (rowid, enquiry_id, caller, summary, needs)"
            " VALUES (99999999, 'gone', 'Ghost Caller', '', '')",
        ),
        "Search index (enquiries) has ghost rows: 1 ",
    ),
    "stale provider index row (renamed)": (
        (f"UPDATE providers SET name = 'Renamed' WHERE rowid = {FIRST.format('providers')}",),
        "Search index (providers) has stale rows: 1 ",
    ),
    "stale enquiry index row (caller renamed)": (
        (
            "UPDATE enquiries SET caller_name = 'Someone Else'"
            f" WHERE rowid = {FIRST.format('enquiries')}",
        ),
        "Search index (enquiries) has stale rows: 1 ",
    ),
    "enquiry missing from the index": (
        (f"DELETE FROM enquiry_fts WHERE rowid = {FIRST.format('enquiries')}",),
        "Search index (enquiries) is missing rows: 1 of",
    ),
    "change-log gap": (
        (
            "INSERT INTO _change_log SELECT origin, seq + 2, at, worker, tbl, row_id, 'update',"
            " fields, hlc, bases FROM _change_log WHERE seq = (SELECT MAX(seq) FROM _change_log)",
        ),
        "Change-log gap: 1 changes missing",
    ),
    "enquiry without change-log rows": (
        (
            *_copy_row("enquiries", "unlogged-enquiry"),
            # indexed like the row it copies, so only the change log is missing
            "INSERT INTO enquiry_fts (rowid, enquiry_id, caller, summary, needs)"
            " SELECT (SELECT rowid FROM enquiries WHERE id = 'unlogged-enquiry'),"
            " 'unlogged-enquiry', caller, summary, needs FROM enquiry_fts"
            f" WHERE rowid = {FIRST.format('enquiries')}",
        ),
        "Change log incomplete: 1 enquiries have no change-log entry",
    ),
    "visit without change-log rows": (
        _copy_row("visits", "unlogged-visit"),
        "Change log incomplete: 1 visits have no change-log entry",
    ),
    "row deleted outside microcare": (
        (f"DELETE FROM visits WHERE rowid = {FIRST.format('visits')}",),
        "Change log names 1 visits that are not in the table",
    ),
    "signpost naming a missing provider": (
        (f"UPDATE signposts SET provider_id = 'gone' WHERE rowid = {FIRST.format('signposts')}",),
        "Broken references: 1 signposts name a provider that does not exist",
    ),
    "visit naming a missing provider": (
        (f"UPDATE visits SET provider_id = 'gone' WHERE rowid = {FIRST.format('visits')}",),
        "Broken references: 1 visits name a provider that does not exist",
    ),
    "signpost naming a missing enquiry": (
        (f"UPDATE signposts SET enquiry_id = 'gone' WHERE rowid = {FIRST.format('signposts')}",),
        "Broken references: 1 signposts name an enquiry that does not exist",
    ),
    "a missing table": (("DROP TABLE visits",), "Missing tables: visits."),
    "no device id": (("DELETE FROM _device",), "No device id recorded."),
}


def test_a_healthy_demo_passes_and_is_not_changed(db: Path) -> None:
    before = digest(db)
    out = check(db)
    assert out.returncode == 0, out.stderr
    assert "OK:" in out.stdout and out.stderr == ""
    assert check(db, "--full").returncode == 0
    assert digest(db) == before


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_has_its_own_message(fault: str, db: Path) -> None:
    statements, message = FAULTS[fault]
    damage(db, *statements)
    out = check(db)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert message in out.stderr, out.stderr
    # Its own message: no other fault's words for a fault that is not there.
    others = {m for f, (_, m) in FAULTS.items() if f != fault and m.split(":")[0] not in message}
    assert [m for m in others if m in out.stderr] == []


def test_foreign_key_check_proves_nothing_here(db: Path) -> None:
    """The schema declares no foreign keys (references are soft, for sync), so SQLite's
    foreign_key_check passes a signpost to nowhere; the store's own reference check does not."""
    damage(db, "UPDATE signposts SET provider_id = 'gone'")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    assert "Broken references" in check(db).stderr


def test_truncated_database(db: Path) -> None:
    os.truncate(db, db.stat().st_size - 4096)
    out = check(db)
    assert out.returncode == 1
    assert "is damaged: it is cut short" in out.stderr
    assert "not an SQLite file" not in out.stderr


def test_locked_database_is_busy_not_junk(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holds the lock for longer than check waits: "busy", not "junk".
    The wait is shortened for the test (5 s for a user; this test waited all of it)."""
    monkeypatch.setenv("MICROCARE_BUSY_TIMEOUT_MS", "200")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE settings SET row_version = row_version")
    try:
        out = check(db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 1
    assert "is busy" in out.stderr
    assert "not an SQLite file" not in out.stderr


def test_read_only_healthy_database_passes(tmp_path: Path, demo_file: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "demo.db"
    shutil.copy(demo_file, db)
    with unwritable(db, folder):
        out = check(db)
        found = subprocess.run(
            [sys.executable, "-m", "microcare_tui", "search", "shopping", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert found.returncode == 0, found.stderr
    assert "Shopping and errands" in found.stdout
    assert out.returncode == 0, out.stderr
    assert "OK:" in out.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty (0 bytes)"),
        (b"hello, not a database\n" * 10, "not an SQLite file"),
        (b"SQLite format 3\x00" + b"\x00" * 20, "cut short"),
    ],
)
def test_not_a_database(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    out = check(path)
    assert out.returncode == 1 and message in out.stderr
    assert path.read_bytes() == content


def test_lists_kept_in_step() -> None:
    """health names the logged tables without importing the models: the same set."""
    from microcare_tui.store import health
    from microcare_tui.store.migrate import schema_tables
    from microcare_tui.store.records import TABLES

    assert set(health.LOGGED_TABLES) == set(TABLES.values())
    assert {t for t, _, _ in health.REFERENCES} <= set(TABLES.values())
    assert {"_change_log", "_device", "provider_fts", "enquiry_fts"} <= schema_tables()


@pytest.fixture(autouse=True)
def _no_leftover_immutable(tmp_path: Path) -> Iterator[None]:
    yield
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-R", "-i", str(tmp_path)], capture_output=True)


def test_full_reads_every_page(db: Path) -> None:
    """The default reads what microcare's checks need and says so; --full adds SQLite's
    page-by-page check, which finds damage in an index no other check reads."""
    conn = sqlite3.connect(db)
    page = conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'enquiries_received' AND pagetype = 'leaf'"
    ).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as f:  # scribble over the page's cells, keeping its header
        f.seek((page - 1) * size + 100)
        f.write(b"\xff" * (size - 200))
    out = check(db)
    assert "pages: those the checks read (every page: --full)" in out.stdout
    full = check(db, "--full")
    assert full.returncode == 1
    assert "SQLite integrity check failed" in full.stderr, full.stderr
    assert "Traceback" not in full.stderr


def test_each_reference_finds_one_broken_row_whichever_way_it_is_counted(db: Path) -> None:
    """Each reference is counted one of three ways (grouped over an index, against the few
    ids, a seek per row); breaking one row of each is found, one row, and the demo uses
    all three ways."""
    from microcare_tui.services.database import open_database
    from microcare_tui.store import health

    store = open_database(db, worker="Test")
    counts: dict[str, int] = {}
    ways = set()
    for table, column, parent in health.REFERENCES:
        sql = health.reference_check_sql(store, table, column, parent, counts)
        ways.add("group" if "GROUP BY" in sql else "few" if "NOT IN" in sql else "seek")
        first = store.scalar(f"SELECT MIN(rowid) FROM [{table}] WHERE [{column}] IS NOT NULL")
        if first is None:
            continue  # the demo has no such reference to break
        raw = sqlite3.connect(db)  # damage made outside microcare
        was = raw.execute(f"SELECT [{column}] FROM [{table}] WHERE rowid = ?", (first,))
        (value,) = was.fetchone()
        with raw:
            raw.execute(f"UPDATE [{table}] SET [{column}] = 'gone' WHERE rowid = ?", (first,))
        assert health.broken_references(store) == {(table, column, parent): 1}
        with raw:
            raw.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE rowid = ?", (value, first))
        raw.close()
    assert ways == {"group", "few", "seek"}
    store.close()
