"""Training and register timings on a demo database (county by default).

    python3 bench/training.py --db /tmp/county.db   # made with: microcare demo --scale county

Reports medians (ms): the Training section's read (reader thread), a session's attendance
sheet read (UI thread, on open), opening the attendance screen and each space key in it
(CPU of the press and its repaint, driven by Pilot at 80x24), and the register in each
format (read, render and atomic write).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from microcare_tui.reports.register import export_register
from microcare_tui.services.database import open_database
from microcare_tui.services.training import session_sheet, training_overview


def _median_ms(fn: object, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def _screen(path: Path, today: date) -> tuple[float, list[float]]:
    from microcare_tui.ui.app import MicrocareApp
    from microcare_tui.ui.screens.attendance import AttendanceScreen

    app = MicrocareApp(db_path=path, today=today)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#training-table")
        rows = table.row_count  # type: ignore[attr-defined]
        # the held session with the most people on its list
        best = max(range(rows), key=lambda i: int(str(table.get_row_at(i)[2]).split("/")[0]))  # type: ignore[attr-defined]
        table.move_cursor(row=best)  # type: ignore[attr-defined]
        start = time.process_time()
        await pilot.press("enter")
        await pilot.pause()
        opened = (time.process_time() - start) * 1000
        assert isinstance(app.screen, AttendanceScreen)
        keys = []
        for _ in range(len(app.screen.marks)):
            start = time.process_time()
            await pilot.press("space")
            await pilot.pause()
            keys.append((time.process_time() - start) * 1000)
        await pilot.press("escape", "y")
    return opened, keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    today = date.today()
    store = open_database(args.db)
    overview = training_overview(store, today)
    sessions = [s for s in overview.sessions if not s.upcoming]
    biggest = max(sessions, key=lambda s: int(s.places.split("/")[0]))
    print(f"sessions listed {len(overview.sessions)}, biggest held list {biggest.places}")
    print(f"training_overview   {_median_ms(lambda: training_overview(store, today)):7.1f} ms")
    sheet = _median_ms(lambda: session_sheet(store, biggest.id, today))
    print(f"session_sheet       {sheet:7.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("csv", "json", "xlsx", "html"):
            out = Path(folder) / f"register.{fmt}"
            ms = _median_ms(lambda out=out: export_register(store, out, None, today), runs=5)
            print(f"register {fmt:<5}      {ms:7.1f} ms")
    store.close()
    opened, keys = asyncio.run(_screen(args.db, today))
    print(f"open attendance     {opened:7.1f} ms CPU")
    print(f"space key           {statistics.median(keys):7.1f} ms CPU (median of {len(keys)}), "
          f"max {max(keys):.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
