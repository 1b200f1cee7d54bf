"""Generic save and load of domain models: every write path goes through Store.write_row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from microcare_tui.domain import models as m
from microcare_tui.domain.errors import NotFound
from microcare_tui.store.db import Store, utc_now

TABLES: dict[type[BaseModel], str] = {
    m.Area: "areas",
    m.ServiceType: "service_types",
    m.LegalFormRow: "legal_forms",
    m.EvidenceType: "evidence_types",
    m.Setting: "settings",
    m.Provider: "providers",
    m.StageMove: "stage_moves",
    m.Enquiry: "enquiries",
    m.Signpost: "signposts",
    m.UnmetNeed: "unmet_needs",
    m.Visit: "visits",
    m.TrainingCourse: "training_courses",
    m.TrainingSession: "training_sessions",
    m.TrainingAttendance: "training_attendance",
    m.EvidenceItem: "evidence_items",
    m.ProviderPerson: "provider_people",
    m.QACheck: "qa_checks",
    m.Grant: "grants",
    m.ProviderReturn: "provider_returns",
}

R = TypeVar("R", bound=m.Record)

# Columns stored as JSON text, by table (decoded back into lists on load).
JSON_COLUMNS = {
    "areas": {"postcode_districts", "neighbours"},
    "service_types": {"synonyms"},
    "settings": {"value"},
    "providers": {
        "areas_served",
        "services",
        "funding_accepted",
        "days",
        "times",
        "languages",
        "specialisms",
    },
    "enquiries": {"needs", "days", "times"},
}


def model_to_row(record: m.Record) -> dict[str, Any]:
    """A model as a row: the store converts lists to JSON, dates to ISO, enums to values."""
    row = record.model_dump()
    if isinstance(record, m.Setting):
        row["value"] = json.dumps(record.value)
    return row


def row_to_model(model: type[R], row: dict[str, Any]) -> R:
    """Rebuild a model from a stored row."""
    table = TABLES[model]
    data = dict(row)
    for col in JSON_COLUMNS.get(table, ()):
        if isinstance(data.get(col), str):
            data[col] = json.loads(data[col])
    return model.model_validate(data)


def save(store: Store, record: R) -> R:
    """Insert or update a record in one transaction (joining an open one), logging the change."""
    table = TABLES[type(record)]
    stored = store.write_row(table, model_to_row(record))
    return row_to_model(type(record), stored)


def get(store: Store, model: type[R], record_id: str, include_deleted: bool = False) -> R:
    """Load one record by id, or raise NotFound."""
    table = TABLES[model]
    rows = store.query(f"SELECT * FROM [{table}] WHERE id = ?", (record_id,))
    if not rows or (rows[0].get("deleted_at") and not include_deleted):
        raise NotFound(f"No {table[:-1].replace('_', ' ')} with id {record_id}.")
    return row_to_model(model, rows[0])


def find(
    store: Store, model: type[R], *, order: Sequence[str] = ("rowid",), **equal: Any
) -> list[R]:
    """Load the live (not deleted) records whose fields equal the given values.

    `order` names fields (or rowid), a leading '-' for descending. Callers name fields, never
    write SQL: `find(store, m.QACheck, provider_id=pid, order=("-checked_on", "-rowid"))`.
    """
    table = TABLES[model]
    known = {*model.model_fields, "rowid"}
    fields = [*equal, *(o.removeprefix("-") for o in order)]
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
    where = "".join(f" AND {_column(name)} = ?" for name in equal)
    order_by = ", ".join(
        f"{_column(o[1:])} DESC" if o.startswith("-") else _column(o) for o in order
    )
    # Enum values are stored as their text.
    params = [getattr(value, "value", value) for value in equal.values()]
    rows = store.query(
        f"SELECT * FROM [{table}] WHERE deleted_at IS NULL{where} ORDER BY {order_by}", params
    )
    return [row_to_model(model, r) for r in rows]


def _column(name: str) -> str:
    # [rowid] would name a column called rowid; the bare word is the table's own row id.
    return name if name == "rowid" else f"[{name}]"


def soft_delete(store: Store, model: type[R], record_id: str) -> None:
    """Mark a record deleted (a tombstone sync can carry), logging the change."""
    store.write_row(TABLES[model], {"id": record_id, "deleted_at": utc_now()})
