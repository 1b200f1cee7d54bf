"""KeepStyles: a screen shown again is not restyled when nothing about the styles changed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary, WeakSet

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static


class KeepStyles:
    """Mixin for a Screen that is shown again and again (a section, the kept call screen).

    Textual restyles every widget of a screen each time it is pushed or switched to, in case
    the theme or the stylesheet changed while it was hidden. For the call screen that was a
    third of ctrl+n's cost (~120 widgets). Here the restyle happens only when the app's CSS
    changed since this screen was last shown in a way that can reach its widgets: a theme
    change, a stylesheet edited, or a new rule that matches one of its widgets. Other screens
    bring their CSS as they first open (their widgets' types, their own files) and it rarely
    matches these widgets, so it no longer restyles every kept screen.
    Classes and focus changed while hidden restyle their own widgets as they change.
    """

    _styled_with: tuple[int, dict[Any, Any]] | None = None  # the app's CSS when last styled

    def _on_mount(self, event: events.Mount) -> None:
        # Textual styles each widget as it mounts, then the whole screen again as it is first
        # shown: for the first screen that second pass was ~5% of the app's start-up. Its
        # widgets are styled with the CSS as it is now; CSS added before it is shown that
        # reaches one of them (a widget type mounted later) still restyles it then.
        self.styled_now()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (the subclass's comes first), which reads this flag.
        if not self._css_changed():
            event.refresh_styles = False
        self.styled_now()

    def _css_changed(self) -> bool:
        if self._styled_with is None:
            return True
        app = cast(DOMNode, self).app
        count, sources = self._styled_with
        now = app.stylesheet.source
        if count != app._css_update_count or any(
            _rules(now.get(k)) != _rules(v) for k, v in sources.items()
        ):
            return True  # the theme, or a stylesheet read again or edited
        added = [(k, now[k]) for k in now.keys() - sources.keys()]
        return bool(added) and self._reached_by(added)

    def _reached_by(self, added: list[tuple[Any, Any]]) -> bool:
        """Does a rule of these new CSS sources style a widget of this screen as it is now?
        (A class or focus that changes later restyles its widget then, with every rule.)"""
        app = cast(DOMNode, self).app
        stylesheet = app.stylesheet
        nodes = [
            (node, node._selector_names)
            for node in cast(DOMNode, self).walk_children(with_self=True)
        ]
        try:
            for key, source in added:
                # Parsed already as the source was added: Textual's cache answers.
                rules = stylesheet._parse_rules(
                    source.content, key, source.is_defaults, source.tie_breaker, source.scope
                )
                for rule in rules:
                    for node, names in nodes:
                        # Textual's own test: a rule may apply only to a node holding one of
                        # its selector names (type, #id, .class); then its selectors decide.
                        if rule.selector_names & names and any(
                            stylesheet._check_rule(rule, node.css_path_nodes)
                        ):
                            return True
        except Exception:  # Textual's internals moved: restyle, as Textual would
            return True
        return False

    def css_sources(self) -> set[Any]:
        """The app's CSS sources now (to pass to note_own_css after mounting widgets)."""
        return set(cast(DOMNode, self).app.stylesheet.source)

    def note_own_css(self, before: set[Any]) -> None:
        """Widgets just mounted here brought their CSS (DEFAULT_CSS added since `before`) and
        were styled with it as they mounted: showing the screen again need not restyle all
        of it for that CSS (the record's evidence part did, ~35 ms on the next open)."""
        if self._styled_with is None:
            return
        count, sources = self._styled_with
        now = cast(DOMNode, self).app.stylesheet.source
        self._styled_with = (count, {**sources, **{k: now[k] for k in now.keys() - before}})

    def styled_now(self) -> None:
        """Note that every widget is styled with the app's CSS as it is now (shown, or composed
        off screen): showing it again restyles only if the CSS changes in a way that matters."""
        app = cast(DOMNode, self).app
        self._styled_with = (app._css_update_count, dict(app.stylesheet.source))


def _rules(source: Any) -> Any:
    """What a CSS source says, without its tie-breaker: a widget type's CSS is added again by
    each subclass that mounts, with a higher tie-breaker, and Textual does not restyle the
    widgets on show for that either."""
    return None if source is None else source[:2] + source[3:]


KeptScreen = TypeVar("KeptScreen", bound=Screen[Any])


def keep_screen(
    kept: WeakKeyDictionary[App[Any], KeptScreen], app: App[Any], screen: KeptScreen, name: str
) -> KeptScreen:
    """Keep `screen` as the app's one screen of its kind (installed, so dismissing it does
    not destroy it) and return it."""
    kept[app] = screen
    app.install_screen(screen, f"{name}-{id(screen)}")
    return screen


def on_a_stack(app: App[Any], screen: Screen[Any]) -> bool:
    """Is this (kept) screen on the screen stack of any section: open, or under a dialog?"""
    # Textual keeps one stack per mode and offers no public way to ask all of them.
    return any(screen in stack for stack in app._screen_stacks.values())


def lay_out_off_screen(screen: Screen[Any], rounds: int = 8) -> None:
    """Lay out and draw a screen that is not shown (composed in advance), at the app's size,
    so showing it later starts from a laid-out screen with its lines drawn (Textual lays out
    and draws only the current screen, and would do all of it in the frame that shows it).

    Widgets answer their first size by asking for another layout (the footer fits its keys,
    lists size their rows): a few rounds, a moment apart, until none is asked for."""
    app = screen.app
    if screen.is_current or not screen.is_attached or not app.size:
        return
    screen._refresh_layout(app.size)
    screen._layout_required = False
    screen._compositor.render_update(full=True)  # fills each widget's cache of drawn lines
    if rounds > 1:
        screen.set_timer(0.1, lambda: _more_layout(screen, rounds - 1))


def _more_layout(screen: Screen[Any], rounds: int) -> None:
    if screen._layout_required or screen._layout_widgets:
        lay_out_off_screen(screen, rounds)
    elif rounds > 1 and not screen.is_current and screen.is_attached:
        screen.set_timer(0.1, lambda: _more_layout(screen, rounds - 1))


def update_text(line: Static, text: str) -> None:
    """Show `text` in a Static, unless it shows it already: an update lays out the screen."""
    if line.content != text:
        line.update(text)


_MADE_OFF_SCREEN: WeakKeyDictionary[App[Any], WeakSet[Screen[Any]]] = WeakKeyDictionary()


def compose_off_screen(app: App[Any], screen: Screen[Any]) -> None:
    """Start a (kept, installed) screen without showing it: what push_screen does before
    showing one, its CSS and then registering it, which runs its compose and mount on its own
    message loop. Its on_mount, seeing it is on no stack, calls `prepared_off_screen`."""
    app._load_screen_css(screen)
    _MADE_OFF_SCREEN.setdefault(app, WeakSet()).add(screen)
    app._register(app, screen)


def mounting_off_screen(app: App[Any]) -> bool:
    """Is a screen made off screen still composing and mounting its widgets? The app waits
    for it before closing: closing prunes a screen's widgets while they mount, and Textual's
    own (a Select's on_mount) then fail to find their parts, a fault the worker would see."""
    return any(not screen.is_mounted for screen in _MADE_OFF_SCREEN.get(app, ()))


async def off_screen_mounts(app: App[Any]) -> None:
    """Wait for the screens made off screen to finish mounting."""
    pending: list[Awaitable[object]] = [
        s._mounted_event.wait() for s in _MADE_OFF_SCREEN.get(app, ()) if not s.is_mounted
    ]
    await asyncio.gather(*pending)


def draw_off_screen(screen: Screen[Any]) -> None:
    """A screen not shown got new content (a prepared section's data arrived): lay it out and
    draw it now, unseen, so the frame that shows it only copies its lines."""
    if screen.is_attached and not screen.is_current:
        screen.call_later(lay_out_off_screen, screen, 2)


def prepared_off_screen(screen: KeepStyles) -> None:
    """In the on_mount of a screen composed off screen: note its styles and lay it out."""
    screen.styled_now()  # styled as it mounted: the first show need not restyle it
    target = cast(Screen[Any], screen)
    target.call_later(lay_out_off_screen, target)
