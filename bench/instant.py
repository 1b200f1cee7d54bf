"""Issue 8 "instant everywhere": every figure in one run, as CPU medians and ratios to bare Textual.

    python bench/instant.py --scale county            # ~3-4 min on a 2-core machine
    python bench/instant.py --scale county --large    # also cold start at 10x county (once ~4 min)
    python bench/instant.py --scale county --no-lookup --runs 3 --json bench/results/x.json

Reported, each the median of --runs repeats, in CPU milliseconds of the app's process (every
thread: the reader and the workers count) and as a ratio to a bare Textual app (Header, Static,
Footer; bench/bare_app.py) measured in the same run:

- cold start to the first interactive frame (Textual's Ready), a fresh process on a 120x40
  pseudo-terminal, for the small and county demos (and large with --large); the child's CPU
  comes from os.wait4, so the machine's other load does not count;
- each screen open: the call screen (ctrl+n), the provider form (n in Providers), the provider
  record (enter in Providers) and its parts p, x, q and k, the lookup (ctrl+f), the
  providers list (3), the enquiries list (2), Settings (9),
  the sections Pipeline (4), Training (5), Quality (6), Reports (7) and Sync (8), and Home
  (1), each until its data is painted and the app is quiet;
- the cost of one key typed in a text field: the provider form's name, the call screen's
  caller name, the providers list filter, the enquiries search, the programme settings form;
  and, after the last key, the CPU until the app is quiet again (the lists' filters ask for
  their page once typing pauses, so that work is counted here, not per key);
- the lookup keystroke p95 and the store query p95 (bench/lookup_keystroke.py, Pilot);
- `microcare check` and `microcare search` as whole processes, against `microcare --version`.

Two drivers: "lean" sends the key event as Pilot does, then polls (1 ms sleeps) until no
worker runs, no message is queued and the screen has nothing left to lay out or paint;
"pilot" is `pilot.press` + `pilot.pause()` + waiting for workers, which adds Pilot's own
per-press cost (it grows with the number of widgets). Quote the lean figures; the Pilot ones
show what the tests see. Demo databases are cached in bench/.cache/ (lookup_keystroke.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_procs import cli_figures, cold_start_figures  # noqa: E402
from lookup_keystroke import TODAY, bench_app, bench_store, demo_database, pct  # noqa: E402
from settle import polling_ms, settle  # noqa: E402

from microcare_tui.ui.screens.call_prepare import PREPARE_AFTER_S, preparing  # noqa: E402

# After the delay, a screen is composed, then laid out off screen in rounds a tenth of a second
# apart (cheap_screen.lay_out_off_screen): a second covers them, on a loaded machine too.
PREPARED_S = 1.0

SIZE = (120, 40)
WORD = "Oak Tree Companions"  # typed into each field, one key at a time
FIELDS = [
    "provider form name",
    "call caller name",
    "providers filter",
    "enquiries search",
    "settings field",
]
Driver = Callable[[Any, str], Awaitable[None]]
# The record's parts that list lines (people, evidence, QA checks, concerns), by their key.
RECORD_PARTS = [("p", "record: people"), ("x", "record: evidence"), ("q", "record: QA checks"),
                ("k", "record: concerns")]  # fmt: skip
# The register's and the team's sections (issues 9 and 10), opened by their number: each is
# timed until its data is painted and the app is quiet, as the other screens are.
SECTIONS = [("4", "pipeline board"), ("5", "training"), ("6", "quality"), ("7", "reports"),
            ("8", "sync")]  # fmt: skip


# -- drivers ---------------------------------------------------------------------------------
async def lean_press(app: Any, key: str) -> None:
    """Send one key as Pilot does (through the driver), then wait for the app to settle."""
    from textual import events
    from textual.keys import _character_to_key

    name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
    event = events.Key(name, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)
    await settle(app)


def pilot_driver(pilot: Any) -> Driver:
    async def press(app: Any, key: str) -> None:
        from textual.worker import WorkerCancelled

        await pilot.press(key)
        for _ in range(10):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:  # an exclusive worker (a search) replaced by a newer one
                continue
        await pilot.pause()

    return press


async def timed(press: Driver, app: Any, key: str) -> float:
    """CPU ms of the app from sending `key` until it is quiet, less the bench's own polling
    (it walks every widget of the screen for queued messages: ~1-2 ms a key on a busy screen)."""
    polled = polling_ms()
    started = time.process_time()
    await press(app, key)
    return (time.process_time() - started) * 1000 - (polling_ms() - polled)


# -- the app, in process ---------------------------------------------------------------------
def forget_drafts(db: Path) -> None:
    """Delete the call drafts kept in `db`: typing in the call screen keeps one, and the next
    ctrl+n would then open the "restore the unsaved call?" question over the form."""
    from microcare_tui.services.database import open_database
    from microcare_tui.services.drafts import delete_draft, load_drafts

    store = open_database(db, worker="Bench")
    try:
        for draft in load_drafts(store).drafts:
            delete_draft(store, draft.id)
    finally:
        store.close()


def fresh_app(cls: Any, db: Path) -> Any:
    """The app on `db` with an empty data folder and no call draft left by the last run."""
    os.environ["MICROCARE_DATA_DIR"] = tempfile.mkdtemp(prefix="microcare-bench-")
    forget_drafts(db)
    return cls(db_path=db, today=TODAY)


async def prepared(app: Any) -> None:
    """Wait (idle) until the app has made every screen it makes off screen after start-up
    (call_prepare.py: the call screen, the record, Providers with its form, Enquiries,
    Settings, one every PREPARE_AFTER_S), then for the last one's layout rounds."""
    await asyncio.sleep(PREPARE_AFTER_S)
    while preparing(app):  # noqa: ASYNC110 - the app says so only when asked
        await asyncio.sleep(0.05)
    await asyncio.sleep(PREPARED_S)
    await settle(app)


