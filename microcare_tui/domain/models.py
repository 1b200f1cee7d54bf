"""Pydantic models of the domain's records.

Models take forgiving input (a phone typed any common way, '£15.68', '22/11') and hold
normalised values (E.164, pence, ISO dates), so a form can validate a dict of raw strings
with `Model.model_validate` and show each error beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from annotated_types import Interval
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from microcare_tui.domain import parse
from microcare_tui.domain.enums import (
    Approach,
    Channel,
    Day,
    EnquirerKind,
    EvidenceStatus,
    Funding,
    LegalForm,
    Outcome,
    OwnershipModel,
    QAOutcome,
    SignpostOutcome,
    SizeBand,
    Stage,
    TimeOfDay,
    Urgency,
    VisitKind,
)
from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.domain.ids import new_id


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return parse.split_list(value)
    return value


def _parsed(parser: Callable[[str], Any]) -> BeforeValidator:
    """Run a forgiving parser on typed text; blank text means 'not given'."""

    def run(value: Any) -> Any:
        if isinstance(value, str):
            return parser(value) if value.strip() else None
        return value

    return BeforeValidator(run)


def _date_text(text: str) -> date:
    if len(text) >= 10 and text[4] == "-":
        return date.fromisoformat(text[:10])
    return parse.parse_date(text)


def _day_list(value: Any) -> Any:
    return [parse.day_code(v) or v for v in _as_list(value)]


def _caller_postcode(text: str) -> str:
    # A caller may give only the district ("TN23"); keep that rather than drop it.
    if parse.is_postcode_district(text):
        return text.strip().upper()
    try:
        return parse.parse_postcode(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a UK postcode or district (e.g. TN23 4AB or TN23)"
        ) from None


_MAX_PENCE = 100_000_000  # £1,000,000.00: more is a typing slip in this register


def _money_text(text: str) -> int:
    pence = parse.parse_money(text)
    if pence > _MAX_PENCE:
        raise ValueError(f"Enter an amount up to {parse.format_money(_MAX_PENCE)}")
    return pence


_MAX_COVER = 100_000_000 * 100  # £100m: insurance cover beyond that is a typing slip


def _cover_text(text: str) -> int:
    """Insurance cover as people say it: '£5m', '5 million', '2.5m' or '£5,000,000'."""
    import re

    m = re.fullmatch(r"(?:£|gbp)?\s*(\d+(?:\.\d+)?)\s*(?:m|million)", text.strip(), re.I)
    pence = round(float(m.group(1)) * 100_000_000) if m else parse.parse_money(text)
    if pence > _MAX_COVER:
        raise ValueError(f"Enter cover up to {parse.format_money(_MAX_COVER)}")
    return pence


# Field types that accept what people type and hold the normalised value.
Text = Annotated[str | None, BeforeValidator(_blank_to_none)]


_Blank = BeforeValidator(_blank_to_none)
Name = Annotated[Annotated[str, StringConstraints(max_length=120)] | None, _Blank]
ShortText = Annotated[Annotated[str, StringConstraints(max_length=80)] | None, _Blank]
LongText = Annotated[Annotated[str, StringConstraints(max_length=4000)] | None, _Blank]
Notes = Annotated[Annotated[str, StringConstraints(max_length=10_000)] | None, _Blank]
Phone = Annotated[str | None, _parsed(parse.parse_phone)]  # E.164
Email = Annotated[str | None, _parsed(parse.parse_email)]
Postcode = Annotated[str | None, _parsed(parse.parse_postcode)]  # 'TN23 4AB'
CallerPostcode = Annotated[str | None, _parsed(_caller_postcode)]  # or just 'TN23'
Pence = Annotated[Annotated[int, Interval(ge=0, le=_MAX_PENCE)] | None, _parsed(_money_text)]
OptionalDate = Annotated[date | None, _parsed(_date_text)]
CoverPence = Annotated[Annotated[int, Interval(ge=0, le=_MAX_COVER)] | None, _parsed(_cover_text)]
Words = Annotated[list[str], BeforeValidator(_as_list)]
Days = Annotated[list[Day], BeforeValidator(_day_list)]
Times = Annotated[list[TimeOfDay], BeforeValidator(_as_list)]


class Record(BaseModel):
    """Bookkeeping every stored row carries; the store fills it in on save."""

    # defer_build: schemas are built on first use, not at import (saves ~100 ms at start-up).
    model_config = ConfigDict(str_strip_whitespace=True, defer_build=True)

    id: str = Field(default_factory=new_id)
    created_at: str | None = None
    updated_at: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    device_id: str | None = None
    deleted_at: str | None = None
    row_version: int = 0

    @classmethod
    def content_fields(cls) -> list[str]:
        """The fields that hold the record's content (not bookkeeping)."""
        return [f for f in cls.model_fields if f not in Record.model_fields]


