"""CPU of each key in a few key sequences, through the real app (lean driver), county demo.

    python3 bench/key_sequences.py "ctrl+f,escape" "3,enter,x,a,escape,escape"
    python3 bench/key_sequences.py            # the forms opened from the record, the palette

Each argument is one sequence of keys separated by commas, pressed in a fresh app once it
has made its screens off screen (as bench/instant.py waits); every sequence runs twice
(r0, r1). Prints the CPU ms of the app (every thread) from each key until the app is quiet,
and the screen it ended on. Made for screens the bench's screen opens do not reach: forms
opened from the record (x a: evidence, p a: person, v v: visit, q q: QA check, k k:
concern), the palette, help.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from instant import fresh_app, lean_press, prepared, settle, timed  # noqa: E402
from lookup_keystroke import demo_database  # noqa: E402

DEFAULT = [
    "3,enter,x,a,escape,escape",
    "3,enter,p,a,escape,escape",
    "3,enter,v,v,escape,escape",
    "3,enter,q,q,escape,escape",
    "3,enter,k,k,escape,escape",
    "ctrl+p,escape",
    "f1,escape",
]


async def run(sequences: list[str]) -> None:
    from microcare_tui.ui.app import MicrocareApp

    app = fresh_app(MicrocareApp, demo_database("county"))
    async with app.run_test(size=(120, 40)):
        await settle(app)
        await prepared(app)
        for round_ in range(2):
            for sequence in sequences:
                out = []
                for key in sequence.split(","):
                    out.append(f"{key}:{await timed(lean_press, app, key):.0f}")
                print(f"r{round_} " + " ".join(out) + f"  [{type(app.screen).__name__}]")


def main() -> int:
    os.environ["MICROCARE_THEME"] = "textual-dark"
    print(f"load {os.getloadavg()[0]:.1f}")
    asyncio.run(run(sys.argv[1:] or DEFAULT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
