"""Form building blocks shared by every form, so all forms behave alike.

- FieldRow: a label, one control and a one-line error under it.
- MultiPick (ui/widgets/pick.py): a filterable list of choices; one tab stop: typing
  filters, up/down move, enter toggles.
- KeySelect (ui/widgets/key_select.py): a short list set by typing a letter.
- FormScreen: ctrl+s / F2 save, escape asks before losing changes (and only closes an open
  dropdown), errors shown by field, enter in a single-line field moves on (never submits by
  surprise); a save that fails for any reason keeps the form and says what to do.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch, TextArea

from microcare_tui.domain.errors import MicrocareError, ValidationFailed
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.widgets.cheap_screen import KeepStyles
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.key_select import KeySelect
from microcare_tui.ui.widgets.pick import MultiPick, PickList

__all__ = [
    "FieldRow",
    "FormScreen",
    "KeySelect",
    "MultiPick",
    "PickList",
    "describe_save_failure",
    "read_control",
    "set_control",
]


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
        # The error line is mounted when there is first an error to show: most fields never
        # have one, and a form of 20 fields mounted 20 hidden lines on every open.

    def set_error(self, message: str | None) -> None:
        """Show (or clear) the message under the field."""
        self.set_class(bool(message), "-invalid")
        error = next(iter(self.query(".field-error").results(Static)), None)
        text = f"! {message}" if message else ""
        if error is None:
            if message:
                self.mount(Static(text, classes="field-error", markup=False))
            return
        error.update(text)
        error.set_class(not message, "-empty")


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


def set_control(control: Widget, value: Any) -> None:
    """Put a value (a lookup fill, a restored draft, a kept form filled afresh) into a form
    control.

    A control already holding the value is left alone: setting it again redraws it and, for
    the lists and the text area, lays out the form (a kept screen started afresh sets every
    field)."""
    if _holds(control, value):
        return
    if isinstance(control, Input):
        control.value = "" if value is None else str(value)
    elif isinstance(control, TextArea):
        control.text = "" if value is None else str(value)
    elif isinstance(control, Switch):
        control.value = bool(value)
    elif isinstance(control, KeySelect):
        control.hold(None if value is None else str(value))
    elif isinstance(control, Select):
        try:
            control.value = Select.NULL if value is None else value
        except Exception:  # a value no longer offered: leave the field as it is
            pass
    elif isinstance(control, MultiPick):
        control.set_value(str(v) for v in value or [])


def _holds(control: Widget, value: Any) -> bool:
    """Does the control show this value already?"""
    try:
        current = read_control(control)
    except TypeError:
        return False
    if isinstance(control, MultiPick):
        return sorted(current) == sorted(str(v) for v in value or [])
    if isinstance(control, (Input, TextArea)):
        return current == ("" if value is None else str(value))
    return bool(current == value)


def describe_save_failure(exc: BaseException) -> str:
    """What to tell the worker when a save failed for a reason other than their input.

    Messages the app wrote for people (MicrocareError) are shown as they are; anything else
    (an sqlite3 or OS error that reached the form) is described from its kind only, never
    its text, which may quote what was typed. Every message ends with what to do next.
    """
    retry = "Everything you typed is still here: press ctrl+s to try again."
    if isinstance(exc, MicrocareError):
        return f"{exc.message}\n{retry}"
    text = str(exc).lower()
    if "full" in text or "no space" in text:
        what = "The disk is full: nothing was saved. Free some space (empty the bin, move files)."
    elif "locked" in text or "busy" in text:
        what = "The database is busy (another microcare or program is writing to it): nothing "
        what += "was saved. Wait a moment."
    elif "readonly" in text or "read-only" in text or "permission" in text:
        what = "The database is read-only here: nothing was saved. Check the file's permissions."
    elif "disk i/o" in text or "unable to open" in text:
        what = "The database file could not be written (a disk or folder problem): nothing was "
        what += "saved."
    else:
        what = f"Nothing was saved: an unexpected problem ({type(exc).__name__})."
        retry += " If it keeps failing, tell your team lead."
    return f"{what}\n{retry}"


class FormScreen(KeepStyles, AppAccess, Screen[Any]):
    """Base for every form: subclasses compose FieldRows and implement `save_values`.

    | Key | Does |
    | :- | :- |
    | ctrl+s, F2 | Save; a failed save keeps the form as it is and says what to do |
    | escape | Close an open dropdown; otherwise leave (asks first if anything changed) |
    | enter | In a single-line field: next field (never saves) |
    """

    DEFAULT_CSS = """
    /* Notifications go to the top right while the field being typed is in the lower half
       (the call's follow-up date sits bottom right, where Textual puts them). */
    FormScreen.-toasts-top ToastRack { dock: top; align: right top; margin: 1 0 0 0; }
    """
    # Start in the first field, not on the scrolling container around the fields.
    AUTO_FOCUS = "FieldRow Input, FieldRow Select, FieldRow TextArea, FieldRow Switch"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form-save"),
        Binding("f2", "save", "Save", show=False, priority=True),
        # A priority key (it must work from inside any field), so an open dropdown would
        # never see it: action_leave closes the dropdown first.
        Binding("escape", "leave", "Cancel", priority=True, id="form-cancel"),
        Binding("enter", "next_field", "Next field", show=False),
        # Section keys (1-9) would otherwise leave the form from a switch or list, unasked.
        Binding("1,2,3,4,5,6,7,8,9", "stay_in_form", show=False),
    ]

    dirty = False
    _initial: dict[str, Any] | None = None
    # A field the form itself moved the focus from (a kept form filled afresh focuses its
    # first field): its blur is not the worker leaving it, so it is not checked.
    _unchecked_blur: Widget | None = None

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
        # The rows in the order a query finds them, by type alone: a CSS query matched its
        # selector against each of the call screen's ~100 widgets (~5 ms on each ctrl+n).
        return list(self.walk_children(FieldRow))

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
        # is_current, not app.screen: a form made off screen fills its fields as it mounts,
        # and their Changed messages may arrive as the app closes, with no screen left.
        if self.is_mounted and self.is_current and self.app.screen is self:
            self.dirty = True

    @on(Input.Blurred)
    def _check_on_leave(self, event: Input.Blurred) -> None:
        if event.input is self._unchecked_blur:
            self._unchecked_blur = None
            return
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
        except Exception as exc:  # a failed save must never take the form (and the call) down
            self.save_failed(exc)
            return
        self.saved(result)

    def save_failed(self, exc: BaseException) -> None:
        """Say why a save failed and what to do; the form stays open with everything typed.

        Screens with their own save paths call this from `except Exception`.
        """
        if isinstance(exc, ValidationFailed):
            self.show_errors(exc.errors)
            return
        if not isinstance(exc, MicrocareError):
            # The kind only: an error's text may quote what was typed (personal data).
            self.log.error("save failed", type(exc).__name__)
        self.notify(
            describe_save_failure(exc), title="Not saved", severity="error", timeout=12,
            markup=False,
        )  # fmt: skip
        self.app.bell()

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

    @on(events.DescendantFocus)
    def _place_notifications(self, event: events.DescendantFocus) -> None:
        """Keep notifications off the field being typed: top right when it is low down."""
        widget = event.widget

        def place() -> None:
            if widget.is_attached and self.is_attached:
                low = widget.region.y + widget.region.height // 2 > self.size.height // 2
                self.set_class(low, "-toasts-top")

        self.call_after_refresh(place)  # after focus has scrolled the field into view

    def open_dropdown(self) -> Select[Any] | None:
        """The Select whose list is open around the focused widget, if any."""
        focused = self.focused
        if focused is None:
            return None
        for node in focused.ancestors_with_self:
            if isinstance(node, Select):
                return node if node.expanded else None
        return None

    def action_leave(self) -> None:
        """Escape: close an open dropdown; otherwise leave the form (action_cancel)."""
        dropdown = self.open_dropdown()
        if dropdown is not None:
            dropdown.expanded = False
            dropdown.focus()
            return
        self.action_cancel()

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
