"""The plan of each provider, made first and kept in memory while the rest is written: its
stage history and the dates it was listed and active, where it works, what it offers, its name,
size, rate and phone, and whether it first rang the team with an enquiry.

Planning draws from the "providers" stream only, in a fixed order, so a plan depends on the
seed and `today` alone. The writers read plans; the provider's row adds its days and whether
it takes new clients (`days`, `accepting`), which the enquiries then use.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from microcare_tui.demo.chance import id_on, local_ms, uuid7
from microcare_tui.demo.context import Context
from microcare_tui.demo.phrases import (
    GOES_WITH,
    GROUP_NAMES,
    GROUP_SERVICE_WEIGHT,
    LEGAL_SUFFIX,
    LEGAL_WEIGHT,
    NATURE,
    SERVICE_PHRASES,
    SERVICE_WEIGHT,
    STAGE_WEIGHT,
    WITH_NAME,
)
from microcare_tui.demo.vocabulary import (
    PROVIDER_AREA_WEIGHT,
    Person,
    landline_phone,
    mobile_phone,
    random_person,
    random_postcode,
)
from microcare_tui.store import reference

Move = tuple[str | None, str, date]  # (from stage, to stage, on)


@dataclass(eq=False)
class Plan:
    """A provider as planned: what its rows and the other tables' rows are made from."""

    index: int
    id: str
    name: str
    legal: str
    lead: Person
    phone: str
    area: int
    served: list[int]
    services: list[str]
    stage: str
    moves: list[Move]
    staff: int
    rate: int
    town: str
    start: date
    end: date  # the day it ceased, else today
    checks_on: date | None
    listed_from: date | None
    listed_until: date | None
    active_from: date | None
    active_until: date | None
    dp_share: float
    regulated: bool
    food: bool
    enquiry_id: str | None = None
    enquiry_ms: int = 0
    postcode: str | None = None
    days: frozenset[str] = frozenset()  # these two are filled with the provider's row
    accepting: bool = True


def stage_on(p: Plan, day: date) -> str:
    """The provider's stage on `day` (its first stage before it started)."""
    current = p.moves[0][1]
    for _, to_stage, on in p.moves:
        if on <= day:
            current = to_stage
        else:
            break
    return current


# ---------------------------------------------------------------------------------------------
# Stage history


def stage_path(rng: random.Random, stage: str) -> list[str]:
    """The stages a provider now at `stage` went through, in order."""
    to_checks = ["enquiry", "developing", "checks"]
    if stage == "enquiry":
        return ["enquiry"]
    if stage == "developing":
        return (["enquiry", "developing", "checks", "developing"] if rng.random() < 0.1
                else ["enquiry", "developing"])  # fmt: skip
    if stage == "checks":
        return to_checks
    if stage == "registered":
        return [*to_checks, "registered"]
    if stage == "active":
        if rng.random() < 0.1:
            return [*to_checks, "registered", "active", "paused", "active"]
        return [*to_checks, "registered", "active"]
    if stage == "paused":
        if rng.random() < 0.3:
            return ["enquiry", "developing", "paused"]
        return [*to_checks, "registered", "active", "paused"]
    roll = rng.random()  # ceased
    if roll < 0.6:
        return [*to_checks, "registered", "active", "ceased"]
    if roll < 0.85:
        return ["enquiry", "developing", "ceased"]
    return ["enquiry", "ceased"]


_GAP_DAYS = {
    ("enquiry", "developing"): (5, 45), ("developing", "checks"): (20, 120),
    ("checks", "developing"): (10, 40), ("checks", "registered"): (10, 60),
    ("registered", "active"): (3, 60), ("active", "paused"): (60, 400),
    ("paused", "active"): (20, 120), ("developing", "paused"): (30, 150),
}  # fmt: skip
_STAGES = list(STAGE_WEIGHT)
_START_AGO = {
    "enquiry": (3, 90), "developing": (20, 400), "checks": (40, 500), "registered": (60, 900),
    "active": (90, 1100), "paused": (120, 1100), "ceased": (120, 1100),
}  # fmt: skip


def _dated_moves(rng: random.Random, today: date, stage: str) -> list[Move]:
    """The stage moves of a provider now at `stage`, dated so the last is before today."""
    path = stage_path(rng, stage)
    low, high = _START_AGO[stage]
    start = today - timedelta(days=rng.randrange(low, high + 1))
    steps = list(zip(path, path[1:], strict=False))
    gaps = [rng.randint(*_GAP_DAYS.get(step, (60, 500))) for step in steps]
    room = (today - start).days - 1
    if gaps and sum(gaps) > room:
        scale = room / sum(gaps)
        gaps = [max(1, int(g * scale)) for g in gaps]
        if sum(gaps) > room:
            start = today - timedelta(days=sum(gaps) + 1)
    moves: list[Move] = [(None, path[0], start)]
    day = start
    for (before, after), gap in zip(steps, gaps, strict=True):
        day += timedelta(days=gap)
        moves.append((before, after, day))
    return moves