class Area(Record):
    name: str = Field(min_length=1, max_length=80)
    kind: str = "district"
    code: str | None = None
    postcode_districts: list[str] = []
    neighbours: list[str] = []
    sort_order: int = 0


class ServiceType(Record):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=80)
    regulated: bool = False
    synonyms: list[str] = []
    sort_order: int = 0


class LegalFormRow(Record):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=80)
    sort_order: int = 0


class EvidenceType(Record):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=80)
    validity_months: int | None = Field(default=None, ge=1, le=240)
    mandatory_when: str = "always"
    sort_order: int = 0


class Setting(Record):
    value: Any = None


class Provider(Record):
    """A micro-provider on the register (or on its way there)."""

    name: str = Field(min_length=2, max_length=120)
    legal_form: str = LegalForm.SOLE_TRADER.value
    lead_contact: Name = None
    phone: Phone = None
    email: Email = None
    postcode: Postcode = None
    area_id: Text = None
    areas_served: Words = []
    services: Words = []
    staff_count: int = Field(default=1, ge=0, le=10_000)
    size_band: SizeBand = SizeBand.MICRO
    ownership_model: Annotated[OwnershipModel | None, BeforeValidator(_blank_to_none)] = None
    approach: Annotated[Approach | None, BeforeValidator(_blank_to_none)] = None
    regulated_activity: bool = False
    funding_accepted: Annotated[list[Funding], BeforeValidator(_as_list)] = []
    hourly_rate_pence: Pence = None
    accepting_new_clients: bool = True
    days: Days = []
    times: Times = []
    languages: Words = []
    specialisms: Words = []
    stage: Stage = Stage.ENQUIRY
    stage_changed_on: OptionalDate = None
    description: LongText = None
    notes: Notes = None
    enquiry_id: Text = None
    cqc_exempt: bool = False  # a regulated activity under an exemption (no CQC registration)

    @field_validator("staff_count", mode="before")
    @classmethod
    def _staff(cls, value: Any) -> Any:
        if isinstance(value, str):
            return parse.parse_whole_number(value or "0", 0, 10_000)
        return value


class Enquiry(Record):
    """A call, email, visit or referral, and what was done about it."""

    received_at: datetime = Field(default_factory=lambda: datetime.now().astimezone())
    channel: Channel = Channel.PHONE
    enquirer_kind: EnquirerKind
    caller_name: Name = None
    caller_phone: Phone = None
    relationship: ShortText = None
    postcode: CallerPostcode = None
    area_id: Text = None
    needs: Words = []
    days: Days = []
    times: Times = []
    summary: LongText = None
    urgency: Urgency = Urgency.ROUTINE
    outcome: Annotated[Outcome | None, BeforeValidator(_blank_to_none)] = None
    follow_up_on: OptionalDate = None
    follow_up_done_at: datetime | None = None
    follow_up_note: LongText = None
    worker: Text = None
    duration_seconds: int | None = Field(default=None, ge=0)
    contact_enquiry_id: Text = None
    provider_id: Text = None


class Signpost(Record):
    enquiry_id: str
    provider_id: str
    signposted_at: datetime = Field(default_factory=lambda: datetime.now().astimezone())
    reported_outcome: SignpostOutcome = SignpostOutcome.UNKNOWN


class UnmetNeed(Record):
    enquiry_id: str
    service_code: str
    area_id: str | None = None
    recorded_on: date = Field(default_factory=date.today)


class StageMove(Record):
    provider_id: str
    from_stage: Stage | None = None
    to_stage: Stage
    moved_on: date = Field(default_factory=date.today)
    note: str | None = None


