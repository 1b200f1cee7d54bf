"""Who rings the team, and what they say: a roster of professionals who refer again and again
(a team shares one landline), people who ring back, new callers from each district, and the
summary a worker would write of each call."""

from __future__ import annotations

import random
from dataclasses import dataclass

from microcare_tui.demo.chance import Choice
from microcare_tui.demo.context import Context
from microcare_tui.demo.phrases import (
    BACKGROUNDS,
    FAMILY_REASONS,
    NEED_PHRASES,
    OTHER,
    PROFESSIONAL_EXTRA,
    PROFESSIONAL_ROLES,
    REASONS,
    SELF_REASONS,
    STAKEHOLDER,
)
from microcare_tui.demo.vocabulary import (
    DAY_WORDS,
    DAYS,
    HOSPITALS,
    landline_phone,
    mobile_phone,
    random_person,
    random_postcode,
)

_RELATIVES = ["daughter", "daughter", "son", "wife", "husband", "niece", "neighbour", "friend",
              "granddaughter"]  # fmt: skip
_FEMALE = {"daughter": True, "wife": True, "niece": True, "granddaughter": True, "son": False,
           "husband": False}  # fmt: skip
_SUBJECTS = {
    "daughter": ("Mum", "Dad"), "son": ("Mum", "Dad"), "wife": ("My husband",) * 2,
    "husband": ("My wife",) * 2, "niece": ("My aunt", "My uncle"),
    "granddaughter": ("Nan", "Grandad"), "neighbour": ("My neighbour",) * 2,
    "friend": ("A friend",) * 2,
}  # fmt: skip
_TIME_WORDS = {"morning": " in the mornings", "afternoon": " in the afternoons",
               "evening": " in the evenings", "night": " overnight"}  # fmt: skip


@dataclass
class Caller:
    """Someone who rings (or writes): the same caller may ring again about the same person."""

    female: bool
    name: str
    phone: str | None
    relationship: str | None
    postcode: str | None
    area: int | None
    kind: str
    last_id: str = ""
    role: str = ""
    subject: str = ""  # who the support is for, the same each time this caller rings
    age: int = 0


