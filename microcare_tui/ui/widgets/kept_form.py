"""KeptForm: a form composed once per app and filled afresh for each provider or item.

Composing a form (its fields, their CSS, the box model, the first paint) was nearly all the
cost of opening it, on every open: 100-290 ms of CPU at county for the forms opened from a
provider's record. As the call screen does, a form is kept (installed) when it closes and
the next open fills it afresh (`open_for`): every field's value, no error left from before,
its heading, the first field focused, and clean, so escape on it untouched does not ask.
A form whose fixed lists differ (the evidence types, changed in Settings) or that is open
already (under a dialog, or under a record opened from it) gets a new screen, kept in turn.

A form says what it shows in a `FormFill` (`read_fill`), read when it is composed and again
each time it is filled, and how to aim at a provider or item (`aim`, the constructor's
arguments); the rest is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self
from weakref import WeakKeyDictionary

from textual.app import App
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Input, Static

from microcare_tui.ui.widgets.cheap_screen import (
    compose_off_screen,
    keep_screen,
    on_a_stack,
    prepared_off_screen,
    update_text,
)
from microcare_tui.ui.widgets.form import (
    FormScreen,
    KeySelect,
    MultiPick,
    set_control,
)

__all__ = ["FormFill", "KeptForm"]


@dataclass(frozen=True)
class FormFill:
    """What a form shows for one provider or item."""

    values: dict[str, Any]  # each field's value, by field name
    heading: str  # the form's heading line (the Static with id form-heading)
    # The lists the form is composed with (evidence types...): another list composes anew.
    lists: tuple[Any, ...] = ()
    # The choices of a KeySelect that follow the item (a provider's people, its next
    # stages), by field: set in place as the form is filled.
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


class KeptForm(FormScreen):
    """A FormScreen kept per app and filled afresh by `open_for` (see the module's notes).

    A subclass sets KEPT to a module-level WeakKeyDictionary of its own, implements `aim`
    (which takes the constructor's arguments) and `read_fill`, composes its fields from
    `self.fill` (set by `read_fill_now`) with a Static of id form-heading, and may add
    FIRST_FIELD (the control focused as it opens; the first field's by default) and `started`.
    """

    KEPT: ClassVar[WeakKeyDictionary[App[Any], Any]]
    FIRST_FIELD = ""  # a selector; empty: the first field's control
    fill: FormFill

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """A new form, aimed (`aim`) at what these arguments say."""
        super().__init__()
        self.aim(*args, **kwargs)

    # -- what each form says -----------------------------------------------------------------
    def aim(self, *args: Any, **kwargs: Any) -> None:
        """Point the form at a provider or item (the constructor's arguments)."""
        raise NotImplementedError

    def read_fill(self) -> FormFill:
        """Read what the form shows for what it is aimed at (through the services)."""
        raise NotImplementedError

    def started(self) -> None:
        """What a form does beyond its fields as it opens (new or filled afresh)."""

    def read_fill_now(self) -> FormFill:
        """Read the fill to compose with (call at the top of compose) and remember it."""
        self.fill = self.read_fill()
        return self.fill

    # -- one screen of each kind per app -----------------------------------------------------
    @classmethod
    def open_for(cls, app: App[Any], *args: Any, **kwargs: Any) -> Self:
        """The form for these arguments (as the constructor takes them): the kept one, filled
        afresh, when it is free and its lists are still the database's; otherwise a new one
        (kept in turn). The caller pushes it."""
        kept: Self | None = cls.KEPT.get(app)
        if kept is not None and (on_a_stack(app, kept) or not kept.is_mounted):
            # open under this one, or still being prepared: one of its own, not kept
            return cls(*args, **kwargs)
        if kept is not None:
            if kept.load(*args, **kwargs):
                return kept
            app.uninstall_screen(kept)  # the lists changed (settings, another database)
            kept.remove()
        return keep_screen(cls.KEPT, app, cls(*args, **kwargs), cls.__name__)

    @classmethod
    def prepare(cls, app: App[Any], *args: Any, **kwargs: Any) -> None:
        """Compose the form now, off screen (no-op if there is one), so its first open only
        fills and shows it."""
        if app in cls.KEPT or not app.is_running:
            return
        compose_off_screen(app, keep_screen(cls.KEPT, app, cls(*args, **kwargs), cls.__name__))

    def load(self, *args: Any, **kwargs: Any) -> bool:
        """Fill this (kept) form as a new form opens for these arguments; False when its
        lists are no longer the database's (the caller composes a new form then)."""
        self.aim(*args, **kwargs)
        fill = self.read_fill()
        if fill.lists != self.fill.lists:
            return False
        self.fill = fill
        for name, choices in fill.options.items():
            self.query_one(f"#{name}", KeySelect).set_choices(choices)
        for row in self.field_rows():
            row.set_error(None)
            if isinstance(row.control, MultiPick):
                row.control.clear_filter()
            set_control(row.control, fill.values[row.field])
        update_text(self.query_one("#form-heading", Static), fill.heading)
        self.start()
        return True

    # -- opening -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        # (FormScreen's on_mount runs after this one too: Textual calls each class's.)
        if not on_a_stack(self.app, self):
            prepared_off_screen(self)  # composed off screen (prepare): open_for fills it
            return
        self.start()

    def start(self) -> None:
        """What opening the form does, on a new screen or on the kept one filled afresh."""
        self.started()
        first = self._first_field()
        if isinstance(self.focused, Input) and self.focused is not first:
            self._unchecked_blur = self.focused  # left for the last provider, not checked
        first.focus()
        for body in self.children:  # the form's body: a query matched every widget (~ms)
            if isinstance(body, ScrollableContainer):
                body.scroll_home(animate=False)
        # What the form opened with, read now: the Changed events the fields post for their
        # new values arrive later and set `dirty`, but leaving unchanged never asks.
        self.dirty = False
        self._initial = self.values()

    def _first_field(self) -> Widget:
        if self.FIRST_FIELD:
            return self.query_one(self.FIRST_FIELD)
        control = self.field_rows()[0].control
        return control.query_one(Input) if isinstance(control, MultiPick) else control
