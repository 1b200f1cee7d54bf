"""Enquiries, their signposts and unmet needs; follow-ups; the enquiry list's filters."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from microcare_tui.domain.filters import EnquiryFilter
from microcare_tui.store import reference
from microcare_tui.store.db import Store

if TYPE_CHECKING:
    from microcare_tui.domain import models as m

# Model classes (pydantic) and the record helpers are imported inside the functions that
# build models: the home screen's counts need only SQL, so the first frame paints without
# pydantic (about 100 ms of start-up). The app imports them in the background once ready.


def save_enquiry(store: Store, enquiry: m.Enquiry) -> m.Enquiry:
    """Save an enquiry and its search text, in one transaction."""
    from microcare_tui.store import records

    with store.transaction():
        saved = records.save(store, enquiry)
        index_enquiries(store, [saved])
    return saved


def index_enquiries(store: Store, enquiries: list[m.Enquiry]) -> None:
    """Refresh the full-text rows of these enquiries (caller's transaction)."""
    labels = reference.service_labels(store)
    store.write_derived_many(
        "DELETE FROM enquiry_fts WHERE rowid = (SELECT rowid FROM enquiries WHERE id = ?)",
        [(e.id,) for e in enquiries],
    )
    add_enquiry_text(
        store,
        [
            (
                e.id,
                " ".join(filter(None, [e.caller_name, e.caller_phone, e.postcode])),
                e.summary or "",
                " ".join(labels.get(n, n) for n in e.needs),
            )
            for e in enquiries
            if not e.deleted_at
        ],
    )


def add_enquiry_text(store: Store, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """Full-text rows for enquiries that have none yet: (id, caller words, summary, need
    labels) each, in the caller's transaction (the demo generator writes them in bulk)."""
    store.write_derived_many(
        "INSERT INTO enquiry_fts (rowid, enquiry_id, caller, summary, needs) "
        "VALUES ((SELECT rowid FROM enquiries WHERE id = ?1), ?1, ?2, ?3, ?4)",
        rows,
    )


def get_enquiry(store: Store, enquiry_id: str) -> m.Enquiry:
    """One live enquiry, or NotFound."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.get(store, m.Enquiry, enquiry_id)


def signposts_for(store: Store, enquiry_id: str) -> list[m.Signpost]:
    """The providers this enquiry was signposted to, in order."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.Signpost, enquiry_id=enquiry_id, order=("signposted_at",))


def unmet_needs_for(store: Store, enquiry_id: str) -> list[m.UnmetNeed]:
    """The unmet needs recorded for this enquiry."""
    from microcare_tui.domain import models as m
    from microcare_tui.store import records

    return records.find(store, m.UnmetNeed, enquiry_id=enquiry_id)


# An enquiry still open: no outcome, or a follow-up not yet done. Schema 0008's partial
# index `enquiries_open` has this condition, so Home's count reads only the open ones.
OPEN_SQL = (
    "(e.outcome IS NULL OR e.outcome = 'follow_up' OR "
    "(e.follow_up_on IS NOT NULL AND e.follow_up_done_at IS NULL))"
)


def _filter_sql(f: EnquiryFilter, today: date) -> tuple[str, dict[str, Any]]:
    where = ["e.deleted_at IS NULL"]
    params: dict[str, Any] = {"today": today.isoformat()}
    match = None
    if f.text:  # imported only to search: Home's counts, first after start, have no text
        from microcare_tui.store.search import fts_match_phones

        match = fts_match_phones(f.text)  # a caller's phone in any UK form, too
    if match:
        params["m"] = match
        where.append("e.rowid IN (SELECT rowid FROM enquiry_fts WHERE enquiry_fts MATCH :m)")
    if f.open_only:
        where.append(OPEN_SQL)
    if f.follow_up_due:
        where.append(
            "e.follow_up_on IS NOT NULL AND e.follow_up_done_at IS NULL"
            " AND e.follow_up_on <= :today"
        )
    if f.kind:
        where.append("e.enquirer_kind = :kind")
        params["kind"] = f.kind
    if f.area_id:
        where.append("e.area_id = :area")
        params["area"] = f.area_id
    if f.outcome:
        where.append("e.outcome = :outcome")
        params["outcome"] = f.outcome
    if f.date_from:
        where.append("e.received_at >= :from")
        params["from"] = f.date_from.isoformat()
    if f.date_to:
        where.append("e.received_at < date(:to, '+1 day')")
        params["to"] = f.date_to.isoformat()
    return " AND ".join(where), params


class EnquiryRow(NamedTuple):
    id: str
    received_at: str
    caller_name: str | None
    enquirer_kind: str
    area: str
    needs: list[str]
    outcome: str | None
    follow_up_on: str | None
    follow_up_done: bool
    summary: str | None


def count_enquiries(store: Store, f: EnquiryFilter, today: date | None = None) -> int:
    """How many enquiries match the filters.

    Kept until the data changes (`Store.cached`: one count for each set of filters in use,
    the last values asked for): counting every live enquiry reads the whole table (~45 ms
    at county), and the list asks each time it is shown; Home counts follow-ups due."""
    where, params = _filter_sql(f, today or date.today())

    def count() -> int:
        return int(store.scalar(f"SELECT COUNT(*) FROM enquiries e WHERE {where}", params) or 0)

    return store.cached(f"enquiry_count {where}", count, tuple(sorted(params.items())))


def page_enquiries(
    store: Store, f: EnquiryFilter, offset: int = 0, limit: int = 50, today: date | None = None
) -> list[EnquiryRow]:
    """One page of enquiries, newest first."""
    return _rows(store, f, "e.received_at DESC, e.id DESC", offset, limit, today)


def follow_ups_due(store: Store, today: date | None = None, limit: int = 50) -> list[EnquiryRow]:
    """Follow-ups due today or overdue, the most overdue first."""
    f = EnquiryFilter(follow_up_due=True)
    return _rows(store, f, "e.follow_up_on, e.received_at, e.id", 0, limit, today)


def _rows(
    store: Store, f: EnquiryFilter, order: str, offset: int, limit: int, today: date | None
) -> list[EnquiryRow]:
    where, params = _filter_sql(f, today or date.today())
    params.update(limit=limit, offset=offset)
    rows = store.query(
        f"""SELECT e.id, e.received_at, e.caller_name, e.enquirer_kind, e.needs, e.outcome,
                   e.follow_up_on, e.follow_up_done_at, e.summary, a.name AS area
            FROM enquiries e LEFT JOIN areas a ON a.id = e.area_id
            WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset""",
        params,
    )
    labels = reference.service_labels(store)
    return [
        EnquiryRow(
            id=r["id"],
            received_at=r["received_at"],
            caller_name=r["caller_name"],
            enquirer_kind=r["enquirer_kind"],
            area=r["area"] or "",
            needs=[labels.get(c, c) for c in json.loads(r["needs"])],
            outcome=r["outcome"],
            follow_up_on=r["follow_up_on"],
            follow_up_done=bool(r["follow_up_done_at"]),
            summary=r["summary"],
        )
        for r in rows
    ]


def open_enquiry_count(store: Store) -> int:
    """Enquiries still open (no outcome, or a follow-up not yet done), counted from the
    partial index of open enquiries (the planner, without statistics, chose a scan of
    the outcome and follow-up indexes that visits every row: 25 ms against 2 at county)."""
    sql = (
        "SELECT COUNT(*) FROM enquiries e INDEXED BY enquiries_open "
        f"WHERE e.deleted_at IS NULL AND {OPEN_SQL}"
    )
    return int(store.scalar(sql) or 0)


def unmet_need_count(store: Store) -> int:
    """Unmet needs recorded ('no suitable provider'), the gap evidence."""
    return int(store.scalar("SELECT COUNT(*) FROM unmet_needs WHERE deleted_at IS NULL") or 0)


class ContactMatch(NamedTuple):
    """An earlier enquiry that may be from the same caller."""

    enquiry_id: str
    caller_name: str | None
    caller_phone: str | None
    received_at: str
    reason: str


def possible_contacts(
    store: Store, phone: str | None, name: str | None, exclude_id: str | None = None, limit: int = 5
) -> list[ContactMatch]:
    """Earlier enquiries with the same normalised phone, or a similar caller name."""
    found: dict[str, ContactMatch] = {}
    if phone:
        for r in store.query(
            """SELECT id, caller_name, caller_phone, received_at FROM enquiries
               WHERE caller_phone = ? AND deleted_at IS NULL AND id IS NOT ?
               ORDER BY received_at DESC LIMIT ?""",
            (phone, exclude_id, limit),
        ):
            found[r["id"]] = ContactMatch(
                r["id"], r["caller_name"], r["caller_phone"], r["received_at"], "same phone"
            )
    if name and len(name.strip()) >= 3 and len(found) < limit:
        # Any word of the name: "Margret Jones" must still reach "Margaret Jones" for the
        # fuzzy comparison below to judge.
        from microcare_tui.store.search import fts_any  # not for Home's counts

        match = fts_any(name.split())
        if match:
            from rapidfuzz import fuzz

            rows = store.query(
                """SELECT e.id, e.caller_name, e.caller_phone, e.received_at FROM enquiries e
                   WHERE e.rowid IN (SELECT rowid FROM enquiry_fts WHERE enquiry_fts MATCH ?)
                     AND e.deleted_at IS NULL AND e.id IS NOT ?
                   ORDER BY e.received_at DESC LIMIT 50""",
                (f"caller : ({match})", exclude_id),
            )
            for r in rows:
                if r["id"] in found or not r["caller_name"]:
                    continue
                if fuzz.WRatio(name.lower(), r["caller_name"].lower()) >= 85:
                    found[r["id"]] = ContactMatch(
                        r["id"],
                        r["caller_name"],
                        r["caller_phone"],
                        r["received_at"],
                        "similar name",
                    )
                if len(found) >= limit:
                    break
    return list(found.values())[:limit]


def unmet_need_counts(store: Store) -> list[dict[str, Any]]:
    """Unmet needs (no suitable provider) by area and service: the gap evidence."""
    return store.query(
        """SELECT u.area_id, a.name AS area, u.service_code, COUNT(*) AS n
           FROM unmet_needs u LEFT JOIN areas a ON a.id = u.area_id
           WHERE u.deleted_at IS NULL GROUP BY u.area_id, u.service_code ORDER BY n DESC"""
    )
