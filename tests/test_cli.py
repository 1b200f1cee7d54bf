"""The `microcare` command, run through its real entry point in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from microcare_tui.services import providers as ps
from microcare_tui.services.database import open_database


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "microcare_tui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_console_script_is_installed() -> None:
    script = shutil.which("microcare") or str(Path(sys.executable).parent / "microcare")
    out = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("microcare ")


def test_help_lists_every_command() -> None:
    out = run("--help")
    assert out.returncode == 0
    for command in (
        "demo",
        "init",
        "search",
        "check",
        "import",
        "report",
        "sync",
        "team",
        "backup",
        "settings",
        "--db",
        "--demo",
        "MICROCARE_DB",
    ):
        assert command in out.stdout


def test_init_then_check(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    out = run("init", "--db", str(db), "--worker", "Sam Patel", "--team", "Kent")
    assert out.returncode == 0, out.stderr
    assert "Sam Patel" in out.stdout
    again = run("init", "--db", str(db), "--worker", "Someone Else")
    assert again.returncode != 0 and "already set up" in again.stderr
    check = run("check", "--db", str(db))
    assert check.returncode == 0 and "OK" in check.stdout


def test_init_needs_a_worker_and_leaves_no_file(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    out = run("init", "--db", str(db))
    assert out.returncode == 2 and "--worker" in out.stderr
    assert not db.exists()


def test_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    out = run("init", "--worker", "Env Worker", env={"MICROCARE_DB": str(db)})
    assert out.returncode == 0, out.stderr
    assert db.exists()


def test_search_json_in_rank_order(db_path: Path) -> None:
    store = open_database(db_path)
    ps.save_provider(
        store, {"name": "Zed Shopping", "postcode": "CT1 1AA", "services": ["shopping"]}
    )
    ps.save_provider(
        store,
        {
            "name": "Ashford Shoppers",
            "postcode": "TN23 4AB",
            "services": ["shopping"],
            "days": ["tue"],
        },
    )
    store.close()
    out = run("search", "shopping TN23 tue", "--db", str(db_path), "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["name"] for r in rows] == ["Ashford Shoppers", "Zed Shopping"]
    assert {"id", "name", "areas", "services", "stage", "standing"} <= set(rows[0])
    assert rows[0]["areas"] == ["Ashford"]
    text = run("search", "shopping TN23 tue", "--db", str(db_path))
    assert "Understood:" in text.stdout and "Ashford Shoppers" in text.stdout


def test_search_odd_input_and_missing_db(tmp_path: Path, db_path: Path) -> None:
    assert run("search", '"NEAR * -', "--db", str(db_path), "--json").returncode == 0
    out = run("search", "x", "--db", str(tmp_path / "missing.db"))
    assert out.returncode == 1 and "no database" in out.stderr.lower()
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "missing.db").exists()
    bad = run("search", "x", "--db", str(db_path), "--limit", "0")
    assert bad.returncode == 2


def test_check_finds_problems(tmp_path: Path, db_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 50)
    out = run("check", "--db", str(junk))
    assert out.returncode == 1 and "problem" in out.stderr and "Traceback" not in out.stderr
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    out = run("check", "--db", str(db_path))
    assert out.returncode == 1 and "newer" in out.stderr


def test_newer_database_refused_without_traceback(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    out = run("--db", str(db_path))
    assert out.returncode == 1
    assert "newer version of microcare" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("command", ["import", "backup", "settings"])
def test_later_commands_say_so(command: str) -> None:
    out = run(command)
    assert out.returncode == 2 and "not in this version yet" in out.stderr


def test_demo_command(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    out = run("demo", "--db", str(db), "--seed", "3")
    assert out.returncode == 0, out.stderr
    store = open_database(db)
    assert 40 <= store.scalar("SELECT COUNT(*) FROM providers") <= 80
    store.close()
    again = run("demo", "--db", str(db))
    assert again.returncode == 1 and "--force" in again.stderr
    assert run("check", "--db", str(db)).returncode == 0
    found = json.loads(run("search", "shopping", "--db", str(db), "--json").stdout)
    assert found and all("Shopping and errands" in r["services"] for r in found)


def test_cli_search_matches_the_app_lookup(tmp_path: Path) -> None:
    """`microcare search --json` returns the same providers in the same order as the lookup."""
    from microcare_tui.services.lookup import find_providers

    db = tmp_path / "demo.db"
    assert run("demo", "--db", str(db)).returncode == 0
    store = open_database(db)
    try:
        for query in ("shopping TN23 tue", "companion dementia", "garden ashford dp", "oak"):
            expected = [r.id for r in find_providers(store, query, limit=20).rows]
            out = run("search", query, "--db", str(db), "--json")
            assert [r["id"] for r in json.loads(out.stdout)] == expected, query
    finally:
        store.close()


def test_a_plain_start_is_read_without_argparse() -> None:
    """`microcare`, `--db PATH` and `--demo` open the app without building the command line
    (its first frame waits for it); anything else goes to argparse as before."""
    from microcare_tui.cli import app_args

    plain = app_args([])
    assert plain is not None and (plain.command, plain.db, plain.demo) == (None, None, False)
    with_db = app_args(["--db", "x.db", "--demo"])
    assert with_db is not None and (with_db.db, with_db.demo) == ("x.db", True)
    equals = app_args(["--db=y.db"])
    assert equals is not None and equals.db == "y.db"
    others = [
        ["search", "x"], ["--db"], ["--db", "--demo"], ["--demo", "--demo"],
        ["--help"], ["--version"], ["--db=", "x"], ["--db", "a", "--db", "b"],
    ]  # fmt: skip
    for other in others:
        assert app_args(other) is None, other


def test_a_plain_search_is_read_as_argparse_reads_it() -> None:
    """`microcare search` skips building the command line for the usual forms, with the
    arguments argparse would give; anything unusual still goes to argparse."""
    from microcare_tui.cli import build_parser, search_args

    same = [
        ["search", "shopping TN23 tue"], ["search", "x", "--db", "a.db"],
        ["search", "--db=a.db", "x", "--json"], ["search", "--limit", "5", "x"],
        ["search", "x", "--limit=07", "--json", "--db", "b c.db"], ["search", ""],
        ["search", "search"], ["search", "x", "--limit", "1_000"],
    ]  # fmt: skip
    for argv in same:
        fast = search_args(argv)
        assert fast is not None, argv
        assert vars(fast) == vars(build_parser().parse_args(argv)), argv
    others = [
        ["search"], ["search", "-x"], ["search", "a", "b"], ["search", "x", "--db"],
        ["search", "x", "--db", "a", "--db", "b"], ["search", "x", "--json", "--json"],
        ["search", "x", "--js"], ["search", "x", "--limit", "ten"], ["search", "--", "-x"],
        ["search", "x", "--limit", "-5"], ["search", "x", "--db="], ["search", "x", "--help"],
        ["--db", "a", "search", "x"], ["search", "x", "--json=1"], ["report", "register"],
    ]  # fmt: skip
    for argv in others:
        assert search_args(argv) is None, argv


def test_usage_errors_still_come_from_argparse() -> None:
    out = run("--db")
    assert out.returncode == 2
    assert "expected one argument" in out.stderr and "Traceback" not in out.stderr
