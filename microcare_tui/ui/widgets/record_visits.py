"""A provider's visits, actions and stage history, for a part of the provider's record.

Loads in a thread worker (services.visits.record_visits) and reloads when something is saved.
The visits are a list: `k` corrects the highlighted one (a new entry; the original stays,
marked "corrected").
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.services.visits import RecordVisits, VisitLine, record_visits
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import DataChanged, Loaded

SHOWN = 30  # visits bound to the list; the record is a summary, not an archive


class RecordVisitsLoaded(Loaded, bubble=False):
    """A provider's visits, actions and moves as read by the worker."""

    def __init__(self, generation: int, view: RecordVisits) -> None:
        super().__init__(generation)
        self.view = view


def visit_text(visit: VisitLine) -> Content:
    """A visit in two lines: date, kind, length, who and the next visit; then the notes."""
    head = " · ".join(x for x in (visit.visited_on, visit.kind, visit.duration, visit.worker,
                                  visit.next_visit) if x)  # fmt: skip
    parts: list[str | tuple[str, str]] = [(head, "bold")]
    if visit.corrected:
        parts.append(("  (corrected: see the newer entry)", "italic $text-muted"))
    elif visit.is_correction:
        parts.append(("  (a correction)", "italic"))
    if visit.notes:
        parts.append("\n" + visit.notes)
    return Content.assemble(*parts)


class VisitList(OptionList):
    """The visits; enter corrects the highlighted one (k is the record's concerns key)."""

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        parent = self.parent
        if isinstance(parent, RecordVisitsPanel):
            parent.correct_highlighted()


class RecordVisitsPanel(AppAccess, Vertical):
    """Visits (newest first), open and done actions, and the dated stage moves with who and
    why, of one provider."""

    DEFAULT_CSS = """
    RecordVisitsPanel { height: auto; }
    RecordVisitsPanel > .panel-title { margin-top: 1; }
    RecordVisitsPanel > VisitList { height: auto; max-height: 16; border: none; padding: 0; }
    """

    def __init__(self, provider_id: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.provider_id = provider_id
        self.view: RecordVisits | None = None
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield Static("Visits and contacts", classes="panel-title")
        yield Static("Loading...", id="visits-summary", classes="muted", markup=False)
        yield VisitList(id="visit-list")
        yield Static("Actions", classes="panel-title")
        yield Static("", id="visit-actions", markup=False)
        yield Static("Stage moves", classes="panel-title")
        yield Static("", id="visit-moves", markup=False)

    def on_mount(self) -> None:
        self.query_one(VisitList).display = False
        self.reload()

    def reload(self) -> None:
        """Read again (on mount and after any save)."""
        self.generation += 1
        self.load(self.generation, self.mc.today())

    def show_for(self, provider_id: str) -> None:
        """Become another provider's visits part (the record screen is kept): nothing of the
        last provider's left on it, then read the new one's."""
        self.provider_id = provider_id
        self.view = None
        visits = self.query_one(VisitList)
        visits.clear_options()
        visits.display = False
        self.query_one("#visits-summary", Static).update("Loading...")
        self.query_one("#visit-actions", Static).update("")
        self.query_one("#visit-moves", Static).update("")
        self.reload()

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="record-visits", exit_on_error=False)
    def load(self, generation: int, today: date) -> None:
        view = self.mc.read(lambda db: record_visits(db, self.provider_id, today))
        if view is not None:
            self.post_message(RecordVisitsLoaded(generation, view))

    @on(RecordVisitsLoaded)
    def _loaded(self, message: RecordVisitsLoaded) -> None:
        if message.generation != self.generation:
            return
        self.view = view = message.view
        visits = self.query_one(VisitList)
        keep = visits.highlighted
        visits.clear_options()
        visits.add_options([Option(visit_text(v), id=v.id) for v in view.visits[:SHOWN]])
        visits.display = bool(view.visits)
        if visits.option_count:
            visits.highlighted = min(keep or 0, visits.option_count - 1)
        more = len(view.visits) - SHOWN
        summary = (
            "No visits yet: press v to log one."
            if not view.visits
            else f"{len(view.visits)} visits, the newest first"
            + (f" ({more} older not shown)" if more > 0 else "")
            + " · enter corrects the highlighted one"
        )
        self.query_one("#visits-summary", Static).update(summary)
        actions = [
            f"{'☐' if a.open else '☑'} {a.description} — {a.state}"
            + (f" (due {a.due})" if a.open and a.due else "")
            for a in view.actions
        ]
        self.query_one("#visit-actions", Static).update("\n".join(actions) or "No actions.")
        moves = [
            f"{m.moved_on}  {m.text}" + (f" — {m.reason}" if m.reason else "")
            + (f" ({m.by})" if m.by else "")
            for m in view.moves
        ]  # fmt: skip
        self.query_one("#visit-moves", Static).update("\n".join(moves) or "No stage moves.")

    def start_new(self) -> None:
        """The part's key pressed again (v): log a new visit for this provider."""
        from microcare_tui.ui.screens.visit_form import VisitFormScreen

        self.app.push_screen(VisitFormScreen.open_for(self.app, self.provider_id))

    def correct_highlighted(self) -> None:
        """Open the visit form to correct the highlighted visit."""
        visits = self.query_one(VisitList)
        if visits.highlighted is None or self.view is None:
            return
        visit_id = visits.get_option_at_index(visits.highlighted).id
        visit = next((v for v in self.view.visits if v.id == visit_id), None)
        if visit is None:
            return
        if visit.corrected:
            self.app.notify("That visit has been corrected already: correct the newer entry.")
            return
        from microcare_tui.ui.screens.visit_form import VisitFormScreen

        self.app.push_screen(
            VisitFormScreen.open_for(self.app, self.provider_id, corrects=visit.id)
        )
