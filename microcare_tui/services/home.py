"""Everything Home shows, read at once: the figures, the expiry radar and the agenda.

One read, in one worker, so Home is laid out and painted once when its figures arrive
rather than once per panel. Imported by Home's worker, not at start-up: the radar and the
agenda pull in the date parser."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from microcare_tui.services.agenda import Agenda, load_agenda
from microcare_tui.services.dashboard import Dashboard, load_dashboard
from microcare_tui.services.radar import RadarView, radar_view
from microcare_tui.store.db import Store


class HomeView(NamedTuple):
    """Home's figures, its expiry radar (the count in each band, the soonest lines) and its
    agenda."""

    dashboard: Dashboard
    radar: RadarView
    agenda: Agenda


def load_home(db: Store, today: date) -> HomeView:
    """Home's three panels in one read (call from a worker)."""
    return HomeView(load_dashboard(db, today), radar_view(db, today), load_agenda(db, today))
