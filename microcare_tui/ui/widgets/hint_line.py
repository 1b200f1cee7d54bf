"""Quiet lines under a field: what was understood, or an earlier caller who may be this one."""

from __future__ import annotations

from functools import partial

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from microcare_tui.services.call_views import Hint
from microcare_tui.services.earlier_callers import find_earlier_callers, worth_looking_for_callers
from microcare_tui.services.enquiries import EarlierCaller
from microcare_tui.ui.access import AppAccess


class HintLine(Static):
    """A line under a field: hidden while empty, marked `-found` when it points at something."""

    def __init__(self, id: str) -> None:  # noqa: A002 - Textual's own widgets take `id`
        super().__init__("", id=id, classes="hint -empty", markup=False)

    _shown = Hint("")

    def show(self, hint: Hint) -> None:
        """Show this hint (an empty one hides the line)."""
        if hint == self._shown:
            return  # e.g. still nobody found as the caller's name is typed: no layout pass
        self._shown = hint
        self.update(hint.text)
        self.set_class(not hint.text, "-empty")
        self.set_class(hint.found, "-found")


class CallerHint(AppAccess, HintLine):
    """Under the caller's phone: earlier enquiries that may be from this caller.

    `look_for(name, phone)` waits for a pause in typing, searches off the UI thread and
    posts `Found` with what it found (an empty list when too little is typed to look).
    """

    DEBOUNCE_S = 0.35

    class Found(Message):
        """Earlier callers for the name and phone last typed, best first."""

        def __init__(self, hint: CallerHint, callers: list[EarlierCaller]) -> None:
            super().__init__()
            self.hint = hint
            self.callers = callers

        @property
        def control(self) -> CallerHint:
            return self.hint

    def __init__(self, id: str, exclude_id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.exclude_id = exclude_id  # the enquiry being edited is not an earlier caller
        self._timer: Timer | None = None

    def look_for(self, name: str, phone: str) -> None:
        """Look for earlier callers once the typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE_S, partial(self._look, name, phone))

    def _look(self, name: str, phone: str) -> None:
        if not worth_looking_for_callers(name, phone):
            self.post_message(self.Found(self, []))
            return
        self._search(name, phone)

    @work(thread=True, exclusive=True, group="contacts", exit_on_error=False)
    def _search(self, name: str, phone: str) -> None:
        exclude_id = self.exclude_id
        callers = self.mc.read(lambda db: find_earlier_callers(db, name, phone, exclude_id))
        if callers is not None:
            self.post_message(self.Found(self, callers))
