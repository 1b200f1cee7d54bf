"""Home's agenda: open actions overdue or due within a week, and visits planned within a
fortnight. Apart from services/visits.py (the visit form, the record's visits) so that Home's
first read imports only this: visits.py's form and record views are made for the record,
whose modules are imported in the background once Home has shown its figures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from microcare_tui.domain import parse
from microcare_tui.store import visits as repo
from microcare_tui.store.db import Store

ACTIONS_AHEAD_DAYS = 7  # Home: actions overdue and due in the next week
NEXT_VISITS_DAYS = 14  # Home: visits planned in the next fortnight
HOME_LINES = 8


def due_state(due_on: str | None, done_on: str | None, today: date) -> str:
    """An action's state in words (never colour alone)."""
    if done_on:
        return f"done {parse.format_date(done_on)}"
    if not due_on:
        return "open"
    days = (date.fromisoformat(due_on) - today).days
    if days < 0:
        return f"overdue {-days} day{'' if days == -1 else 's'}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'' if days == 1 else 's'}"


class DueLine(NamedTuple):
    """A line on Home: a provider, what is due, and when in words."""

    provider_id: str
    provider: str
    what: str
    when: str  # 'overdue 3 days', 'due today', 'in 5 days'
    item_id: str  # the action's id, or the provider's for a visit


class Agenda(NamedTuple):
    """Home's actions due (overdue and the next week) and next visits (next fortnight)."""

    actions: list[DueLine]
    actions_total: int
    visits: list[DueLine]
    visits_total: int


def load_agenda(db: Store, today: date | None = None, limit: int = HOME_LINES) -> Agenda:
    """What Home lists: open actions overdue or due within a week, visits planned within a
    fortnight; the soonest first, `limit` of each with the totals."""
    today = today or date.today()
    actions_total, actions = repo.actions_due(db, today + timedelta(days=ACTIONS_AHEAD_DAYS), limit)
    visits_total, visits = repo.next_visits(
        db, today, today + timedelta(days=NEXT_VISITS_DAYS), limit
    )
    return Agenda(
        actions=[
            DueLine(a["provider_id"], a["provider"], a["description"],
                    due_state(a["due_on"], None, today), a["id"])
            for a in actions
        ],
        actions_total=actions_total,
        visits=[
            DueLine(v["provider_id"], v["provider"], "visit",
                    _visit_when(v["next_visit_on"], today), v["provider_id"])
            for v in visits
        ],
        visits_total=visits_total,
    )  # fmt: skip


def _visit_when(on: str, today: date) -> str:
    days = (date.fromisoformat(on) - today).days
    day = date.fromisoformat(on).strftime("%a %d/%m")
    if days == 0:
        return f"today ({day})"
    if days == 1:
        return f"tomorrow ({day})"
    return f"in {days} days ({day})"
