"""The call form's words: what it offers, what it opens with, and how it reads what is typed.

Pure rules about the form's fields (no state): the pick lists, the values a new call or a
saved enquiry opens with, and how a field is checked and shown once the worker leaves it
('01233123456' -> '01233 123456', '+3d' -> '25/11/2026'). services.call uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import (
    Channel,
    Day,
    EnquirerKind,
    Outcome,
    TimeOfDay,
    Urgency,
    label,
)
from microcare_tui.domain.labels import DAY_GROUPS, KIND_LABELS, OUTCOME_LABELS
from microcare_tui.domain.parse import (
    format_date,
    format_phone,
    is_postcode_district,
    parse_date,
    parse_phone,
    parse_postcode,
)
from microcare_tui.domain.query import LookupQuery
from microcare_tui.services.database import Database
from microcare_tui.services.lookup import vocabulary
from microcare_tui.store import reference

Choice = tuple[str, str]  # (what the list shows, the value stored)

KIND_PROMPT = "type a letter: w p f r s o"


# -- parsing when the call came in -------------------------------------------------------------
def parse_received(text: str, today: date) -> datetime:
    """'22/11/2026 14:05', '22/11 14:05', '14:05' (today), 'today' or 'yesterday 9:30'."""
    raw = text.strip()
    if not raw:
        raise ValueError("Enter when the call came in, e.g. 22/11/2026 14:05")
    hour, minute = 12, 0
    found = re.fullmatch(r"(.*?)[\sT]*(\d{1,2})[:.](\d{2})", raw)
    if found:
        raw, hour, minute = found.group(1).strip(), int(found.group(2)), int(found.group(3))
        if hour > 23 or minute > 59:
            raise ValueError(f"'{text}' has no such time")
    day = parse_date(raw, today) if raw else today
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


def format_received(value: datetime) -> str:
    """When a call came in, as the form shows it: 22/11/2026 14:05 (local time)."""
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class CallChoices:
    """The pick lists of the call form, as (label, value) pairs."""

    kinds: list[Choice]
    services: list[Choice]
    days: list[Choice]
    times: list[Choice]
    urgencies: list[Choice]
    channels: list[Choice]
    outcomes: list[Choice]
    # The caller's words the pick lists understand as well as their labels: for Needs the
    # lookup's phrases (phrase -> service code: "cleaning" finds Home help), for Days the
    # day groups (day -> words: "weekend" finds Sat and Sun).
    service_phrases: dict[str, str]
    day_words: dict[str, str]


def call_choices(db: Database) -> CallChoices:
    """Every list the call form offers (services come from the council's catalogue)."""
    return CallChoices(
        kinds=[(KIND_LABELS[k], k.value) for k in EnquirerKind],
        services=[(st.label, st.code) for st in reference.service_types(db)],
        days=[(d.value.capitalize(), d.value) for d in Day],
        times=[(t.value.capitalize(), t.value) for t in TimeOfDay],
        urgencies=[(label(u.value), u.value) for u in Urgency],
        channels=[(label(c.value), c.value) for c in Channel],
        outcomes=[(OUTCOME_LABELS[o], o.value) for o in Outcome],
        service_phrases=dict(vocabulary(db).services),
        day_words=day_words(),
    )


def day_words() -> dict[str, str]:
    """Each day's group words, for the Days pick list: {"sat": "weekend weekends", ...}."""
    words: dict[str, list[str]] = {}
    for word, days in DAY_GROUPS.items():
        for day in days:
            words.setdefault(day, []).append(word)
    return {day: " ".join(found) for day, found in words.items()}


def opening_values(e: m.Enquiry | None, today: date) -> dict[str, Any]:
    """The form's values for a new call, or for a saved enquiry opened again."""
    if e is None:
        received = datetime.combine(today, datetime.now().time())
        return {
            "enquirer_kind": None, "caller_name": "", "caller_phone": "", "relationship": "",
            "postcode": "", "needs": [], "days": [], "times": [], "summary": "",
            "urgency": Urgency.ROUTINE.value, "received_at": format_received(received),
            "channel": Channel.PHONE.value, "outcome": None, "follow_up_on": "",
        }  # fmt: skip
    return {
        "enquirer_kind": e.enquirer_kind.value,
        "caller_name": e.caller_name or "",
        "caller_phone": format_phone(e.caller_phone),
        "relationship": e.relationship or "",
        "postcode": e.postcode or "",
        "needs": list(e.needs),
        "days": [d.value for d in e.days],
        "times": [t.value for t in e.times],
        "summary": e.summary or "",
        "urgency": e.urgency.value,
        "received_at": format_received(e.received_at),
        "channel": e.channel.value,
        "outcome": e.outcome.value if e.outcome else None,
        "follow_up_on": format_date(e.follow_up_on),
    }


def check_field(name: str, text: str, today: date) -> str | None:
    """Check one field as the worker leaves it: a message, or None when it reads."""
    text = str(text).strip()
    try:
        if name == "caller_phone":
            parse_phone(text)
        elif name == "postcode" and not is_postcode_district(text):
            parse_postcode(text)
        elif name == "follow_up_on":
            parse_date(text, today)
        elif name == "received_at":
            parse_received(text, today)
    except ValueError as exc:
        return str(exc)
    return None


def shown_as(name: str, text: str, today: date) -> str | None:
    """A valid field's text as understood, for the form to show; None for fields shown as
    typed."""
    if name == "caller_phone":
        return format_phone(parse_phone(text))
    if name == "postcode":
        return text.upper() if is_postcode_district(text) else parse_postcode(text)
    if name == "follow_up_on":
        return format_date(parse_date(text, today))
    if name == "received_at":
        return format_received(parse_received(text, today))
    return None


def lookup_fill(
    values: dict[str, Any], query: LookupQuery, only_empty: bool
) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """What the lookup's understanding adds to the form: the fields to change, and an area
    by name (id, name) when the worker named one and gave no postcode.

    Services, days and times are added to what the form holds (with `only_empty`, only to
    empty fields). A postcode district goes into an empty postcode field.
    """
    fields: dict[str, Any] = {}
    for name, wanted in (
        ("needs", query.services), ("days", query.days), ("times", query.times),
    ):  # fmt: skip
        have = list(values.get(name) or [])
        if not wanted or (only_empty and have):
            continue
        merged = have + [v for v in wanted if v not in have]
        if merged != have:
            fields[name] = merged
    places = [c for c in query.chips if c.kind in ("area", "district")]
    if not places or str(values.get("postcode") or "").strip():
        return fields, None
    chip = places[0]
    district = chip.source.upper()
    if is_postcode_district(district.split()[0]):
        fields["postcode"] = district
    elif chip.kind == "area":
        return fields, (chip.value, chip.label)
    return fields, None
