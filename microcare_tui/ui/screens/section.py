"""Sections whose own issues are still open: say what will be here and what works now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.footer import FitFooter

# (title, what the section will hold, what works today and with which keys). The keys are
# checked against the screens' bindings in tests/ui/test_shell.py.
PLANNED = {
    "training": (
        "Training",
        "courses and sessions, who attended, certificates and when they expire.",
        "attendance is not recorded yet: it arrives with the training section.",
    ),
    "quality": (
        "Quality",
        "QA checks and visits, the evidence each provider holds (insurance, DBS, training) "
        "and what lapses in the next 30, 60 and 90 days.",
        "each provider's standing (good, lapsed, not listed) shows in the provider list "
        "(3), on its record and in the lookup (ctrl+f).",
    ),
    "reports": (
        "Reports",
        "impact for commissioners (providers against targets, people supported, hours, "
        "savings) and gaps: needs no provider could meet, by area.",
        "Unmet needs are recorded with every 'no suitable provider' enquiry: ctrl+p, "
        "Unmet needs (or 2, then t to filter by outcome). Home counts them.",
    ),
    "sync": (
        "Sync",
        "export your changes to a bundle and import colleagues' bundles, so laptops agree.",
        "every change is kept in the change log, ready to export; the header shows how "
        "many are waiting.",
    ),
}


class PlannedSectionScreen(SectionScreen):
    """A section that a later release fills in; says so plainly."""

    def __init__(self, key: str) -> None:
        super().__init__(name=key)
        self.key = key
        title, what, now = PLANNED[key]
        self.title_text = title
        self.purpose = what

    def compose(self) -> ComposeResult:
        title, what, now = PLANNED[self.key]
        yield Header()
        with VerticalScroll(classes="page"):
            yield Static(title, classes="page-title")
            yield Static(f"Coming in a later release: {what}", markup=False)
            yield Static(f"Today: {now}", markup=False, classes="muted")
            yield Static(
                "Press 1 for Home, ctrl+f to find a provider, ctrl+n for a new enquiry.",
                classes="muted",
            )
        yield FitFooter(compact=True)
