"""Reports (section 7): export the public register (the impact and gap reports are still to
come). The file is written in a thread worker, whole or not at all."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from microcare_tui.reports.register import FORMATS, ExportFailed, export_register
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField

ABOUT = (
    "The public register lists the providers in good standing today (the same rule as the "
    "lookup and the record), with public fields only: name, services, base area and postcode "
    "district, areas served, public phone and email, days, rate, when last checked. Never "
    "notes, evidence or DBS details, a provider's people, or anyone who rang. Each file says "
    "that inclusion is not a recommendation."
)


class ExportDialog(ModalScreen[Path | None]):
    """Ask for the file name (its ending picks the format); dismisses with the path."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 76; max-width: 100%; height: auto; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    ExportDialog #export-error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export the register", classes="page-title")
            yield Static(
                "File name; its ending picks the format: .csv (Excel), .xlsx, "
                ".json (Open Referral UK) or .html (to print).",
                classes="muted",
            )
            yield TextField(str(self.suggested), id="export-path")
            yield Static("", id="export-error", markup=False)
            yield Static("Enter writes the file; escape cancels.", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _chosen(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        path = Path(text).expanduser() if text else None
        if path is None or path.suffix.lower().lstrip(".") not in (*FORMATS, "htm"):
            self.query_one("#export-error", Static).update(
                "! Give a file name ending .csv, .xlsx, .json or .html"
            )
            self.app.bell()
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportsScreen(SectionScreen):
    """Reports: the public register now; impact and gaps later."""

    HELP = (
        "Reports: x exports the public register of providers in good standing to a file "
        "(CSV, XLSX, Open Referral UK JSON or printable HTML). On the command line: "
        "microcare report register --out register.xlsx."
    )
    title_text = "Reports"
    BINDINGS = [Binding("x", "export_register", "Export register")]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(classes="page"):
            yield Static("Reports", classes="page-title")
            yield Static("[b]x[/]  Export the public register", id="reports-register")
            yield Static(ABOUT, classes="muted", markup=False)
            yield Static("", id="reports-done", markup=False)
            yield Static(
                "Coming in a later release: impact for commissioners (providers against "
                "targets, people supported, hours, savings) and gaps (needs no provider "
                "could meet, by area). Unmet needs are recorded already: ctrl+p, Unmet needs.",
                classes="muted",
                markup=False,
            )
        yield FitFooter(compact=True)

    def action_export_register(self) -> None:
        suggested = Path.home() / f"register-{self.mc.today().isoformat()}.xlsx"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.query_one("#reports-done", Static).update(f"Writing {path} ...")
                self.export(path)

        self.app.push_screen(ExportDialog(suggested), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, path: Path) -> None:
        """Build and write the register on the reader thread (it reads every provider)."""
        today = self.mc.today()
        try:
            done = self.mc.read(lambda db: export_register(db, path, None, today))
        except ExportFailed as exc:
            self.app.call_from_thread(self._said, exc.message, True)
            return
        if done is not None:
            self.app.call_from_thread(self._said, done.message, False)

    def _said(self, text: str, failed: bool) -> None:
        self.query_one("#reports-done", Static).update(("! " if failed else "✓ ") + text)
        self.notify(text, severity="error" if failed else "information", markup=False)
