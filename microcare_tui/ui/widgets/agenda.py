"""Home's agenda: actions due (overdue and in the next 7 days) and visits planned in the next
14 days; enter opens the provider, x marks the highlighted action done. Loads in a thread
worker (services.agenda.load_agenda)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.domain.labels import count_text
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.widgets.line_list import LineList
from microcare_tui.ui.widgets.quiet import QuietHorizontal

if TYPE_CHECKING:
    from microcare_tui.services.agenda import Agenda, DueLine

# services.agenda (and the date parser under it) is imported by the worker, not at start-up:
# Home paints its first frame without it.


class AgendaLoaded(Loaded, bubble=False):
    """Home's actions due and next visits, as read by the worker."""

    def __init__(self, generation: int, agenda: Agenda) -> None:
        super().__init__(generation)
        self.agenda = agenda


def due_text(line: DueLine) -> Content:
    """'Cedar Day Club — Send the policy · overdue 3 days' (the state in words)."""
    style = "bold $warning" if line.when.startswith("overdue") else ""
    return Content.assemble((line.provider, "bold"), f" — {line.what} · ", (line.when, style))


TITLES = {"actions": "Actions due (overdue and next 7 days)", "visits": "Next visits (14 days)"}


class DueList(LineList):
    """A list of due lines; enter opens the provider (x: done, for actions)."""


class ActionList(DueList):
    BINDINGS = [Binding("x", "done", "Action done")]

    def action_done(self) -> None:
        parent = self.parent
        while parent is not None and not isinstance(parent, AgendaPanel):
            parent = parent.parent
        if isinstance(parent, AgendaPanel):
            parent.action_done()


class AgendaPanel(AppAccess, QuietHorizontal):
    """Actions due and next visits, side by side when there is room: two LineLists, each
    its title, its lines and a note (one widget each: see LineList)."""

    DEFAULT_CSS = """
    AgendaPanel { height: auto; }
    AgendaPanel > LineList { width: 1fr; margin-right: 1; }
    AgendaPanel.-narrow { layout: vertical; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - as Widget names it
        super().__init__(id=id)
        self.agenda: Agenda | None = None
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield ActionList(id="agenda-actions")
        yield DueList(id="agenda-visits")

    def on_mount(self) -> None:
        # No read here: Home reads the agenda with its other panels (one read, not two).
        self.set_class(self.app.size.width < 100, "-narrow")
        self._fill("actions", [], 0, "")
        self._fill("visits", [], 0, "")

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")

    def reload(self) -> None:
        """Read again (Home calls it whenever it reloads)."""
        self.generation += 1
        self.load(self.generation, self.mc.today())

    @work(thread=True, exclusive=True, group="agenda", exit_on_error=False)
    def load(self, generation: int, today: date) -> None:
        from microcare_tui.services.agenda import load_agenda

        agenda = self.mc.read(lambda db: load_agenda(db, today))
        if agenda is not None:
            self.post_message(AgendaLoaded(generation, agenda))

    @on(AgendaLoaded)
    def _loaded(self, message: AgendaLoaded) -> None:
        if message.generation == self.generation:
            self.show(message.agenda)

    def show(self, agenda: Agenda) -> None:
        """Show actions due and next visits (Home reads the agenda with its other panels
        and calls this; x re-reads it here)."""
        self.agenda = agenda
        self._fill("actions", agenda.actions, agenda.actions_total,
                   "No actions due this week.")  # fmt: skip
        self._fill("visits", agenda.visits, agenda.visits_total,
                   "No visits planned in the next 14 days.")  # fmt: skip

    def _fill(self, part: str, lines: list[DueLine], total: int, empty: str) -> None:
        more = total - len(lines)
        note = empty if not lines else f"and {count_text(more)} more" if more > 0 else ""
        if lines and part == "actions":
            note = (note + " · " if note else "") + "enter opens the provider, x marks done"
        self.query_one(f"#agenda-{part}", DueList).show([
            (None, ""),
            (None, Content.styled(TITLES[part], "bold")),
            *[(line.item_id, due_text(line)) for line in lines],
            *([(None, Content.styled(note, "$text-muted"))] if note else []),
        ])  # fmt: skip

    def _line(self, part: str, item_id: str | None) -> DueLine | None:
        if self.agenda is None:
            return None
        lines = self.agenda.actions if part == "actions" else self.agenda.visits
        return next((x for x in lines if x.item_id == item_id), None)

    @on(LineList.Selected)
    def _open(self, event: LineList.Selected) -> None:
        event.stop()
        part = "actions" if event.line_list.id == "agenda-actions" else "visits"
        line = self._line(part, event.row_id)
        if line is not None:
            self.mc.open_provider(line.provider_id)

    def action_done(self) -> None:
        """Mark the highlighted action done (today)."""
        options = self.query_one("#agenda-actions", DueList)
        if options.highlighted is None:
            return
        line = self._line("actions", options.row_id(options.highlighted))
        if line is None:
            return
        from microcare_tui.services.visits import complete_action

        try:
            complete_action(self.mc.store, line.item_id, self.mc.today())
        except MicrocareError as exc:
            self.notify(exc.message, severity="warning", markup=False)
        self.mc.data_changed("actions")
        self.notify(f"Done: {line.what} ({line.provider})", markup=False)
        self.reload()
