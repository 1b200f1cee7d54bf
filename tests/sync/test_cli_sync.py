"""End to end through the real `microcare` command: a team lead makes a team, three laptops
join it and pass bundles in random order, with duplicates, until they agree."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from microcare_tui.services import enquiries as es
from microcare_tui.services import providers as ps
from microcare_tui.services.database import open_database
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
        provider = ps.save_provider(
            store,
            {"name": f"{worker} Care {round_}", "phone": "01233 629000", "postcode": "TN23 4AB"},
        )
        es.log_enquiry(
            store,
            {"caller_name": f"Caller of {worker} {round_}", "phone": "07700 900123",
             "needs": ["shopping"], "outcome": "information_only"},
        )
        if shared is not None:
            current = ps.get_provider(store, shared)
            ps.save_provider(
                store, {**current.model_dump(), "notes": f"{worker} was here ({round_})"}, shared
            )
    finally:
        store.close()


def test_three_laptops_converge_through_the_cli(tmp_path: Path) -> None:
    rng = random.Random(10)
    team_file = tmp_path / "kent.mcteam"
    made = run("team", "init", "--name", "Kent East", "--out", team_file, env=PASS)
    assert made.returncode == 0, made.stderr
    assert "team join" in made.stdout
    dbs = {name: tmp_path / f"{name}.db" for name in NAMES}
    for name, db in dbs.items():
        assert run("init", "--db", db, "--worker", name).returncode == 0
    # Joining costs a passphrase check (scrypt, ~2 s): the three laptops join at once.
    joins = [
        subprocess.Popen(
            cmd("team", "join", team_file, "--db", db),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **PASS},
        )
        for db in dbs.values()
    ]
    for join in joins:
        out, err = join.communicate(timeout=120)
        assert join.returncode == 0 and "joined the team 'Kent East'" in out, err
    # A wrong passphrase: one line, non-zero, nothing joined.
    wrong = run("team", "join", team_file, "--db", tmp_path / "x.db",
                env={"MICROCARE_TEAM_PASSPHRASE": "not the passphrase"})
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    assert "Wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr

    shared: str | None = None
    boxes = {name: tmp_path / f"out-{name}" for name in NAMES}
    for box in boxes.values():
        box.mkdir()
    for round_ in range(2):
        for name in NAMES:
            _edit(dbs[name], name, round_, shared)
        if shared is None:
            store = open_database(dbs["Ann"])
            shared = store.scalar("SELECT id FROM providers ORDER BY id LIMIT 1")
            store.close()
        made_now = []
        for name in NAMES:
            out = run("sync", "export", "--to", boxes[name], "--db", dbs[name])
            assert out.returncode == 0 and out.stdout.startswith("Wrote "), out.stderr
            made_now += sorted(boxes[name].glob("*.mcbundle"))
        # Random deliveries: some lost, some twice, in any order.
        for name in NAMES:
            pick = [p for p in made_now if rng.random() < 0.7]
            pick += rng.sample(pick, k=min(2, len(pick)))
            rng.shuffle(pick)
            if pick:
                out = run("sync", "import", *pick, "--db", dbs[name])
                assert out.returncode == 0, out.stderr
    # At the end every laptop gets every bundle (twice: the second pass acknowledges).
    for _ in range(2):
        for name in NAMES:
            assert run("sync", "export", "--to", boxes[name], "--db", dbs[name]).returncode == 0
        every = [p for box in boxes.values() for p in sorted(box.glob("*.mcbundle"))]
        for name in NAMES:
            out = run("sync", "import", *every, "--db", dbs[name])
            assert out.returncode == 0, out.stderr
            assert "already imported; nothing changed." in out.stdout
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
    assert "has everything this laptop has" in status.stdout
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
