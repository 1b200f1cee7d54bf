"""The public register's rows: the public fields of chosen providers, and nothing else.

The columns are listed one by one (never SELECT *), so a field added to providers later
(notes, a person's details) cannot reach the public register by accident."""

from __future__ import annotations

import json
from typing import Any

from microcare_tui.store.db import Store

PUBLIC_COLUMNS = (
    "id", "name", "legal_form", "lead_contact", "phone", "email", "postcode", "area_id",
    "areas_served", "services", "days", "times", "languages", "accepting_new_clients",
    "hourly_rate_pence", "funding_accepted", "description", "stage", "updated_at",
)  # fmt: skip
_JSON = ("areas_served", "services", "days", "times", "languages", "funding_accepted")


def public_rows(store: Store, provider_ids: list[str]) -> list[dict[str, Any]]:
    """The public fields of these providers (by name), with the date of each one's latest QA
    check as `last_checked` (None before the first)."""
    if not provider_ids:
        return []
    columns = ", ".join(f"p.[{c}]" for c in PUBLIC_COLUMNS)
    rows = store.query(
        f"""SELECT {columns},
                   (SELECT MAX(q.checked_on) FROM qa_checks q
                    WHERE q.provider_id = p.id AND q.deleted_at IS NULL) AS last_checked
            FROM providers p JOIN json_each(:ids) r ON r.value = p.id
            WHERE p.deleted_at IS NULL ORDER BY p.name COLLATE NOCASE, p.id""",
        {"ids": json.dumps(provider_ids)},
    )
    for row in rows:
        for column in _JSON:
            row[column] = json.loads(row[column] or "[]")
    return rows
