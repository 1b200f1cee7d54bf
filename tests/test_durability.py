"""kill -9 in the middle of writing: nothing acknowledged is lost, nothing is half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from microcare_tui.services.database import check_database, open_database

WRITER = """
import sys
from microcare_tui.services.database import open_database
from microcare_tui.services import enquiries, providers
store = open_database(sys.argv[1], worker="crash test")
i = 0
while True:
    p = providers.save_provider(store, {"name": f"Provider {i}", "phone": "01233 123456",
                                        "services": ["shopping"], "postcode": "TN23 4AB"})
    e = enquiries.log_enquiry(store, {"enquirer_kind": "family_carer", "caller_name": f"C {i}",
                                      "needs": ["shopping"]}, [p.id])
    print(p.id, e.id, flush=True)  # acknowledged only after both commits returned
    i += 1
"""


def test_kill_minus_nine_loses_nothing_acknowledged(db_path: Path) -> None:
    rng = random.Random(7)
    acknowledged: list[tuple[str, str]] = []
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Kill it mid-work: after its first acknowledged write (start-up time varies with
        # the machine's load), at a random moment.
        assert proc.stdout is not None
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.1, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        for line in [first, *out.splitlines()]:
            parts = line.split()
            if len(parts) == 2:
                acknowledged.append((parts[0], parts[1]))
    assert acknowledged, "the writer never got going"
    report = check_database(db_path)
    assert report.ok, report.problems
    store = open_database(db_path)
    try:
        have_p = {r["id"] for r in store.query("SELECT id FROM providers")}
        have_e = {r["id"] for r in store.query("SELECT id FROM enquiries")}
        assert [pair for pair in acknowledged if pair[0] not in have_p] == []
        assert [pair for pair in acknowledged if pair[1] not in have_e] == []
        # Every row that exists is whole: logged, indexed and (for enquiries) signposted.
        for table in ("providers", "enquiries"):
            unlogged = store.scalar(
                f"SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM _change_log c "
                "WHERE c.tbl = ? AND c.row_id = t.id)",
                (table,),
            )
            assert unlogged == 0
        orphans = store.scalar(
            "SELECT COUNT(*) FROM enquiries e WHERE NOT EXISTS "
            "(SELECT 1 FROM signposts s WHERE s.enquiry_id = e.id)"
        )
        assert orphans == 0
    finally:
        store.close()
