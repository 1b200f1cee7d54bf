"""Sections whose own issues are still open: say what will be here and what works now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from microcare_tui.ui.screens.base import SectionScreen

PLANNED = {
    "pipeline": (
        "Pipeline",
        "A board of providers by development stage, with days in stage and stalls.",
        "Move a provider's stage from its record: 3 (Providers), enter, e.",
    ),
    "training": (
        "Training",
        "Courses, sessions and who attended; certificates and expiry.",
        "Nothing yet: training attendance arrives with the training issue.",
    ),
    "quality": (
        "Quality",
        "QA checks, evidence and what lapses in the next 30/60/90 days.",
        "Standing already shows in the provider list and the lookup.",
    ),
    "reports": (
        "Reports",
        "Providers against targets, people supported, hours, savings, gaps.",
        "Unmet needs from 'no suitable provider' enquiries are recorded now.",
    ),
    "sync": (
        "Sync",
        "Export and import bundles to merge your work with colleagues.",
        "Every change is already recorded in the change log, ready to export.",
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
            yield Static(f"For now: {now}", markup=False, classes="muted")
            yield Static(
                "Press 1 for Home, ctrl+f to find a provider, ctrl+n for a new enquiry.",
                classes="muted",
            )
        yield Footer(compact=True)
