"""`microcare search` of checkouts side by side, each against its own `microcare --version`.

CPU time (user + system, os.wait4) of whole processes, each checkout's own code
(`bench_procs.checkout_env`, run from a temporary folder), `--version` and the search
alternating between the checkouts so load on the machine falls on all alike.
`MICROCARE_DATA_DIR` is set, as `bench/instant.py` sets it.

    git worktree add --detach /tmp/before <commit>
    python bench/compare_search.py --runs 41 /tmp/before .
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench_procs import _env, _wait, checkout_env, microcare
from lookup_keystroke import demo_database


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="county")
    parser.add_argument("--query", default="shopping ashford tue")
    parser.add_argument("trees", nargs="+", help="checkouts to compare")
    args = parser.parse_args()
    db = str(demo_database(args.scale))
    work = tempfile.mkdtemp(prefix="search-")
    env = {**_env(), "MICROCARE_DATA_DIR": work}
    commands: dict[tuple[str, str], tuple[list[str], dict[str, str]]] = {}
    for tree in (str(Path(t).resolve()) for t in args.trees):
        tree_env = checkout_env(tree, env)
        commands[(tree, "--version")] = ([microcare(), "--version"], tree_env)
        searching = [microcare(), "search", args.query, "--db", db]
        commands[(tree, "search")] = (searching, tree_env)

    def cpu_ms(command: list[str], command_env: dict[str, str]) -> float:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=command_env,
            cwd=work,
        )
        return _wait(proc, 120)[1]

    for command, command_env in commands.values():
        cpu_ms(command, command_env)  # warm the OS file cache
    cpu: dict[tuple[str, str], list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, command_env) in commands.items():
            cpu[name].append(cpu_ms(command, command_env))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} interleaved runs each")
    for tree in dict.fromkeys(tree for tree, _ in commands):
        version = statistics.median(cpu[(tree, "--version")])
        search = statistics.median(cpu[(tree, "search")])
        ratio = search / version
        print(f"{tree}: --version {version:.1f} ms, search {search:.1f} ms, x{ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