class _Milestones(NamedTuple):
    checks_on: date | None
    listed_from: date | None
    listed_until: date | None
    active_from: date | None
    active_until: date | None
    end: date  # the day it ceased, else today


def _milestones(moves: list[Move], today: date) -> _Milestones:
    first_on: dict[str, date] = {}
    for _, to_stage, on in moves:
        first_on.setdefault(to_stage, on)
    listed_from = first_on.get("registered")
    active_from = first_on.get("active")
    return _Milestones(
        checks_on=first_on.get("checks"),
        listed_from=listed_from,
        listed_until=_stopped(moves, listed_from, today),
        active_from=active_from,
        active_until=_stopped(moves, active_from, today),
        end=first_on.get("ceased", today),
    )


def _stopped(moves: list[Move], since: date | None, today: date) -> date | None:
    """The first pause or end after `since` (today if none; None if never started)."""
    if not since:
        return None
    stops = [on for _, s, on in moves if s in ("paused", "ceased") and on > since]
    return stops[0] if stops else today


# ---------------------------------------------------------------------------------------------
# The providers


@dataclass
class _Planner:
    """What planning one provider needs from the run, and the names already taken."""

    ctx: Context
    rng: random.Random
    enquiry_count: int
    codes: list[str] = field(init=False)
    regulated_codes: set[str] = field(init=False)
    area_weights: list[float] = field(init=False)
    legal_codes: set[str] = field(init=False)
    names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        services = self.ctx.services
        self.codes = [s.code for s in services]
        self.regulated_codes = {s.code for s in services if s.regulated}
        self.area_weights = [PROVIDER_AREA_WEIGHT.get(a.name, 1.0) for a in self.ctx.areas]
        self.legal_codes = {f.code for f in reference.legal_forms(self.ctx.store)}

    def plan(self, index: int) -> Plan:
        ctx, rng = self.ctx, self.rng
        stage = rng.choices(_STAGES, [STAGE_WEIGHT[s] for s in _STAGES])[0]
        moves = _dated_moves(rng, ctx.today, stage)
        start = moves[0][2]
        dates = _milestones(moves, ctx.today)
        area, served = self._areas(rng)
        legal = rng.choices(list(LEGAL_WEIGHT), list(LEGAL_WEIGHT.values()))[0]
        chosen = pick_services(rng, self.codes, group=legal == "community_group")
        if self.legal_codes and legal not in self.legal_codes:
            legal = "other" if "other" in self.legal_codes else sorted(self.legal_codes)[0]
        lead = random_person(rng)
        town = ctx.town(rng, area)
        name = self._unique_name(legal, chosen, lead, town)
        staff = _staff(rng, legal)
        regulated = any(code in self.regulated_codes for code in chosen)
        rate = rng.randrange(1300, 2001, 25) + (200 if regulated else 0)
        phone = (mobile_phone(rng) if rng.random() < 0.65
                 else landline_phone(rng, ctx.areas[area].name))  # fmt: skip
        plan = Plan(
            index=index, id=id_on(rng, start), name=name, legal=legal, lead=lead, phone=phone,
            area=area, served=served, services=chosen, stage=stage, moves=moves, staff=staff,
            rate=min(rate, 2200), town=town, start=start, end=dates.end,
            checks_on=dates.checks_on, listed_from=dates.listed_from,
            listed_until=dates.listed_until, active_from=dates.active_from,
            active_until=dates.active_until,
            dp_share=rng.uniform(0.2, 0.8) if rng.random() < 0.75 else 0.0,
            regulated=regulated, food="meals" in chosen or "day_activities" in chosen,
            postcode=random_postcode(rng, ctx.districts[area]),
        )  # fmt: skip
        self._first_rang(plan)
        return plan

    def _areas(self, rng: random.Random) -> tuple[int, list[int]]:
        """Where it is based, and the areas it serves (its own and sometimes nearby ones)."""
        area = rng.choices(range(len(self.ctx.areas)), self.area_weights)[0]
        served = [area]
        near = self.ctx.neighbours[area]
        if near and rng.random() < 0.45:
            served += rng.sample(near, min(len(near), rng.choice([1, 1, 2, 3])))
        return area, served

    def _unique_name(self, legal: str, services: list[str], lead: Person, town: str) -> str:
        rng, names = self.rng, self.names
        name = provider_name(rng, legal, services, lead, town, self.ctx)
        tries = 0
        while name in names and tries < 20:
            name = provider_name(rng, legal, services, lead, town, self.ctx)
            tries += 1
        if name in names:
            name = f"{name} ({town})"
        base, suffix = name, 2
        while name in names:
            name = f"{base} {suffix}"
            suffix += 1
        names.add(name)
        return name

    def _first_rang(self, plan: Plan) -> None:
        # About half of those who set up in the last two years first rang the team.
        today = self.ctx.today
        window_start = today - timedelta(days=730)
        in_window = window_start < plan.start < today and self.enquiry_count > 0
        if in_window and self.rng.random() < 0.5:
            plan.enquiry_ms = local_ms(plan.start, self.rng.randrange(9 * 3600, 17 * 3600))
            plan.enquiry_id = uuid7(self.rng, plan.enquiry_ms)


