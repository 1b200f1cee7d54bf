"""Training in SQL: courses, sessions with their places taken, attendance, the certificates
it gave, and the people a worker can book. Rows come back as dicts for services/training.py;
every write is Store.write_row inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from microcare_tui.store.db import Store

# Statuses holding a place on a session (domain.training.TAKES_A_PLACE, in SQL).
_TAKEN = "('booked', 'attended', 'no_show')"


def courses(store: Store) -> list[dict[str, Any]]:
    """Live courses by title, with the evidence type's label and how many sessions each has."""
    rows = store.query(
        """SELECT c.id, c.title, c.topic, c.evidence_type_code, c.validity_months,
                  c.mandatory_for, et.label AS evidence_label,
                  (SELECT COUNT(*) FROM training_sessions s
                   WHERE s.course_id = c.id AND s.deleted_at IS NULL) AS sessions
           FROM training_courses c
           LEFT JOIN evidence_types et ON et.code = c.evidence_type_code AND et.deleted_at IS NULL
           WHERE c.deleted_at IS NULL ORDER BY c.title COLLATE NOCASE, c.id"""
    )
    for row in rows:
        row["mandatory_for"] = json.loads(row["mandatory_for"] or "[]")
    return rows


def course(store: Store, course_id: str) -> dict[str, Any] | None:
    """One live course, or None."""
    rows = store.query(
        "SELECT * FROM training_courses WHERE id = ? AND deleted_at IS NULL", (course_id,)
    )
    if not rows:
        return None
    rows[0]["mandatory_for"] = json.loads(rows[0]["mandatory_for"] or "[]")
    return rows[0]


_SESSION_COLUMNS = f"""s.id, s.course_id, s.starts_at, s.venue, s.trainer, s.capacity,
    s.cancelled_on, c.title, c.evidence_type_code, c.validity_months,
    (SELECT et.label FROM evidence_types et WHERE et.code = c.evidence_type_code
       AND et.deleted_at IS NULL) AS evidence_label,
    (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id
       AND a.deleted_at IS NULL AND a.status IN {_TAKEN}) AS taken,
    (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = s.id
       AND a.deleted_at IS NULL AND a.status = 'attended') AS attended"""


def sessions(store: Store, today: str, limit: int = 200) -> list[dict[str, Any]]:
    """Live sessions, upcoming first (soonest first), then those held (latest first), each
    with the places taken and how many attended. `today` is an ISO date."""
    return store.query(
        f"""SELECT {_SESSION_COLUMNS}
            FROM training_sessions s LEFT JOIN training_courses c ON c.id = s.course_id
            WHERE s.deleted_at IS NULL
            ORDER BY s.starts_at < :today,
                     CASE WHEN s.starts_at >= :today THEN s.starts_at END,
                     s.starts_at DESC, s.id
            LIMIT :limit""",
        {"today": today, "limit": limit},
    )


def session_counts(store: Store, today: str) -> tuple[int, int]:
    """(upcoming, held) live sessions; cancelled ones count where their date falls."""
    row = store.query(
        """SELECT COALESCE(SUM(starts_at >= :today), 0) AS upcoming,
                  COALESCE(SUM(starts_at < :today), 0) AS held
           FROM training_sessions WHERE deleted_at IS NULL""",
        {"today": today},
    )[0]
    return int(row["upcoming"]), int(row["held"])


def session(store: Store, session_id: str) -> dict[str, Any] | None:
    """One live session with its course and places taken, or None."""
    rows = store.query(
        f"""SELECT {_SESSION_COLUMNS}
            FROM training_sessions s LEFT JOIN training_courses c ON c.id = s.course_id
            WHERE s.id = ? AND s.deleted_at IS NULL""",
        (session_id,),
    )
    return rows[0] if rows else None


def attendance_for_session(store: Store, session_id: str) -> list[dict[str, Any]]:
    """Everyone on a session's list (booked, invited, attended, ...), by name, with their
    provider's name."""
    return store.query(
        """SELECT a.id, a.session_id, a.provider_id, a.person_id, a.attendee_name, a.status,
                  a.certificate_expires_on, a.evidence_item_id, p.name AS provider_name
           FROM training_attendance a LEFT JOIN providers p ON p.id = a.provider_id
           WHERE a.session_id = ? AND a.deleted_at IS NULL
           ORDER BY a.attendee_name COLLATE NOCASE, a.id""",
        (session_id,),
    )


def has_place(
    store: Store, session_id: str, provider_id: str, person_id: str | None, name: str
) -> bool:
    """True when this person (by person id, else provider and name) is already on the
    session's list other than as cancelled."""
    if person_id:
        where, params = "person_id = ?", [person_id]
    else:
        where, params = "provider_id = ? AND attendee_name = ? COLLATE NOCASE", [provider_id, name]
    return bool(
        store.scalar(
            f"""SELECT 1 FROM training_attendance WHERE session_id = ? AND deleted_at IS NULL
                AND status != 'cancelled' AND {where} LIMIT 1""",
            [session_id, *params],
        )
    )


