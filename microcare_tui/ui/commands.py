"""The command palette: every action in the app, found by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, app action) — action strings are run with App.run_action.
APP_COMMANDS: list[tuple[str, str, str]] = [
    ("Find a provider", "The lookup: service, area, day, language (ctrl+f)", "lookup"),
    ("New enquiry", "Take a call: enquiry form with lookup and call timer (ctrl+n)", "new_enquiry"),
    ("Home", "Dashboard: counts and follow-ups due (1)", "section('home')"),
    ("Enquiries", "List, filter and search enquiries (2)", "section('enquiries')"),
    ("Providers", "The register of micro-providers (3)", "section('providers')"),
    ("New provider", "Add a provider to the register", "new_provider"),
    ("Pipeline", "Providers by development stage (4)", "section('pipeline')"),
    ("Training", "Courses, sessions and attendance (5)", "section('training')"),
    ("Quality", "QA checks and lapsing evidence (6)", "section('quality')"),
    ("Reports", "Impact and gap reports (7)", "section('reports')"),
    ("Sync", "Export and import bundles (8)", "section('sync')"),
    ("Settings", "Rates, thresholds, reference lists (9)", "section('settings')"),
    ("Help", "Keys for the current screen (F1)", "help"),
]


class MicrocareCommands(Provider):
    """Offers every app action by name."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        extra: list[tuple[str, str, str]] = list(getattr(self.screen, "PALETTE", []))
        out: list[tuple[str, str, Callable[[], Any]]] = []
        for title, help_text, action in [*extra, *APP_COMMANDS]:
            target = self.screen if (title, help_text, action) in extra else self.app
            out.append((title, help_text, partial(target.run_action, action)))
        return out

    async def discover(self) -> Hits:
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
