"""Home's first read in a new process, for instruction counts (issue 9).

    python3 bench/home_read.py DB            # import Home's read and run it once
    python3 bench/home_read.py DB --without  # the same process without them: the baseline
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python3 bench/home_read.py DB        # minus the same with --without

Imports what the app has imported by its first frame (the app and Home's screen), opens the
database, then imports `services.home` and calls `load_home` once, as Home's worker does after
the first frame. Checkpoint the database first (`sqlite3 DB 'pragma wal_checkpoint(TRUNCATE)'`)
and let it be migrated once by this tree (open it with microcare), or the count includes that.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import microcare_tui.ui.app  # noqa: E402, F401  (what the first frame has imported)
import microcare_tui.ui.screens.home  # noqa: E402, F401
from microcare_tui.services.database import open_database  # noqa: E402


def main() -> None:
    """Home's read once (or not, with --without)."""
    db = open_database(Path(sys.argv[1]), worker="Bench")
    db.scalar("SELECT COUNT(*) FROM providers")
    if "--without" not in sys.argv[2:]:
        from microcare_tui.services.home import load_home

        load_home(db, date(2026, 11, 22))
    db.close()


if __name__ == "__main__":
    main()
