"""Sync (section 8): the team, colleagues' laptops and what each has; sync by files.

Keys: s syncs with the team folder (f sets it), x exports a bundle into a folder (a USB
stick), i imports a bundle, c lists conflicts to review, r refreshes. Export, import and
folder sync run in a thread worker on their own connection, with progress; the screen
stays usable meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, ProgressBar, Static

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.services.sync import short_device
from microcare_tui.services.sync_folder import SyncStatus, time_text
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.cheap_screen import draw_off_screen, prepared_off_screen
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.path_picker import PathPicker


class SyncLoaded(Loaded, bubble=False):
    """The sync status, read in a worker."""

    def __init__(self, generation: int, status: SyncStatus) -> None:
        super().__init__(generation)
        self.status = status


class SyncScreen(SectionScreen):
    """The team, the laptops heard from, and the keys that move bundles."""

    HELP = (
        "Sync: share work with colleagues by files. s syncs with the team folder (set it "
        "with f): imports colleagues' new bundles there and writes this laptop's news. x "
        "writes a bundle into a folder (a USB stick), i imports one, c lists conflicts. "
        "Bundles are encrypted to your team's key: a lost stick reveals nothing."
    )
    title_text = "Sync"
    BINDINGS = [
        Binding("s", "sync_folder", "Sync folder"),
        Binding("f", "set_folder", "Set folder"),
        Binding("x", "export", "Export"),
        Binding("i", "import_bundle", "Import"),
        Binding("c", "conflicts", "Conflicts"),
        Binding("r", "refresh", "Refresh", show=False),
    ]
    DEFAULT_CSS = """
    SyncScreen #sync-devices { height: auto; max-height: 12; margin: 1 0; }
    SyncScreen #sync-progress { display: none; }
    SyncScreen.-busy #sync-progress { display: block; }
    SyncScreen #sync-report { margin-top: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._status: SyncStatus | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(classes="page"):
            yield Static("Sync", classes="page-title")
            yield Static("Reading...", id="sync-team", markup=False)
            yield Static("", id="sync-figures", markup=False)
            table: DataTable[str] = DataTable(id="sync-devices", cursor_type="row")
            table.add_columns("Colleague's laptop", "Device", "Last heard", "Has", "Lacks")
            yield table
            yield Static("", id="sync-empty", classes="muted", markup=False)
            yield ProgressBar(id="sync-progress", show_eta=False)
            yield Static("", id="sync-report", markup=False)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        if not self.is_current:  # made off screen (call_prepare.prepare_section)
            self.reload()  # shown, it reads again (on_screen_resume), as on any later open
            prepared_off_screen(self)

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._generation += 1
        self._load(self._generation)

    @work(thread=True, exclusive=True, group="sync-status", exit_on_error=False)
    def _load(self, generation: int) -> None:
        from microcare_tui.services.sync_folder import sync_status

        status = self.mc.read(sync_status)
        if status is not None:
            self.post_message(SyncLoaded(generation, status))

    def on_sync_loaded(self, message: SyncLoaded) -> None:
        if message.generation != self._generation:
            return
        self._status = status = message.status
        team = status.team
        if team is None:
            team_text = (
                "Not in a team yet. Your team lead makes the team (`microcare team init`); "
                "then run `microcare team join FILE` with the file they give you."
            )
        else:
            folder = team.folder or "not set (press f)"
            team_text = f"Team: {team.name}\nTeam folder: {folder}"
        self.query_one("#sync-team", Static).update(
            f"{team_text}\nThis laptop: {status.worker} (device {short_device(status.device_id)})"
        )
        self.query_one("#sync-figures", Static).update(
            f"Changes held: {status.changes_held:,} · to send: {status.to_send:,} · "
            f"conflicts to review: {status.open_conflicts:,} (c)"
        )
        table = self.query_one("#sync-devices", DataTable)
        table.clear()
        for d in status.devices:
            lacks = "nothing" if not d.lacks else f"{d.lacks:,} changes"
            table.add_row(
                d.name,
                short_device(d.device_id),
                time_text(d.last_heard_at),
                f"{d.has:,}",
                lacks,
                key=d.device_id,
            )
        self.query_one("#sync-empty", Static).update(
            ""
            if status.devices
            else "No colleague's laptop heard from yet: sync the team folder (s), or import "
            "a colleague's bundle (i)."
        )
        draw_off_screen(self)  # read while made off screen: drawn unseen too

    # -- actions ---------------------------------------------------------------------------
    def _folder(self) -> str | None:
        return self._status.team.folder if self._status and self._status.team else None

    def action_refresh(self) -> None:
        self.reload()

    def action_set_folder(self) -> None:
        start = Path(self._folder() or Path.home())

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            from microcare_tui.services.team import set_team_folder

            try:
                set_team_folder(self.mc.store, path)
            except MicrocareError as exc:
                self.notify(exc.message, title="Folder not set", severity="error", markup=False)
                return
            self.notify(f"Team folder: {path}. Press s to sync.", markup=False)
            self.reload()

        self.app.push_screen(PathPicker("The team folder", start, "folder"), chosen)

    def action_sync_folder(self) -> None:
        folder = self._folder()
        if folder is None:
            self.notify("Set the team folder first: press f.", markup=False)
            return
        from microcare_tui.services.sync_folder import sync_folder

        self._run("Syncing with the team folder", lambda db, p: sync_folder(db, Path(folder), p))

    def action_export(self) -> None:
        start = Path(self._folder() or Path.home())

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            from microcare_tui.services.sync import export_bundle

            self._run("Exporting", lambda db, p: export_bundle(db, path, None, progress=p))

        self.app.push_screen(PathPicker("Export a bundle into which folder?", start), chosen)

    def action_import_bundle(self) -> None:
        start = Path(self._folder() or Path.home())

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            from microcare_tui.services.sync import import_bundle

            self._run("Importing", lambda db, p: import_bundle(db, path, progress=p))

        self.app.push_screen(PathPicker("Import which bundle?", start, "file"), chosen)

    def action_conflicts(self) -> None:
        from microcare_tui.ui.screens.sync_conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    # -- work in a thread ------------------------------------------------------------------
    def _run(self, title: str, job: Callable[[Any, Any], Any]) -> None:
        if self._busy:
            self.notify("Still working on the last one.", markup=False)
            return
        self._busy = True
        self.add_class("-busy")
        self.query_one("#sync-report", Static).update(f"{title}...")
        self._work(job)

    @work(thread=True, exclusive=True, group="sync-work", exit_on_error=False)
    def _work(self, job: Callable[[Any, Any], Any]) -> None:
        from microcare_tui.services.database import open_for_thread

        def progress(stage: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, stage, done, total)

        db = open_for_thread(self.mc.db_path, self.mc.store.worker)
        try:
            result = job(db, progress)
            lines = result.lines() if hasattr(result, "lines") else _export_lines(result)
            self.app.call_from_thread(self._finished, lines, None)
        except MicrocareError as exc:
            self.app.call_from_thread(self._finished, [], exc.message)
        finally:
            db.close()

    def _progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one("#sync-progress", ProgressBar)
        bar.update(total=total or None, progress=done)

    def _finished(self, lines: list[str], error: str | None) -> None:
        self._busy = False
        self.remove_class("-busy")
        report = self.query_one("#sync-report", Static)
        if error is not None:
            report.update(error)
            self.notify(error, title="Sync", severity="error", markup=False)
        else:
            report.update("\n".join(lines))
            self.notify(lines[0] if lines else "Done.", title="Sync", markup=False)
        self.mc.data_changed("sync")


def _export_lines(result: Any) -> list[str]:
    return [
        f"Wrote {result.path.name}: {result.changes:,} change(s) for {result.target_name}.",
        f"In {result.path.parent}. Give it to colleagues (a USB stick, the team folder).",
    ]
