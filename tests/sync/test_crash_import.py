"""Kill -9 during an import: the database is either wholly before or wholly after it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from microcare_tui.services import sync
from microcare_tui.services.database import open_database
from microcare_tui.store.db import Store
from tests.sync.helpers import laptop, new_team


def _fill(store: Store, n: int) -> None:
    with store.transaction():
        store.insert_many(
            "providers",
            [
                {"id": f"p{i:06d}", "name": f"Provider {i}", "postcode": "TN23 1AA"}
                for i in range(n)
            ],
        )


def _state(path: Path) -> tuple[int, int, int, str]:
    store = open_database(path)
    try:
        return (
            int(store.scalar("SELECT COUNT(*) FROM _change_log")),
            int(store.scalar("SELECT COUNT(*) FROM providers")),
            int(store.scalar("SELECT COUNT(*) FROM _sync_import")),
            str(store.scalar("PRAGMA integrity_check")),
        )
    finally:
        store.close()


def test_killed_mid_import_is_all_or_nothing(tmp_path: Path) -> None:
    team = new_team()
    ann = laptop(tmp_path, "Ann", team)
    _fill(ann, 1500)
    bundle = sync.export_bundle(ann, tmp_path).path
    ann.close()
    ben = laptop(tmp_path, "Ben", team)
    ben_path = ben.path
    ben.close()
    before = _state(ben_path)
    rng = random.Random(3)
    command = [sys.executable, "-m", "microcare_tui", "sync", "import", str(bundle)]
    # How long a whole import takes here, so the kills land inside it.
    started = time.perf_counter()
    probe_db = tmp_path / "probe.db"
    probe = laptop(tmp_path, "Probe", team)
    probe.close()
    done = subprocess.run([*command, "--db", str(probe_db)], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    whole = time.perf_counter() - started
    after = _state(probe_db)
    assert after[1] == before[1] + 1500
    for _ in range(1):
        child = subprocess.Popen(
            [*command, "--db", str(ben_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.4, 0.95) * whole)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        state = _state(ben_path)
        assert state[3] == "ok"
        # Before (nothing of the bundle) or after (all of it, and the import recorded).
        assert state[:3] in (before[:3], (after[0], after[1], before[2] + 1)), state
        if state[:3] != before[:3]:
            break  # it finished before the kill: nothing more to interrupt
    out = subprocess.run([*command, "--db", str(ben_path)], capture_output=True, timeout=300)
    assert out.returncode == 0
    assert _state(ben_path)[:2] == after[:2]
