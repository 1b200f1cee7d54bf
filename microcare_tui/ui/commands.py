"""The command palette: every action in the app, found by name.

What it offers is read, not listed by hand: the keys of the screen in view (its BINDINGS
with a description, and those of our widgets that have focus), the screen's own extra
commands (a `PALETTE` list of (title, help, action)), then the app's commands and sections.
A new screen gets its actions into the palette by giving its bindings descriptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

# (title, help, app action): action strings are run with App.run_action.
APP_COMMANDS: list[tuple[str, str, str]] = [
    ("Find a provider", "The lookup: service, area, day, language (ctrl+f)", "lookup"),
    ("New enquiry", "Take a call: enquiry form with lookup and call timer (ctrl+n)", "new_enquiry"),
    ("Home", "Dashboard: counts and follow-ups due (1)", "section('home')"),
    ("Enquiries", "List, filter and search enquiries (2)", "section('enquiries')"),
    ("Follow-ups due", "Enquiries whose follow-up is due today or overdue (2, then u)",
     "show_enquiries('due')"),
    ("Unmet needs", "Enquiries with no suitable provider: the gaps in the register (2, then t)",
     "show_enquiries('unmet')"),
    ("Providers", "The register of micro-providers (3)", "section('providers')"),
    ("New provider", "Add a provider to the register", "new_provider"),
    ("Pipeline", "Providers by development stage (4)", "section('pipeline')"),
    ("Training", "Courses, sessions and attendance (5)", "section('training')"),
    ("Quality", "QA checks and lapsing evidence (6)", "section('quality')"),
    ("Reports", "Impact and gap reports (7)", "section('reports')"),
    ("Sync", "Export and import bundles (8)", "section('sync')"),
    ("Settings", "Rates, thresholds, reference lists (9)", "section('settings')"),
    ("Help", "Keys for the current screen (F1)", "help"),
]  # fmt: skip

# Textual's own keys every screen has: the palette's "Keys" command lists them.
GENERIC_ACTIONS = {"app.focus_next", "app.focus_previous", "screen.copy_text"}

# The screen's own commands rank a little above the app's when both match as well.
_APP_WEIGHT = 0.9
_PREFIX_BOOST = 1.2
# A command found by the words of its help rather than its title ranks below title matches.
_HELP_SCORE = 0.3


def key_display(key: str) -> str:
    """A key as the footer and help write it: '^s', '?', 'esc', '/'."""
    names = {"question_mark": "?", "slash": "/", "escape": "esc"}
    return names.get(key, key.replace("ctrl+", "^"))


@dataclass(frozen=True)
class Command:
    """One palette entry: what it is called, a line on what it does, and how to run it."""

    title: str
    help: str
    run: Callable[[], Any]
    weight: float = 1.0


def _screen_name(screen: Screen[Any]) -> str:
    title = getattr(screen, "title_text", None) or type(screen).__name__
    return str(title).replace("Screen", "")


def binding_commands(screen: Screen[Any], skip_actions: set[str]) -> list[Command]:
    """The screen's keys that do something, as commands: its own bindings and those of our
    widgets in the focus chain (Textual's own widgets' keys, like a table's cursor keys, and
    the app's, listed apart, are left out)."""
    found: dict[tuple[int, str], tuple[DOMNode, str, str, list[str]]] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        action = binding.action
        if (
            not binding.description
            or not active.enabled
            or node is screen.app
            or action in GENERIC_ACTIONS
            or action.startswith("app.")
            or action in skip_actions
        ):
            continue
        if node is not screen and not type(node).__module__.startswith("microcare_tui"):
            continue
        entry = found.setdefault(
            (id(node), action), (node, binding.description, binding.tooltip, [])
        )
        entry[3].append(key_display(binding.key_display or key))
    commands = []
    name = _screen_name(screen)
    for (_, action), (node, description, tooltip, keys) in found.items():
        about = tooltip or f"On {name}"
        commands.append(
            Command(
                description,
                f"{about} ({', '.join(keys)})",
                partial(screen.app.run_action, action, node),
            )
        )
    return commands


def palette_commands(screen: Screen[Any]) -> list[Command]:
    """Everything the palette offers on `screen`: its commands first, then the app's."""
    extra: list[tuple[str, str, str]] = list(getattr(screen, "PALETTE", []))
    out = [Command(t, h, partial(screen.run_action, a)) for t, h, a in extra]
    out += binding_commands(screen, {a for _, _, a in extra})
    app = screen.app
    out += [Command(t, h, partial(app.run_action, a), _APP_WEIGHT) for t, h, a in APP_COMMANDS]
    return out


def help_matches(query: str, help_text: str) -> bool:
    """Every word of the query appears in the help line (a command found by what it does)."""
    words = query.lower().split()
    text = help_text.lower()
    return bool(words) and all(word in text for word in words)


class MicrocareCommands(Provider):
    """Offers the current screen's actions and every app action by name."""

    async def discover(self) -> Hits:
        for command in palette_commands(self.screen):
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in palette_commands(self.screen):
            score = matcher.match(command.title)
            if command.title.lower().startswith(query.strip().lower()):
                score *= _PREFIX_BOOST  # "follow": Follow-up done before Open follow-up
            if score > 0:
                yield Hit(
                    score * command.weight,
                    matcher.highlight(command.title),
                    command.run,
                    help=command.help,
                )
            elif help_matches(query, command.help):
                yield Hit(
                    _HELP_SCORE * command.weight, command.title, command.run, help=command.help
                )
