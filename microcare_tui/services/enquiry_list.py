"""What the enquiry list and Home's follow-ups show: views with labels (the follow-up
dialog's: services/enquiries.py).

Screens get words ready to show (kinds, outcomes, needs, dates, 'due'/'overdue'), never rows.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from microcare_tui.domain.filters import EnquiryFilter
from microcare_tui.domain.labels import kind_label, outcome_label
from microcare_tui.domain.parse import format_date, format_datetime
from microcare_tui.store import enquiries as repo
from microcare_tui.store import reference
from microcare_tui.store.db import Store

PAGE_SIZE = 50


# The list's filters are the domain's (the store reads the same object).
EnquiryListFilter = EnquiryFilter


class EnquiryLine(NamedTuple):
    """One enquiry as a list shows it."""

    id: str
    received: str  # '22/11/2026 14:05'
    caller: str  # the name, or '(no name)'
    needs: list[str]  # service labels
    outcome: str  # 'Signposted', ..., or 'open'
    follow_up: str  # '25/11/2026 due', '✓ done' or ''
    follow_up_due_on: str  # '25/11/2026', or '' without a follow-up date
    has_follow_up: bool
    follow_up_done: bool
    kind: str
    area: str


class EnquiryPage(NamedTuple):
    """A page of the list: which page it turned out to be, of how many, and its lines."""

    filters: EnquiryListFilter
    page: int
    total: int
    page_size: int
    rows: list[EnquiryLine]

    @property
    def pages(self) -> int:
        """How many pages the filtered list has (at least one)."""
        return max(1, -(-self.total // self.page_size))


def follow_up_text(follow_up_on: str | None, done: bool, today: date) -> str:
    """'25/11/2026 due', '22/11/2026 overdue', '✓ done', or '' (a word, never colour alone)."""
    if not follow_up_on:
        return ""
    if done:
        return "✓ done"
    when = date.fromisoformat(follow_up_on[:10])
    flag = "overdue" if when < today else "due" if when == today else ""
    return f"{format_date(when)} {flag}".strip()


def enquiry_line(row: repo.EnquiryRow, today: date) -> EnquiryLine:
    """An enquiry row in the words a list shows."""
    return EnquiryLine(
        id=row.id,
        received=format_datetime(row.received_at),
        caller=row.caller_name or "(no name)",
        needs=list(row.needs),
        outcome=outcome_label(row.outcome),
        follow_up=follow_up_text(row.follow_up_on, row.follow_up_done, today),
        follow_up_due_on=format_date(row.follow_up_on),
        has_follow_up=bool(row.follow_up_on),
        follow_up_done=row.follow_up_done,
        kind=kind_label(row.enquirer_kind),
        area=row.area,
    )


def load_enquiry_page(
    db: Store,
    filters: EnquiryListFilter,
    page: int,
    today: date,
    page_size: int = PAGE_SIZE,
) -> EnquiryPage:
    """A page of enquiries, newest first; a page past the end shows the last one."""
    total = repo.count_enquiries(db, filters, today)
    pages = max(1, -(-total // page_size))
    page = max(0, min(page, pages - 1))
    rows = repo.page_enquiries(db, filters, page * page_size, page_size, today)
    return EnquiryPage(filters, page, total, page_size, [enquiry_line(r, today) for r in rows])


def follow_ups_due(db: Store, today: date, limit: int) -> list[EnquiryLine]:
    """Follow-ups due today or overdue, the most overdue first."""
    return [enquiry_line(r, today) for r in repo.follow_ups_due(db, today, limit)]


def area_choices(db: Store) -> list[tuple[str, str]]:
    """(id, name) of the council's areas in display order, for the list's area filter."""
    return [(a.id, a.name) for a in reference.areas(db)]