class Callers:
    """The professionals' roster and the recent callers, drawn from the enquiries' stream."""

    def __init__(self, ctx: Context, rng: random.Random, pick_area: Choice[int], total: int):
        self.ctx, self.rng, self.pick_area = ctx, rng, pick_area
        self.recent: list[Caller] = []
        # Professionals refer again and again; a team shares one landline.
        team_phones: dict[tuple[int, str], str] = {}
        self.roster: list[Caller] = []
        for _ in range(max(8, total // 150)):
            area = pick_area(rng)
            role, _label = rng.choice(PROFESSIONAL_ROLES)
            key = (area, role)
            if key not in team_phones:
                team_phones[key] = landline_phone(rng, ctx.areas[area].name)
            phone = team_phones[key] if rng.random() < 0.7 else mobile_phone(rng)
            worker = random_person(rng)
            self.roster.append(Caller(worker.female, worker.name, phone, role, None, area,
                                      "professional", role=role))  # fmt: skip

    def pick(self, kind: str, channel: str) -> tuple[Caller, str | None, str]:
        """(caller, the enquiry they rang about last time, their kind): a professional from
        the roster, sometimes someone ringing again, else someone new."""
        rng = self.rng
        if kind == "professional":
            caller = rng.choice(self.roster)
            return caller, caller.last_id or None, kind
        recent = self.recent
        if recent and rng.random() < 0.1:
            caller = recent[rng.randrange(max(0, len(recent) - 3000), len(recent))]
            return caller, caller.last_id or None, caller.kind
        return self._new(kind, channel), None, kind

    def _new(self, kind: str, channel: str) -> Caller:
        rng, ctx = self.rng, self.ctx
        home = self.pick_area(rng)
        relationship = {
            "seeking_support": "self", "would_be_provider": "self",
            "family_carer": rng.choice(_RELATIVES),
            "stakeholder": rng.choice(STAKEHOLDER)[0],
            "other": None,
        }[kind]  # fmt: skip
        person = random_person(rng, _FEMALE.get(relationship or ""))
        has_phone = channel in ("phone", "other") or rng.random() < 0.5
        phone = _phone(rng, ctx.areas[home].name) if has_phone else None
        postcode = _postcode(rng, ctx.districts[home])
        caller = Caller(person.female, person.name, phone, relationship, postcode, home, kind)
        self.recent.append(caller)
        if len(self.recent) > 6000:
            del self.recent[:3000]
        return caller


def _phone(rng: random.Random, area_name: str) -> str:
    return mobile_phone(rng) if rng.random() < 0.6 else landline_phone(rng, area_name)


def _postcode(rng: random.Random, districts: list[str]) -> str | None:
    """A full postcode, often; sometimes only the district; sometimes none given."""
    roll = rng.random()
    if roll < 0.6:
        return random_postcode(rng, districts)
    if roll < 0.85 and districts:
        return rng.choice(districts).upper()
    return None


# ---------------------------------------------------------------------------------------------
# What the worker writes down


def when_words(days: list[str], times: list[str]) -> str:
    """' on Tuesdays in the mornings' and the like ('' when any time will do)."""
    text = ""
    if days == ["sat", "sun"]:
        text = " at weekends"
    elif len(days) == 1:
        text = f" on {DAY_WORDS[DAYS.index(days[0])]}"
    elif len(days) == 2:
        text = f" on {DAY_WORDS[DAYS.index(days[0])]} and {DAY_WORDS[DAYS.index(days[1])]}"
    if len(times) == 1:
        text += _TIME_WORDS[times[0]]
    return text


def summary(
    rng: random.Random,
    labels: dict[str, str],
    kind: str,
    caller: Caller,
    needs: list[str],
    days: list[str],
    times: list[str],
    town: str,
) -> str:
    """The enquiry's summary, in the words a worker would use for this kind of caller."""

    def phrase(code: str) -> str:
        options = NEED_PHRASES.get(code)
        return rng.choice(options) if options else f"help with {labels.get(code, code).lower()}"

    need_text = " and ".join(phrase(c) for c in needs[:2]) or "some help at home"
    when = when_words(days, times)
    if kind == "family_carer":
        return _for_a_relative(rng, caller, f"{need_text}{when}")
    if kind == "seeking_support":
        return _for_themselves(rng, caller, f"{need_text}{when}", town)
    if kind == "professional":
        return _referral(rng, caller, f"{need_text}{when}", town)
    if kind == "would_be_provider":
        offers = [labels.get(c, c).lower() for c in needs] or ["support"]
        return f"{rng.choice(BACKGROUNDS)}; wants to offer {' and '.join(offers)} in {town}"
    if kind == "stakeholder":
        template = dict(STAKEHOLDER).get(caller.relationship or "", STAKEHOLDER[-1][1])
    else:
        template = rng.choice(OTHER)
    label = labels.get(needs[0], needs[0]).lower() if needs else "support"
    return template.format(town=town, label=label)


def _for_a_relative(rng: random.Random, caller: Caller, wanted: str) -> str:
    if not caller.subject:
        options = _SUBJECTS.get(caller.relationship or "", ("Mum", "Dad"))
        caller.subject, caller.age = rng.choice(options), rng.randint(68, 97)
    reasons = REASONS
    if caller.relationship in ("daughter", "son", "granddaughter", "niece"):
        reasons = REASONS + FAMILY_REASONS
    reason = rng.choice(reasons)
    return f"{caller.subject} ({caller.age}) needs {wanted} {reason}".strip()


def _for_themselves(rng: random.Random, caller: Caller, wanted: str, town: str) -> str:
    if not caller.age:
        caller.age = rng.randint(24, 60) if rng.random() < 0.15 else rng.randint(66, 95)
    if caller.age < 61:
        return f"Caller ({caller.age}) with a physical disability would like {wanted}"
    reason = rng.choice(
        [*SELF_REASONS, "since my husband died" if caller.female else "since my wife died"]
    )
    if rng.random() < 0.5:
        return f"Lives alone in {town}; would like {wanted} {reason}".strip()
    return f"Caller ({caller.age}) would like {wanted} {reason}".strip()


def _referral(rng: random.Random, caller: Caller, wanted: str, town: str) -> str:
    heading = dict(PROFESSIONAL_ROLES).get(caller.role, "Referral")
    if caller.role == "hospital discharge coordinator":
        heading = f"Hospital discharge ({rng.choice(HOSPITALS)})"
    who = rng.choice(["man", "woman"])
    extra = rng.choice(PROFESSIONAL_EXTRA)
    text = f"{heading}: {rng.randint(19, 96)}-year-old {who} in {town} needs {wanted}."
    return f"{text} {extra}".strip()
