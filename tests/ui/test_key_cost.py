"""What a key in a text field costs, counted with Textual's own work, not timed (keys8): a
key repaints one line of one widget, its Changed message goes only to the nodes that handle
it, and the screen under the current one repaints nothing on it (the call screen opens with
one paint). And TextField draws and behaves as Input does. Timings are in bench/instant.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual._compositor import Compositor
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.call import CallScreen
from microcare_tui.ui.screens.provider_form import ProviderFormScreen
from microcare_tui.ui.widgets.text_field import TextField
from tests.conftest import TODAY
from tests.ui.provider_helpers import settle

SIZE = (120, 40)


class Work:
    """Textual's work as it happens: layouts, widgets' lines drawn, full-screen paints, and
    the nodes each message was dispatched to."""

    def __init__(self) -> None:
        self.layouts = 0
        self.full_paints = 0
        self.lines: Counter[str] = Counter()  # widget class -> lines drawn (styles cache)
        self.widgets: Counter[str] = Counter()  # widget class -> render_lines calls
        self.messages: Counter[tuple[str, str]] = Counter()  # (node class, message class)

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    seen = Work()
    layout, full = Screen._refresh_layout, Compositor.render_full_update
    lines, render_lines = StylesCache.render_line, Widget.render_lines
    dispatch = MessagePump._dispatch_message

    def counted_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        seen.layouts += 1
        layout(self, *args, **kwargs)

    def counted_full(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        seen.full_paints += 1
        return full(self, *args, **kwargs)

    def counted_render_lines(self: Widget, crop: Region) -> Any:
        seen.widgets[type(self).__name__] += 1
        self._styles_cache._counted_for = type(self).__name__  # type: ignore[attr-defined]
        return render_lines(self, crop)

    def counted_line(self: StylesCache, *args: Any, **kwargs: Any) -> Any:
        seen.lines[getattr(self, "_counted_for", "?")] += 1
        return lines(self, *args, **kwargs)

    async def counted_dispatch(self: MessagePump, message: Any) -> None:
        seen.messages[type(self).__name__, type(message).__name__] += 1
        await dispatch(self, message)

    monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
    monkeypatch.setattr(Compositor, "render_full_update", counted_full)
    monkeypatch.setattr(Widget, "render_lines", counted_render_lines)
    monkeypatch.setattr(StylesCache, "render_line", counted_line)
    monkeypatch.setattr(MessagePump, "_dispatch_message", counted_dispatch)
    yield seen


async def test_a_key_draws_one_line_and_goes_only_where_it_is_handled(
    db_path: Path, work: Work
) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("n")  # the provider form, the focus in its name
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ProviderFormScreen)
        assert isinstance(app.focused, TextField) and app.focused.id == "name"
        # The cursor's blink (every 0.5 s without a key) draws the line too: on a busy
        # machine three keys took longer than that and counted a fourth line (CI-like).
        app.focused.cursor_blink = False
        for _ in range(3):
            await pilot.pause(0.05)
        work.clear()
        for key in "Ash":
            await pilot.press(key)
            await pilot.pause()
        assert app.focused.value == "Ash"
        assert form.dirty  # the form's own handler of Input.Changed still hears each key
        # Per key: the field's line of text drawn (not its border's two), no other widget
        # drawn, nothing laid out, no full paint.
        assert work.lines == {"TextField": 3}
        assert work.widgets == {"TextField": 3}
        assert work.layouts == 0 and work.full_paints == 0
        # Changed went from the field straight to the form screen, past the four containers
        # between (and not to the app, which has no handler for it).
        changed = {node: n for (node, msg), n in work.messages.items() if msg == "Changed"}
        assert changed == {"TextField": 3, "ProviderFormScreen": 3}
        await pilot.press("escape", "y")
        await settle(app, pilot)

        # The call screen opens with one paint: the screen under it asked to repaint as it
        # was covered, and it is opaque, so that repaint waits until it shows again.
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, CallScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        work.clear()
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, CallScreen)
        assert work.full_paints == 1
        assert work.layouts <= 1


class Inner(Vertical):
    """A container between the fields and the app that handles Changed (the one outside
    it does not)."""

    @on(Input.Changed)
    def _heard(self, event: Input.Changed) -> None:
        self.app.heard.append(("inner", "changed", event.value))  # type: ignore[attr-defined]


class Fields(App[None]):
    """An Input and a TextField side by side, in containers that do and do not handle
    Changed, for comparing the two."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, str, str]] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="outer"), Inner(id="inner"):
            yield Input(id="plain", placeholder="Type here")
            yield TextField(id="field", placeholder="Type here")
            yield TextField(id="secret", password=True)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.heard.append(("app", "changed", event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.heard.append(("app", "submitted", event.value))


def _drawn(widget: Input) -> list[list[Any]]:
    """The widget's lines as Textual would paint them now (segments with their styles)."""
    widget._styles_cache.clear()
    return [list(strip) for strip in widget.render_lines(Region(0, 0, *widget.size))]


async def test_a_text_field_draws_and_behaves_as_input() -> None:
    app = Fields()
    async with app.run_test(size=(40, 12)) as pilot:
        plain = app.query_one("#plain", Input)
        field = app.query_one("#field", TextField)
        for widget in (plain, field):
            widget.cursor_blink = False
        secret = app.query_one("#secret", TextField)
        secret.focus()
        await pilot.pause()
        assert _drawn(field) == _drawn(plain)  # the placeholder, unfocused
        field.focus()
        await pilot.pause()
        line_field = _drawn(field)
        plain.focus()
        await pilot.pause()
        assert line_field == _drawn(plain)  # the placeholder with the cursor

        cases = [
            "Oak Tree",  # cursor at the end
            "Oak Tree Companions of Ashford and Tenterden, Kent",  # longer than the field
        ]
        for text in cases:
            for widget in (plain, field):
                widget.value = text[:-2]
                widget.focus()
                await pilot.pause()
                await pilot.press("end", *text[-2:])
                await pilot.pause()
                assert widget.value == text
            field.focus()
            await pilot.pause()
            line_field = _drawn(field)
            plain.focus()
            await pilot.pause()
            assert line_field == _drawn(plain)
        for keys in (["home", "right", "right"], ["shift+left", "shift+left"]):
            for widget in (plain, field):  # a cursor inside the text; then a selection
                widget.focus()
                await pilot.pause()
                await pilot.press(*keys)
                await pilot.pause()
            field.focus()
            await pilot.pause()
            assert field.selection == plain.selection
            assert field.scroll_offset == plain.scroll_offset
            line_field = _drawn(field)
            plain.focus()
            await pilot.pause()
            assert line_field == _drawn(plain)

        # Its messages reach every handler, in order; the app hears Input's too.
        app.heard.clear()
        field.value = ""
        field.focus()
        await pilot.pause()
        await pilot.press("a", "b", "enter")
        await pilot.pause()
        assert app.heard == [
            ("inner", "changed", ""),
            ("app", "changed", ""),
            ("inner", "changed", "a"),
            ("app", "changed", "a"),
            ("inner", "changed", "ab"),
            ("app", "changed", "ab"),
            ("app", "submitted", "ab"),
        ]
        app.heard.clear()
        with app.prevent(Input.Changed):  # Textual's way to set a value quietly still works
            field.value = "quiet"
        await pilot.pause()
        assert app.heard == [] and field.value == "quiet"
        secret.focus()
        await pilot.press("x", "y")
        await pilot.pause()
        assert secret.value == "xy" and "xy" not in str(secret.render_line(0).text)
