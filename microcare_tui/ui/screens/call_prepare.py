"""Composing screens off screen while nobody waits, so the keys that open them only show them.

The first call's screen is composed shortly after start-up, then the provider record's (with
its people and evidence parts), the lookup's (ctrl+f), then the sections a worker opens most
(Providers, Enquiries, Settings, Quality, Sync, the Pipeline board, Training: made as their
key would make them, data and all, and left on their own stacks unseen); the provider form
shortly after the providers list is first made, then the record's evidence and visit forms
and its QA check. One at a time, half a second apart, so a key pressed meanwhile waits for
one screen at most. Kept apart from call.py so the app can ask for it without importing the
call screen (and what it needs) before its first frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from textual.app import App

from microcare_tui.ui.widgets.cheap_screen import compose_off_screen

PREPARE_AFTER_S = 0.5  # after the app is interactive: the first frames are Home's and its data's
# Sections made off screen after the record's screen, in this order (their keys 3, 2, 9, 6,
# 8, 4, 5); the provider form with the providers list.
PREPARED_SECTIONS = (
    "providers",
    "enquiries",
    "settings",
    "quality",
    "sync",
    "pipeline",
    "training",
)


_PENDING: WeakKeyDictionary[App[Any], int] = WeakKeyDictionary()  # steps waiting, per app
_STOPPED: WeakSet[App[Any]] = WeakSet()  # apps closing: nothing more is made off screen


def preparing(app: App[Any]) -> bool:
    """Is a screen still waiting to be made off screen? (The bench waits for them all.)"""
    return _PENDING.get(app, 0) > 0


def prepare_later(app: App[Any], prepare: Callable[[], object]) -> None:
    """Call `prepare` PREPARE_AFTER_S from now (a timer on the app).

    MICROCARE_PREPARE_AFTER_S sets the delay; "off" skips it (the tests: a screen composed in
    the background mid-test would race them; tests/ui/test_screen_cost.py turns it on).
    """
    delay = os.environ.get("MICROCARE_PREPARE_AFTER_S", str(PREPARE_AFTER_S)).strip().lower()
    if delay in ("", "off", "never"):
        return
    _PENDING[app] = _PENDING.get(app, 0) + 1

    def run() -> None:
        try:
            if app not in _STOPPED:
                prepare()
        finally:
            _PENDING[app] -= 1

    app.set_timer(max(float(delay), 0.01), run, name="prepare-screen")


def stop_preparing(app: App[Any]) -> None:
    """The app is closing: the steps still waiting make nothing."""
    _STOPPED.add(app)


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
    steps: list[Callable[[], object]] = [lambda: _prepare_lookup(app)]
    for mode in PREPARED_SECTIONS:
        steps.append(lambda mode=mode: prepare_section(app, mode))  # type: ignore[misc]
        if mode == "providers":  # then the form its n opens, and the record's forms
            steps.append(lambda: _prepare_form(app))
            for form in RECORD_FORMS:
                steps.append(lambda form=form: _prepare_record_form(app, form))  # type: ignore[misc]
    _prepare_in_turn(app, steps)


def _prepare_lookup(app: App[Any]) -> None:
    from microcare_tui.ui.screens.lookup import LookupScreen

    LookupScreen.prepare(app)


def _prepare_in_turn(app: App[Any], steps: list[Callable[[], object]]) -> None:
    """Each step PREPARE_AFTER_S after the last: one screen's cost at a time."""
    if not steps:
        return

    def step() -> None:
        steps[0]()
        _prepare_in_turn(app, steps[1:])

    prepare_later(app, step)


def _prepare_form(app: App[Any]) -> None:
    from microcare_tui.ui.screens.provider_form import ProviderFormScreen

    ProviderFormScreen.prepare(app)  # a no-op if the list's own n made one already


# The record's forms made in advance, for no provider (each is named, and its people or
# checklist set, as it is filled for one), in this order: the evidence form (x a, and enter
# on an evidence line; the dearest to compose), the visit form (what a worker logs most
# often), the QA check (its first open composed ~90-107 ms at county on a fast machine).
RECORD_FORMS = ("evidence", "visit", "qa_check")


def _prepare_record_form(app: App[Any], form: str) -> None:
    from microcare_tui.ui.screens.evidence_form import EvidenceFormScreen
    from microcare_tui.ui.screens.qa_check import QACheckScreen
    from microcare_tui.ui.screens.visit_form import VisitFormScreen

    kept = {"evidence": EvidenceFormScreen, "visit": VisitFormScreen, "qa_check": QACheckScreen}
    kept[form].prepare(app, "")  # a no-op if one was opened already


def prepare_section(app: App[Any], mode: str) -> bool:
    """Make a section's screen now, off screen, as its key would on the first open (the
    screen from the app's MODES, put on that mode's stack), without showing it: it composes,
    reads its data in its worker and is laid out and drawn unseen (the section's on_mount
    calls `prepared_off_screen`), so the key only shows it. False if the section is made
    already (shown once, or prepared) or the app is closing."""
    # Textual keeps one stack per mode; switch_mode makes a mode's screen only when its
    # stack is empty, so a stack holding the prepared screen is what the key then shows.
    stacks = app._screen_stacks
    factory = app._modes.get(mode)
    if stacks.get(mode) or not callable(factory) or not app.is_running:
        return False
    screen = factory()
    stacks[mode] = [screen]
    compose_off_screen(app, screen)
    return True
