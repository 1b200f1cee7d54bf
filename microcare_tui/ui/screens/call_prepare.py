"""Composing screens off screen while nobody waits, so the keys that open them only show them.

The first call's screen is composed shortly after start-up, then the provider record's; the
provider form shortly after the providers list is first shown. Kept apart from call.py so the
app can ask for it without importing the call screen (and what it needs) before its first
frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from textual.app import App

PREPARE_AFTER_S = 0.5  # after the app is interactive: the first frames are Home's and its data's


def prepare_later(app: App[Any], prepare: Callable[[], object]) -> None:
    """Call `prepare` PREPARE_AFTER_S from now (a timer on the app).

    MICROCARE_PREPARE_AFTER_S sets the delay; "off" skips it (the tests: a screen composed in
    the background mid-test would race them; tests/ui/test_screen_cost.py turns it on).
    """
    delay = os.environ.get("MICROCARE_PREPARE_AFTER_S", str(PREPARE_AFTER_S)).strip().lower()
    if delay in ("", "off", "never"):
        return
    app.set_timer(max(float(delay), 0.01), prepare, name="prepare-screen")


def prepare_call_screen_later(app: App[Any]) -> None:
    """Compose the call screen off screen shortly after the app is interactive."""
    prepare_later(app, lambda: _prepare_call(app))


def _prepare_call(app: App[Any]) -> None:
    from microcare_tui.ui.screens.call import CallScreen

    CallScreen.prepare(app)
    # Then the provider record's screen, a moment later (it is what the lookup opens).
    prepare_later(app, lambda: _prepare_record(app))


def _prepare_record(app: App[Any]) -> None:
    from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen

    ProviderDetailScreen.prepare(app)
