"""Composing the first call's screen shortly after start-up, so the first ctrl+n is instant.

Kept apart from call.py so the app can ask for it without importing the call screen (and what
it needs) before its first frame.
"""

from __future__ import annotations

import os
from typing import Any

from textual.app import App

PREPARE_AFTER_S = 0.5  # after the app is interactive: the first frames are Home's and its data's


def prepare_call_screen_later(app: App[Any]) -> None:
    """Compose the call screen off screen PREPARE_AFTER_S after the app is interactive.

    MICROCARE_PREPARE_AFTER_S sets the delay; "off" skips it (the tests: a screen composed in
    the background mid-test would race them; tests/ui/test_screen_cost.py turns it on).
    """
    delay = os.environ.get("MICROCARE_PREPARE_AFTER_S", str(PREPARE_AFTER_S)).strip().lower()
    if delay in ("", "off", "never"):
        return
    app.set_timer(max(float(delay), 0.01), lambda: _prepare(app), name="prepare-call-screen")


def _prepare(app: App[Any]) -> None:
    from microcare_tui.ui.screens.call import CallScreen

    CallScreen.prepare(app)
