"""Cold start of checkouts side by side, against a bare Textual app, interleaved.

CPU time (user + system) of each process from spawn until it exits at Textual's Ready
event (MICROCARE_EXIT_ON_READY), on a small demo database, on a 120x40 pseudo-terminal
(bench_procs.cold_start, as bench/instant.py measures). Runs of each checkout and of the
bare app (bench/bare_app.py) alternate, so load on the machine falls on all of them alike;
the ratio to bare Textual is what holds from machine to machine.

    git worktree add --detach /tmp/before <commit>
    python bench/compare_cold_start.py --runs 11 /tmp/before .
    python bench/compare_cold_start.py --runs 31 --db bench/.cache/lookup-county-seed1.db \
        /tmp/before .

With --db, every tree starts on that database (`--db PATH`) instead of its own small demo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_procs import HERE, checkout_env, cold_start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--db", type=Path, help="start every tree on this database")
    parser.add_argument("trees", nargs="+", help="checkouts to compare")
    args = parser.parse_args()
    db = str(args.db.resolve()) if args.db else None
    data = Path(tempfile.mkdtemp(prefix="cold-"))
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("MICROCARE_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start from bytecode, as an installed app does
    commands = {"bare Textual": ([sys.executable, str(HERE / "bare_app.py")], env)}
    trees = [str(Path(tree).resolve()) for tree in args.trees]
    os.chdir(data)  # outside every checkout (see checkout_env)
    for n, tree in enumerate(trees):
        # Each checkout's own code on its own demo database (or on --db).
        tree_env = checkout_env(tree, {**env, "MICROCARE_DATA_DIR": str(data / f"tree{n}")})
        if db:
            commands[tree] = ([sys.executable, "-m", "microcare_tui", "--db", db], tree_env)
            continue
        subprocess.run(
            [sys.executable, "-m", "microcare_tui", "demo"],
            env=tree_env,
            capture_output=True,
            check=True,
        )
        commands[tree] = ([sys.executable, "-m", "microcare_tui", "--demo"], tree_env)
    for command, command_env in commands.values():
        cold_start(command, command_env)  # warm the OS file cache
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, command_env) in commands.items():
            cpu[name].append(cold_start(command, command_env)[0])
    bare = statistics.median(cpu["bare Textual"])
    print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} interleaved runs each")
    for name, values in cpu.items():
        median = statistics.median(values)
        print(f"{name}: median {median:.0f} ms CPU, min {min(values):.0f}, x{median / bare:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
