"""The Quality section's lists: providers not in good standing with their first reason, and
the radar's evidence, certificates and reviews. Apart from services/radar.py, which Home's
first read imports: these views are made only when the section is opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from microcare_tui.domain.labels import standing_label
from microcare_tui.services.radar import RadarLine, radar_lines
from microcare_tui.store import evidence as repo
from microcare_tui.store.db import Store


@dataclass(frozen=True)
class NotGoodLine:
    """A provider at a listed stage not in good standing, and the first reason why."""

    provider_id: str
    name: str
    standing_text: str  # '! lapsed'
    reason: str


def not_in_good_standing(db: Store, today: date) -> list[NotGoodLine]:
    """Listed providers not in good standing (STANDING_SQL picks them), each with the first
    reason from the same rule in Python (the record's why panel says the rest)."""
    # Imported here: the Quality screen imports this module as the sections are made after
    # start-up, and that must not load the standing rule's modules on the UI thread.
    from microcare_tui.services.standing import verdicts_for

    listed = repo.providers_not_good(db, today)
    verdicts = verdicts_for(db, [pid for pid, _, _ in listed], today)
    out = []
    for pid, name, standing in listed:
        verdict = verdicts.get(pid)
        reason = verdict.reasons[0] if verdict is not None and verdict.reasons else ""
        out.append(NotGoodLine(pid, name, standing_label(standing), reason))
    return out


@dataclass(frozen=True)
class QualityView:
    """The Quality section: not in good standing, evidence and certificates, reviews."""

    not_good: list[NotGoodLine]
    evidence: list[RadarLine]  # evidence and certificates, lapsed and due in 90 days
    reviews: list[RadarLine]  # QA reviews overdue and due in 90 days


def quality_view(db: Store, today: date) -> QualityView:
    """Everything the Quality section lists, read at once (call from a worker)."""
    lines = radar_lines(db, today)
    return QualityView(
        not_good=not_in_good_standing(db, today),
        evidence=[ln for ln in lines if ln.kind != "review"],
        reviews=[ln for ln in lines if ln.kind == "review"],
    )
