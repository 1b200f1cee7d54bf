"""Sync bundles bench: every figure of issue 10's bench line, as a worker runs them.

    python3 bench/sync_bundles.py                    # all of it, medians of 3 runs
    python3 bench/sync_bundles.py --changes 20000 --runs 5 --no-county
    python3 bench/sync_bundles.py --county PATH      # the snapshot of another database
    python3 bench/sync_bundles.py --snapshot-only    # only the county snapshot

- export: `services.sync.export_bundle` of every change (a new colleague): read the log as
  JSON lines, zip, encrypt to the team key, write, fsync, rename. Goal <= 1 s.
- export, CLI: the same through `microcare sync export --to DIR` in its own process (start,
  imports, opening the database: what a worker waits for), CPU from os.wait4. Goal <= 1 s.
- import: `services.sync.import_bundle` of that file into a new laptop: decrypt, check every
  member and line, apply in one transaction (search re-indexed), look for possible
  duplicates. Goal <= 3 s. import, CLI: `microcare sync import FILE` likewise.
- incremental: 1,000 new changes exported for a colleague who has the rest, and imported
  there. Goal <= 150 ms.
- snapshot: `export_bundle(..., "snapshot")` of the county demo (bench/.cache, made once by
  bench/lookup_keystroke.py's generator, a few minutes; a copy is used) and its import into
  a new laptop.
Wall-clock medians, CPU in brackets (the steadier figure on a shared machine). The source
database is made by bench/sync_core.py's generator and cached in bench/.cache/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sync_core import CACHE, Timer, fresh_laptop, make_source, median_ms  # noqa: E402

from microcare_tui.domain.ids import new_id  # noqa: E402
from microcare_tui.services import sync  # noqa: E402
from microcare_tui.services.database import open_database  # noqa: E402
from microcare_tui.services.team import join_team  # noqa: E402
from microcare_tui.store.db import Store  # noqa: E402


def new_team() -> dict[str, str]:
    from pyrage import x25519

    ident = x25519.Identity.generate()
    return {
        "team_id": new_id(),
        "name": "Bench team",
        "recipient": str(ident.to_public()),
        "secret_key": str(ident),
    }


def laptop(folder: Path, name: str, team: dict[str, str]) -> Store:
    store = fresh_laptop(folder, name)
    join_team(store, team)
    return store


def cli_cpu(*args: str) -> tuple[float, float]:
    """(wall, CPU) of one `microcare ARGS` process (CPU: user + system, from os.wait4)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "microcare_tui", *args], stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"microcare {' '.join(args)} failed: {err.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def bench_bundles(changes: int, runs: int) -> None:
    CACHE.mkdir(exist_ok=True)
    source_path = CACHE / f"sync-source-{changes}.db"
    if not source_path.exists():
        print(f"making the source database ({changes:,} changes) ...", flush=True)
        make_source(source_path, changes)
    folder = Path(tempfile.mkdtemp(prefix="mc-bundle-bench-"))
    team = new_team()
    try:
        work = folder / "source.db"
        shutil.copyfile(source_path, work)
        source = open_database(work, worker="Bench")
        join_team(source, team)
        out = folder / "out"
        out.mkdir()
        export: list[tuple[float, float]] = []
        made = None
        for _ in range(runs):
            with Timer(export):
                made = sync.export_bundle(source, out)
        assert made is not None
        size = made.path.stat().st_size
        print(
            f"export: {made.changes:,} changes, a {size / 1e6:.1f} MB bundle: {median_ms(export)}"
        )
        source.close()  # the CLI opens it in its own process
        cli_export = [
            cli_cpu("sync", "export", "--to", str(out), "--db", str(work)) for _ in range(runs)
        ]
        print(f"export, CLI (`microcare sync export`): {median_ms(cli_export)}")
        source = open_database(work, worker="Bench")
        imports: list[tuple[float, float]] = []
        target = None
        for i in range(runs):
            if target is not None:
                target.close()
            target = laptop(folder, f"target{i}", team)
            with Timer(imports):
                result = sync.import_bundle(target, made.path)
        assert target is not None
        print(
            f"import: {result.new_changes:,} new, {result.records_changed:,} records: "
            f"{median_ms(imports)}"
        )
        cli_import = []
        for i in range(runs):
            fresh = laptop(folder, f"cli{i}", team)
            fresh_path = fresh.path
            fresh.close()
            cli_import.append(cli_cpu("sync", "import", str(made.path), "--db", str(fresh_path)))
        print(f"import, CLI (`microcare sync import`): {median_ms(cli_import)}")
        # The target tells the source what it has (its bundle), as a colleague would.
        sync.import_bundle(source, sync.export_bundle(target, out).path)
        incremental: list[tuple[float, float]] = []
        for n in range(runs):
            with source.transaction():
                for k in range(1000):
                    source.write_row("providers", {"id": f"p{k:07d}", "notes": f"r{n}-{k}"})
            with Timer(incremental):
                news = sync.export_bundle(source, out, target.device_id)
                got = sync.import_bundle(target, news.path)
            assert news.changes == 1000 and got.new_changes == 1000, (news.changes, got)
            sync.import_bundle(source, sync.export_bundle(target, out).path)
        print(f"incremental: 1,000 changes exported and imported: {median_ms(incremental)}")
        target.close()
        source.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_snapshot(county: Path, runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="mc-snapshot-bench-"))
    team = new_team()
    try:
        work = folder / "county.db"
        shutil.copyfile(county, work)
        source = open_database(work, worker="Bench")
        join_team(source, team)
        export: list[tuple[float, float]] = []
        imports: list[tuple[float, float]] = []
        for i in range(runs):
            with Timer(export):
                snap = sync.export_bundle(source, folder, "snapshot")
            target = laptop(folder, f"new{i}", team)
            with Timer(imports):
                result = sync.import_bundle(target, snap.path)
            target.close()
        size = snap.path.stat().st_size
        print(
            f"snapshot of {county.name}: {snap.changes:,} changes, {size / 1e6:.1f} MB: "
            f"export {median_ms(export)}; import into a new laptop {median_ms(imports)} "
            f"({result.records_changed:,} records)"
        )
        source.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--county", type=Path, help="the database to snapshot (default: the county demo)"
    )
    parser.add_argument("--no-county", action="store_true", help="skip the snapshot")
    parser.add_argument("--snapshot-only", action="store_true", help="only the snapshot")
    args = parser.parse_args()
    if not args.snapshot_only:
        bench_bundles(args.changes, args.runs)
    if not args.no_county:
        if args.county is None:
            from lookup_keystroke import demo_database  # the cached county demo

            args.county = demo_database("county")
        bench_snapshot(args.county, args.runs)


if __name__ == "__main__":
    main()
