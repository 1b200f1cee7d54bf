"""Instructions per key in a text field, counted by callgrind: the same on a busy machine.

    python3 bench/key_instructions.py                        # the provider form's name, bare Input
    python3 bench/key_instructions.py --field "call caller name" --field bare

Each figure is (Ir(typing LONG keys) - Ir(typing SHORT keys)) / (LONG - SHORT), each count
from a whole process under `valgrind --tool=callgrind` with PYTHONHASHSEED=0, so start-up
cancels out. The app runs on the small demo database with no screen made off screen
(MICROCARE_PREPARE_AFTER_S=off: the field's screen is made by its key), the cursor's blink
off (under valgrind a key takes long enough for the blink timer to fire between keys; for
the call screen, its earlier-callers search and its clock too) and a cheap fixed poll for
quiet between keys. Each process takes 2-4 minutes; repeats agree to
within ~3%. bench/instant.py times the same keys (CPU ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SHORT, LONG = 5, 25
TEXT = "tree companions oak tree companions " * 2


def _quiet(app: Any, field: Any) -> bool:
    # Cheaper than settle.busy (no walk of every widget's queue): it runs between keys.
    from settle import paint_due

    screen = app.screen
    if paint_due(screen):
        return False
    queues = (app._message_queue, screen._message_queue, field._message_queue)
    return not any(q.qsize() for q in queues)


async def _press(app: Any, field: Any, char: str) -> None:
    """Send one key through the driver; wait until three polls in a row find it handled."""
    from textual import events

    event = events.Key("space" if char == " " else char, char)
    event.set_sender(app)
    app._driver.send_message(event)
    quiet = 0
    while quiet < 3:
        await asyncio.sleep(0.002)
        quiet = quiet + 1 if _quiet(app, field) else 0


async def _type(field_name: str, keys: int) -> None:
    """The child: open the field, warm it with four keys, type `keys` more."""
    from bare_app import BareApp, BareInputScreen
    from instant import SIZE, _open_field, fresh_app, lean_press
    from lookup_keystroke import demo_database
    from settle import settle
    from textual.widgets import Input

    if field_name == "bare":
        app: Any = BareApp()
    else:
        from microcare_tui.ui.app import MicrocareApp

        app = fresh_app(MicrocareApp, demo_database("small"))
    async with app.run_test(size=SIZE):
        await settle(app)
        if field_name == "bare":
            app.open(BareInputScreen())
            target = "#bare-input"
        else:
            target = await _open_field(app, lean_press, field_name)
        await settle(app)
        field = app.screen.query_one(target, Input)
        field.cursor_blink = False
        if field_name == "call caller name":
            # Under valgrind a key takes ~0.5 s: the earlier-callers search (after a 0.35 s
            # pause in typing) would run after every key, and the call's clock and draft
            # timers would fire every few keys. Typing at a person's speed runs neither.
            type(app.screen.caller_hint).DEBOUNCE_S = 3600
            for timer in app.screen._call_timers:
                timer.pause()
        field.focus()
        await settle(app)
        for char in "oak ":
            await _press(app, field, char)
        await asyncio.sleep(0.3)
        await settle(app)
        for char in TEXT[:keys]:
            await _press(app, field, char)
        await asyncio.sleep(0.3)
        await settle(app)
        if field_name == "call caller name":
            app.screen.session.discard_draft()


def _instructions(field_name: str, keys: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "MICROCARE_PREPARE_AFTER_S": "off"}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, __file__, "--child", field_name, str(keys)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no count from callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--field", action="append", help="a field of bench/instant.py, or bare")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(_type(args.child[0], int(args.child[1])))
        return 0
    for field_name in args.field or ["provider form name", "bare"]:
        short, long = _instructions(field_name, SHORT), _instructions(field_name, LONG)
        per_key = (long - short) / (LONG - SHORT)
        print(f"{field_name:22} {per_key / 1e6:7.2f} M instructions per key", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
