"""Where a big import's CPU goes, stage by stage (issue 10's import goal).

    python3 bench/sync_import_stages.py                 # 3 imports, this tree
    python3 bench/sync_import_stages.py --root ../main  # the same with another tree's code
    python3 bench/sync_import_stages.py --profile out.prof   # cProfile of one more import

Imports a bundle of the sync core bench's source database (100,092 changes; made once and
kept in bench/.cache/) into new laptops and prints CPU seconds (time.process_time) per stage:
decrypting, unzipping and checking the bundle, parsing the lines, the change log, the merge,
the records' writes, the field clocks, the re-index, the commit, the possible duplicates and
the whole import. Run two trees turn about (interleaved) to compare them on a shared
machine: the stages are steadier than the whole. (From the unmerged sync10c branch.)
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_STAGES = (
    ("sync.envelope", "open_sealed"),
    ("sync.bundle", "_unzip"),
    ("sync.bundle", "_check_members"),
    ("sync.bundle", "read"),
    ("services.sync", "_parse_changes"),
    ("services.sync", "_check_clock"),
    ("sync.merge", "_apply_fresh"),
    ("store.sync_log", "insert_change_lines"),
    ("store.sync_log", "insert_changes"),
    ("sync.merge", "_merge_all"),
    ("store.sync_log", "clocks_for"),
    ("store.sync_log", "rows_for"),
    ("sync.merge", "_Batch.flush"),
    ("store.sync_log", "insert_rows"),
    ("store.sync_log", "update_rows"),
    ("store.sync_log", "set_clock_rows"),
    ("store.sync_log", "set_ranges"),
    ("sync.merge", "reindex"),
    ("services.sync", "_apply"),
    ("services.sync", "_possible_duplicates"),
)


def timed(fn: Callable[..., Any], name: str, spent: dict[str, float]) -> Callable[..., Any]:
    """`fn`, adding its CPU seconds to spent[name] on each call."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - started

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, help="the tree whose code runs (default: this)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one more import")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent
    root = (args.root or here.parent).resolve()
    sys.path[:0] = [str(root), str(here)]
    import importlib

    # microcare_tui first, from `root`: sync_core puts this tree on sys.path when imported.
    from microcare_tui.services import sync
    from microcare_tui.store.db import Store

    from sync_bundles import laptop, new_team  # isort: skip
    from sync_core import CACHE, make_source  # isort: skip

    assert Path(sync.__file__).is_relative_to(root), sync.__file__
    source = CACHE / "sync-source-100000.db"
    if not source.exists():
        CACHE.mkdir(exist_ok=True)
        make_source(source, 100_000)
    folder = Path(tempfile.mkdtemp(prefix="mc-stages-"))
    team = new_team()
    spent: dict[str, float] = {}
    for module, name in _STAGES:
        try:
            mod = importlib.import_module(f"microcare_tui.{module}")
        except ImportError:
            continue
        owner_name, _, attr = name.rpartition(".")
        owner = getattr(mod, owner_name) if owner_name else mod
        if hasattr(owner, attr):
            label = f"{module.rsplit('.', 1)[-1]}.{name}"
            setattr(owner, attr, timed(getattr(owner, attr), label, spent))
    # The commit: the time of the COMMIT statement on the import's connection.
    real_execute = None

    try:
        from microcare_tui.services.database import open_database
        from microcare_tui.services.team import join_team

        work = folder / "source.db"
        shutil.copyfile(source, work)
        src = open_database(work, worker="Bench")
        join_team(src, team)
        made = sync.export_bundle(src, folder)
        src.close()
        per_run: list[dict[str, float]] = []
        for i in range(args.runs + (1 if args.profile else 0)):
            target = laptop(folder, f"t{i}", team)
            real_execute = target.conn.execute
            target.conn = _CommitTimer(target.conn, spent)  # type: ignore[assignment]
            spent.clear()
            profiler = None
            if args.profile and i == args.runs:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            started = time.process_time()
            sync.import_bundle(target, made.path)
            took = time.process_time() - started
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(str(args.profile))
            else:
                spent["import"] = took
                per_run.append(dict(spent))
            target.close()
        medians = {
            k: round(statistics.median(r.get(k, 0.0) for r in per_run), 3) for k in per_run[0]
        }
        print(json.dumps({"root": str(root), "cpu_s_medians": medians}, indent=1))
    finally:
        del real_execute, Store
        shutil.rmtree(folder, ignore_errors=True)


class _CommitTimer:
    """A connection that times its COMMIT statements (everything else passed through)."""

    def __init__(self, conn: Any, spent: dict[str, float]) -> None:
        self._conn = conn
        self._spent = spent

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT":
            started = time.process_time()
            try:
                return self._conn.execute(sql, *args)
            finally:
                self._spent["commit"] = (
                    self._spent.get("commit", 0.0) + time.process_time() - started
                )
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


if __name__ == "__main__":
    main()