async def _to_providers(app: Any, press: Driver) -> None:
    await press(app, "3")
    await settle(app)


async def screen_opens(db: Path, driver: str) -> dict[str, float]:
    """One fresh app: each screen opened twice ('name' the first open in the session, which
    imports its modules; 'name again' the second, when modes are already mounted)."""
    from microcare_tui.ui.app import MicrocareApp

    app = fresh_app(MicrocareApp, db)
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        # The app makes the call screen, the record, Providers (and its form), Enquiries and
        # Settings off screen, one at a time, once it has been idle a moment after start-up
        # (call_prepare.py): that is idle time, reported apart, not in the keys' figures.
        started = time.process_time()
        await prepared(app)
        out["screens prepared (idle)"] = (time.process_time() - started) * 1000
        press: Driver = lean_press if driver == "lean" else pilot_driver(pilot)
        for suffix in ("", " again"):
            out["call" + suffix] = await timed(press, app, "ctrl+n")
            app.pop_screen()
            await settle(app)
            out["providers list" + suffix] = await timed(press, app, "3")
            out["provider record" + suffix] = await timed(press, app, "enter")
            for key, part in RECORD_PARTS:
                out[part + suffix] = await timed(press, app, key)
            app.pop_screen()
            await settle(app)
            out["lookup (ctrl+f)" + suffix] = await timed(press, app, "ctrl+f")
            app.pop_screen()
            await settle(app)
            out["provider form" + suffix] = await timed(press, app, "n")
            app.pop_screen()
            await settle(app)
            out["enquiries list" + suffix] = await timed(press, app, "2")
            out["settings" + suffix] = await timed(press, app, "9")
            for key, section in SECTIONS:
                out[section + suffix] = await timed(press, app, key)
            out["Home" + suffix] = await timed(press, app, "1")
    return out


