"""Cold start to first interactive frame: `microcare --demo` on a small demo database.

Each run starts a fresh process on a pseudo-terminal (120x40), with MICROCARE_EXIT_ON_READY
set: the app writes the wall-clock time of Textual's Ready event (first screen painted and
interactive) to a file and quits. Time = ready - just before the process was spawned.

    python bench/cold_start.py            # median of 10
    python bench/cold_start.py --runs 20
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench_procs import cold_start, compile_package

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "cold_start"


def microcare_command() -> list[str]:
    script = shutil.which("microcare") or str(Path(sys.executable).parent / "microcare")
    return [script, "--demo"]


def one_run(env: dict[str, str]) -> float:
    """Seconds from spawning `microcare --demo` on a 120x40 pty to its Ready event."""
    _cpu_ms, wall_ms = cold_start(microcare_command(), env)
    return wall_ms / 1000


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MICROCARE_DATA_DIR": str(CACHE), "TERM": "xterm-256color"}
    env.pop("MICROCARE_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start from bytecode, as an installed app does
    compile_package()
    # First use makes the demo database; that is not a cold start, so do it outside the timing.
    subprocess.run([*microcare_command()[:1], "demo"], env=env, capture_output=True)
    one_run(env)  # warm the OS file cache once, as a laptop that has run the app before
    times = [one_run(env) for _ in range(args.runs)]
    ms = sorted(t * 1000 for t in times)
    print(
        f"cold start to ready, {args.runs} runs: median {statistics.median(ms):.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
