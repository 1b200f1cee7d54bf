"""The microcare Textual app: sections, global keys, header status, database handling."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.domain.labels import count_text
from microcare_tui.ui.commands import MicrocareCommands
from microcare_tui.ui.messages import DataChanged

if TYPE_CHECKING:
    from rich.console import RenderableType

    from microcare_tui.services.database import Connections, Database

T = TypeVar("T")
HEADER_SIDES = 18  # the Header's icon (8 cells) and clock space (10)

SECTIONS: list[tuple[str, str, str]] = [
    # (key, mode name, footer label)
    ("1", "home", "Home"),
    ("2", "enquiries", "Enquiries"),
    ("3", "providers", "Providers"),
    ("4", "pipeline", "Pipeline"),
    ("5", "training", "Training"),
    ("6", "quality", "Quality"),
    ("7", "reports", "Reports"),
    ("8", "sync", "Sync"),
    ("9", "settings", "Settings"),
]


def _home() -> Screen[Any]:
    from microcare_tui.ui.screens.home import HomeScreen

    return HomeScreen()


def _enquiries() -> Screen[Any]:
    from microcare_tui.ui.screens.enquiries import EnquiriesScreen

    return EnquiriesScreen()


def _providers() -> Screen[Any]:
    from microcare_tui.ui.screens.providers import ProvidersScreen

    return ProvidersScreen()


def _training() -> Screen[Any]:
    from microcare_tui.ui.screens.training import TrainingScreen

    return TrainingScreen()


def _reports() -> Screen[Any]:
    from microcare_tui.ui.screens.reports import ReportsScreen

    return ReportsScreen()


def _quality() -> Screen[Any]:
    from microcare_tui.ui.screens.quality import QualityScreen

    return QualityScreen()


def _pipeline() -> Screen[Any]:
    from microcare_tui.ui.screens.pipeline import PipelineScreen

    return PipelineScreen()


def _settings() -> Screen[Any]:
    from microcare_tui.ui.screens.settings import SettingsScreen

    return SettingsScreen()


def _sync() -> Screen[Any]:
    from microcare_tui.ui.screens.sync import SyncScreen

    return SyncScreen()


def _unsaved(screen: Screen[Any]) -> bool:
    check = getattr(screen, "has_unsaved_changes", None)
    return bool(check()) if callable(check) else False


# At the latest this long after the first frame, the app imports what the first call, form
# and record need (sooner once the first screen has shown its data).
WARM_UP_AFTER_S = 0.4
# How long quitting waits, at most, for a screen still being made off screen to finish
# mounting (the wait ends as it does: ~0.1-0.3 s). On a machine busy with other work the call
# screen took over 2 s, and quitting then still ended on a fault.
SHUTDOWN_WAIT_S = 10.0


class MicrocareApp(App[int]):
    """One app for the phone, the kitchen table and the team lead's report."""

    CSS_PATH = "app.tcss"
    TITLE = "microcare"
    COMMANDS = App.COMMANDS | {MicrocareCommands}
    MODES = {
        "home": _home,
        "enquiries": _enquiries,
        "providers": _providers,
        "pipeline": _pipeline,
        "training": _training,
        "reports": _reports,
        "quality": _quality,
        "sync": _sync,
        "settings": _settings,
    }
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("ctrl+f", "lookup", "Find", priority=True, id="find-provider"),
        Binding("ctrl+n", "new_enquiry", "New enquiry", priority=True, id="new-enquiry"),
        Binding("f1", "help", "Help", priority=True, id="help"),
        # Tab moves the focus as the app reads it (see action_move_focus).
        Binding("tab", "move_focus('tab')", show=False, priority=True, id="next-field"),
        Binding(
            "shift+tab", "move_focus('shift+tab')", show=False, priority=True, id="previous-field"
        ),
        Binding("question_mark", "help", "Help", show=False),
        *[
            # One footer entry stands for all nine section keys; F1 and ctrl+p list each.
            Binding(
                key,
                f"section('{mode}')",
                "Sections" if key == "1" else title,
                show=key == "1",
                key_display="1-9" if key == "1" else None,
                id=f"section-{mode}",
            )
            for key, mode, title in SECTIONS
        ],
    ]

    def __init__(
        self,
        db_path: Path,
        demo: bool = False,
        today: date | None = None,
        opened: Database | None = None,
    ) -> None:
        """`opened`: the UI thread's connection to `db_path`, if the caller has opened it
        already (the command line does, to report a bad file before the screen takes over)."""
        super().__init__()
        from microcare_tui.ui.widgets import cheap_render

        cheap_render.install()  # a key repaints only what it changed (screens8b)
        from microcare_tui.ui.widgets.kept_stylesheet import KeptStylesheet

        # Before any CSS is read: each source parsed once per theme (issue 8's cold start).
        self.stylesheet = KeptStylesheet.replacing(self.stylesheet)
        self.db_path = Path(db_path)
        self.demo = demo
        self._today = today
        self._connections: Connections | None = None
        self._opened = opened
        self._first_frame = threading.Event()  # set once the first frame is on screen

    # -- data access ---------------------------------------------------------------------
    @property
    def connections(self) -> Connections:
        """The app's connections to its database (UI thread and reader thread): opened when
        the app loads, before any screen asks; closed on exit or when another database opens.
        """
        if self._connections is None:
            from microcare_tui.services.database import Connections

            self._connections = Connections(self.db_path, ui=self._opened)
            self._opened = None  # a database opened later (the demo) is opened afresh
        return self._connections

    @property
    def store(self) -> Database:
        """The UI thread's connection (quick reads and single-form saves)."""
        return self.connections.ui

    def read(self, fn: Callable[[Database], T]) -> T | None:
        """Run `fn(db)` on the app's reader thread and wait (call from a thread worker).

        None if the calling worker was cancelled before its turn came (the worker typed on),
        or if the app has closed its connections (it is exiting).
        """
        worker = get_current_worker()
        connections = self._connections  # made on the UI thread, never from a worker
        if connections is None:
            return None
        return connections.read(fn, lambda: worker.is_cancelled)

    def today(self) -> date:
        """Today's date (fixed in tests and snapshots)."""
        return self._today or date.today()

    # -- lifecycle -----------------------------------------------------------------------
    def on_load(self) -> None:
        # Before the first screen mounts: its workers read through these connections, and
        # the file is created and migrated here, on the UI thread, never by the reader.
        self.connections.ui  # noqa: B018 - opens the UI thread's connection
        # The header's words before the first screen is made: set after, each change of
        # the title asked for another layout of the whole first screen.
        self.refresh_status()

    def on_mount(self) -> None:
        self.theme = os.environ.get("MICROCARE_THEME", "textual-dark")
        from microcare_tui.services.database import is_first_run

        if not self.demo and is_first_run(self.store):
            from microcare_tui.ui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(), self._first_run_done)

    _first_frame_shown = False
    _after_first_frame: list[Callable[[], object]] | None = None

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the app's first frame is on screen (at once if it is): reads
        the first screen does not need for that frame (Home's figures, which grow with the
        database) start after it rather than competing with it."""
        if self._first_frame_shown:
            callback()
            return
        if self._after_first_frame is None:
            self._after_first_frame = []
        self._after_first_frame.append(callback)

    def wait_for_first_frame(self) -> bool:
        """From a thread worker: wait until the app's first frame is on screen (at once
        after it), so a read the first screen starts (Home's figures, which grow with the
        database) does not compete with drawing it. False if the worker was cancelled
        meanwhile or the app closed first: then do nothing."""
        self._first_frame.wait()
        return self._first_frame_shown and not get_current_worker().is_cancelled

    def on_ready(self) -> None:
        # Collection was off since start (cli._run_app): what start-up made is set aside
        # (frozen) so turning it back on does not scan it all now, in Home's first read; the
        # warm-up collects it once, in its thread, after Home has shown its figures.
        gc.freeze()
        gc.enable()
        # The cold-start bench asks the app to note when it is interactive, then quit.
        marker = os.environ.get("MICROCARE_EXIT_ON_READY")
        if marker:
            # Its CPU so far too: the bench counts start-up to here, not the exit after.
            Path(marker).write_text(
                f"{time.time():.6f} {time.process_time():.6f}\n", encoding="utf-8"
            )
            self.exit(0)
            return
        self._first_frame_shown = True
        waiting, self._after_first_frame = self._after_first_frame or [], None
        for callback in waiting:
            callback()
        self._first_frame.set()  # after those: the reads waiting for it find their widgets
        # Imports for the first form and record (~0.2 s of CPU in a new process, holding the
        # interpreter's lock in their thread) wait until the first screen has shown what it
        # read (Home calls first_screen_read), or WARM_UP_AFTER_S at the latest: started
        # here, Home's figures waited for them.
        self.set_timer(WARM_UP_AFTER_S, self.first_screen_read, name="warm-up")
        from microcare_tui.ui.screens.call_prepare import prepare_call_screen_later

        prepare_call_screen_later(self)  # the first ctrl+n only shows it (screens8)

    _warmed_up = False

    def first_screen_read(self) -> None:
        """The first screen has shown its data (or WARM_UP_AFTER_S passed): warm up, once."""
        if not self._warmed_up:
            self._warmed_up = True
            self.warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Import what the first form and lookup need, in a thread once the first screen has
        shown its data, so the first ctrl+n or ctrl+f does not wait for it."""
        import microcare_tui.domain.models
        import microcare_tui.domain.parse as parse

        parse.format_phone("+441233123456")
        parse.parse_phone("01233 123456")  # loads phonenumbers (~90 ms: a record's first read)
        # The models build their validators on first use (defer_build: not at start-up);
        # built here, the first record opened does not (~70 ms of its read).
        microcare_tui.domain.models.build_validators()
        import microcare_tui.services.lookup  # noqa: F401

        # The provider record's modules (its parts' widgets and services): the first record
        # opened in a session, often from the lookup during a call, does not import them.
        import microcare_tui.ui.screens.provider_detail  # noqa: F401

        # Move what start-up made out of the garbage collector's way: fewer long GC pauses
        # while the worker types in the lookup (measured: worst keystroke ~100 -> ~45 ms).
        # Start-up's own garbage (~20,000 objects, made while collection was off) is
        # collected first, so freezing does not keep it for the whole session.
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        # Textual makes many short-lived objects per repaint; collecting the youngest
        # generation less often trims the pauses a worker feels while typing.
        gc.set_threshold(20_000, 20, 20)

    def exit(
        self, result: Any = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        """Quit, once no screen is being made off screen (at most SHUTDOWN_WAIT_S later).

        A screen composed unseen (half a second after start, or a section being prepared)
        that is still mounting when Textual starts closing gets none of its widgets (Textual
        mounts nothing once the app is exiting), and its on_mount then fails: the worker saw
        a fault screen on the way out. So quitting waits for it, and nothing more is made."""
        from microcare_tui.ui.screens.call_prepare import stop_preparing
        from microcare_tui.ui.widgets.cheap_screen import mounting_off_screen

        stop_preparing(self)
        if self._quit_asked_at is None:
            self._quit_asked_at = time.monotonic()
        waited = time.monotonic() - self._quit_asked_at
        if mounting_off_screen(self) and waited < SHUTDOWN_WAIT_S:
            self.set_timer(0.02, lambda: self.exit(result, return_code, message))
            return
        super().exit(result, return_code, message)

    _quit_asked_at: float | None = None

    async def _shutdown(self) -> None:
        # The same wait when the app is closed without `exit` (run_test closes it directly):
        # closing prunes a screen's widgets while they mount, and their on_mount then fails.
        from microcare_tui.ui.screens.call_prepare import stop_preparing
        from microcare_tui.ui.widgets.cheap_screen import off_screen_mounts

        stop_preparing(self)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SHUTDOWN_WAIT_S):
                await off_screen_mounts(self)
        await super()._shutdown()

    def on_unmount(self) -> None:
        self._close_connections()
        self._first_frame.set()  # a worker still waiting for it returns (and does nothing)

    def _close_connections(self) -> None:
        if self._connections is not None:
            self._connections.close()
            self._connections = None

    def _first_run_done(self, result: tuple[str, str] | str | None) -> None:
        if result == "demo":
            self.switch_to_demo()
            return
        if isinstance(result, tuple):
            from microcare_tui.services.database import initialise

            worker, team = result
            initialise(self.store, worker, team)
            self.refresh_status()
            self.notify(f"Welcome, {worker}. Press ctrl+n to log a call, 3 for providers.")

    @work(thread=True, exclusive=True, group="database", exit_on_error=False)
    def switch_to_demo(self) -> None:
        """Make (first time) and open the demo database instead of the empty real one."""
        from microcare_tui import config
        from microcare_tui.services.demo import ensure_demo_database

        self.call_from_thread(self.notify, "Preparing the demo data (a few seconds)...")
        path = ensure_demo_database(config.demo_db_path())
        self.call_from_thread(self._use_database, path, True)

    def _use_database(self, path: Path, demo: bool) -> None:
        self._close_connections()
        self.db_path = path
        self.connections.ui  # noqa: B018 - open the new database on the UI thread
        self.demo = demo
        self.refresh_status()
        self.data_changed("database")
        self.notify("Demo data is open. Nothing here is real.")

    # -- status ----------------------------------------------------------------------------
    # Every refresh of the header's figures takes a number; a figure read in a worker says
    # which number it was asked at, and one older than what the header shows is not shown
    # (Home's read, begun before a save, arrived after the header had the new count).
    _status_epoch = 0
    _status_shown_epoch = 0

    @property
    def status_epoch(self) -> int:
        """The number a worker reading the header's figures notes when it starts."""
        return self._status_epoch

    def refresh_status(self) -> None:
        """Header: which database (or DEMO), the worker, unsynced changes."""
        from microcare_tui.services.status import load_status

        self._status_epoch += 1
        status = load_status(self.store)
        self.show_status(status.worker, status.unexported_changes, self._status_epoch)

    def show_status(self, worker: str, unexported_changes: int, as_of: int | None = None) -> None:
        """Put the worker and the changes not yet exported in the header (also called with
        the figures Home has just read, so the two agree). `as_of` is the `status_epoch`
        when the figures were asked for: older than those shown, they are dropped."""
        epoch = self._status_epoch if as_of is None else as_of
        if epoch < self._status_shown_epoch:
            return
        self._status_shown_epoch = epoch
        self._status_words = (worker, unexported_changes)
        self._apply_status()

    _status_words: tuple[str, int] = ("", 0)

    def _apply_status(self, width: int | None = None) -> None:
        worker, unexported_changes = self._status_words
        name = "DEMO" if self.demo else self.db_path.name
        changes = (
            "nothing to export"
            if not unexported_changes
            else f"{count_text(unexported_changes, 'change')} to export"
        )
        sub_title = f"{worker or 'no worker set'} · {changes}"
        title = f"microcare · {name}"
        # The header centres "title — sub title" between its icon and clock (18 cells):
        # when that is too long (80 columns, a county's count), the app's name goes first.
        room = (width or self.size.width) - HEADER_SIDES
        if len(title) + len(" — ") + len(sub_title) > room:
            title = name
        self.title, self.sub_title = title, sub_title

    def on_resize(self, event: events.Resize) -> None:
        self._apply_status(event.size.width)  # runs before App's handler updates self.size

    def data_changed(self, what: str) -> None:
        """After a save: the header and the screen on top reload (each on DataChanged)."""
        self._status_epoch += 1  # figures read before this save are out of date
        self.post_message(DataChanged(what))
        self.screen.post_message(DataChanged(what))

    @on(DataChanged)
    def _data_changed(self, message: DataChanged) -> None:
        self.refresh_status()

    # -- actions -----------------------------------------------------------------------------
    def action_section(self, mode: str) -> None:
        """Go to a section (keys 1-9, or the palette). Within the section already shown it
        closes what is open above the list, unless a form there has unsaved changes."""
        if self.current_mode == mode and len(self.screen_stack) > 1:
            if any(_unsaved(screen) for screen in self.screen_stack[1:]):
                self.notify("Save with ctrl+s, or leave the form with escape, first.")
                return
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def action_show_enquiries(self, preset: str) -> None:
        """The enquiry list showing only follow-ups due ('due') or unmet needs ('unmet')."""
        self.action_section("enquiries")
        if self.current_mode != "enquiries":
            return
        from microcare_tui.ui.screens.enquiries import EnquiriesScreen

        base = self.get_screen_stack("enquiries")[0]
        if isinstance(base, EnquiriesScreen):
            base.show_only(preset)

    def action_lookup(self) -> None:
        """Find a provider, from anywhere; inside the call screen it focuses its lookup."""
        focus_lookup = getattr(self.screen, "focus_lookup", None)
        if callable(focus_lookup):
            focus_lookup()
            return
        from microcare_tui.ui.screens.lookup import LookupScreen

        LookupScreen.open(self)

    def action_new_enquiry(self) -> None:
        """Open the call screen for a new enquiry, with the call timer running."""
        from microcare_tui.ui.screens.call import CallScreen

        if isinstance(self.screen, CallScreen):
            self.notify("You are already logging a call: save it (ctrl+s) first.")
            return
        self.push_screen(CallScreen.for_new_call(self))

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        from microcare_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    def action_new_provider(self) -> None:
        """Open an empty provider form."""
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        self.push_screen(ProviderFormScreen.open_for(self))

    def open_provider(self, provider_id: str) -> None:
        """Show a provider's record."""
        from microcare_tui.ui.screens.provider_detail import ProviderDetailScreen

        ProviderDetailScreen.open(self, provider_id)

    def open_enquiry(self, enquiry_id: str) -> None:
        """Open an enquiry in the call screen to read or update it."""
        from microcare_tui.ui.screens.call import CallScreen

        self.push_screen(CallScreen(enquiry_id=enquiry_id))

    async def action_move_focus(self, key: str) -> None:
        """Tab and shift+tab, run as the app reads them, so keys typed straight after go to
        the field they move to. As Textual's screen binding, Tab waited in the focused
        widget's queue while the app handed that widget the keys typed next: a caller's name
        typed fast after Tab went into the Enquirer pick (its letters choosing answers).

        The bindings for the key are the focused widget's and its ancestors', as before (the
        lookup's Tab goes back to the call's form); a widget that takes Tab as text (a text
        area that indents) still gets it."""
        focused = self.focused
        if focused is not None and focused.check_consume_key(key, None):
            raise SkipAction()  # handed to the widget, as any key is
        if not await self._check_bindings(key, priority=False):
            raise SkipAction()

    def copy_text(self, text: str, what: str) -> None:
        """Copy to the clipboard (terminal OSC 52) and say so."""
        self.copy_to_clipboard(text)
        self.notify(f"Copied {what}: {text}", markup=False)

    # -- errors --------------------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error stops the app (as in Textual) with a report that holds no
        personal data: Textual's own prints every frame's locals and the error's message."""
        self._return_code = 1
        if self._exception is None:  # run_test re-raises it for the tests
            self._exception = error
            self._exception_event.set()
        from textual.css.stylesheet import StylesheetError

        if isinstance(error, StylesheetError):
            super()._handle_exception(error)  # a developer's CSS mistake: no data in it
            return
        self._fatal_error_report(error)

    def _fatal_error(self) -> None:
        # Textual calls this from a few places of its own; report the error being handled.
        import sys

        error = sys.exc_info()[1]
        if error is None:
            error = self._exception or RuntimeError("unknown error")
        self._fatal_error_report(error)

    def _fatal_error_report(self, error: BaseException) -> None:
        from rich.text import Text

        from microcare_tui.ui.crash import crash_report

        self.bell()
        self._exit_renderables.append(Text(crash_report(error)))
        self._close_messages_no_wait()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, MicrocareError):
            self.notify(error.message, title="Could not finish", severity="error", timeout=10)
        else:
            # The type only, here and in the log: an error's text can quote what was typed.
            self.log.error("worker failed", event.worker.name, type(error).__name__)
            self.notify(
                f"Something went wrong ({type(error).__name__}). Nothing was half-saved; "
                "try again, and tell your team lead if it keeps happening.",
                title="Error",
                severity="error",
                timeout=12,
                markup=False,
            )
