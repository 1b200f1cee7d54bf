"""End to end through the real `microcare` command: a team lead makes a team, three laptops
join it and pass bundles in random order, with duplicates, until they agree."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from microcare_tui.services import enquiries as es
from microcare_tui.services import providers as ps
from microcare_tui.services.database import initialise, open_database
from tests.sync.helpers import register

PASS = {"MICROCARE_TEAM_PASSPHRASE": "a long team passphrase"}
NAMES = ("Ann", "Ben", "Cat")


def cmd(*args: str | Path, env: dict[str, str] | None = None) -> list[str]:
    return [sys.executable, "-m", "microcare_tui", *(str(a) for a in args)]


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd(*args),
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def _edit(db: Path, worker: str, round_: int, shared: str | None) -> None:
    """A round of a worker's edits: a provider, an enquiry, and an edit of a shared record."""
    store = open_database(db, worker=worker)
    try:
        ps.save_provider(
            store,
            {"name": f"{worker} Care {round_}", "phone": "01233 629000", "postcode": "TN23 4AB"},
        )
        es.log_enquiry(
            store,
            {
                "enquirer_kind": "family_carer",
                "caller_name": f"Caller of {worker} {round_}",
                "caller_phone": "01233 440044",
                "needs": ["shopping"],
            },
        )
        if shared is not None and store.scalar("SELECT 1 FROM providers WHERE id=?", (shared,)):
            current = ps.get_provider(store, shared)
            ps.save_provider(
                store, {**current.model_dump(), "notes": f"{worker} was here ({round_})"}, shared
            )
    finally:
        store.close()


def test_three_laptops_converge_through_the_cli(tmp_path: Path) -> None:
    rng = random.Random(10)
    team_file = tmp_path / "kent.mcteam"
    lead = run("team", "init", "--name", "Kent East", "--out", team_file, env=PASS)
    assert lead.returncode == 0, lead.stderr
    assert "team join" in lead.stdout
    dbs = {name: tmp_path / f"{name}.db" for name in NAMES}
    # Joining checks the passphrase (scrypt, ~2 s): the laptops join at once, and a fourth
    # tries a wrong passphrase meanwhile. Joining makes the database when there is none.
    wrong_env = {"MICROCARE_TEAM_PASSPHRASE": "not the passphrase"}
    joins = [
        subprocess.Popen(
            cmd("team", "join", team_file, "--db", db),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(wrong_env if db.stem == "x" else PASS)},
        )
        for db in [*dbs.values(), tmp_path / "x.db"]
    ]
    results = [join.communicate(timeout=120) for join in joins]
    for join, (said, err) in zip(joins[:3], results[:3], strict=True):
        assert join.returncode == 0 and "joined the team 'Kent East'" in said, err
    # The wrong passphrase: one line, non-zero, nothing joined.
    assert joins[3].returncode == 1 and results[3][1].count("\n") == 1
    assert "Wrong passphrase" in results[3][1] and "Traceback" not in results[3][1]
    for name, db in dbs.items():
        store = open_database(db)
        initialise(store, name, "Kent")
        store.close()

    shared: str | None = None
    boxes = {name: tmp_path / f"out-{name}" for name in NAMES}
    for box in boxes.values():
        box.mkdir()
    # Round 0: bundles by hand (a USB stick): some lost, some twice, in any order.
    for name in NAMES:
        _edit(dbs[name], name, 0, None)
    for name in NAMES:
        out = run("sync", "export", "--to", boxes[name], "--db", dbs[name])
        assert out.returncode == 0 and out.stdout.startswith("Wrote "), out.stderr
    made = [p for box in boxes.values() for p in sorted(box.glob("*.mcbundle"))]
    for name in NAMES:
        pick = [p for p in made if rng.random() < 0.6]
        pick += rng.sample(pick, k=min(2, len(pick)))
        rng.shuffle(pick)
        if pick:
            out = run("sync", "import", *pick, "--db", dbs[name])
            assert out.returncode == 0, out.stderr
    # Round 1: more edits, and all three edit one shared record; then the team folder,
    # which also holds copies of round 0's bundles (read again, they change nothing).
    store = open_database(dbs["Ann"])
    shared = store.scalar("SELECT id FROM providers WHERE name = 'Ann Care 0'")
    store.close()
    for name in NAMES:
        _edit(dbs[name], name, 1, shared if rng.random() < 0.9 else None)
    folder = tmp_path / "shared"
    folder.mkdir()
    for p in made:
        shutil.copy(p, folder / p.name)
    for name in ("Ann", "Ben", "Cat", "Ann", "Ben"):
        out = run("sync", "folder", folder, "--db", dbs[name])
        assert out.returncode == 0, out.stderr
    assert "No new bundles" in out.stdout or "new change(s)" in out.stdout
    views = {}
    for name, db in dbs.items():
        store = open_database(db)
        views[name] = (
            register(store, ("providers", "enquiries")),
            store.scalar("SELECT COUNT(*) FROM _change_log"),
        )
        store.close()
    assert views["Ann"] == views["Ben"] == views["Cat"]
    assert len(views["Ann"][0]["providers"]) == 6 and len(views["Ann"][0]["enquiries"]) == 6
    status = run("sync", "status", "--db", dbs["Ann"])
    assert status.returncode == 0 and "Team: Kent East" in status.stdout
    assert "Ben (" in status.stdout and "Cat (" in status.stdout
    conflicts = run("sync", "conflicts", "--db", dbs["Ann"])
    assert conflicts.returncode == 0 and conflicts.stdout.strip()


def test_cli_refuses_a_bad_bundle_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run("init", "--db", db, "--worker", "Ann").returncode == 0
    lonely = run("sync", "export", "--to", tmp_path, "--db", db)
    assert lonely.returncode == 1 and "not in a team yet" in lonely.stderr
    junk = tmp_path / "junk.mcbundle"
    junk.write_bytes(b"MCBUNDLE/1 x\nage-encryption.org/v1\n-> X25519 abc\n")
    # Not in a team: said first. (The hostile-file corpus runs at service level.)
    out = run("sync", "import", junk, "--db", db)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
