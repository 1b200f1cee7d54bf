"""Book people on a session: type part of a name (theirs or their provider's), enter books
the highlighted person; the list stays open for the next one."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.domain.training import BookingRefused
from microcare_tui.services.training import session_sheet
from microcare_tui.services.training_booking import BookableLine, book, find_bookable
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.text_field import TextField

SHOWN = 40


class PeopleFound(Loaded, bubble=False):
    """People matching the booking filter."""

    def __init__(self, generation: int, people: list[BookableLine]) -> None:
        super().__init__(generation)
        self.people = people


class BookPeopleScreen(AppAccess, ModalScreen[int]):
    """Find and book people; dismisses with how many were booked."""

    DEFAULT_CSS = """
    BookPeopleScreen { align: center middle; }
    BookPeopleScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    BookPeopleScreen OptionList { height: auto; max-height: 14; }
    BookPeopleScreen #booking-said { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "done", "Done"),
        Binding("down", "to_list", show=False),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.people: list[BookableLine] = []
        self.booked = 0
        self.generation = 0

    def compose(self) -> ComposeResult:
        sheet = session_sheet(self.mc.store, self.session_id, self.mc.today())
        with Vertical():
            yield Static(f"Book people on {sheet.title}, {sheet.when}", classes="page-title",
                         markup=False)  # fmt: skip
            yield TextField(placeholder="part of a name, or of a provider's name", id="who")
            yield OptionList(id="people")
            yield Static(f"{sheet.places} places taken. Enter books the highlighted person; "
                         "escape when done.", id="booking-said", classes="muted",
                         markup=False)  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#who", Input).focus()
        self._search("")

    @on(Input.Changed, "#who")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, text: str) -> None:
        self.generation += 1
        self.find(self.generation, text)

    @work(thread=True, exclusive=True, group="booking", exit_on_error=False)
    def find(self, generation: int, text: str) -> None:
        """Look people up on the reader thread."""
        people = self.mc.read(lambda db: find_bookable(db, text, SHOWN))
        if people is not None:
            self.post_message(PeopleFound(generation, people))

    @on(PeopleFound)
    def _found(self, message: PeopleFound) -> None:
        if message.generation != self.generation:
            return
        self.people = message.people
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(f"{p.name} · {p.provider} ({p.role})", id=str(i))
                for i, p in enumerate(self.people)
            ]  # fmt: skip
        )
        if self.people:
            options.highlighted = 0

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    @on(Input.Submitted, "#who")
    def _enter_in_filter(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._book(self.people[options.highlighted])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._book(self.people[int(event.option.id or 0)])

    def _book(self, who: BookableLine, over_capacity: bool = False) -> None:
        try:
            book(self.mc.store, self.session_id, who, self.mc.today(), over_capacity)
        except BookingRefused as exc:
            if exc.full and not over_capacity:
                self._ask_over_capacity(who, exc.message)
                return
            self._say(exc.message)
            self.app.bell()
            return
        except MicrocareError as exc:
            self._say(exc.message)
            return
        self.booked += 1
        self.mc.data_changed("training")
        self._say(f"Booked {who.name} ({who.provider}). {self.booked} booked so far.")
        self.query_one("#who", Input).value = ""
        self.query_one("#who", Input).focus()

    def _ask_over_capacity(self, who: BookableLine, why: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._book(who, over_capacity=True)

        self.app.push_screen(ConfirmDialog(f"{why} Book {who.name} anyway?", "Book", "Don't"),
                             answered)  # fmt: skip

    def _say(self, text: str) -> None:
        self.query_one("#booking-said", Static).update(text)

    def action_done(self) -> None:
        self.dismiss(self.booked)
