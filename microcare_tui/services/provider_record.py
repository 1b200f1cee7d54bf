"""One provider's record page: every field in words, standing and why (the domain's rule),
the dated stage history and the enquiries that signposted them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from microcare_tui.domain import models as m
from microcare_tui.domain import rules
from microcare_tui.domain.enums import (
    SignpostOutcome,
    Stage,
    Standing,
    TimeOfDay,
    label,
)
from microcare_tui.domain.labels import days_text, kind_label, outcome_label, standing_label
from microcare_tui.domain.parse import format_date, format_datetime, format_money, format_phone
from microcare_tui.services.providers import Choice, stage_choices
from microcare_tui.store import providers as repo
from microcare_tui.store import reference
from microcare_tui.store.db import Store


@dataclass(frozen=True)
class RecordField:
    """A labelled value on the record; value '' when nothing is recorded."""

    label: str
    value: str


@dataclass(frozen=True)
class StageHistoryLine:
    """One dated stage move: '12/07/2026', 'Enquiry → Developing (first visit) by Sam'."""

    moved_on: str
    text: str


@dataclass(frozen=True)
class ReferralLine:
    """An enquiry that signposted the provider, and what happened."""

    enquiry_id: str
    signposted_at: str  # local date and time, UK style
    signposted_on: str  # local date, UK style
    needs: str  # what the enquiry asked for, in words
    enquirer: str  # the enquirer kind in words
    outcome: str  # the enquiry's outcome in words
    reported: str  # what happened after: started, contacted, declined, not known yet


# What happened after a signpost, in the words of the record page, most telling first.
REPORTED_WORDS: dict[str, str] = {
    SignpostOutcome.STARTED: "started",
    SignpostOutcome.CONTACTED: "contacted",
    SignpostOutcome.DECLINED: "declined",
    SignpostOutcome.UNKNOWN: "not known yet",
}
REFERRALS_SHOWN = 10  # the latest referrals listed on the record page


@dataclass(frozen=True)
class ProviderRecord:
    """Everything the record page shows about one provider, in words."""

    id: str
    name: str
    stage: Stage
    stage_text: str
    stage_since: str  # UK date of the last stage move, '' when unknown
    standing: Standing
    standing_text: str  # symbol and word: '! lapsed'
    reasons: tuple[str, ...]  # why, from the domain's standing rule
    reason: str  # the reasons as one line
    why: tuple[tuple[str, str], ...]  # (reason, UK date it became true or '')
    phone: str  # as people write it, '' when none
    contact: list[RecordField]
    offer: list[RecordField]
    history: list[StageHistoryLine]  # oldest first
    about: list[RecordField]
    next_stages: list[Choice]  # the stages it may move to now
    referrals_total: int
    referral_summary: str  # '12 referrals: 3 started, 9 not known yet'
    referrals: list[ReferralLine]  # the latest first


def provider_standing(db: Store, provider: m.Provider, today: date) -> rules.StandingVerdict:
    """The domain's standing rule applied to the provider (services.standing does the work)."""
    from microcare_tui.services.standing import provider_verdict

    return provider_verdict(db, provider, today)


def provider_record(
    db: Store, provider_id: str, today: date | None = None, referrals_shown: int = REFERRALS_SHOWN
) -> ProviderRecord:
    """A provider's record page: details in words, standing and why, history, referrals
    (how many, what happened after, and the latest `referrals_shown`).

    Raises NotFound when the provider has been withdrawn.
    """
    p = repo.get_provider(db, provider_id)
    verdict = provider_standing(db, p, today or date.today())
    areas = {a.id: a.name for a in reference.areas(db)}
    referrals_total, referrals = repo.referrals_for(db, p.id, referrals_shown)
    services = reference.service_labels(db)
    moves = repo.stage_history(db, p.id)
    return ProviderRecord(
        id=p.id,
        name=p.name,
        stage=p.stage,
        stage_text=label(p.stage.value),
        stage_since=format_date(p.stage_changed_on),
        standing=verdict.standing,
        standing_text=standing_label(verdict.standing),
        reasons=verdict.reasons,
        reason=verdict.reason,
        why=tuple((r.text, format_date(r.since)) for r in verdict.why),
        phone=format_phone(p.phone),
        contact=_contact(db, p, areas),
        offer=_offer(db, p, areas),
        history=[_history_line(mv) for mv in moves],
        about=_about(p, moves),
        next_stages=[c for c in stage_choices(p.stage) if c[1] != p.stage.value],
        referrals_total=referrals_total,
        referral_summary=_referral_summary(repo.referral_outcome_counts(db, p.id)),
        referrals=[_referral_line(r, services) for r in referrals],
    )


