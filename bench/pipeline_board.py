"""How long the pipeline board (section 4) takes to open on the county demo (1,000 providers).

    microcare demo --scale county --db /tmp/county.db        # once
    python3 bench/pipeline_board.py --db /tmp/county.db
    python3 bench/pipeline_board.py --db /tmp/county.db --runs 7

For each run a fresh app opens Home, then 4 is pressed. Reported (medians):
- ui: time on the UI thread putting the board on screen (PipelineScreen._show, called by the
  BoardLoaded handler: mounting the columns and a page of cards each), which must stay
  <= 100 ms;
- worker: services.pipeline.load_board on the reader thread (not on the UI thread);
- shown: from the key press until the cards are on screen (both, plus messages).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from microcare_tui.services import pipeline as service
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens import pipeline as screen_module


async def one_run(db: Path) -> tuple[float, float, float]:
    timings: dict[str, float] = {}
    done = asyncio.Event()
    original_show = screen_module.PipelineScreen._show
    original_load = service.load_board

    async def timed_show(self: screen_module.PipelineScreen, keep: object) -> None:
        start = time.perf_counter()
        await original_show(self, keep)  # type: ignore[arg-type]
        timings["ui"] = time.perf_counter() - start
        done.set()

    def timed_load(*args: object, **kwargs: object) -> service.Board:
        start = time.perf_counter()
        board = original_load(*args, **kwargs)  # type: ignore[arg-type]
        timings["worker"] = time.perf_counter() - start
        return board

    screen_module.PipelineScreen._show = timed_show  # type: ignore[method-assign]
    screen_module.load_board = timed_load
    try:
        app = MicrocareApp(db_path=db)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("4")
            await asyncio.wait_for(done.wait(), 60)
            timings["shown"] = time.perf_counter() - start
    finally:
        screen_module.PipelineScreen._show = original_show  # type: ignore[method-assign]
        screen_module.load_board = original_load
    return timings["ui"], timings["worker"], timings["shown"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [asyncio.run(one_run(args.db)) for _ in range(args.runs)]
    for name, index in (("ui", 0), ("worker", 1), ("shown", 2)):
        values = [r[index] * 1000 for r in runs]
        print(f"{name:>6}: median {statistics.median(values):6.1f} ms "
              f"(min {min(values):.1f}, max {max(values):.1f}; {len(values)} runs)")  # fmt: skip


if __name__ == "__main__":
    main()
