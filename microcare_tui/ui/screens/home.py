"""Home: live counts and where to go next."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from microcare_tui.domain.labels import count_text
from microcare_tui.ui.messages import DashboardLoaded
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.line_list import LineList
from microcare_tui.ui.widgets.quiet import QuietHorizontal, QuietScroll, QuietStatic
from microcare_tui.ui.widgets.text_fit import cut, fit_label

if TYPE_CHECKING:  # the first screen imports no query code before its first frame
    from textual.widget import AwaitMount

    from microcare_tui.services.dashboard import Dashboard
    from microcare_tui.services.enquiry_list import EnquiryLine
    from microcare_tui.ui.widgets.agenda import AgendaPanel
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
    _follow_ups_note = "Loading..."
    _shown: tuple[object, ...] | None = None  # what the panels show (the last read's)
    BINDINGS = [
        Binding("r", "refresh", "Refresh", show=False, tooltip="Read Home's figures again"),
        Binding("enter", "open_follow_up", "Open follow-up", show=False,
                tooltip="Open the highlighted follow-up's enquiry"),
        Binding("f", "follow_up_done", "Follow-up done",
                tooltip="Mark the highlighted follow-up done, with a note of what was done"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with QuietScroll(classes="page", id="home-page"):
            yield QuietStatic("", id="home-title", classes="page-title")
            with QuietHorizontal(id="home-panels"):
                register = QuietStatic("Loading...", id="register-counts", classes="panel")
                register.border_title = "Register"
                yield register
                enquiries = QuietStatic("Loading...", id="enquiry-counts", classes="panel")
                enquiries.border_title = "Enquiries"
                yield enquiries
            yield LineList(id="follow-ups")
            # The radar, the agenda and the guide join the page after the first frame
            # (`_add_lower_panels`): made for it, they were ~4% of the app's start (issue 8).
        yield FitFooter(compact=True)

    _lower_panels: tuple[RadarPanel, AgendaPanel] | None = None
    _lower_mounted: AwaitMount | None = None

    def on_mount(self) -> None:
        self._fill_follow_ups()
        self.mc.after_first_frame(self._add_lower_panels)
        self.reload()  # its worker waits for the app's first frame

    def _add_lower_panels(self) -> None:
        """Add the radar, the agenda and the guide under the follow-ups ("Loading..." until
        the figures come)."""
        from microcare_tui.ui.widgets.agenda import AgendaPanel
        from microcare_tui.ui.widgets.radar import RadarPanel

        radar, agenda = RadarPanel(), AgendaPanel(id="agenda")
        guide = QuietStatic(GUIDE, id="guide", classes="guide")
        self._lower_mounted = self.query_one("#home-page", QuietScroll).mount(radar, agenda, guide)
        self._lower_panels = (radar, agenda)

    def reload(self) -> None:
        self._generation += 1
        self._status_epoch = self.mc.status_epoch  # the header's figures as of this read
        self.load_counts(self._generation, self.mc.today())

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load_counts(self, generation: int, today: date) -> None:
        """Read the figures, the radar and the agenda in one read on the app's reader
        thread; the result comes back as one message, so Home is laid out once."""
        if not self.mc.wait_for_first_frame():  # the app's first frame is Home's: not held up
            return
        from microcare_tui.services.home import load_home  # off the start-up path

        view = self.mc.read(lambda db: load_home(db, today))
        if view is not None:
            self.post_message(DashboardLoaded(generation, view.dashboard, view.radar, view.agenda))

    @on(DashboardLoaded)
    async def _loaded(self, message: DashboardLoaded) -> None:
        if message.generation != self._generation:  # a newer load is on its way
            return
        shown = (message.dashboard, message.radar, message.agenda)
        if shown == self._shown:
            # Back on Home with nothing changed: the header may still need its figures.
            d = message.dashboard
            self.mc.show_status(d.worker, d.unexported_changes, self._status_epoch)
            return  # the same figures: not laid out and painted again
        self._shown = shown
        if self._lower_mounted is not None:
            await self._lower_mounted  # the panels fill in after they mount, not before
            self._lower_mounted = None
        with self.app.batch_update():  # one layout and paint for the three panels
            self.show(message.dashboard)
            if self._lower_panels is not None:
                radar, agenda = self._lower_panels
                if message.radar is not None:
                    radar.show_radar(message.radar)
                if message.agenda is not None:
                    agenda.show(message.agenda)
        self.call_after_refresh(self.mc.first_screen_read)  # once drawn: the app warms up

    def show(self, d: Dashboard) -> None:
        # The header agrees with Home, unless a save since this read gave it newer figures.
        self.mc.show_status(d.worker, d.unexported_changes, self._status_epoch)
        team = f" · {d.team}" if d.team else ""
        self.query_one("#home-title", Static).update(f"Home{team}")
        width = max([len(count_text(s.providers)) for s in d.providers_by_stage] + [1])
        lines = [
            f"[b]{count_text(d.providers_total)}[/] "
            f"{'provider' if d.providers_total == 1 else 'providers'}, "
            f"[b]{count_text(d.good_standing)}[/] in good standing"
        ]
        names = max([len(s.label) for s in d.providers_by_stage] + [12])
        for stage in d.providers_by_stage:
            lines.append(f"  {stage.label:<{names}} {count_text(stage.providers):>{width}}")
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
        self._follow_ups = d.follow_ups_due
        if d.follow_ups_due:
            more = d.follow_ups_due_count - len(d.follow_ups_due)
            hint = f"and {count_text(more)} more: 2 for enquiries, then u for those due"
            self._follow_ups_note = hint if more > 0 else ""
        else:
            self._follow_ups_note = "No follow-ups due. Press ctrl+n to log a call."
        self._fill_follow_ups()
        self.refresh_bindings()  # "f Follow-up done" shows only when there is one

    def _fill_follow_ups(self) -> None:
        """The follow-ups, a line each in columns fitted to the width: the outcome's short
        form and needs cut with an ellipsis at 80 columns ('Follow-up nee' showed before)."""
        room = max(40, self.size.width - 6)  # page padding, scrollbar, the gaps
        outcome = 20 if room - (10 + 18 + 20 + 3) >= 24 else 12
        needs = room - (10 + 18 + outcome + 3)
        head = f"{'Due':<10} {'Caller':<18} {'Needs':<{needs}} Outcome"
        note = self._follow_ups_note
        self.query_one("#follow-ups", LineList).show([
            (None, ""),
            (None, Content.styled("Follow-ups due today or overdue", "bold")),
            *([(None, Content.styled(head, "bold"))] if self._follow_ups else []),
            *[(line.id, Content(
                f"{line.follow_up_due_on:<10} {cut(line.caller, 18):<18} "
                f"{cut(', '.join(line.needs) or '-', needs):<{needs}} "
                f"{fit_label(line.outcome, outcome)}"
            )) for line in self._follow_ups],
            *([(None, Content.styled(note, "$text-muted"))] if note else []),
        ])  # fmt: skip

    def on_resize(self, event: events.Resize) -> None:
        if self._follow_ups:
            self._fill_follow_ups()  # the columns follow the width

    def action_open_follow_up(self) -> None:
        table = self.query_one("#follow-ups", LineList)
        if table.highlighted is not None:
            self.mc.open_enquiry(table.row_id(table.highlighted))

    @on(LineList.Selected, "#follow-ups")
    def _follow_up_selected(self, event: LineList.Selected) -> None:
        event.stop()
        self.mc.open_enquiry(event.row_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "follow_up_done":
            # Dimmed, not hidden, when there are none: the footer keeps its keys and only
            # lights this one up when the follow-ups arrive (no second layout of Home).
            tables = self.query("#follow-ups").results(LineList)
            return True if any(table.row_count for table in tables) else None
        return True

    def action_follow_up_done(self) -> None:
        """Mark the highlighted follow-up done, with a note of what was done."""
        table = self.query_one("#follow-ups", LineList)
        if table.highlighted is None:
            self.notify("No follow-ups due.")
            return
        from microcare_tui.ui.screens.follow_up import FollowUpDoneScreen

        key = table.row_id(table.highlighted)
        self.app.push_screen(FollowUpDoneScreen(key), lambda _done: self.reload())
