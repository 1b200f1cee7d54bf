"""QA checks with their checklist lines and actions: saved together, read back for the record."""

from __future__ import annotations

from typing import Any

from microcare_tui.store.db import Store


def save_check(
    store: Store,
    check: dict[str, Any],
    items: list[dict[str, Any]],
    actions: list[dict[str, Any]],
) -> dict[str, Any]:
    """Insert a QA check, its checklist lines and its actions (source 'qa_check') in one
    transaction: all of it is saved, or none."""
    with store.transaction():
        stored = store.write_row("qa_checks", check)
        for item in items:
            store.write_row("qa_check_items", {**item, "qa_check_id": stored["id"]})
        for action in actions:
            store.write_row(
                "actions",
                {
                    **action,
                    "provider_id": stored["provider_id"],
                    "source": "qa_check",
                    "source_id": stored["id"],
                },
            )
    return stored


def checks_for(store: Store, provider_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """A provider's QA checks, the latest first (as the standing rule picks it), each with
    how many of its actions are still open and how many lines were not met."""
    return store.query(
        """SELECT q.id, q.checked_on, q.kind, q.outcome, q.next_review_on, q.checked_by,
                  q.notes,
                  (SELECT COUNT(*) FROM actions a WHERE a.source = 'qa_check'
                     AND a.source_id = q.id AND a.deleted_at IS NULL
                     AND a.done_on IS NULL) AS open_actions,
                  (SELECT COUNT(*) FROM qa_check_items i WHERE i.qa_check_id = q.id
                     AND i.deleted_at IS NULL AND i.result = 'not_met') AS not_met,
                  COUNT(*) OVER () AS total
           FROM qa_checks q WHERE q.provider_id = ? AND q.deleted_at IS NULL
           ORDER BY q.checked_on DESC, q.rowid DESC LIMIT ?""",
        (provider_id, limit),
    )


def open_actions_for(store: Store, provider_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """A provider's open actions from QA checks, soonest due first."""
    return store.query(
        """SELECT id, source_id, description, due_on FROM actions
           WHERE provider_id = ? AND source = 'qa_check' AND deleted_at IS NULL
             AND done_on IS NULL
           ORDER BY due_on, rowid LIMIT ?""",
        (provider_id, limit),
    )


def get_check(store: Store, check_id: str) -> dict[str, Any] | None:
    """One live QA check."""
    rows = store.query("SELECT * FROM qa_checks WHERE id = ? AND deleted_at IS NULL", (check_id,))
    return rows[0] if rows else None


def items_of(store: Store, check_id: str) -> list[dict[str, Any]]:
    """A check's checklist lines, in the order they were saved."""
    return store.query(
        """SELECT evidence_type_code, person_id, result, note FROM qa_check_items
           WHERE qa_check_id = ? AND deleted_at IS NULL ORDER BY rowid""",
        (check_id,),
    )


def actions_of(store: Store, check_id: str) -> list[dict[str, Any]]:
    """A check's actions, in the order they were agreed."""
    return store.query(
        """SELECT id, description, due_on, done_on, worker FROM actions
           WHERE source = 'qa_check' AND source_id = ? AND deleted_at IS NULL ORDER BY rowid""",
        (check_id,),
    )


def evidence_on_file(store: Store, provider_id: str) -> list[dict[str, Any]]:
    """The provider's live evidence items, as the checklist reads them."""
    return store.query(
        """SELECT id, evidence_type_code, status, person_id, expires_on, cover_pence
           FROM evidence_items WHERE provider_id = ? AND deleted_at IS NULL ORDER BY rowid""",
        (provider_id,),
    )


def provider_setup(store: Store, provider_id: str) -> dict[str, Any] | None:
    """The columns that decide which evidence applies to a live provider."""
    rows = store.query(
        """SELECT services, regulated_activity, cqc_exempt, staff_count, legal_form
           FROM providers WHERE id = ? AND deleted_at IS NULL""",
        (provider_id,),
    )
    return rows[0] if rows else None


def people_of(store: Store, provider_id: str) -> list[dict[str, Any]]:
    """The provider's people (those who left too: the rules leave them out)."""
    return store.query(
        """SELECT id, name, works_one_to_one, left_on FROM provider_people
           WHERE provider_id = ? AND deleted_at IS NULL ORDER BY rowid""",
        (provider_id,),
    )


def evidence_rules(store: Store) -> list[dict[str, Any]]:
    """The council's live evidence rules, in the order they were made."""
    return store.query(
        """SELECT evidence_type_code, condition, services, mandatory, min_cover_pence, note
           FROM evidence_rules WHERE deleted_at IS NULL ORDER BY rowid"""
    )


def type_labels(store: Store) -> dict[str, str]:
    """Evidence type codes in words."""
    rows = store.query("SELECT code, label FROM evidence_types WHERE deleted_at IS NULL")
    return {r["code"]: r["label"] for r in rows}


def provider_name(store: Store, provider_id: str) -> str | None:
    """The live provider's name, or None."""
    value = store.scalar(
        "SELECT name FROM providers WHERE id = ? AND deleted_at IS NULL", (provider_id,)
    )
    return None if value is None else str(value)


def latest_check_per_provider(store: Store) -> list[dict[str, Any]]:
    """Each provider's latest QA check (id, provider, date, outcome), in id order (the demo
    gives them their checklist lines)."""
    return store.query(
        """SELECT id, provider_id, checked_on, outcome FROM (
               SELECT q.*, ROW_NUMBER() OVER (PARTITION BY provider_id
                                              ORDER BY checked_on DESC, rowid DESC) AS n
               FROM qa_checks q WHERE q.deleted_at IS NULL) WHERE n = 1 ORDER BY id"""
    )


def checks_with_outcome(store: Store, outcome: str) -> list[dict[str, Any]]:
    """Every live check with this outcome (id, provider, date), in id order."""
    return store.query(
        """SELECT id, provider_id, checked_on FROM qa_checks
           WHERE outcome = ? AND deleted_at IS NULL ORDER BY id""",
        (outcome,),
    )


def all_evidence(store: Store) -> list[dict[str, Any]]:
    """Every live evidence item's type, status and expiry by provider, in id order."""
    return store.query(
        """SELECT provider_id, evidence_type_code, status, expires_on FROM evidence_items
           WHERE deleted_at IS NULL ORDER BY id"""
    )
