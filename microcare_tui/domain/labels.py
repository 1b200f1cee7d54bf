"""The words the app shows for the domain's codes: one place, used by every screen and report.

Status is never colour alone (UX.md), so standing words carry a symbol as well as a word.
"""

from __future__ import annotations

# The tables are keyed by the codes as stored (a test holds them equal to domain.enums):
# importing the enums' ~20 classes costs `microcare search` ~4 ms, and it needs only the
# days and standing words.

# Monday first, as a UK week is read; every list of days is shown in this order.
DAY_ORDER: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS: tuple[str, ...] = DAY_ORDER[:5]
WEEKEND: tuple[str, ...] = DAY_ORDER[5:]
# What a caller says for a group of days (the lookup's words; the call form's Days list).
DAY_GROUPS: dict[str, tuple[str, ...]] = {
    "weekend": WEEKEND, "weekends": WEEKEND, "weekday": WEEKDAYS, "weekdays": WEEKDAYS,
}  # fmt: skip

KIND_LABELS: dict[str, str] = {
    "would_be_provider": "Would-be provider",
    "seeking_support": "Person seeking support",
    "family_carer": "Family member or carer",
    "professional": "Referral by a professional",
    "stakeholder": "Stakeholder",
    "other": "Other",
}
OUTCOME_LABELS: dict[str, str] = {
    "signposted": "Signposted",
    "information_sent": "Information sent",
    "referred_to_programme": "Referred to the development programme",
    "referred_elsewhere": "Referred elsewhere",
    "no_suitable_provider": "No suitable provider",
    "closed": "Closed",
    "follow_up": "Follow-up needed",
}
# Short forms for narrow lists (the Enquiries list at 80 columns), each at most 14 letters.
KIND_SHORT: dict[str, str] = {
    "would_be_provider": "Provider-to-be",
    "seeking_support": "Seeking help",
    "family_carer": "Family/carer",
    "professional": "Professional",
    "stakeholder": "Stakeholder",
    "other": "Other",
}
OUTCOME_SHORT: dict[str, str] = {
    "signposted": "Signposted",
    "information_sent": "Info sent",
    "referred_to_programme": "To programme",
    "referred_elsewhere": "Referred on",
    "no_suitable_provider": "Unmet need",
    "closed": "Closed",
    "follow_up": "Follow-up",
}
_SHORT_BY_LABEL: dict[str, str] = {
    **{KIND_LABELS[k]: KIND_SHORT[k] for k in KIND_SHORT},
    **{OUTCOME_LABELS[o]: OUTCOME_SHORT[o] for o in OUTCOME_SHORT},
}
# Word with a symbol, so standing reads on a monochrome theme and for colour-blind users.
STANDING_WORDS: dict[str, str] = {
    "good": "✓ good",
    "lapsed": "! lapsed",
    "not_listed": "– not listed",
    "suspended": "× suspended",
}


def kind_label(kind: str | None) -> str:
    """An enquirer kind in words ('' for none)."""
    return (KIND_LABELS.get(kind) or _words(kind)) if kind else ""


def outcome_label(outcome: str | None) -> str:
    """An enquiry outcome in words; an enquiry with no outcome is 'open'."""
    return (OUTCOME_LABELS.get(outcome) or _words(outcome)) if outcome else "open"


def _words(code: str) -> str:
    """A code no table names (from a newer colleague's bundle), in words."""
    from microcare_tui.domain.enums import label

    return label(code)


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
