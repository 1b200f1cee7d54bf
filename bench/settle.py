"""Waiting for an app to be quiet, for the benches. A module of its own, importing nothing of
microcare: a bench that times an app's first frames in a new process (record_and_radar.py)
must not import the app's modules before the app does."""

from __future__ import annotations

import asyncio
import time
from typing import Any


def busy(app: Any) -> bool:
    """Whether the app still has work: a worker running, a screen being made, a layout or
    paint due, or a message queued."""
    from textual.worker import WorkerState

    if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        return True
    if any(  # a screen composed off screen (the call screen after start-up), not done yet
        s.is_running and not s.is_mounted
        for s in app._installed_screens.values()
        if not callable(s)
    ):
        return True
    screen = app.screen
    if paint_due(screen):
        return True
    return any(node._message_queue.qsize() for node in [app, *screen.walk_children(with_self=True)])


def paint_due(screen: Any) -> bool:
    """Whether the screen has a layout, a scroll or a paint still to do."""
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._dirty_widgets
    )


_polling_ms = 0.0  # CPU spent in busy() itself: the bench's, not the app's (timed subtracts it)


def polling_ms() -> float:
    """CPU ms spent so far polling the app (the bench's own work)."""
    return _polling_ms


async def settle(app: Any) -> None:
    """Return once the app has nothing left to do (three quiet polls in a row)."""
    global _polling_ms
    quiet = 0
    while quiet < 3:
        await asyncio.sleep(0.001)
        started = time.process_time()
        is_busy = busy(app)
        _polling_ms += (time.process_time() - started) * 1000
        quiet = 0 if is_busy else quiet + 1