def bookable_people(store: Store, text: str, limit: int = 40) -> list[dict[str, Any]]:
    """Provider people (still with their provider) whose name or provider's name holds
    `text`; a provider with no people recorded offers its lead contact instead."""
    like = f"%{text.strip()}%"
    return store.query(
        """SELECT * FROM (
             SELECT pp.id AS person_id, pp.name, pp.role, p.id AS provider_id,
                    p.name AS provider_name
             FROM provider_people pp JOIN providers p ON p.id = pp.provider_id
             WHERE pp.deleted_at IS NULL AND pp.left_on IS NULL AND p.deleted_at IS NULL
               AND (pp.name LIKE :like OR p.name LIKE :like)
             UNION ALL
             SELECT NULL, COALESCE(NULLIF(p.lead_contact, ''), p.name), 'lead contact', p.id,
                    p.name
             FROM providers p
             WHERE p.deleted_at IS NULL AND (p.name LIKE :like OR p.lead_contact LIKE :like)
               AND NOT EXISTS (SELECT 1 FROM provider_people pp
                               WHERE pp.provider_id = p.id AND pp.deleted_at IS NULL))
           ORDER BY name COLLATE NOCASE, provider_name COLLATE NOCASE LIMIT :limit""",
        {"like": like, "limit": limit},
    )


def person(store: Store, person_id: str) -> dict[str, Any] | None:
    """A provider person's name and provider, or None."""
    rows = store.query(
        """SELECT id, name, provider_id FROM provider_people
           WHERE id = ? AND deleted_at IS NULL""",
        (person_id,),
    )
    return rows[0] if rows else None


_LATEST_CERTIFICATES = """
WITH latest AS (
  SELECT a.provider_id, a.person_id, a.attendee_name, c.evidence_type_code AS code,
         c.title, MAX(a.certificate_expires_on) AS expires_on
  FROM training_attendance a
  JOIN training_sessions s ON s.id = a.session_id
  JOIN training_courses c ON c.id = s.course_id
  WHERE a.deleted_at IS NULL AND a.status = 'attended' AND a.certificate_expires_on IS NOT NULL
    {provider}
  GROUP BY a.provider_id, COALESCE(a.person_id, a.attendee_name),
           COALESCE(c.evidence_type_code, c.id)
)
SELECT l.*, p.name AS provider_name, et.label AS evidence_label
FROM latest l JOIN providers p ON p.id = l.provider_id
LEFT JOIN evidence_types et ON et.code = l.code AND et.deleted_at IS NULL
WHERE p.deleted_at IS NULL AND p.stage != 'ceased'
  AND NOT EXISTS (SELECT 1 FROM provider_people pp WHERE pp.id = l.person_id
                  AND (pp.left_on IS NOT NULL OR pp.deleted_at IS NOT NULL))
"""


def certificates_due(store: Store, horizon: str, limit: int = 500) -> list[dict[str, Any]]:
    """Each holder's latest certificate of each kind that expires on or before `horizon`
    (ISO date), soonest (or longest lapsed) first; ceased providers and people who left are
    left out, and a renewed certificate hides the one it replaced."""
    return store.query(
        _LATEST_CERTIFICATES.format(provider="")
        + " AND l.expires_on <= :horizon ORDER BY l.expires_on, l.attendee_name LIMIT :limit",
        {"horizon": horizon, "limit": limit},
    )


def provider_certificates(store: Store, provider_id: str) -> list[dict[str, Any]]:
    """A provider's people's latest certificate of each kind, soonest to expire first."""
    return store.query(
        _LATEST_CERTIFICATES.format(provider="AND a.provider_id = :provider")
        + " ORDER BY l.expires_on, l.attendee_name",
        {"provider": provider_id},
    )


def provider_attendance(store: Store, provider_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """A provider's people's places on sessions, the latest session first."""
    return store.query(
        """SELECT a.id, a.attendee_name, a.person_id, a.status, a.certificate_expires_on,
                  s.starts_at, s.venue, s.cancelled_on, c.title
           FROM training_attendance a
           JOIN training_sessions s ON s.id = a.session_id AND s.deleted_at IS NULL
           LEFT JOIN training_courses c ON c.id = s.course_id
           WHERE a.provider_id = ? AND a.deleted_at IS NULL
           ORDER BY s.starts_at DESC, a.attendee_name LIMIT ?""",
        (provider_id, limit),
    )


def write(store: Store, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Insert or update one training row (or a certificate's evidence item), logged, in the
    caller's transaction."""
    if table not in _TABLES:
        raise ValueError(f"not a training table: {table}")
    return store.write_row(table, row)


_TABLES = frozenset(
    {"training_courses", "training_sessions", "training_attendance", "evidence_items"}
)


def people_by_provider(store: Store) -> dict[str, list[tuple[str, str]]]:
    """Each provider's people still with it: provider id -> [(person id, name)], in the
    order they were recorded (the demo books some of them on courses)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for r in store.query(
        """SELECT id, provider_id, name FROM provider_people
           WHERE deleted_at IS NULL AND left_on IS NULL ORDER BY rowid"""
    ):
        out.setdefault(r["provider_id"], []).append((r["id"], r["name"]))
    return out
