"""The words the app shows for the domain's codes: one place, used by every screen and report.

Status is never colour alone (UX.md), so standing words carry a symbol as well as a word.
"""

from __future__ import annotations

from microcare_tui.domain.enums import Day, EnquirerKind, Outcome, Standing, label

# Monday first, as a UK week is read; every list of days is shown in this order.
DAY_ORDER: tuple[str, ...] = tuple(d.value for d in Day)
WEEKDAYS: tuple[str, ...] = DAY_ORDER[:5]
WEEKEND: tuple[str, ...] = DAY_ORDER[5:]
# What a caller says for a group of days (the lookup's words; the call form's Days list).
DAY_GROUPS: dict[str, tuple[str, ...]] = {
    "weekend": WEEKEND, "weekends": WEEKEND, "weekday": WEEKDAYS, "weekdays": WEEKDAYS,
}  # fmt: skip

KIND_LABELS: dict[str, str] = {
    EnquirerKind.WOULD_BE_PROVIDER: "Would-be provider",
    EnquirerKind.SEEKING_SUPPORT: "Person seeking support",
    EnquirerKind.FAMILY_CARER: "Family member or carer",
    EnquirerKind.PROFESSIONAL: "Referral by a professional",
    EnquirerKind.STAKEHOLDER: "Stakeholder",
    EnquirerKind.OTHER: "Other",
}
OUTCOME_LABELS: dict[str, str] = {
    Outcome.SIGNPOSTED: "Signposted",
    Outcome.INFORMATION_SENT: "Information sent",
    Outcome.REFERRED_TO_PROGRAMME: "Referred to the development programme",
    Outcome.REFERRED_ELSEWHERE: "Referred elsewhere",
    Outcome.NO_SUITABLE_PROVIDER: "No suitable provider",
    Outcome.CLOSED: "Closed",
    Outcome.FOLLOW_UP: "Follow-up needed",
}
# Short forms for narrow lists (the Enquiries list at 80 columns), each at most 14 letters.
KIND_SHORT: dict[str, str] = {
    EnquirerKind.WOULD_BE_PROVIDER: "Provider-to-be",
    EnquirerKind.SEEKING_SUPPORT: "Seeking help",
    EnquirerKind.FAMILY_CARER: "Family/carer",
    EnquirerKind.PROFESSIONAL: "Professional",
    EnquirerKind.STAKEHOLDER: "Stakeholder",
    EnquirerKind.OTHER: "Other",
}
OUTCOME_SHORT: dict[str, str] = {
    Outcome.SIGNPOSTED: "Signposted",
    Outcome.INFORMATION_SENT: "Info sent",
    Outcome.REFERRED_TO_PROGRAMME: "To programme",
    Outcome.REFERRED_ELSEWHERE: "Referred on",
    Outcome.NO_SUITABLE_PROVIDER: "Unmet need",
    Outcome.CLOSED: "Closed",
    Outcome.FOLLOW_UP: "Follow-up",
}
_SHORT_BY_LABEL: dict[str, str] = {
    **{KIND_LABELS[k]: KIND_SHORT[k] for k in KIND_SHORT},
    **{OUTCOME_LABELS[o]: OUTCOME_SHORT[o] for o in OUTCOME_SHORT},
}
# Word with a symbol, so standing reads on a monochrome theme and for colour-blind users.
STANDING_WORDS: dict[str, str] = {
    Standing.GOOD: "✓ good",
    Standing.LAPSED: "! lapsed",
    Standing.NOT_LISTED: "– not listed",
    Standing.SUSPENDED: "× suspended",
}


def kind_label(kind: str | None) -> str:
    """An enquirer kind in words ('' for none)."""
    return KIND_LABELS.get(kind, label(kind)) if kind else ""


def outcome_label(outcome: str | None) -> str:
    """An enquiry outcome in words; an enquiry with no outcome is 'open'."""
    return OUTCOME_LABELS.get(outcome, label(outcome)) if outcome else "open"


def short_label(text: str) -> str:
    """The short form of a kind or outcome label ('Referral by a professional' ->
    'Professional'), for a narrow column; any other text as it is."""
    return _SHORT_BY_LABEL.get(text, text)


def standing_label(standing: str) -> str:
    """Standing as symbol and word: '✓ good', '! lapsed', '– not listed', '× suspended'."""
    return STANDING_WORDS.get(standing, standing.replace("_", " "))


def days_text(days: list[str] | tuple[str, ...]) -> str:
    """'Mon Tue Wed', 'weekdays', 'weekends', 'every day' or 'days not given'."""
    known = [d for d in DAY_ORDER if d in days]
    if len(known) == len(DAY_ORDER):
        return "every day"
    if not known:
        return "days not given"
    if tuple(known) == WEEKDAYS:
        return "weekdays"
    if tuple(known) == WEEKEND:
        return "weekends"
    return " ".join(d.capitalize() for d in known)


def count_text(n: int, noun: str = "", plural: str = "") -> str:
    """A count as every screen shows it, thousands always grouped: '7', '1,000', '13,338';
    with a noun, '1 enquiry', '13,338 enquiries' (plural defaults to noun + 's')."""
    number = f"{n:,}"
    if not noun:
        return number
    return f"{number} {noun if n == 1 else plural or noun + 's'}"
