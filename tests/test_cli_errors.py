"""Every error a user can cause on the command line: one line on stderr, a non-zero exit,
no traceback, and nothing written that was not asked for. Through the real entry point.

Read-only folders and files: chmod does not stop root, so as root these tests use
`chattr +i` (immutable: refused even to root); as another user, chmod. Where neither works
the case is skipped (the message path is the same OSError mapping `file_error` tests).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from microcare_tui.services.demo import create_demo_database


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """The command as a user types it (bytes: arguments need not be valid UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "microcare_tui", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database made once for the module; tests copy it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_database(path)
    return path


@contextmanager
def unwritable(*paths: Path) -> Iterator[None]:
    """Make files or folders refuse changes, even to root; undone after."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not available to make a path immutable as root")
        done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        if done.returncode:
            pytest.skip(f"chattr +i refused here: {done.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
    else:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)


@dataclass
class Case:
    """A command that must fail: its arguments (given the test's folder and demo copy), the
    words its one line must have, and what must be unchanged after."""

    args: Callable[[Path, Path], list[str]]
    says: str
    env: Callable[[Path], dict[str, str]] = lambda tmp: {}
    setup: Callable[[Path, Path], object] = lambda tmp, db: None
    locked: Callable[[Path, Path], list[Path]] = lambda tmp, db: []
    unchanged: Callable[[Path, Path], list[Path]] = lambda tmp, db: []
    absent: Callable[[Path], list[str]] = field(default=lambda tmp: [])
    code: int = 1


def _newer(tmp: Path, db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")  # a header SQLite would rewrite for WAL
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()


def _drop(table: str) -> Callable[[Path, Path], None]:
    def setup(tmp: Path, db: Path) -> None:
        conn = sqlite3.connect(db)
        conn.execute(f"DROP TABLE {table}")
        conn.commit()
        conn.close()

    return setup


def _truncate(tmp: Path, db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


CASES = {
    "demo --force on a folder": Case(
        args=lambda tmp, db: ["demo", "--force", "--db", str(tmp)],
        says="is a folder",
    ),
    "demo --force on an immutable file": Case(
        args=lambda tmp, db: ["demo", "--force", "--db", str(db)],
        says="Cannot delete",
        locked=lambda tmp, db: [db],
        unchanged=lambda tmp, db: [db],
    ),
    "demo --force on a read-only disk": Case(
        args=lambda tmp, db: ["demo", "--force", "--db", str(db)],
        says="Cannot delete",
        locked=lambda tmp, db: [tmp],
        unchanged=lambda tmp, db: [db],
    ),
    "demo into a read-only folder": Case(
        args=lambda tmp, db: ["demo", "--db", str(tmp / "new.db")],
        says="Cannot write in",
        locked=lambda tmp, db: [tmp],
    ),
    "demo when the parent path is a file": Case(
        args=lambda tmp, db: ["demo", "--db", str(db / "sub" / "demo.db")],
        says="part of that path is a file",
        unchanged=lambda tmp, db: [db],
    ),
    "demo when MICROCARE_DATA_DIR is a file": Case(
        args=lambda tmp, db: ["demo"],
        env=lambda tmp: {"MICROCARE_DATA_DIR": str(tmp / "demo.db")},
        says="a file of that name is in the way",
        unchanged=lambda tmp, db: [db],
    ),
    "the app when MICROCARE_DATA_DIR is a file": Case(
        args=lambda tmp, db: [],
        env=lambda tmp: {"MICROCARE_DATA_DIR": str(tmp / "demo.db")},
        says="a file of that name is in the way",
    ),
    "demo over an existing file without --force": Case(
        args=lambda tmp, db: ["demo", "--db", str(db)],
        says="--force",
        unchanged=lambda tmp, db: [db],
    ),
    "init with a name that is not UTF-8": Case(
        args=lambda tmp, db: ["init", "--db", str(tmp / "new.db"), "--worker", "\udcff\udcfe"],
        says="not valid text",
        absent=lambda tmp: ["new.db*"],
        code=2,
    ),
    "init with a control character in the team": Case(
        args=lambda tmp, db: [
            "init",
            "--db",
            str(tmp / "n.db"),
            "--worker",
            "Sam",
            "--team",
            "a\x1b",
        ],
        says="control characters",
        absent=lambda tmp: ["n.db*"],
        code=2,
    ),
    "init into a read-only folder": Case(
        args=lambda tmp, db: ["init", "--db", str(tmp / "new.db"), "--worker", "Sam"],
        says="Cannot write in",
        locked=lambda tmp, db: [tmp],
        absent=lambda tmp: ["new.db*"],
    ),
    "init without a worker": Case(
        args=lambda tmp, db: ["init", "--db", str(tmp / "new.db")],
        says="--worker",
        absent=lambda tmp: ["new.db*"],
        code=2,
    ),
    "init on a database already set up": Case(
        args=lambda tmp, db: ["init", "--db", str(db), "--worker", "Someone"],
        says="already set up",
        setup=lambda tmp, db: _set_up(db),
    ),
    "search a zero-byte file": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(tmp / "zero.db")],
        setup=lambda tmp, db: (tmp / "zero.db").touch(),
        says="empty (0 bytes)",
        unchanged=lambda tmp, db: [tmp / "zero.db"],
    ),
    "search a FIFO": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(tmp / "pipe.db")],
        setup=lambda tmp, db: os.mkfifo(tmp / "pipe.db"),
        says="not a regular file",
    ),
    "check a FIFO": Case(
        args=lambda tmp, db: ["check", "--db", str(tmp / "pipe.db")],
        setup=lambda tmp, db: os.mkfifo(tmp / "pipe.db"),
        says="not a regular file",
    ),
    "the app on a FIFO": Case(
        args=lambda tmp, db: ["--db", str(tmp / "pipe.db")],
        setup=lambda tmp, db: os.mkfifo(tmp / "pipe.db"),
        says="not a regular file",
    ),
    "search a folder": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(tmp)],
        says="is a folder",
    ),
    "search a missing database": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(tmp / "missing.db")],
        says="no database",
        absent=lambda tmp: ["missing.db*"],
    ),
    "search a file that is not SQLite": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(tmp / "notes.txt")],
        setup=lambda tmp, db: (tmp / "notes.txt").write_text("shopping list\n" * 20),
        says="not an SQLite file",
        unchanged=lambda tmp, db: [tmp / "notes.txt"],
    ),
    "search an SQLite file that is not microcare's": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(tmp / "other.db")],
        setup=lambda tmp, db: _other_sqlite(tmp / "other.db"),
        says="not a microcare database",
        unchanged=lambda tmp, db: [tmp / "other.db"],
    ),
    "search when a table is missing": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(db)],
        setup=_drop("settings"),
        says="missing settings",
        unchanged=lambda tmp, db: [db],
    ),
    "search when the search index is missing": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(db)],
        setup=_drop("provider_fts"),
        says="missing provider_fts",
        unchanged=lambda tmp, db: [db],
    ),
    "search a truncated database": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(db)],
        setup=_truncate,
        says="cut short",
        unchanged=lambda tmp, db: [db],
    ),
    "search a database from a newer microcare": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(db)],
        setup=_newer,
        says="newer version of microcare",
        unchanged=lambda tmp, db: [db],
    ),
    "the app on a database from a newer microcare": Case(
        args=lambda tmp, db: ["--db", str(db)],
        setup=_newer,
        says="newer version of microcare",
        unchanged=lambda tmp, db: [db],
    ),
    "search with --limit 0": Case(
        args=lambda tmp, db: ["search", "oak", "--db", str(db), "--limit", "0"],
        says="--limit",
        code=2,
    ),
    "search without a query": Case(args=lambda tmp, db: ["search"], says="query", code=2),
    "an unknown command": Case(args=lambda tmp, db: ["frobnicate"], says="invalid", code=2),
    "a command not in this version": Case(
        args=lambda tmp, db: ["backup"], says="not in this version yet", code=2
    ),
}


def _set_up(db: Path) -> None:
    from microcare_tui.services.database import initialise, open_database

    store = open_database(db)
    initialise(store, "Sam Tester", "Kent")
    store.close()


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("name", list(CASES))
def test_user_error_is_one_line_and_changes_nothing(
    name: str, tmp_path: Path, demo_file: Path
) -> None:
    case = CASES[name]
    work = tmp_path / "work"
    work.mkdir()
    db = work / "demo.db"
    shutil.copy(demo_file, db)
    case.setup(work, db)
    before = {p: digest(p) for p in case.unchanged(work, db)}
    with unwritable(*case.locked(work, db)) if case.locked(work, db) else _nothing():
        out = run(*case.args(work, db), env=case.env(work), timeout=60)
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == case.code, err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert case.says in err
    assert {p: digest(p) for p in before} == before
    for pattern in case.absent(work):
        assert list(work.glob(pattern)) == []
    assert list(work.glob("*.partial*")) == []


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def test_search_into_a_closed_pipe_is_quiet(demo_file: Path) -> None:
    """`microcare search ... | head -1`: the reader went away; no BrokenPipeError."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "microcare_tui", "search", "shopping", "--db", str(demo_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # before it writes: every write meets a closed pipe
    _, err = proc.communicate(timeout=60)
    assert err == b""
    assert proc.returncode == 141


def test_search_and_check_leave_the_database_unchanged(tmp_path: Path, demo_file: Path) -> None:
    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    before = digest(db)
    assert run("search", "shopping", "--db", str(db)).returncode == 0
    assert run("check", "--db", str(db)).returncode == 0
    assert digest(db) == before


def test_a_killed_demo_leaves_no_partial_file_for_long(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "microcare_tui", "demo", "--scale", "county", "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("demo.db.*.partial")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.glob("demo.db.*.partial")) != []  # left by the kill ...
    out = run("demo", "--db", str(db))
    assert out.returncode == 0, out.stderr
    # ... and gone after the next run, side files and all.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_a_bug_is_one_line_without_personal_data(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last resort: an unforeseen exception names its type only (its message could hold
    a caller's name or number); MICROCARE_DEBUG=1 shows the traceback."""
    from microcare_tui import cli

    def bug(args: object) -> int:
        raise RuntimeError("Margaret Jones 07700 900123")

    monkeypatch.setattr(cli, "_cmd_search", bug)
    monkeypatch.delenv("MICROCARE_DEBUG", raising=False)
    assert cli.main(["search", "x"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError" in err
    assert "Jones" not in err and "07700" not in err
    monkeypatch.setenv("MICROCARE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["search", "x"])


def test_an_unforeseen_file_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from microcare_tui import cli

    def full(args: object) -> int:
        raise OSError(28, "No space left on device", "/x/demo.db")

    monkeypatch.setattr(cli, "_cmd_check", full)
    assert cli.main(["check"]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == "microcare: No space left on device (/x/demo.db).\n"
