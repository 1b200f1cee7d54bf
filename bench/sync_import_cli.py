"""issue 10's import line as a worker meets it: `microcare sync import` of 100,092 changes.

    python3 bench/sync_import_cli.py                             # 6 runs, this tree
    python3 bench/sync_import_cli.py --root ../base --runs 8     # two trees, turn about

Makes one bundle of the sync core bench's source database (bench/.cache/, made once) and
runs `python -m microcare_tui sync import FILE --db NEW` into a new laptop each time, as its
own process (start, imports, opening the database, every check, the one transaction,
exit). With `--root`, the other tree's code runs in alternate processes (its folder first
on PYTHONPATH), so both meet the same load. Prints, per tree, the median and the fastest of
the wall clock and of the CPU (user + system of the process and its threads, os.wait4).
Compile both trees first (`python -m compileall -q microcare_tui`) when
PYTHONDONTWRITEBYTECODE is set, or each process compiles the modules edited since.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_import(root: Path, bundle: Path, db: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `microcare sync import` process with `root`'s code."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "microcare_tui", "sync", "import", str(bundle), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=root,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import with {root} failed: {err}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--root", type=Path, help="another tree to run turn about")
    args = parser.parse_args()
    sys.path[:0] = [str(HERE.parent), str(HERE)]
    from sync_bundles import laptop, new_team  # isort: skip
    from sync_core import CACHE, make_source  # isort: skip

    from microcare_tui.services import sync
    from microcare_tui.services.database import open_database
    from microcare_tui.services.team import join_team

    source = CACHE / "sync-source-100000.db"
    if not source.exists():
        CACHE.mkdir(exist_ok=True)
        make_source(source, 100_000)
    roots = [HERE.parent] + ([args.root.resolve()] if args.root else [])
    folder = Path(tempfile.mkdtemp(prefix="mc-import-cli-"))
    try:
        team = new_team()
        work = folder / "source.db"
        shutil.copyfile(source, work)
        src = open_database(work, worker="Bench")
        join_team(src, team)
        bundle = sync.export_bundle(src, folder).path
        src.close()
        got: dict[Path, list[tuple[float, float]]] = {r: [] for r in roots}
        for i in range(args.runs):
            for root in roots if i % 2 == 0 else roots[::-1]:
                target = laptop(folder, f"t{i}-{root.name}", team)
                path = target.path
                target.close()
                got[root].append(run_import(root, bundle, path))
                path.unlink()
                print(f"{root.name}: wall {got[root][-1][0]:.2f} s, CPU {got[root][-1][1]:.2f} s")
        for root, runs in got.items():
            walls = [w for w, _ in runs]
            cpus = [c for _, c in runs]
            print(
                f"{root}: {len(runs)} runs; wall median {statistics.median(walls):.2f} s "
                f"(fastest {min(walls):.2f}); CPU median {statistics.median(cpus):.2f} s "
                f"(fastest {min(cpus):.2f})"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
