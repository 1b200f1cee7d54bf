"""Messages that carry results up from workers, and news of saves to the screens.

A worker never touches widgets: it posts one of the result messages below to the widget or
screen that asked, with the generation number that widget gave the request. The handler
drops a result whose generation is not the latest (the worker typed on, or a filter
changed, while it loaded), so a slow old answer never paints over a newer one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the results' types only: importing this module stays cheap at start-up
    from microcare_tui.domain.query import LookupResult
    from microcare_tui.services.agenda import Agenda
    from microcare_tui.services.dashboard import Dashboard
    from microcare_tui.services.enquiry_list import EnquiryPage
    from microcare_tui.services.providers import ProviderListPage
    from microcare_tui.services.radar import RadarView


class DataChanged(Message, bubble=False):
    """Something was saved: the app refreshes its header, the screen on top reloads."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what


class Loaded(Message, bubble=False):
    """A worker's result for request number `generation` of the widget it is posted to.

    Subclasses say `bubble=False` again (Textual resets it per class): a result is for the
    widget that asked, not for its screen.
    """

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class LookupResults(Loaded, bubble=False):
    """Providers found for a lookup line (and the page asked for)."""

    def __init__(self, generation: int, text: str, offset: int, result: LookupResult) -> None:
        super().__init__(generation)
        self.text = text
        self.offset = offset
        self.result = result


class DashboardLoaded(Loaded, bubble=False):
    """Home's figures and follow-ups, with its radar and agenda when they were read too."""

    def __init__(
        self,
        generation: int,
        dashboard: Dashboard,
        radar: RadarView | None = None,
        agenda: Agenda | None = None,
    ) -> None:
        super().__init__(generation)
        self.dashboard = dashboard
        self.radar = radar
        self.agenda = agenda


class EnquiryPageLoaded(Loaded, bubble=False):
    """A page of the enquiry list."""

    def __init__(self, generation: int, page: EnquiryPage) -> None:
        super().__init__(generation)
        self.page = page


class ProviderPageLoaded(Loaded, bubble=False):
    """A page of the providers list."""

    def __init__(self, generation: int, page: ProviderListPage) -> None:
        super().__init__(generation)
        self.page = page
