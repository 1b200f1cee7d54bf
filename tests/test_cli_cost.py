"""`microcare search` stays a small process (issue 8: whole process <= 1.2x `--version`):
what it imports is pinned here, so a heavy import creeping onto its path fails a test
instead of a benchmark nobody ran."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from microcare_tui.services.demo import create_demo_database

# Each costs 10-100 ms of start-up and none is needed to search and print providers.
HEAVY = (
    "textual",
    "pydantic",
    "phonenumbers",  # UK numbers are formatted by domain.uk_phone
    "rapidfuzz",  # only when nothing matches
    "_hashlib",  # OpenSSL
    "concurrent.futures",
    "microcare_tui.domain.models",
    "microcare_tui.ui",
    "microcare_tui.demo",
    # Each 2-10 ms: the command line is read without argparse, --db needs no user folder,
    # the schema folder is a plain folder, ids are formatted without the uuid module.
    "argparse",
    "platformdirs",
    "importlib.resources",
    "uuid",
    # dataclasses imports inspect, ast, dis and tokenize (~20 ms): the lookup's query and
    # results are NamedTuples and slotted classes. glob and the sync log are for writes.
    "dataclasses",
    "inspect",
    "glob",
    "microcare_tui.store.sync_log",
)

PROBE = """
import sys
from microcare_tui.cli import main
code = main(["search", "shopping ashford", "--db", sys.argv[1]])
print("MODULES", " ".join(sorted(sys.modules)))
raise SystemExit(code)
"""


def test_search_imports_nothing_heavy(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    create_demo_database(db)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "Shopping and errands" in out.stdout
    modules = out.stdout.split("MODULES", 1)[1].split()
    assert [m for m in modules if m.startswith(HEAVY)] == []
