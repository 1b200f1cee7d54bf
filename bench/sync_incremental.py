"""Incremental sync: 1,000 changes exported for a colleague who has the rest, and imported there.

    python3 bench/sync_incremental.py                        # 10 rounds, this tree
    python3 bench/sync_incremental.py --root ../base         # the same with another tree's code
    python3 bench/sync_incremental.py --stages               # CPU per step of each round
    python3 bench/sync_incremental.py --profile out.prof     # a cProfile of the rounds
    python3 bench/sync_incremental.py --callgrind run        # one round, for callgrind
    python3 bench/sync_incremental.py --callgrind setup      # the same without the round

issue 10's goal: <= 150 ms. The pair of laptops (a source of the sync core bench's 100,092
changes, and a colleague that imported them all and sent a bundle back) is made once per tree
and kept in bench/.cache/; each run copies it. A round writes 1,000 edits on the source
(not timed), then times `export_bundle(source, DIR, colleague)` and `import_bundle` of that
file on the colleague; the colleague's bundle back is not timed. The first round is left
out (it imports the merge's modules). Prints CPU (time.process_time) and wall medians.

For callgrind (instruction counts do not move with the machine's load), run both
`--callgrind setup` and `--callgrind run` under
`PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null`: the difference
is one warm round.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sync_import_stages import timed  # bench/ is on sys.path when a bench runs

_STAGES = (
    ("services.sync", "export_bundle"),
    ("sync.bundle", "build"),
    ("services.sync", "_write_new"),
    ("services.sync", "import_data"),
    ("sync.bundle", "read"),
    ("services.sync", "_parse_changes"),
    ("sync.merge", "apply"),
    ("store.sync_log", "insert_change_lines"),
    ("sync.merge", "_merge_all"),
    ("store.sync_log", "clocks_for"),
    ("store.sync_log", "rows_for"),
    ("sync.merge", "_Batch.flush"),
    ("store.sync_log", "update_rows"),
    ("store.sync_log", "set_clock_rows"),
    ("sync.merge", "reindex"),
    ("services.sync", "_possible_duplicates"),
)


def _time_stages(spent: dict[str, float]) -> None:
    for module, name in _STAGES:
        mod = importlib.import_module(f"microcare_tui.{module}")
        owner_name, _, attr = name.rpartition(".")
        owner = getattr(mod, owner_name) if owner_name else mod
        if hasattr(owner, attr):
            label = f"{module.rsplit('.', 1)[-1]}.{name}"
            setattr(owner, attr, timed(getattr(owner, attr), label, spent))


def _make_pair(pair: Path) -> None:
    from microcare_tui.services import sync
    from microcare_tui.services.database import open_database
    from microcare_tui.services.team import join_team

    from sync_bundles import laptop, new_team  # isort: skip
    from sync_core import CACHE, make_source  # isort: skip

    source_db = CACHE / "sync-source-100000.db"
    if not source_db.exists():
        CACHE.mkdir(exist_ok=True)
        make_source(source_db, 100_000)
    pair.mkdir(parents=True, exist_ok=True)
    team = new_team()
    shutil.copyfile(source_db, pair / "source.db")
    source = open_database(pair / "source.db", worker="Bench")
    join_team(source, team)
    out = pair / "out"
    out.mkdir(exist_ok=True)
    target = laptop(pair, "target", team)
    sync.import_bundle(target, sync.export_bundle(source, out).path)
    sync.import_bundle(source, sync.export_bundle(target, out).path)
    for store in (source, target):
        store.checkpoint()
        store.close()
    shutil.rmtree(out)


def _rounds(
    work: Path, args: argparse.Namespace, spent: dict[str, float]
) -> tuple[list[float], list[float], list[dict[str, float]]]:
    """(CPU, wall, CPU per stage) of each timed round on copies of the pair in `work`."""
    from microcare_tui.services import sync
    from microcare_tui.store.db import Store

    # Opened as they are (no identity check: a copy would otherwise get new device ids).
    source = Store(work / "source.db", worker="Bench")
    target = Store(work / "target.db", worker="target")
    out = work / "out"
    out.mkdir()
    rounds = 1 if args.callgrind else args.rounds
    cpu: list[float] = []
    wall: list[float] = []
    per_stage: list[dict[str, float]] = []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    for n in range(rounds + 1):
        with source.transaction():
            for k in range(1000):
                source.write_row("providers", {"id": f"p{k:07d}", "notes": f"r{n}-{k}"})
        if args.callgrind == "setup" and n == rounds:
            break
        spent.clear()
        if profiler is not None and n > 0:
            profiler.enable()
        started_cpu, started = time.process_time(), time.perf_counter()
        news = sync.export_bundle(source, out, target.device_id)
        got = sync.import_bundle(target, news.path)
        took_cpu, took = time.process_time() - started_cpu, time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
        assert news.changes == 1000 and got.new_changes == 1000, (news.changes, got)
        if n > 0:
            cpu.append(took_cpu)
            wall.append(took)
            per_stage.append(dict(spent))
        sync.import_bundle(source, sync.export_bundle(target, out).path)
        for made in out.iterdir():
            made.unlink()
    source.close()
    target.close()
    if profiler is not None:
        profiler.dump_stats(str(args.profile))
    return cpu, wall, per_stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="the tree whose code runs (default: this)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--stages", action="store_true", help="CPU per step, per round")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed rounds")
    parser.add_argument("--callgrind", choices=["setup", "run"], help="one round or none")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    root = (args.root or here.parent).resolve()
    sys.path[:0] = [str(root), str(here)]
    os.environ.setdefault("MICROCARE_MACHINE_ID", "bench-machine")
    from microcare_tui.services import sync

    assert Path(sync.__file__).is_relative_to(root), sync.__file__
    # Per tree: a tree's schema may differ from another's.
    pair = here / ".cache" / f"sync-incremental-pair-{root.name}"
    if not (pair / "target.db").exists():
        _make_pair(pair)
    spent: dict[str, float] = {}
    if args.stages:
        _time_stages(spent)
    work = Path(tempfile.mkdtemp(prefix="mc-incremental-"))
    try:
        for name in ("source.db", "target.db"):
            shutil.copyfile(pair / name, work / name)
        cpu, wall, per_stage = _rounds(work, args, spent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.callgrind:
        return
    print(
        f"{root.name}: incremental, 1,000 changes exported and imported: CPU median "
        f"{statistics.median(cpu) * 1000:.0f} ms (fastest {min(cpu) * 1000:.0f}), wall median "
        f"{statistics.median(wall) * 1000:.0f} ms, {len(cpu)} rounds"
    )
    for name in per_stage[0] if per_stage else {}:
        value = statistics.median(r.get(name, 0.0) for r in per_stage)
        print(f"  {name}: {value * 1000:.1f} ms")


if __name__ == "__main__":
    main()