def _contact(db: Store, p: m.Provider, areas: dict[str, str]) -> list[RecordField]:
    forms = {f.code: f.label for f in reference.legal_forms(db)}
    place = " · ".join(x for x in [p.postcode or "", areas.get(p.area_id or "", "")] if x)
    return [
        RecordField("Lead contact", p.lead_contact or ""),
        RecordField("Phone", format_phone(p.phone)),
        RecordField("Email", p.email or ""),
        RecordField("Postcode", place),
        RecordField("Legal form", forms.get(p.legal_form, label(p.legal_form))),
        RecordField("Staff", f"{p.staff_count} ({p.size_band.value})"),
        RecordField("Ownership", label(p.ownership_model.value) if p.ownership_model else ""),
        RecordField("Approach", label(p.approach.value) if p.approach else ""),
        RecordField("Regulated (CQC)", "yes" if p.regulated_activity else "no"),
    ]


def _offer(db: Store, p: m.Provider, areas: dict[str, str]) -> list[RecordField]:
    services = reference.service_labels(db)
    return [
        RecordField("Services", ", ".join(services.get(s, s) for s in p.services)),
        RecordField("Areas served", ", ".join(areas.get(a, "?") for a in p.areas_served)),
        RecordField("Taking new clients", "yes" if p.accepting_new_clients else "no"),
        RecordField("Hourly rate", format_money(p.hourly_rate_pence)),
        RecordField("Funding", ", ".join(label(f.value) for f in p.funding_accepted)),
        # Monday first (and 'weekdays', 'every day'), as every list of days is shown.
        RecordField("Days", days_text([d.value for d in p.days]) if p.days else ""),
        RecordField("Times", ", ".join(label(t.value) for t in TimeOfDay if t in p.times)),
        RecordField("Languages", ", ".join(p.languages)),
        RecordField("Specialisms", ", ".join(p.specialisms)),
    ]


def _history_line(move: m.StageMove) -> StageHistoryLine:
    start = label(move.from_stage.value) if move.from_stage else "added"
    text = f"{start} → {label(move.to_stage.value)}"
    if move.note:
        text += f" ({move.note})"
    if move.created_by:
        text += f" by {move.created_by}"
    return StageHistoryLine(format_date(move.moved_on), text)


def added_on(p: m.Provider, moves: list[m.StageMove]) -> date | None:
    """When the provider was added: the earliest of the day its row was written and its
    first stage move.

    One source of truth for 'Added' and the history's first line. A provider added in the
    app gets its first move ('added -> Enquiry') dated the day its row is written, so the
    two agree; one whose history was recorded before its row (the demo, an import of a
    spreadsheet that already had the programme's dates) was added when the history says,
    and the row's date is only when it reached this database.
    """
    days = [mv.moved_on for mv in moves]
    if p.created_at:
        days.append(datetime.fromisoformat(p.created_at).astimezone().date())
    return min(days, default=None)


def _about(p: m.Provider, moves: list[m.StageMove]) -> list[RecordField]:
    about = [RecordField("Description", p.description or ""), RecordField("Notes", p.notes or "")]
    added = added_on(p, moves)
    if added:
        about.append(RecordField("Added", f"{format_date(added)} by {p.created_by or 'unknown'}"))
    if p.updated_at and p.updated_at != p.created_at:
        updated = format_datetime(p.updated_at)
        about.append(RecordField("Updated", f"{updated} by {p.updated_by or 'unknown'}"))
    return about


def _referral_line(referral: repo.Referral, services: dict[str, str]) -> ReferralLine:
    signposted_at = format_datetime(referral.signposted_at)
    return ReferralLine(
        enquiry_id=referral.enquiry_id,
        signposted_at=signposted_at,
        signposted_on=signposted_at[:10],
        needs=", ".join(services.get(c, c) for c in referral.needs) or "needs not recorded",
        enquirer=kind_label(referral.enquirer_kind),
        outcome=outcome_label(referral.outcome),
        reported=REPORTED_WORDS.get(referral.reported_outcome, label(referral.reported_outcome)),
    )


def _referral_summary(counts: dict[str, int]) -> str:
    """'3 referrals: 1 started, 2 not known yet' (commissioners ask whether small providers
    get referrals, and what comes of them)."""
    total = sum(counts.values())
    if not total:
        return "No enquiry has been signposted to this provider yet."
    parts = [
        f"{counts[code]:,} {words}" for code, words in REPORTED_WORDS.items() if counts.get(code)
    ]
    noun = "referral" if total == 1 else "referrals"
    return f"{total:,} {noun}: {', '.join(parts)}"