def plan_providers(ctx: Context, count: int, enquiry_count: int) -> list[Plan]:
    """Plan `count` providers; about half of those new in the last two years get the id of
    the enquiry they first rang with (never more than half of `enquiry_count`)."""
    planner = _Planner(ctx, ctx.rng("providers"), enquiry_count)
    plans = [planner.plan(index) for index in range(count)]
    # No more linked enquiries than there are enquiries to make.
    linked = [p for p in plans if p.enquiry_id]
    for p in linked[max(0, enquiry_count // 2) :]:
        p.enquiry_id = None
    return plans


def _staff(rng: random.Random, legal: str) -> int:
    if legal == "sole_trader":
        return 1 if rng.random() < 0.85 else 2
    if legal == "community_group":
        return rng.choice([0, 1, 2, 3, 4])
    return rng.choices([1, 2, 3, 4, 6, 8, 12], [20, 25, 20, 15, 10, 6, 4])[0]


def _weighted(rng: random.Random, weights: Mapping[str, float], allowed: list[str]) -> str:
    return rng.choices(allowed, [weights.get(code, 3) for code in allowed])[0]


def pick_services(rng: random.Random, codes: list[str], group: bool) -> list[str]:
    """The services a provider offers, its main one first (groups favour group activities)."""
    weights: Mapping[str, float] = SERVICE_WEIGHT
    if group and any(code in GROUP_NAMES for code in codes):
        weights = {code: GROUP_SERVICE_WEIGHT.get(code, 0) for code in codes}
    first = _weighted(rng, weights, codes)
    chosen = [first]
    extra = rng.choices([0, 1, 2, 3], [40, 38, 17, 5])[0]
    for _ in range(extra):
        pool = [c for c in GOES_WITH.get(chosen[-1], codes) if c in codes and c not in chosen]
        if not pool or rng.random() < 0.1:
            pool = [c for c in codes if c not in chosen]
        if not pool:
            break
        pick = _weighted(rng, SERVICE_WEIGHT, pool)
        if pick == "personal_care" and rng.random() < 0.6:  # regulated: rarer still as an extra
            continue
        chosen.append(pick)
    return chosen


def provider_name(
    rng: random.Random, legal: str, services: list[str], lead: Person, town: str, ctx: Context
) -> str:
    """A name such as a provider of this legal form might choose."""
    main = services[0]
    phrase = rng.choice(SERVICE_PHRASES.get(main) or [ctx.labels.get(main, main)])
    if legal == "sole_trader":
        roll = rng.random()
        if roll < 0.3:
            return f"{lead.first}'s {phrase}"
        if roll < 0.55:
            return f"{lead.name} {phrase}"
        if roll < 0.7 and main in WITH_NAME:
            return f"{rng.choice(WITH_NAME[main])} with {lead.first}"
        if roll < 0.9:
            return f"{rng.choice(NATURE)} {phrase}"
        return f"{town} {phrase}"
    if legal == "partnership":
        other = random_person(rng)
        if rng.random() < 0.5:
            return f"{lead.last} and {other.last} {phrase}"
        return f"{lead.first} and {other.first}'s {phrase}"
    if legal == "community_group":
        group_phrase = rng.choice(GROUP_NAMES.get(main) or ["Friendship Group"])
        day = rng.choice(["", "", "Tuesday ", "Wednesday ", "Thursday ", "Friday "])
        return f"{town} {day}{group_phrase}"
    suffix = LEGAL_SUFFIX.get(legal, "")
    if rng.random() < 0.45:
        return f"{town} {phrase}{suffix}"
    return f"{rng.choice(NATURE)} {phrase}{suffix}"
