"""MultiPick: choose several from a long list (services, areas, days) without leaving the keys.

The filter line keeps focus the whole time, so a pick list is one tab stop:

| Key | Does |
| :- | :- |
| typing | filters the choices, by their label and by the caller's words given for each |
| up / down | move the highlight |
| enter | toggles the highlighted choice (then the filter clears for the next one) |
| tab / shift+tab | leave the pick list |

Space types a space (filters such as "home help" have two words). The chosen values survive
any filter; a filter that matches nothing says so ("No match for 'kent'") and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input, OptionList, SelectionList, Static

PLACEHOLDER = "type to filter, enter toggles"


def words_by_value(phrases: Mapping[str, str]) -> dict[str, str]:
    """Turn the lookup's phrase -> value map (e.g. Vocabulary.services, .districts) into the
    value -> words map MultiPick takes: {"cleaning": "home_help"} -> {"home_help": "cleaning"}."""
    out: dict[str, list[str]] = {}
    for phrase, value in phrases.items():
        out.setdefault(value, []).append(phrase)
    return {value: " ".join(words) for value, words in out.items()}


def _split_words(words: str | Iterable[str]) -> tuple[str, ...]:
    text = words if isinstance(words, str) else " ".join(words)
    return tuple(dict.fromkeys(w for w in re.split(r"[\s,;/]+", text.lower()) if w))


_LINK_WORDS = frozenset({"and", "the", "for", "with"})


def _word_matches(token: str, word: str) -> bool:
    """'tue' starts 'tue'; 'tuesday' says 'tue' in full (not 'andrew' for 'and')."""
    if word.startswith(token):
        return True
    return len(word) >= 3 and word not in _LINK_WORDS and token.startswith(word)


def match_choice(needle: str, label: str, words: tuple[str, ...] = ()) -> str | None:
    """How a filter matches one choice: None if it does not, "" if by its label, else the
    caller's word(s) it matched ("cleaning" for Home help), to show beside the label.

    The whole filter may appear anywhere in the label ("errand" finds "Shopping and errands");
    otherwise every word typed must start a word of the label or of the choice's words, or
    be a label word said in full ("tuesday" finds "Tue").
    """
    text = " ".join(needle.lower().split())
    lowered = label.lower()
    if not text or text in lowered:
        return ""
    label_words = [w for w in re.split(r"[^\w']+", lowered) if w]
    used: list[str] = []
    for token in text.split():
        if any(_word_matches(token, w) for w in label_words):
            continue
        word = next((w for w in words if w.startswith(token)), None)
        if word is None:
            return None
        used.append(word)
    return " ".join(dict.fromkeys(used))


class PickFilter(Input, inherit_bindings=False):
    """The filter line of a MultiPick; it keeps focus while the list below follows it.

    | Key | Does |
    | :- | :- |
    | enter | Toggle the highlighted choice |
    | up / down | Move the highlight |
    """

    # Fixed size, like lookup_panel.FixedInput: Input's default virtual_size relayouts the
    # whole screen on every key. Not that class itself: screens style FixedInput as fields.
    virtual_size = Reactive(Size(0, 0), layout=False)

    # Not inherited but listed, so F1 shows the pick's own keys before Input's editing keys.
    # show=False keeps the Footer short at 80 columns; F1 and the placeholder say them.
    BINDINGS = [
        Binding("enter", "toggle_choice", "Toggle the highlighted choice", show=False),
        Binding("down", "move_highlight(1)", "Next choice", show=False),
        Binding("up", "move_highlight(-1)", "Previous choice", show=False),
        *[b for b in Input.BINDINGS if not (isinstance(b, Binding) and b.key == "enter")],
    ]

    def _pick(self) -> MultiPick | None:
        parent = self.parent
        return parent if isinstance(parent, MultiPick) else None

    def action_toggle_choice(self) -> None:
        pick = self._pick()
        if pick is not None:
            pick.toggle_highlighted()

    def action_move_highlight(self, step: int) -> None:
        pick = self._pick()
        if pick is not None:
            pick.move_highlight(step)


class PickList(SelectionList[str], can_focus=False):
    """The choices of a MultiPick: ▐X▌ chosen, ▐ ▌ not (never colour alone).

    It never takes focus (the filter keeps it). A click toggles, by value, through the
    MultiPick, which owns what is chosen.
    """

    @dataclass
    class Clicked(Message):
        """A choice was clicked."""

        value: str

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text.strip():
            segments[1] = segments[1]._replace(text=" " * len(segments[1].text))
        return Strip(segments, strip.cell_length)

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # SelectionList looks the highlighted index up again when it handles this message.
        # A fast typist can empty the list (a filter matching nothing) in between, and that
        # lookup raised OptionDoesNotExist, which took this widget down and the app after it.
        event.stop()
        event.prevent_default()
        index = event.option_index
        if index < self.option_count and self.get_option_at_index(index) is event.option:
            self.post_message(self.SelectionHighlighted(self, index))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        event.prevent_default()
        value = getattr(event.option, "value", None)
        if value is not None:
            self.post_message(self.Clicked(str(value)))


class MultiPick(Vertical):
    """Choose several: type to filter, up/down to move, enter to toggle; one tab stop.

    `words` gives, per value, extra words the filter understands (the caller's words the
    lookup knows, e.g. {"home_help": "cleaning housework laundry"}), so typing "cleaning"
    finds Home help. See the module docstring for the keys.
    """

    DEFAULT_CSS = """
    MultiPick { height: auto; border: round $panel; }
    MultiPick > PickFilter, MultiPick > PickFilter:focus { border: none; height: 1; padding: 0 1; }
    MultiPick > PickList, MultiPick > PickList:focus { height: auto; max-height: 8; border: none; }
    MultiPick > .pick-empty { height: auto; padding: 0 1; color: $text-warning; }
    MultiPick > .pick-empty.-hidden { display: none; }
    MultiPick:focus-within { border: round $accent; }
    MultiPick:focus-within > PickList > .option-list--option-highlighted {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    class Changed(Message):
        """The chosen values changed."""

        def __init__(self, pick: MultiPick) -> None:
            super().__init__()
            self.pick = pick

        @property
        def control(self) -> MultiPick:
            """The MultiPick whose choices changed (so `@on(MultiPick.Changed, "#id")` works)."""
            return self.pick

    def __init__(
        self,
        choices: Iterable[tuple[str, str]],
        selected: Iterable[str] = (),
        id: str | None = None,  # noqa: A002 - Textual's own widgets take `id`
        placeholder: str = PLACEHOLDER,
        words: Mapping[str, str | Iterable[str]] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.choices = list(choices)
        self.selected: list[str] = list(selected)
        self.placeholder = placeholder
        self.words: dict[str, tuple[str, ...]] = {
            value: _split_words(extra) for value, extra in (words or {}).items()
        }
        self._filter = PickFilter(placeholder=placeholder, classes="pick-filter")
        self._list = PickList(classes="pick-list")
        self._empty = Static("", classes="pick-empty -hidden", markup=False)
        self._empty_text = ""
        self._highlight_after_filter: str | None = None

    def compose(self) -> ComposeResult:
        yield self._filter
        yield self._empty
        yield self._list

    def on_mount(self) -> None:
        self._refresh_list()

    # -- what is chosen ------------------------------------------------------------------
    @property
    def value(self) -> list[str]:
        """The chosen values, in the order of the choices."""
        order = {v: i for i, (_, v) in enumerate(self.choices)}
        return sorted(self.selected, key=lambda v: order.get(v, 10_000))

    def set_value(self, values: Iterable[str]) -> None:
        """Choose exactly these values (e.g. from a draft or the lookup) and redraw."""
        self.selected = list(dict.fromkeys(values))
        self._refresh_list(keep_highlight=True)
        self.post_message(self.Changed(self))

    def toggle(self, value: str) -> None:
        """Choose a value, or unchoose it if it was chosen."""
        if value in self.selected:
            self.selected.remove(value)
        else:
            self.selected.append(value)
        self._refresh_list(keep_highlight=True)
        self.post_message(self.Changed(self))

    def clear_filter(self) -> None:
        """Empty the filter line (the list shows every choice again)."""
        if self._filter.value:
            self._filter.value = ""
            self._refresh_list()

    # -- the keys (called by PickFilter) -------------------------------------------------
    def toggle_highlighted(self) -> None:
        """Enter: toggle the highlighted choice; then clear the filter for the next one."""
        listing = self._list
        index = listing.highlighted
        if index is None or index >= listing.option_count:
            self.app.bell()  # nothing to toggle: the no-match line already says why
            return
        value = str(listing.get_option_at_index(index).value)
        self.toggle(value)
        if self._filter.value:
            # Clear the filter for the next choice, keeping the one just toggled in view
            # (also once the Input.Changed for the cleared filter arrives).
            self._highlight_after_filter = value
            self._filter.value = ""
            self._refresh_list(highlight=value)

    def move_highlight(self, step: int) -> None:
        """Up/down: move the highlight in the list, the filter keeping focus."""
        listing = self._list
        if not listing.option_count:
            return
        current = listing.highlighted if listing.highlighted is not None else -1
        listing.highlighted = max(0, min(listing.option_count - 1, current + step))
        listing.scroll_to_highlight()

    # -- filtering -----------------------------------------------------------------------
    def _options(self, text: str) -> list[tuple[Content, str, bool]]:
        """The choices the filter `text` keeps, as (prompt, value, chosen) rows; a choice
        found by a caller's word shows it: "Home help  (cleaning)"."""
        rows: list[tuple[Content, str, bool]] = []
        for label, value in self.choices:
            how = match_choice(text, label, self.words.get(value, ()))
            if how is None:
                continue
            prompt = Content(label)
            if how:
                prompt = Content.assemble(label, (f"  ({how})", "$text-muted"))
            rows.append((prompt, value, value in self.selected))
        return rows

    def _refresh_list(self, keep_highlight: bool = False, highlight: str | None = None) -> None:
        """Redraw the list for the current filter; say so when nothing matches."""
        listing = self._list
        old = listing.highlighted
        text = self._filter.value
        options = self._options(text)
        with listing.prevent(SelectionList.SelectedChanged):
            listing.clear_options()
            listing.add_options(options)
        if options:
            index = 0
            if highlight is not None:
                index = next((i for i, o in enumerate(options) if o[1] == highlight), 0)
            elif keep_highlight and old is not None:
                index = min(old, len(options) - 1)
            listing.highlighted = index
            listing.scroll_to_highlight()
        self._show_empty(text if not options else "")

    def _show_empty(self, text: str) -> None:
        message = ""
        if text.strip():
            message = f"No match for '{text.strip()}'"
            chosen = [label for label, value in self.choices if value in self.selected]
            if chosen:
                message += f" · chosen: {', '.join(chosen)}"
        if message != self._empty_text:  # an update lays out the form: only when it changes
            self._empty_text = message
            self._empty.update(message)
        self._empty.set_class(not message, "-hidden")

    @on(Input.Changed, ".pick-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # a filter is not a form value: the form must not see it change
        highlight, self._highlight_after_filter = self._highlight_after_filter, None
        self._refresh_list(highlight=highlight)

    @on(PickList.Clicked)
    def _clicked(self, event: PickList.Clicked) -> None:
        event.stop()
        self.toggle(event.value)
        self._filter.focus()

    @on(SelectionList.SelectedChanged)
    @on(SelectionList.SelectionHighlighted)
    def _internal(self, event: Message) -> None:
        event.stop()  # the list's own messages stay inside: Changed is what the form hears
