"""Form building blocks shared by every form, so all forms behave alike.

- FieldRow: a label, one control and a one-line error under it.
- MultiPick: a filterable list of choices; space toggles, typing filters.
- FormScreen: ctrl+s / F2 save, escape asks before losing changes, errors shown by field,
  enter in a single-line field moves on (never submits by surprise).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, Switch, TextArea

from microcare_tui.domain.errors import MicrocareError, ValidationFailed
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.confirm import ConfirmDialog


class FieldRow(Vertical):
    """One labelled field with its error line."""

    DEFAULT_CSS = """
    FieldRow { height: auto; margin-bottom: 0; }
    FieldRow > .field-label { color: $text-muted; height: 1; }
    FieldRow > .field-error { color: $error; height: auto; }
    FieldRow > .field-error.-empty { display: none; }
    FieldRow.-invalid > .field-label { color: $error; text-style: bold; }
    """

    def __init__(
        self, label: str, control: Widget, field: str, required: bool = False, hint: str = ""
    ) -> None:
        super().__init__(id=f"row-{field}")
        self.field = field
        self.control = control
        self.required = required
        text = f"{label}{' *' if required else ''}"
        if hint:
            text += f"  ({hint})"
        self._label_text = text

    def compose(self) -> ComposeResult:
        yield Label(self._label_text, classes="field-label")
        yield self.control
        yield Static("", classes="field-error -empty", markup=False)

    def set_error(self, message: str | None) -> None:
        """Show (or clear) the message under the field."""
        error = self.query_one(".field-error", Static)
        error.update(f"! {message}" if message else "")
        error.set_class(not message, "-empty")
        self.set_class(bool(message), "-invalid")


class PickList(SelectionList[str]):
    """A SelectionList whose unchosen boxes are empty: ▐X▌ chosen, ▐ ▌ not (never colour alone)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text.strip():
            segments[1] = segments[1]._replace(text=" " * len(segments[1].text))
        return Strip(segments, strip.cell_length)


class KeySelect(Select[str]):
    """A Select you set by typing: a letter picks the next option starting with it.

    Choices from short lists use keys (UX.md); enter, space or the arrows still open the list.
    """

    def __init__(self, options: Iterable[tuple[str, str]], **kwargs: Any) -> None:
        self.choices = list(options)
        super().__init__(self.choices, **kwargs)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and character != " "

    def on_key(self, event: events.Key) -> None:
        if self.expanded or not event.character or event.character == " ":
            return
        if not event.character.isprintable():
            return
        event.stop()
        event.prevent_default()
        letter = event.character.lower()
        matches = [v for text, v in self.choices if text.lower().startswith(letter)]
        if not matches:
            self.app.bell()
            return
        current = self.value
        if current in matches:
            self.value = matches[(matches.index(str(current)) + 1) % len(matches)]
        else:
            self.value = matches[0]


