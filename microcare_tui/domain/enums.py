"""Enumerations of the domain. Councils' own lists (areas, services, evidence types) are data."""

from __future__ import annotations

from enum import StrEnum


class LegalForm(StrEnum):
    SOLE_TRADER = "sole_trader"
    PARTNERSHIP = "partnership"
    CIC = "cic"
    CHARITY = "charity"
    SOCIAL_ENTERPRISE = "social_enterprise"
    LIMITED_COMPANY = "limited_company"
    COOPERATIVE = "cooperative"
    COMMUNITY_GROUP = "community_group"
    OTHER = "other"


class Stage(StrEnum):
    """Development stage of a provider.

    Stages move forward and sometimes back; each move is dated.
    """

    ENQUIRY = "enquiry"
    DEVELOPING = "developing"
    CHECKS = "checks"
    REGISTERED = "registered"
    ACTIVE = "active"
    PAUSED = "paused"
    CEASED = "ceased"


class SizeBand(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Funding(StrEnum):
    SELF_FUNDED = "self_funded"
    DIRECT_PAYMENT = "direct_payment"
    PERSONAL_HEALTH_BUDGET = "personal_health_budget"
    COUNCIL = "council"


class OwnershipModel(StrEnum):
    USER_LED = "user_led"
    COOPERATIVE = "cooperative"
    FAMILY_BUSINESS = "family_business"
    COMMUNITY_GROUP = "community_group"
    INDIVIDUAL = "individual"
    OTHER = "other"


class Approach(StrEnum):
    HOME_SUPPORT = "home_support"
    DAY_ACTIVITIES = "day_activities"
    SHARED_LIVES = "shared_lives"
    HOMESHARE = "homeshare"
    COMMUNITY_GROUP = "community_group"
    OTHER = "other"


class Day(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class TimeOfDay(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"


class Standing(StrEnum):
    """Whether a provider can be signposted with confidence today."""

    GOOD = "good"  # QA approved (or registered/active before QA exists), nothing lapsed
    LAPSED = "lapsed"  # mandatory evidence has expired, or a QA action is overdue
    SUSPENDED = "suspended"  # a safeguarding concern is open
    NOT_LISTED = "not_listed"  # still developing, paused, ceased or not approved


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    REFERRAL = "referral"
    OTHER = "other"


class EnquirerKind(StrEnum):
    WOULD_BE_PROVIDER = "would_be_provider"
    SEEKING_SUPPORT = "seeking_support"
    FAMILY_CARER = "family_carer"
    PROFESSIONAL = "professional"
    STAKEHOLDER = "stakeholder"
    OTHER = "other"


class Urgency(StrEnum):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"


class Outcome(StrEnum):
    SIGNPOSTED = "signposted"
    INFORMATION_SENT = "information_sent"
    REFERRED_TO_PROGRAMME = "referred_to_programme"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    NO_SUITABLE_PROVIDER = "no_suitable_provider"
    CLOSED = "closed"
    FOLLOW_UP = "follow_up"


class SignpostOutcome(StrEnum):
    UNKNOWN = "unknown"
    CONTACTED = "contacted"
    STARTED = "started"
    DECLINED = "declined"


class VisitKind(StrEnum):
    INITIAL = "initial"
    DEVELOPMENT = "development"
    QA = "qa"
    REVIEW = "review"
    SUPPORT = "support"
    CLOSURE = "closure"


class QAOutcome(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_ACTIONS = "approved_with_actions"
    NOT_APPROVED = "not_approved"


class EvidenceStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


def label(value: str) -> str:
    """Show an enum value in words: 'direct_payment' -> 'Direct payment'."""
    special = {"cic": "CIC", "qa": "QA", "dp": "DP"}
    if value in special:
        return special[value]
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]
