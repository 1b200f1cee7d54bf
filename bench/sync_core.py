"""Sync core bench: collect changes for export, apply them, incremental, and a save's cost.

    python3 bench/sync_core.py                 # 100,000 changes, median of 3 runs each
    python3 bench/sync_core.py --changes 20000 --runs 5
    python3 bench/sync_core.py --save-only     # only the cost of one provider save

- export: `changes_not_in_json(db, empty vector)`: the JSON lines of a bundle's
  changes.jsonl (zipping and encrypting are the bundle code's). Goal <= 1 s.
- apply: those lines parsed (`Change.from_json`) and applied by `apply_changes` to a new
  laptop's database, in one transaction, search re-indexed. Goal <= 3 s.
- incremental: 1,000 new changes on the source exported for, and applied to, a laptop that
  has everything else.
- save: one `services.providers.save_provider` update on a warm connection (CPU time).
Times are wall-clock medians (CPU time for the save); the source database is cached in
bench/.cache/ (git ignores it).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MICROCARE_MACHINE_ID", "bench-machine")

from microcare_tui.services.database import initialise, open_database  # noqa: E402
from microcare_tui.services.providers import save_provider  # noqa: E402
from microcare_tui.store.db import Store  # noqa: E402
from microcare_tui.store.identity import ensure_identity  # noqa: E402
from microcare_tui.sync.changes import (  # noqa: E402
    Change,
    VersionVector,
    apply_changes,
    changes_not_in_json,
    local_vector,
)

CACHE = Path(__file__).resolve().parent / ".cache"


def make_source(path: Path, changes: int) -> None:
    """A laptop's database with about `changes` logged changes: providers and enquiries
    inserted, then edited (a fifth of the changes are edits of earlier records)."""
    store = open_database(path, worker="Bench")
    initialise(store, "Bench", "Bench team")
    rnd = random.Random(1)
    inserts = changes * 4 // 5
    edits = changes - inserts
    with store.transaction():
        providers = [
            {"id": f"p{i:07d}", "name": f"Provider {i}", "postcode": "TN23 1AA"}
            for i in range(inserts // 5)
        ]
        store.insert_many("providers", providers)
        enquiries = [
            {
                "id": f"e{i:07d}",
                "received_at": "2026-11-01T09:00:00.000+00:00",
                "enquirer_kind": "seeking_support",
                "caller_name": f"Caller {i}",
                "summary": "needs help with shopping",
            }
            for i in range(inserts - len(providers))
        ]
        store.insert_many("enquiries", enquiries)
        for n in range(edits):
            if n % 2:
                store.write_row("providers", {"id": rnd.choice(providers)["id"], "notes": f"n{n}"})
            else:
                row = rnd.choice(enquiries)["id"]
                store.write_row("enquiries", {"id": row, "outcome": f"signposted {n}"})
    store.checkpoint()
    store.close()


def fresh_laptop(folder: Path, name: str) -> Store:
    path = folder / f"{name}.db"
    store = open_database(path, worker=name)
    initialise(store, name, "Bench team")
    return store


def median_ms(samples: list[tuple[float, float]]) -> str:
    """'wall ms (CPU ms)' medians: on a shared machine the CPU time is the steadier figure."""
    wall = statistics.median(w for w, _ in samples) * 1000
    cpu = statistics.median(c for _, c in samples) * 1000
    return f"{wall:,.0f} ms (CPU {cpu:,.0f} ms)"


class Timer:
    """Wall and CPU time of a block, appended to a list."""

    def __init__(self, into: list[tuple[float, float]]) -> None:
        self.into = into

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.into.append((time.perf_counter() - self.wall, time.process_time() - self.cpu))


def bench_sync(changes: int, runs: int) -> None:
    CACHE.mkdir(exist_ok=True)
    source_path = CACHE / f"sync-source-{changes}.db"
    if not source_path.exists():
        print(f"making the source database ({changes:,} changes) ...", flush=True)
        make_source(source_path, changes)
    folder = Path(tempfile.mkdtemp(prefix="mc-sync-bench-"))
    try:
        work = folder / "source.db"
        shutil.copyfile(source_path, work)
        source = Store(work, worker="Bench")
        ensure_identity(source)
        total = source.scalar("SELECT COUNT(*) FROM _change_log")
        export: list[tuple[float, float]] = []
        apply: list[tuple[float, float]] = []
        lines: list[str] = []
        for _ in range(runs):
            with Timer(export):
                lines = list(changes_not_in_json(source, VersionVector()))
        print(f"export: {len(lines):,} changes collected as JSON lines: {median_ms(export)}")
        report = None
        for i in range(runs):
            target = fresh_laptop(folder, f"target{i}")
            with Timer(apply):
                report = apply_changes(target, [Change.from_json(line) for line in lines])
            if i < runs - 1:
                target.close()
        assert report is not None
        print(
            f"apply: {report.new_changes:,} new ({report.duplicates:,} duplicates), "
            f"{report.records_changed:,} records written: {median_ms(apply)}"
        )
        incremental: list[tuple[float, float]] = []
        for n in range(runs):
            with source.transaction():
                for k in range(1000):
                    source.write_row("providers", {"id": f"p{k:07d}", "notes": f"r{n}-{k}"})
            with Timer(incremental):
                wanted = local_vector(target)
                got = [Change.from_json(line) for line in changes_not_in_json(source, wanted)]
                apply_changes(target, got)
        print(f"incremental: 1,000 changes exported and applied: {median_ms(incremental)}")
        print(f"(source log {total:,} changes; {runs} runs each)")
        target.close()
        source.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_save(runs: int = 300) -> None:
    folder = Path(tempfile.mkdtemp(prefix="mc-sync-save-"))
    try:
        store = fresh_laptop(folder, "save")
        provider = save_provider(store, {"name": "Oak Tree Companions"})
        samples = []
        for i in range(runs):
            started = time.process_time()
            save_provider(store, {"name": f"Oak Tree Companions {i}"}, provider.id)
            samples.append(time.process_time() - started)
        print(f"save: one provider update, CPU median {statistics.median(samples) * 1000:.2f} ms")
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--save-only", action="store_true")
    args = parser.parse_args()
    if not args.save_only:
        bench_sync(args.changes, args.runs)
    bench_save()


if __name__ == "__main__":
    main()
