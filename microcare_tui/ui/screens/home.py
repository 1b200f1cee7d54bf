"""Home: live counts and where to go next."""

from __future__ import annotations

from datetime import date

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static

from microcare_tui.domain.labels import count_text
from microcare_tui.services.dashboard import Dashboard, load_dashboard
from microcare_tui.services.enquiry_list import EnquiryLine
from microcare_tui.ui.messages import DashboardLoaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.agenda import AgendaPanel
from microcare_tui.ui.widgets.enquiry_table import cut, fit_label
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.radar import RadarPanel

GUIDE = """\
[b]ctrl+n[/]  take a call: new enquiry, with the lookup beside it
[b]ctrl+f[/]  find a provider (works from anywhere)
[b]2[/] enquiries   [b]3[/] providers   [b]4[/] pipeline   [b]5[/] training
[b]6[/] quality     [b]7[/] reports     [b]8[/] sync       [b]9[/] settings
[b]ctrl+p[/] every action by name   [b]F1[/] keys for this screen   [b]ctrl+q[/] quit"""


class HomeScreen(SectionScreen):
    """The dashboard."""

    HELP = "Home: today's follow-ups, the register at a glance, and where to go next."
    title_text = "Home"
    _generation = 0  # the latest load asked for; older DashboardLoaded messages are dropped
    _status_epoch = 0  # the app's status_epoch when that load was asked for
    _follow_ups: list[EnquiryLine] = []  # replaced, never changed in place
    BINDINGS = [
        Binding("r", "refresh", "Refresh", show=False, tooltip="Read Home's figures again"),
        Binding("enter", "open_follow_up", "Open follow-up", show=False,
                tooltip="Open the highlighted follow-up's enquiry"),
        Binding("f", "follow_up_done", "Follow-up done",
                tooltip="Mark the highlighted follow-up done, with a note of what was done"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="page"):
            yield Static("", id="home-title", classes="page-title")
            with Horizontal(id="home-panels"):
                with Vertical(classes="panel", id="register-panel"):
                    yield Static("Register", classes="panel-title")
                    yield Static("Loading...", id="register-counts")
                with Vertical(classes="panel", id="enquiry-panel"):
                    yield Static("Enquiries", classes="panel-title")
                    yield Static("Loading...", id="enquiry-counts")
            yield Static("Follow-ups due today or overdue", classes="panel-title")
            yield DataTable(id="follow-ups", cursor_type="row")
            yield Static("", id="follow-ups-empty", classes="muted")
            yield RadarPanel()
            yield AgendaPanel(id="agenda")
            yield Static(GUIDE, id="guide", classes="guide")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self._status_epoch = self.mc.status_epoch  # the header's figures as of this read
        self.load_counts(self._generation, self.mc.today())
        self.query_one(RadarPanel).reload()  # each panel reads in its own worker
        self.query_one(AgendaPanel).reload()

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load_counts(self, generation: int, today: date) -> None:
        """Read the figures on the app's reader thread; the result comes back as a message."""
        data = self.mc.read(lambda db: load_dashboard(db, today))
        if data is not None:
            self.post_message(DashboardLoaded(generation, data))

    @on(DashboardLoaded)
    def _loaded(self, message: DashboardLoaded) -> None:
        if message.generation == self._generation:  # else a newer load is on its way
            self.show(message.dashboard)

    def show(self, d: Dashboard) -> None:
        # The header agrees with Home, unless a save since this read gave it newer figures.
        self.mc.show_status(d.worker, d.unexported_changes, self._status_epoch)
        team = f" · {d.team}" if d.team else ""
        self.query_one("#home-title", Static).update(f"Home{team}")
        width = max([len(count_text(s.count)) for s in d.providers_by_stage] + [1])
        lines = [
            f"[b]{count_text(d.providers_total)}[/] "
            f"{'provider' if d.providers_total == 1 else 'providers'}, "
            f"[b]{count_text(d.good_standing)}[/] in good standing"
        ]
        names = max([len(s.label) for s in d.providers_by_stage] + [12])
        for stage in d.providers_by_stage:
            lines.append(f"  {stage.label:<{names}} {count_text(stage.count):>{width}}")
        self.query_one("#register-counts", Static).update("\n".join(lines))
        self.query_one("#enquiry-counts", Static).update(
            f"[b]{count_text(d.open_enquiries)}[/] open "
            f"{'enquiry' if d.open_enquiries == 1 else 'enquiries'}\n"
            f"[b]{count_text(d.follow_ups_due_count)}[/] "
            f"{'follow-up' if d.follow_ups_due_count == 1 else 'follow-ups'} due today or overdue\n"
            f"[b]{count_text(d.unmet_needs)}[/] unmet "
            f"{'need' if d.unmet_needs == 1 else 'needs'} recorded (gaps)\n"
            f"{count_text(d.unexported_changes, 'change')} not yet exported"
        )
        table = self.query_one("#follow-ups", DataTable)
        if d.follow_ups_due != self._follow_ups or not table.row_count:
            self._follow_ups = d.follow_ups_due
            self._fill_follow_ups()  # else the same rows: not built and drawn again
        empty = self.query_one("#follow-ups-empty", Static)
        if d.follow_ups_due:
            more = d.follow_ups_due_count - len(d.follow_ups_due)
            hint = f"and {count_text(more)} more: 2 for enquiries, then u for those due"
            empty.update(hint if more > 0 else "")
        else:
            empty.update("No follow-ups due. Press ctrl+n to log a call.")
        self.query_one("#follow-ups", DataTable).display = bool(d.follow_ups_due)
        self.refresh_bindings()  # "f Follow-up done" shows only when there is one

    def _fill_follow_ups(self) -> None:
        """The follow-ups table, its columns fitted to the width: the outcome's short form
        and needs cut with an ellipsis at 80 columns ('Follow-up nee' showed before)."""
        table = self.query_one("#follow-ups", DataTable)
        row = table.cursor_row
        room = max(40, self.size.width - 6)  # page padding, scrollbar, cell padding
        outcome = 20 if room - (10 + 18 + 20 + 8) >= 24 else 12
        widths = {"Due": 10, "Caller": 18, "Needs": room - (10 + 18 + outcome + 8)}
        widths["Outcome"] = outcome
        table.clear(columns=True)
        for label, width in widths.items():
            table.add_column(label, width=width)
        for line in self._follow_ups:
            table.add_row(
                line.follow_up_due_on, cut(line.caller, widths["Caller"]),
                cut(", ".join(line.needs) or "-", widths["Needs"]),
                fit_label(line.outcome, outcome), key=line.id,
            )  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_resize(self, event: events.Resize) -> None:
        if self._follow_ups:
            self._fill_follow_ups()

    def action_open_follow_up(self) -> None:
        table = self.query_one("#follow-ups", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            self.mc.open_enquiry(str(key))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "follow_up_done":
            tables = self.query("#follow-ups").results(DataTable)
            return any(table.row_count for table in tables)
        return True

    def action_follow_up_done(self) -> None:
        """Mark the highlighted follow-up done, with a note of what was done."""
        table = self.query_one("#follow-ups", DataTable)
        if not table.row_count:
            self.notify("No follow-ups due.")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            from microcare_tui.ui.screens.follow_up import FollowUpDoneScreen

            self.app.push_screen(FollowUpDoneScreen(str(key)), lambda _done: self.reload())
