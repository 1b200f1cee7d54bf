"""Parts of the provider record that load their own data (people, evidence) and the
placeholder for parts other issues are still building. Each takes `provider_id` and reads in
a thread worker when first shown, so the record opens at once however much it holds.

A part from another helper follows the same shape: a widget taking `provider_id`, loading in
`on_mount` through a thread worker; add it to PARTS in ui/screens/provider_detail.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from microcare_tui.services.evidence import EvidenceLine, evidence_lines
from microcare_tui.services.people import PersonLine, mark_left, person_lines
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.widgets.line_list import ScrolledLineList


class PartLoaded(Loaded, bubble=False):
    """A part's lines, read in a worker."""

    def __init__(self, generation: int, lines: list[Any]) -> None:
        super().__init__(generation)
        self.lines = lines


class PartScroll(VerticalScroll, can_focus=False):
    """Scrolls a part's list, which has the focus (and the keys)."""


class ListPart(AppAccess, Vertical):
    """A part that reads its lines in a worker and lists them (one item per line; a line's
    text may take two rows). The list is one line-painted widget in a scroll: an OptionList
    measured and rendered every option, and a record's part opened in 110-170 ms.

    A part's own keys are named in its hint line, not the footer (show=False): the footer
    then shows the record's keys whichever part is open, so moving between parts does not
    compose the footer's dozen keys again (a layout of the whole screen each time)."""

    DEFAULT_CSS = """
    ListPart { height: 1fr; }
    ListPart > .part-hint { height: auto; color: $text-muted; }
    ListPart > PartScroll { height: 1fr; }
    """
    hint = ""
    empty = "Nothing recorded yet."

    def __init__(self, provider_id: str) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.generation = 0
        self.lines: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static(self.hint, classes="part-hint", markup=False)
        with PartScroll():
            yield ScrolledLineList()

    def on_mount(self) -> None:
        if self.provider_id:  # else made in advance for no provider yet (show_for fills it)
            self.reload()

    def reload(self) -> None:
        """Read the lines again (after a save) in a worker."""
        self.generation += 1
        self._load(self.generation)

    def show_for(self, provider_id: str) -> None:
        """Become this part of another provider's record (a kept record screen reuses its
        parts): nothing of the last provider's left on it, then read the new one's lines."""
        self.provider_id = provider_id
        self.lines = []
        self.query_one(".part-hint", Static).update(self.hint)
        self.query_one(ScrolledLineList).show([])
        self.reload()

    def read_lines(self) -> Callable[[Any], list[Any]]:
        """What to read on the reader thread (a function of the database)."""
        raise NotImplementedError

    def line_text(self, line: Any) -> Content:
        """The line as shown (a second row after a newline)."""
        raise NotImplementedError

    def line_id(self, line: Any) -> str | None:
        return None

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        lines = self.mc.read(self.read_lines())
        if lines is not None:
            self.post_message(PartLoaded(generation, lines))

    @on(PartLoaded)
    def _loaded(self, message: PartLoaded) -> None:
        if message.generation != self.generation:
            return
        self.lines = message.lines
        listing = self.query_one(ScrolledLineList)
        if not self.lines:
            listing.show([(None, Content.styled(self.empty, "dim"))])
            return
        listing.show(
            [(self.line_id(ln) or str(n), self.line_text(ln)) for n, ln in enumerate(self.lines)]
        )  # the highlight stays on the same line

    def current(self) -> Any | None:
        """The highlighted line, if any."""
        index = self.query_one(ScrolledLineList).highlighted
        if index is None or not self.lines or index >= len(self.lines):
            return None
        return self.lines[index]

    def focus_list(self) -> None:
        """Focus the part's list (once it is there: a part just mounted composes first)."""
        found = self.query(ScrolledLineList)
        if found:
            found.first().focus()
        else:
            self.call_after_refresh(self.focus_list)


class PeoplePart(ListPart):
    """The owner and each worker: add (a), edit (enter), mark as left (l)."""

    hint = "a add a person · enter edit · l mark as left. Only name, role, one-to-one."
    empty = "No people recorded yet: press a to add the owner."
    BINDINGS = [
        Binding("a", "add", "Add person", show=False),
        Binding("l", "left", "Mark left", show=False),
    ]

    def read_lines(self) -> Callable[[Any], list[PersonLine]]:
        pid = self.provider_id
        return lambda db: person_lines(db, pid)

    def line_text(self, line: PersonLine) -> Content:
        status = line.left or "current"
        parts = [line.name, line.role, line.one_to_one, status, line.contact]
        return Content.styled("  ·  ".join(p for p in parts if p), "" if line.current else "dim")

    def line_id(self, line: PersonLine) -> str | None:
        return line.id

    def action_add(self) -> None:
        self._open(None)

    @on(ScrolledLineList.Selected)
    def _edit(self, event: ScrolledLineList.Selected) -> None:
        event.stop()
        line = self.current()
        if line is not None:
            self._open(line.id)

    def _open(self, person_id: str | None) -> None:
        from microcare_tui.ui.screens.evidence_form import PersonFormScreen

        form = PersonFormScreen.open_for(self.app, self.provider_id, person_id)
        self.app.push_screen(form, lambda _r: self.reload())

    def action_left(self) -> None:
        line = self.current()
        if line is None or not line.current:
            self.notify("Pick someone who still works here.")
            return
        mark_left(self.mc.store, line.id, self.mc.today())
        self.mc.data_changed("people")
        self.notify(f"{line.name} marked as left today", markup=False)
        self.reload()


class EvidencePart(ListPart):
    """Each requirement that applies and the item meeting it: add (a); enter records the
    renewal of a lapsed, expiring or missing line, or edits a met one."""

    hint = (
        "a add evidence · enter on a lapsed, expiring or missing line records the new item, "
        "on a met line edits it. * mandatory. Metadata only."
    )
    empty = "No evidence applies yet."
    BINDINGS = [Binding("a", "add", "Add evidence", show=False)]

    def read_lines(self) -> Callable[[Any], list[EvidenceLine]]:
        pid, today = self.provider_id, self.mc.today()
        return lambda db: evidence_lines(db, pid, today)

    def line_text(self, line: EvidenceLine) -> Content:
        style = {"lapsed": "bold", "missing": "", "other": "dim"}.get(line.status, "")
        return Content.assemble(
            ("* " if line.mandatory else "  "),
            (line.label, "bold"),
            "  ",
            (line.text, style),
            (f"\n    {line.detail}" if line.detail else "", "dim"),
        )

    def action_add(self) -> None:
        self._open(None)

    @on(ScrolledLineList.Selected)
    def _chosen(self, event: ScrolledLineList.Selected) -> None:
        event.stop()
        line = self.current()
        if line is not None:
            self._open(line)

    def _open(self, line: EvidenceLine | None) -> None:
        from microcare_tui.ui.screens.evidence_form import EvidenceFormScreen

        # A lapsed, expiring or missing line records a new item (the renewal: the old one
        # stays as history); a line that is met, or other evidence, edits its item.
        renew = line is None or line.status in ("lapsed", "expiring", "missing")
        form = EvidenceFormScreen.open_for(
            self.app,
            self.provider_id,
            item_id=None if renew or line is None else line.item_id,
            type_code=line.type_code if line else None,
            person_id=line.person_id if line else None,
        )
        self.app.push_screen(form, lambda _r: self.reload())