class MultiPick(Vertical):
    """Choose several: type to filter, space to toggle; the selection survives filtering."""

    DEFAULT_CSS = """
    MultiPick { height: auto; border: round $panel; }
    MultiPick > Input, MultiPick > Input:focus { border: none; height: 1; padding: 0 1; }
    MultiPick > SelectionList, MultiPick > SelectionList:focus {
        height: auto; max-height: 8; border: none;
    }
    MultiPick:focus-within { border: round $accent; }
    """

    class Changed(Message):
        """The chosen values changed."""

        def __init__(self, pick: MultiPick) -> None:
            super().__init__()
            self.pick = pick

    def __init__(
        self,
        choices: Iterable[tuple[str, str]],
        selected: Iterable[str] = (),
        id: str | None = None,  # noqa: A002 - Textual's own widgets take `id`
        placeholder: str = "type to filter, space to toggle",
    ) -> None:
        super().__init__(id=id)
        self.choices = list(choices)
        self.selected: list[str] = [v for v in selected]
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder, classes="pick-filter")
        yield PickList(*self._options(""), classes="pick-list")

    def _options(self, text: str) -> list[tuple[str, str, bool]]:
        needle = text.strip().lower()
        return [
            (label, value, value in self.selected)
            for label, value in self.choices
            if not needle or needle in label.lower()
        ]

    @property
    def value(self) -> list[str]:
        """The chosen values, in the order of the choices."""
        order = {v: i for i, (_, v) in enumerate(self.choices)}
        return sorted(self.selected, key=lambda v: order.get(v, 10_000))

    @on(Input.Changed, ".pick-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        pick = self.query_one(SelectionList)
        with pick.prevent(SelectionList.SelectedChanged):
            pick.clear_options()
            pick.add_options(self._options(event.value))
        if pick.option_count:
            pick.highlighted = 0  # so space toggles the first match straight away

    @on(Input.Submitted, ".pick-filter")
    def _to_list(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(SelectionList).focus()

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        pick = event.selection_list
        visible = {str(pick.get_option_at_index(i).value) for i in range(pick.option_count)}
        now = set(pick.selected)
        kept = [v for v in self.selected if v not in visible or v in now]
        self.selected = kept + [v for v in pick.selected if v not in kept]
        self.post_message(self.Changed(self))


def read_control(control: Widget) -> Any:
    """The current value of a form control, as the service layer expects it."""
    if isinstance(control, Input):
        return control.value
    if isinstance(control, TextArea):
        return control.text
    if isinstance(control, Switch):
        return control.value
    if isinstance(control, Select):
        return None if control.value is Select.NULL else control.value
    if isinstance(control, MultiPick):
        return control.value
    raise TypeError(f"Unsupported control {control!r}")


class FormScreen(AppAccess, Screen[Any]):
    """Base for every form: subclasses compose FieldRows and implement `save_values`."""

    # Start in the first field, not on the scrolling container around the fields.
    AUTO_FOCUS = "FieldRow Input, FieldRow Select, FieldRow TextArea, FieldRow Switch"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form-save"),
        Binding("f2", "save", "Save", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("enter", "next_field", "Next field", show=False),
        # Section keys (1-9) would otherwise leave the form from a switch or list, unasked.
        Binding("1,2,3,4,5,6,7,8,9", "stay_in_form", show=False),
    ]

    dirty = False
    _initial: dict[str, Any] | None = None

    def on_mount(self) -> None:
        # Controls announce their first values as they mount; remember them once the
        # form has settled, so leaving an untouched form does not ask.
        self.call_after_refresh(self._remember_initial)

    def _remember_initial(self) -> None:
        self._initial = self.values()

    def has_unsaved_changes(self) -> bool:
        """True when a field differs from what the form opened with."""
        if not self.dirty:
            return False
        return self._initial is None or self.values() != self._initial

    def action_stay_in_form(self) -> None:
        self.notify("Save with ctrl+s, or leave the form with escape, first.", timeout=3)

    def field_rows(self) -> list[FieldRow]:
        return list(self.query(FieldRow))

    def values(self) -> dict[str, Any]:
        """Every field's current value, by field name."""
        return {row.field: read_control(row.control) for row in self.field_rows()}

    def save_values(self, values: dict[str, Any]) -> Any:
        """Validate and save through a service; raise ValidationFailed for bad input."""
        raise NotImplementedError

    def validate_field(self, field: str, value: Any) -> str | None:
        """Check one field as the worker leaves it; return a message or None."""
        return None

    def saved(self, result: Any) -> None:
        """Called after a successful save (default: close the form with the result)."""
        self.dirty = False
        self.dismiss(result)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(MultiPick.Changed)
    def _mark_dirty(self) -> None:
        if self.is_mounted and self.app.screen is self:
            self.dirty = True

    @on(Input.Blurred)
    def _check_on_leave(self, event: Input.Blurred) -> None:
        row = next((r for r in self.field_rows() if r.control is event.input), None)
        if row is None:
            return
        message = None
        if row.required and not str(event.value).strip():
            message = "This is required"
        elif str(event.value).strip():
            message = self.validate_field(row.field, event.value)
        row.set_error(message)

    @on(Input.Submitted)
    def _enter_moves_on(self, event: Input.Submitted) -> None:
        # Enter in a single-line field moves on; it never saves by surprise.
        if any(r.control is event.input for r in self.field_rows()):
            event.stop()
            self.focus_next()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        for row in self.field_rows():
            row.set_error(None)
        try:
            result = self.save_values(self.values())
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            return
        except MicrocareError as exc:
            self.notify(exc.message, title="Not saved", severity="error", timeout=8)
            return
        self.saved(result)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message under its field, list them once, focus the first bad field."""
        rows = {r.field: r for r in self.field_rows()}
        first: FieldRow | None = None
        unplaced = []
        for field, message in errors.items():
            row = rows.get(field)
            if row is None:
                unplaced.append(f"{field}: {message}")
                continue
            row.set_error(message)
            if first is None:
                first = row
        listed = "\n".join(
            f"- {rows[f]._label_text.split('  (')[0].rstrip(' *') if f in rows else f}: {m}"
            for f, m in errors.items()
        )
        self.notify(
            f"Nothing was saved. Please correct:\n{listed}",
            title="Not saved",
            severity="error",
            timeout=10,
            markup=False,
        )
        self.app.bell()
        if unplaced:
            self.log.warning("errors for fields not on this form", unplaced)
        if first is not None:
            target = first.control
            if isinstance(target, MultiPick):
                target.query_one(Input).focus()
            else:
                target.focus()
            first.scroll_visible()

    def action_cancel(self) -> None:
        if not self.has_unsaved_changes():
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dirty = False
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("You have unsaved changes. Leave without saving?", "Leave", "Stay"),
            answered,
        )