async def _open_field(app: Any, press: Driver, field: str) -> str:
    """Open the screen holding `field`; its selector."""
    if field == "call caller name":
        await press(app, "ctrl+n")
        return "#caller_name"
    if field == "enquiries search":
        await press(app, "2")
        return "#enquiries-search"
    if field == "settings field":
        await press(app, "9")
        await press(app, "e")  # the programme settings form
        return "#worker_name"
    await _to_providers(app, press)
    if field == "provider form name":
        await press(app, "n")
        return "#name"
    return "#providers-filter"


async def per_key(db: Path, driver: str, field: str) -> tuple[list[float], float]:
    """CPU ms per key typing WORD into one field, and the CPU ms from the last key until the
    app is quiet again (a list's filter asks for its page once typing pauses)."""
    from textual.widgets import Input

    from microcare_tui.ui.app import MicrocareApp

    app = fresh_app(MicrocareApp, db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await prepared(app)  # no screen made off screen while the keys are timed
        press: Driver = lean_press if driver == "lean" else pilot_driver(pilot)
        target = await _open_field(app, press, field)
        await settle(app)
        field_widget = app.screen.query_one(target, Input)
        field_widget.focus()
        await settle(app)
        keys = [await timed(press, app, ch) for ch in WORD]
        started = time.process_time()
        await asyncio.sleep(0.5)  # past any debounce
        await settle(app)
        after = (time.process_time() - started) * 1000
        value = field_widget.value
        assert value.endswith(WORD), f"{field}: typed {WORD!r}, the field holds {value!r}"
        if field == "call caller name":
            app.screen.session.discard_draft()
    return keys, after


async def bare_reference(driver: str) -> dict[str, float | list[float]]:
    """The bare app: pushing Header/Static/Footer as a screen, and one key in a plain Input."""
    from bare_app import BareApp, BareInputScreen, BareScreen

    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        press: Driver = lean_press if driver == "lean" else pilot_driver(pilot)
        started = time.process_time()
        app.open(BareScreen())
        await settle(app) if driver == "lean" else await pilot.pause()
        push = (time.process_time() - started) * 1000
        app.pop_screen()
        app.open(BareInputScreen())
        await settle(app)
        keys = [await timed(press, app, ch) for ch in WORD]
    return {"screen": push, "keys": keys}


def in_process(db: Path, runs: int) -> dict[str, Any]:
    """Screen opens and per-key costs, both drivers, medians over `runs` fresh apps."""
    result: dict[str, Any] = {}
    for driver in ("lean", "pilot"):
        opens: dict[str, list[float]] = {}
        bare_push: list[float] = []
        bare_keys: list[float] = []
        for _ in range(runs):
            for name, ms in asyncio.run(screen_opens(db, driver)).items():
                opens.setdefault(name, []).append(ms)
            ref = asyncio.run(bare_reference(driver))
            bare_push.append(float(ref["screen"]))  # type: ignore[arg-type]
            bare_keys.extend(ref["keys"])  # type: ignore[arg-type]
        keys: dict[str, list[float]] = {f: [] for f in FIELDS}
        after: dict[str, list[float]] = {f: [] for f in FIELDS}
        for _ in range(max(1, runs // 2)):
            for field in FIELDS:
                typed, quiet = asyncio.run(per_key(db, driver, field))
                keys[field].extend(typed)
                after[field].append(quiet)
        result[driver] = {
            "bare_screen_ms": statistics.median(bare_push),
            "bare_key_ms": statistics.median(bare_keys),
            "opens_ms": {n: statistics.median(v) for n, v in opens.items()},
            "key_ms": {f: statistics.median(v) for f, v in keys.items()},
            "after_typing_ms": {f: statistics.median(v) for f, v in after.items()},
        }
    return result


# -- report ----------------------------------------------------------------------------------
def _r(ms: float, bare: float) -> str:
    return f"{ms:7.1f} ms  {ms / bare:5.2f}x" if bare else f"{ms:7.1f} ms"


def report(fig: dict[str, Any]) -> None:
    print(f"Instant bench · {fig['scale']} · {fig['runs']} runs · load {fig['load']}")
    cs = fig["cold_start"]
    if cs:
        _report_cold(cs)
    if fig["app"]:
        _report_app(fig)
    if fig["cli"]:
        _report_cli(fig["cli"])


def _report_cold(cs: dict[str, Any]) -> None:
    print(f"cold start to first interactive frame (CPU; wall)   bare Textual "
          f"{cs['bare']['cpu_ms']:.0f} ms; {cs['bare']['wall_ms']:.0f} ms")  # fmt: skip
    for scale, v in cs.items():
        if scale != "bare":
            ratio = _r(v["cpu_ms"], cs["bare"]["cpu_ms"])
            print(f"  {scale:<8} {ratio}   wall {v['wall_ms']:.0f} ms")


def _report_app(fig: dict[str, Any]) -> None:
    for driver in ("lean", "pilot"):
        d = fig["app"][driver]
        print(f"screen open, {driver} driver (ratio to pushing a bare screen, "
              f"{d['bare_screen_ms']:.1f} ms)")  # fmt: skip
        for name, ms in d["opens_ms"].items():
            print(f"  {name:<16} {_r(ms, d['bare_screen_ms'])}")
        print(f"per key, {driver} driver (ratio to a bare Input, {d['bare_key_ms']:.1f} ms);"
              " then, after the last key, until the app is quiet (a filter's page)")  # fmt: skip
        for name, ms in d["key_ms"].items():
            after = d.get("after_typing_ms", {}).get(name, float("nan"))
            print(f"  {name:<20} {_r(ms, d['bare_key_ms'])}   then {after:6.1f} ms")
    if fig.get("lookup"):
        lk = fig["lookup"]
        print(f"lookup keystroke (Pilot): p50 {lk['key_p50']:.1f} ms  p95 {lk['key_p95']:.1f} ms;"
              f" store query p95 {lk['store_p95']:.2f} ms")  # fmt: skip


def _report_cli(cli: dict[str, Any]) -> None:
    base = cli["--version"]["cpu_ms"]
    print("whole process (CPU; wall), ratio to `microcare --version`")
    for name, v in cli.items():
        print(f"  {name:<18} {_r(v['cpu_ms'], base)}   wall {v['wall_ms']:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["small", "county", "large"], default="county")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="also cold start at large scale")
    parser.add_argument("--no-lookup", action="store_true", help="skip the lookup keystrokes")
    parser.add_argument("--only", choices=["cold", "app", "cli"], help="one part only")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    scales = ["small", "county"] + (["large"] if args.large or args.scale == "large" else [])
    dbs = {s: demo_database(s) for s in dict.fromkeys([*scales, args.scale])}
    db = dbs[args.scale]
    os.environ["MICROCARE_DATA_DIR"] = tempfile.mkdtemp(prefix="microcare-bench-")
    os.environ["MICROCARE_THEME"] = "textual-dark"
    fig: dict[str, Any] = {
        "scale": args.scale,
        "runs": args.runs,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "cold_start": {},
        "app": {},
        "cli": {},
    }
    if args.only in (None, "cold"):
        fig["cold_start"] = cold_start_figures({s: dbs[s] for s in scales}, args.runs)
    if args.only in (None, "cli"):
        fig["cli"] = cli_figures(db, args.runs)
    if args.only in (None, "app"):
        fig["app"] = in_process(db, args.runs)
        if not args.no_lookup:
            store_ms = bench_store(db)
            key_ms, _slowest = asyncio.run(bench_app(db, "lookup", SIZE))
            fig["lookup"] = {
                "key_p50": statistics.median(key_ms),
                "key_p95": pct(key_ms, 95),
                "store_p95": pct(store_ms, 95),
            }
    fig["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report(fig)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
