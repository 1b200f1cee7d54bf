"""One provider's record: every field in words, standing and why, and the stage history."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from microcare_tui.domain.enums import Stage, label
from microcare_tui.domain.errors import MicrocareError, NotFound
from microcare_tui.services.provider_record import ProviderRecord, RecordField, provider_record
from microcare_tui.services.providers import Choice, move_stage
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.text_field import TextField


def _line(field: RecordField) -> str:
    """'Label: value' in markup, a dim dash when nothing is recorded."""
    value = escape(field.value) if field.value else "[dim]-[/]"
    return f"[b]{escape(field.label)}[/]: {value}"


def _referrals(record: ProviderRecord) -> RenderableType:
    """The count and what came of them, then the latest in columns (date, what happened,
    the need and who asked), the need wrapping in its own column on a narrow screen."""
    summary = Text(record.referral_summary)
    if not record.referrals:
        return summary
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for r in record.referrals:
        need = Text.assemble(r.needs, " ", (f"({r.enquirer.lower()})", "dim"))
        grid.add_row(r.signposted_on, r.reported, need)
    parts: list[RenderableType] = [summary, grid]
    if record.referrals_total > len(record.referrals):
        shown = f"Latest {len(record.referrals)} of {record.referrals_total:,} shown."
        parts.append(Text(shown, style="dim"))
    return Group(*parts)


class MoveStageDialog(ModalScreen[tuple[Stage, str] | None]):
    """Pick the next stage (only the allowed ones) and an optional note."""

    DEFAULT_CSS = """
    MoveStageDialog { align: center middle; }
    MoveStageDialog > Vertical {
        width: 60; max-width: 95%; height: auto; padding: 0 2;
        border: thick $accent; background: $surface;
    }
    MoveStageDialog OptionList { height: auto; max-height: 9; }
    MoveStageDialog Input { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, current: str, choices: list[Choice]) -> None:
        super().__init__()
        self.provider_name = name
        self.current = current  # the stage in words
        self.choices = choices  # (words, stage) the provider may move to

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Move {self.provider_name} from {self.current.lower()} to:",
                markup=False,
                classes="page-title",
            )
            yield OptionList(*[Option(words, id=stage) for words, stage in self.choices])
            yield TextField(placeholder="note (optional): why, what next", id="stage-note")
            yield Static("Enter moves, tab for the note, escape cancels.", classes="muted")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._finish(event.option.id)

    @on(Input.Submitted)
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None:
            options.focus()
            return
        self._finish(options.get_option_at_index(options.highlighted).id)

    def _finish(self, stage_id: str | None) -> None:
        if not stage_id:
            return
        note = self.query_one("#stage-note", Input).value.strip()
        self.dismiss((Stage(stage_id), note))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProviderDetailScreen(AppAccess, Screen[None]):
    """A provider's record, read-only, with keys to edit, move stage and copy the phone."""

    HELP = (
        "Provider record: everything held about one provider, their standing today and why, "
        "every dated stage move, and the enquiries signposted to them with what happened."
    )
    title_text = "Provider"
    CSS_PATH = "providers.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("m", "move_stage", "Move stage"),
        Binding("v", "log_visit", "Visit"),
        Binding("c", "copy_phone", "Copy phone"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, provider_id: str) -> None:
        super().__init__()
        self.provider_id = provider_id
        self.record: ProviderRecord | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="page", id="detail-page"):
            yield Static("", id="detail-name", classes="page-title", markup=False)
            yield Static("", id="detail-standing")
            with Horizontal(id="detail-columns"):
                with Vertical(classes="detail-panel"):
                    yield Static("Contact and business", classes="panel-title")
                    yield Static("", id="detail-contact")
                with Vertical(classes="detail-panel"):
                    yield Static("What they offer", classes="panel-title")
                    yield Static("", id="detail-offer")
            yield Static("Stage history", classes="panel-title")
            yield Static("", id="detail-history")
            yield Static("Referrals received", classes="panel-title", id="detail-referrals-title")
            yield Static("", id="detail-referrals")
            yield Static("About", classes="panel-title", id="detail-about-title")
            yield Static("", id="detail-about")
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    def on_screen_resume(self) -> None:
        if self.record is not None:
            self.reload()

    def reload(self) -> None:
        try:
            record = provider_record(self.mc.store, self.provider_id, self.mc.today())
        except NotFound:
            self.notify("That provider is no longer on the register.", severity="warning")
            self.dismiss(None)
            return
        self.record = record
        self.query_one("#detail-name", Static).update(record.name)
        reason = f" — {escape(record.reason)}" if record.reason else ""
        since = f" since {record.stage_since}" if record.stage_since else ""
        standing = self.query_one("#detail-standing", Static)
        standing.update(
            f"Standing: [b]{escape(record.standing_text)}[/]{reason}\n"
            f"Stage: [b]{escape(record.stage_text)}[/]{since}"
        )
        standing.set_classes(f"status-{record.standing.value}")
        self.query_one("#detail-contact", Static).update("\n".join(map(_line, record.contact)))
        self.query_one("#detail-offer", Static).update("\n".join(map(_line, record.offer)))
        history = [f"{h.moved_on}  {escape(h.text)}" for h in record.history]
        self.query_one("#detail-history", Static).update(
            "\n".join(history) or "[dim]No stage moves recorded.[/]"
        )
        self.query_one("#detail-referrals", Static).update(_referrals(record))
        self.query_one("#detail-about", Static).update("\n".join(map(_line, record.about)))

    # -- actions -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self.reload()

    def action_edit(self) -> None:
        from microcare_tui.ui.screens.provider_form import ProviderFormScreen

        self.app.push_screen(ProviderFormScreen(self.provider_id))

    def action_log_visit(self) -> None:
        from microcare_tui.ui.screens.visit_form import VisitFormScreen

        self.app.push_screen(VisitFormScreen(self.provider_id))

    def action_copy_phone(self) -> None:
        if self.record is None or not self.record.phone:
            self.notify("No phone number recorded: press e to add one.")
            return
        self.mc.copy_text(self.record.phone, "phone number")

    def action_move_stage(self) -> None:
        record = self.record
        if record is None:
            return

        def chosen(result: tuple[Stage, str] | None) -> None:
            if result is None:
                return
            target, note = result
            try:
                moved = move_stage(self.mc.store, record.id, target, note or None)
            except MicrocareError as exc:
                self.notify(exc.message, title="Not moved", severity="error")
                return
            self.mc.data_changed("providers")
            self.notify(f"{moved.name} moved to {label(moved.stage.value).lower()}", markup=False)

        dialog = MoveStageDialog(record.name, record.stage_text, record.next_stages)
        self.app.push_screen(dialog, chosen)
