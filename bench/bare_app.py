"""The reference for every ratio in bench/instant.py: a bare Textual app (Header, Static, Footer).

Run as a script it is the cold-start reference: with MICROCARE_EXIT_ON_READY set it writes the
time of its Ready event to that file and quits, exactly as `microcare` does for the bench.
Imported, it gives the in-process references: the same three widgets pushed as a screen (for
screen opens) and a screen with one Input (for the per-key cost).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static


class BareScreen(Screen[None]):
    """Header, Static, Footer: what any screen costs at the least."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a bare Textual screen.")
        yield Footer()


class BareInputScreen(Screen[None]):
    """The bare screen with one plain Input, for the per-key reference."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Type here:")
        yield Input(id="bare-input")
        yield Footer()


class BareApp(App[None]):
    """A bare Textual app."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a bare Textual app.")
        yield Footer()

    def on_ready(self) -> None:
        marker = os.environ.get("MICROCARE_EXIT_ON_READY")
        if marker:
            Path(marker).write_text(
                f"{time.time():.6f} {time.process_time():.6f}\n", encoding="utf-8"
            )
            self.exit()

    def open(self, screen: Any) -> None:
        """Push a screen (the bench's reference screen open)."""
        self.push_screen(screen)


if __name__ == "__main__":
    BareApp().run()
