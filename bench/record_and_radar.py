"""Bench: the expiry radar and Quality lists on a county register, and the provider record
of a provider with 50 visits and 30 evidence items (issue 9).

    python3 bench/record_and_radar.py            # county demo (cached in bench/.cache/)
    python3 bench/record_and_radar.py --runs 9

Reports medians (ms) of:
- radar: services.radar.radar_lines (Home's radar, read in a worker) on the county demo;
- quality: services.radar.quality_view (the Quality section's worker);
- home: the app's start to Home mounted (UI thread), and to the radar's lines shown;
- record open: asking for the record to the screen mounted (UI thread), and to its details
  read in the worker; the evidence part (x) to its lines shown.
Polled with short sleeps: pilot.pause waits for the whole process to idle, workers included.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import cast

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from lookup_keystroke import CACHE, TODAY, demo_database  # noqa: E402

from microcare_tui.domain import models as m  # noqa: E402
from microcare_tui.services.database import open_database  # noqa: E402
from microcare_tui.services.radar import quality_view, radar_lines  # noqa: E402
from microcare_tui.store import records  # noqa: E402


def _heavy_provider(path: Path) -> str:
    """A listed provider given 50 visits and 30 evidence items (on the bench's copy)."""
    store = open_database(path, worker="Bench")
    pid = store.scalar("SELECT id FROM providers WHERE stage = 'active' ORDER BY id LIMIT 1")
    with store.transaction():
        for n in range(50):
            records.save(store, m.Visit(provider_id=pid, visited_on=TODAY - timedelta(days=7 * n),
                                        notes=f"Visit {n}"))  # fmt: skip
        codes = ["public_liability", "dbs_enhanced", "first_aid", "safeguarding_training"]
        for n in range(30):
            records.save(store, m.EvidenceItem(
                provider_id=pid, evidence_type_code=codes[n % 4],
                issued_on=TODAY - timedelta(days=400 + n), expires_on=TODAY + timedelta(days=n),
            ))  # fmt: skip
    store.close()
    return str(pid)


def _time(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def _until(ready) -> None:  # type: ignore[no-untyped-def]
    """Poll: pilot.pause waits for the whole process to go idle, workers included."""
    while not ready():  # noqa: ASYNC110 - a short poll is the measurement here
        await asyncio.sleep(0.001)


async def _app_times(path: Path, pid: str) -> dict[str, float]:
    from microcare_tui.ui.app import MicrocareApp
    from microcare_tui.ui.screens.home import HomeScreen
    from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen
    from microcare_tui.ui.widgets.radar import RadarPanel

    out: dict[str, float] = {}
    started = time.perf_counter()
    app = MicrocareApp(db_path=path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: isinstance(app.screen, HomeScreen) and app.screen.is_mounted)
        out["home mounted"] = (time.perf_counter() - started) * 1000
        radar = app.screen.query_one(RadarPanel)
        await _until(lambda: bool(radar.lines))
        out["home radar shown"] = (time.perf_counter() - started) * 1000
        await app.workers.wait_for_complete()
        await pilot.pause()
        started = time.perf_counter()
        app.open_provider(pid)
        await _until(lambda: isinstance(app.screen, ProviderDetailScreen) and app.screen.is_mounted)
        screen = cast(ProviderDetailScreen, app.screen)
        out["record mounted"] = (time.perf_counter() - started) * 1000
        await _until(lambda: screen.record is not None)
        out["record details read"] = (time.perf_counter() - started) * 1000
        # Again, now its styles are parsed (the first open of a session parses the CSS).
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        started = time.perf_counter()
        app.open_provider(pid)
        first = screen
        await _until(
            lambda: (
                app.screen is not first
                and isinstance(app.screen, ProviderDetailScreen)
                and app.screen.is_mounted
            )
        )
        out["record mounted again"] = (time.perf_counter() - started) * 1000
        screen = cast(ProviderDetailScreen, app.screen)
        await _until(lambda: screen.record is not None)
        started = time.perf_counter()
        await pilot.press("x")
        from microcare_tui.ui.widgets.record_parts import EvidencePart

        await _until(
            lambda: bool(screen.query(EvidencePart)) and bool(screen.query_one(EvidencePart).lines)
        )
        out["evidence part shown"] = (time.perf_counter() - started) * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = demo_database("county")
    path = CACHE / "quality-county.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, path)
    pid = _heavy_provider(path)
    store = open_database(path, worker="Bench")
    today = date(2026, 11, 22)
    print(f"radar_lines   median {_time(lambda: radar_lines(store, today), args.runs):7.1f} ms")
    print(f"quality_view  median {_time(lambda: quality_view(store, today), args.runs):7.1f} ms")
    store.close()
    runs = [asyncio.run(_app_times(path, pid)) for _ in range(args.runs)]
    for key in runs[0]:
        print(f"{key:22} median {statistics.median(r[key] for r in runs):7.1f} ms")


if __name__ == "__main__":
    main()
