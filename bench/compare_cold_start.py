"""Cold start of checkouts side by side, against a bare Textual app, interleaved.

CPU time (user + system) of each process from spawn until it exits at Textual's Ready
event (MICROCARE_EXIT_ON_READY), on a small demo database, on a 120x40 pseudo-terminal. Runs
of each checkout and of a bare Header/Static/Footer app alternate, so load on the machine
falls on all of them alike; the ratio to bare Textual is what holds from machine to machine.

    git worktree add --detach /tmp/before <commit>
    python bench/compare_cold_start.py --runs 11 /tmp/before .
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
from pathlib import Path

BARE = """
import os, time
from pathlib import Path
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header(); yield Static("hello"); yield Footer()
    def on_ready(self):
        Path(os.environ["MICROCARE_EXIT_ON_READY"]).write_text(f"{time.time():.6f}")
        self.exit()
Bare().run()
"""


def cpu_ms_to_ready(cmd: list[str], cwd: str, env: dict[str, str]) -> float:
    """CPU milliseconds the process used until it exited at Ready."""
    marker = Path(tempfile.mkstemp(prefix="ready-")[1])
    marker.unlink()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

    def drain() -> None:
        try:
            while os.read(master, 65536):
                pass
        except OSError:
            pass

    threading.Thread(target=drain, daemon=True).start()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "MICROCARE_EXIT_ON_READY": str(marker)},
        close_fds=True,
    )
    os.close(slave)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = status
    os.close(master)
    if not marker.exists():
        raise RuntimeError(f"never ready: {cmd} in {cwd}")
    marker.unlink()
    return (usage.ru_utime + usage.ru_stime) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("trees", nargs="+", help="checkouts to compare (run from their root)")
    args = parser.parse_args()
    python = sys.executable
    data = Path(tempfile.mkdtemp(prefix="cold-"))
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("MICROCARE_DB", None)
    app = [python, "-m", "microcare_tui", "--demo"]
    envs: dict[str, dict[str, str]] = {}
    for n, tree in enumerate(args.trees):
        folder = data / f"tree{n}"
        folder.mkdir()
        envs[tree] = {**env, "MICROCARE_DATA_DIR": str(folder)}
        subprocess.run(
            [python, "-m", "microcare_tui", "demo"],
            cwd=tree,
            env=envs[tree],
            capture_output=True,
            check=True,
        )
        cpu_ms_to_ready(app, tree, envs[tree])  # warm the OS file cache
    cpu_ms_to_ready([python, "-c", BARE], str(data), env)
    results: dict[str, list[float]] = {"bare Textual": []} | {t: [] for t in args.trees}
    for _ in range(args.runs):
        results["bare Textual"].append(cpu_ms_to_ready([python, "-c", BARE], str(data), env))
        for tree in args.trees:
            results[tree].append(cpu_ms_to_ready(app, tree, envs[tree]))
    bare = statistics.median(results["bare Textual"])
    print(f"load average {os.getloadavg()[0]:.1f}; {args.runs} interleaved runs each")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name}: median {median:.0f} ms CPU, min {min(values):.0f}, x{median / bare:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