class Visit(Record):
    provider_id: str
    visited_on: date
    kind: VisitKind = VisitKind.DEVELOPMENT
    notes: str | None = None
    actions: str | None = None
    next_visit_on: date | None = None
    worker: str | None = None


class TrainingCourse(Record):
    title: str = Field(min_length=2, max_length=120)
    topic: str | None = None
    evidence_type_code: str | None = None
    validity_months: int | None = None


class TrainingSession(Record):
    course_id: str
    starts_at: datetime
    venue: str | None = None
    trainer: str | None = None
    capacity: int | None = None


class TrainingAttendance(Record):
    session_id: str
    provider_id: str | None = None
    attendee_name: str
    status: str = "booked"
    certificate_expires_on: date | None = None


class EvidenceItem(Record):
    """Evidence seen for a provider (or one of its people): metadata only, never a copy."""

    provider_id: str
    evidence_type_code: str
    status: EvidenceStatus = EvidenceStatus.MET
    reference: ShortText = None
    issued_on: OptionalDate = None
    expires_on: OptionalDate = None
    seen_by: Name = None
    seen_on: OptionalDate = None
    note: LongText = None
    person_id: Text = None
    cover_pence: CoverPence = None  # insurance cover
    verified_how: ShortText = None  # seen original | online check | update service

    @model_validator(mode="after")
    def _dates_in_order(self) -> EvidenceItem:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValueError("The expiry date is before the issue date")
        return self


class ProviderPerson(Record):
    """The owner or a worker of a provider: the fewest fields that do the job."""

    provider_id: str
    name: str = Field(min_length=2, max_length=120)
    role: str = "worker"  # owner | worker | volunteer
    works_one_to_one: bool = True
    phone: Phone = None
    email: Email = None
    left_on: OptionalDate = None


class QACheck(Record):
    provider_id: str
    checked_on: date
    kind: str = "initial"
    outcome: QAOutcome
    next_review_on: date | None = None
    notes: str | None = None
    checked_by: str | None = None


class Grant(Record):
    provider_id: str
    purpose: str
    amount_requested_pence: int = Field(default=0, ge=0)
    amount_awarded_pence: int | None = None
    status: str = "applied"
    applied_on: date | None = None
    decided_on: date | None = None
    paid_on: date | None = None


class ProviderReturn(Record):
    provider_id: str
    period_start: date
    period_end: date
    people_supported: int = Field(default=0, ge=0)
    hours_per_week: float = Field(default=0, ge=0)
    people_on_direct_payments: int = Field(default=0, ge=0)
    hourly_rate_pence: int | None = None


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Turn a pydantic ValidationError into {field: message for a person}."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "form"
        if field in errors:
            continue
        msg = err.get("msg", "is not valid")
        ctx = err.get("ctx") or {}
        if "error" in ctx and isinstance(ctx["error"], ValueError):
            msg = str(ctx["error"])
        elif err["type"] == "missing":
            msg = "This is required"
        elif err["type"] == "string_too_short":
            msg = f"Enter at least {ctx.get('min_length', 1)} characters"
        elif err["type"] == "string_too_long":
            msg = f"Keep this under {ctx.get('max_length')} characters"
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        errors[field] = msg
    return errors


M = TypeVar("M", bound=BaseModel)


def form_data(
    model: type[BaseModel], values: dict[str, Any], existing: BaseModel | None = None
) -> dict[str, Any]:
    """Merge form values over an existing record.

    A key left out keeps the stored value. A key given as None clears a field that may be
    empty; for a field that may not (a list, a number with a default) None means "leave it".
    """
    data = existing.model_dump() if existing is not None else {}
    for key, value in values.items():
        info = model.model_fields.get(key)
        if value is None and info is not None and info.default is not None:
            continue
        data[key] = value
    return data


def validate_model(model: type[M], data: dict[str, Any]) -> M:
    """Validate `data` into `model`, raising ValidationFailed with per-field messages."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(field_errors(exc)) from None


def build_validators() -> None:
    """Build every model's validator now (they are deferred to first use so start-up does
    not pay for them): the app calls this in the background once its first screen shows."""
    pending: list[type[BaseModel]] = [Record]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if not model.__pydantic_complete__:
            model.model_rebuild()
