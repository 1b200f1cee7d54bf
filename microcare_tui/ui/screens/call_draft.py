"""The question that offers back a call that was not saved (after a crash, or one the worker
chose to answer later).

A draft is only ever deleted by an explicit choice, so the keys are ones a worker typing
ahead into the call form would not press by accident: escape (ask later) keeps the draft,
and discarding takes the delete key or the Discard button.
"""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Answer = Literal["restore", "later", "discard"]


class DraftQuestion(ModalScreen[Answer]):
    """Restore this unsaved call? Dismisses with "restore", "later" or "discard".

    | Key | Does |
    | :- | :- |
    | y, enter on Restore | Put the call back into the form |
    | escape | Ask again at the next new call (the draft is kept) |
    | delete (or a click on Discard) | Delete the unsaved call for good |
    """

    DEFAULT_CSS = """
    DraftQuestion { align: center middle; }
    DraftQuestion > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    DraftQuestion .draft-more { color: $text-muted; margin-top: 1; }
    DraftQuestion Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    DraftQuestion Button { margin-left: 1; min-width: 12; }
    """
    BINDINGS = [
        Binding("y", "answer('restore')", "Restore"),
        Binding("escape", "answer('later')", "Ask later"),
        Binding("delete", "answer('discard')", "Discard"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, more: int = 0) -> None:
        super().__init__()
        self.question = question
        self.more = more

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            if self.more:
                calls = "call" if self.more == 1 else "calls"
                yield Static(
                    f"{self.more} more unsaved {calls} kept: offered at the next new call.",
                    classes="draft-more",
                )
            with Horizontal():
                yield Button("Restore (y)", id="restore", variant="warning")
                yield Button("Later (esc)", id="later")
                # Not a tab stop: keys typed ahead (tab, tab, enter) must never discard.
                discard = Button("Discard (del)", id="discard", variant="error")
                discard.can_focus = False
                yield discard

    def on_mount(self) -> None:
        self.query_one("#restore", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer: Answer = "restore"
        if event.button.id == "later":
            answer = "later"
        elif event.button.id == "discard":
            answer = "discard"
        self.dismiss(answer)

    def action_answer(self, answer: Answer) -> None:
        self.dismiss(answer)
