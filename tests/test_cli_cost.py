"""`microcare search` stays a small process (issue 8: whole process <= 1.2x `--version`):
what it imports is pinned here, so a heavy import creeping onto its path fails a test
instead of a benchmark nobody ran."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from microcare_tui.services.demo import create_demo_database

# Each costs 10-100 ms of start-up and none is needed to search and print providers.
HEAVY: tuple[str, ...] = (
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
)

if sys.version_info < (3, 12):
    # What `inspect` loads (dataclasses imports it; `search` defers it): 3.12's dataclasses
    # read it for every class, so there it loads as before.
    HEAVY += ("ast", "dis", "tokenize")

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


def test_a_deferred_module_loads_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in `search` puts in sys.modules answers like the real module once read."""
    from microcare_tui import cli

    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    cli._defer_import("colorsys")
    import colorsys

    stand_in = sys.modules["colorsys"]
    assert stand_in is colorsys and "rgb_to_hsv" not in vars(colorsys)  # not loaded yet
    assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert sys.modules["colorsys"] is not stand_in  # the real module took its place
    assert colorsys.hsv_to_rgb(0.0, 1.0, 1.0) == (1.0, 0.0, 0.0)
    monkeypatch.delitem(sys.modules, "colorsys")
