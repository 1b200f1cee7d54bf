"""Whole-process timings for bench/instant.py: cold starts on a pseudo-terminal, and CLI commands.

Each child's CPU time (user + system, all its threads) comes from os.wait4, so other processes
on a busy machine do not count; wall time is reported beside it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def microcare() -> str:
    """The installed `microcare` entry point of this environment."""
    return shutil.which("microcare") or str(Path(sys.executable).parent / "microcare")


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> tuple[int, float]:
    """Reap the child and return (exit status, CPU ms), killing it after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, (usage.ru_utime + usage.ru_stime) * 1000
        if time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.002)


def cold_start(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU ms, wall ms) from spawning `command` on a 120x40 pty to its Ready event.

    The CPU is what the process reports at Ready (time.process_time, every thread), not what
    it used by the time it exited: quitting (closing screens, the interpreter's last garbage
    collection) is not start-up, and differs between apps. An older app that writes only the
    time is counted to its exit (os.wait4)."""
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
    started = time.time()
    proc = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "MICROCARE_EXIT_ON_READY": str(marker)},
        close_fds=True,
    )
    os.close(slave)
    try:
        _status, cpu = _wait(proc, 120)
    finally:
        os.close(master)
    if not marker.exists():
        raise RuntimeError(f"{command} never became ready")
    ready, *at_ready = (float(x) for x in marker.read_text().split())
    marker.unlink()
    return (at_ready[0] * 1000 if at_ready else cpu), (ready - started) * 1000


def _env() -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("MICROCARE_DB", None)
    # An installed microcare starts from bytecode (pip compiles it; Textual's own is), so the
    # children must too: with PYTHONDONTWRITEBYTECODE set (some shells and CI images set it),
    # an editable checkout would compile every module from source on every start (~250 ms),
    # which the bare Textual reference never pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compile_package()
    return env


_compiled: list[bool] = []


def compile_package() -> None:
    """Write the package's bytecode once (as `pip install` does), so no timed run compiles."""
    if not _compiled:
        import compileall

        compileall.compile_dir(str(HERE.parent / "microcare_tui"), quiet=1)
        _compiled.append(True)


def checkout_env(tree: str, env: dict[str, str]) -> dict[str, str]:
    """`env` for a child running checkout `tree`'s own code: compiled once, its folder first on
    PYTHONPATH. Start the child outside any checkout: `python -m` puts the working directory
    ahead of PYTHONPATH (run from the repository, every tree ran the repository's code)."""
    import compileall

    compileall.compile_dir(str(Path(tree) / "microcare_tui"), quiet=1)
    return {**env, "PYTHONPATH": tree}


def cold_start_figures(dbs: dict[str, Path], runs: int) -> dict[str, Any]:
    """Medians of `runs` cold starts: the bare app and microcare on each database, interleaved
    (bare, small, county, bare, ...) so a change in the machine's load hits them alike."""
    env = _env()
    commands = {"bare": [sys.executable, str(HERE / "bare_app.py")]}
    commands |= {scale: [microcare(), "--db", str(path)] for scale, path in dbs.items()}
    for command in commands.values():
        cold_start(command, env)  # warm the OS file cache (and migrate a cached database)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(cold_start(command, env))
    return {
        name: {
            "cpu_ms": statistics.median(s[0] for s in got),
            "wall_ms": statistics.median(s[1] for s in got),
        }
        for name, got in samples.items()
    }


def run_cli(args: list[str]) -> tuple[float, float]:
    """(CPU ms, wall ms) of one whole `microcare` process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [microcare(), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
    )
    status, cpu = _wait(proc, 300)
    wall = (time.perf_counter() - started) * 1000
    if status not in (0, 1):  # check exits 1 when it finds something to report
        raise RuntimeError(f"microcare {args} exited {status}")
    return cpu, wall


def cli_figures(db: Path, runs: int) -> dict[str, Any]:
    """`microcare --version`, `check` and `search` as whole processes, medians of `runs`."""
    commands = {
        "--version": ["--version"],
        "check": ["check", "--db", str(db)],
        "search": ["search", "shopping ashford tue", "--db", str(db)],
    }
    for args in commands.values():
        run_cli(args)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            samples[name].append(run_cli(args))
    return {
        name: {
            "cpu_ms": statistics.median(s[0] for s in got),
            "wall_ms": statistics.median(s[1] for s in got),
        }
        for name, got in samples.items()
    }
