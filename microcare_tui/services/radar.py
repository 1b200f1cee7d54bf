"""The expiry radar (Home, and the Quality section's lists: services/quality.py): evidence,
certificates and QA reviews due in 90, 60 and 30 days or lapsed. Cheap on a county register:
a few grouped queries, read in a worker."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from microcare_tui.domain.parse import format_date
from microcare_tui.store import evidence as repo
from microcare_tui.store.db import Store

HORIZON_DAYS = 90
LAPSED_DAYS = 365  # lapsed longer ago than this is for the provider's record, not the radar
BANDS = (30, 60, 90)


class RadarLine(NamedTuple):
    """Something due: which provider, what, when, and who looks after them."""

    provider_id: str
    provider_name: str
    what: str  # 'Public liability insurance', 'Enhanced DBS check: Sam Patel', 'QA review'
    kind: str  # evidence | certificate | review
    due_on: date
    band: str  # 'lapsed', 'overdue', '30', '60' or '90' (days)
    when: str  # 'lapsed 12/10/2026', 'due today', 'due in 21 days'
    worker: str  # '' when nobody has checked them yet


def _band(kind: str, due: date, today: date) -> tuple[str, str]:
    days = (due - today).days
    if days < 0:
        word = "overdue" if kind == "review" else "lapsed"
        return word, f"{word} {format_date(due)}"
    when = "due today" if days == 0 else f"due in {days} days"
    return str(next(b for b in BANDS if days <= b)), when


class RadarView(NamedTuple):
    """Home's radar: how many lines in each band, and the soonest few."""

    counts: dict[str, int]  # lapsed (with overdue reviews), 30, 60, 90
    lines: list[RadarLine]


def radar_view(db: Store, today: date, shown: int = 8) -> RadarView:
    """The count in each band and the `shown` soonest lines (Home): counted and picked in
    SQL, and only those few made into lines, not the hundreds a county register has due."""
    band_ends = (today + timedelta(days=BANDS[0]), today + timedelta(days=BANDS[1]))
    due = repo.due_summary(db, today, band_ends, *_window(today), shown)
    counts = {"lapsed": due.lapsed, "30": due.within_30, "60": due.within_60, "90": due.within_90}
    workers = repo.workers_of(db, sorted({r.provider_id for r in due.soonest if r.worker is None}))
    soonest = [
        r if r.worker is not None else r._replace(worker=workers.get(r.provider_id))
        for r in due.soonest
    ]
    return RadarView(counts, _lines(db, soonest, today))


def _window(today: date) -> tuple[date, date]:
    """(horizon, lapsed since): what the radar looks at."""
    return today + timedelta(days=HORIZON_DAYS), today - timedelta(days=LAPSED_DAYS)


def radar_lines(db: Store, today: date, worker: str | None = None) -> list[RadarLine]:
    """Everything due within 90 days or lapsed within a year, soonest (most lapsed) first;
    only `worker`'s providers when given. A review due today is due, not overdue; evidence
    expiring today is still valid (due today)."""
    rows = [r for r in repo.due_by(db, *_window(today)) if not worker or (r.worker or "") == worker]
    return _lines(db, rows, today)  # in the store's order: soonest, then by provider


def _lines(db: Store, rows: list[repo.DueRow], today: date) -> list[RadarLine]:
    labels = repo.type_labels(db)
    lines = []
    for r in rows:
        if r.kind == "evidence":
            what = labels.get(r.what, r.what) + (f": {r.person}" if r.person else "")
        elif r.kind == "certificate":
            what = f"Training certificate: {r.what}"
        else:
            what = "QA review"
        # Evidence lapses the day after it expires; a review is overdue the day after.
        due = r.due_on
        band, when = _band(r.kind, due, today)
        lines.append(
            RadarLine(r.provider_id, r.provider_name, what, r.kind, due, band, when,
                      r.worker or "")
        )  # fmt: skip
    return lines
