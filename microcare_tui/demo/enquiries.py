"""Two years of enquiries, with their signposts and unmet needs.

Calls are spread over the days (weekdays busy, weekends quiet, volume growing), each one drawn
in a fixed order from the "enquiries" stream: who rang and how, what they need and when, what
was done (signposted to providers listed then, nearby, taking clients and working those days;
or a gap recorded as unmet needs), and any follow-up. Providers who first rang the team get
their enquiry on the day they started.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from microcare_tui.demo.callers import Caller, Callers, summary
from microcare_tui.demo.chance import Choice, iso, local_ms, uuid7
from microcare_tui.demo.context import BATCH_ROWS, Context
from microcare_tui.demo.phrases import (
    CHANNEL,
    CHANNEL_PROFESSIONAL,
    GOES_WITH,
    KIND,
    NEED_WEIGHT,
    OUTCOME_HELP,
    OUTCOME_OTHER,
    OUTCOME_WOULD_BE,
    SIGNPOST_OUTCOME,
    URGENCY,
)
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import DAYS, ENQUIRY_AREA_WEIGHT, WORKER
from microcare_tui.store.enquiries import add_enquiry_text

_DAYS_OF_HISTORY = 730
_NOT_ASKING = ("stakeholder", "other", "would_be_provider")  # they need no care themselves
_FOLLOW_UP_NOTES = ["Ring back with options", "Send the information pack",
                    "Check how things are going"]  # fmt: skip
_FOLLOW_UP_DONE = ["Rang back: all sorted.", "Spoke to the caller: now getting help.",
                   "Left a voicemail; emailed the details.", "No longer needed.",
                   "Caller has started with a provider."]  # fmt: skip


def write_enquiries(ctx: Context, plans: list[Plan], total: int) -> None:
    """Write `total` enquiries (linked ones included) with their signposts and unmet needs."""
    _EnquiryWriter(ctx, plans, total).run()


def _day_counts(rng: random.Random, first: date, days: int, total: int) -> list[int]:
    """Split `total` over `days` days: weekdays busy, weekends quiet, volume growing over time."""
    weights = []
    for k in range(days):
        day = first + timedelta(days=k)
        base = (1.0, 1.0, 1.0, 1.0, 0.9, 0.12, 0.06)[day.weekday()]
        weights.append(base * (0.6 + 0.8 * k / max(1, days - 1)) * rng.uniform(0.7, 1.3))
    scale = total / sum(weights)
    counts = []
    carried = 0.0
    for w in weights:
        carried += w * scale
        n = int(carried)
        counts.append(n)
        carried -= n
    counts[-1] += total - sum(counts)
    return counts


@dataclass
class _Call:
    """One enquiry as it is drawn, before it becomes rows."""

    day: date
    ms: int
    provider: Plan | None
    kind: str = ""
    channel: str = ""
    caller: Caller | None = None
    contact_id: str | None = None
    area: int | None = None
    needs: list[str] = field(default_factory=list)
    days: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    outcome: str | None = None
    age_days: int = 0
    chosen: list[Plan] = field(default_factory=list)


class _EnquiryWriter:
    """Draws the calls day by day and writes them in batches (rows, signposts, unmet needs and
    full-text rows in one transaction per batch)."""

    def __init__(self, ctx: Context, plans: list[Plan], total: int) -> None:
        self.ctx, self.total = ctx, total
        self.rng = rng = ctx.rng("enquiries")
        self.today = ctx.today
        self.first = ctx.today - timedelta(days=_DAYS_OF_HISTORY)
        self.codes = codes = [s.code for s in ctx.services]
        pick_area = Choice(range(len(ctx.areas)),
                           [ENQUIRY_AREA_WEIGHT.get(a.name, 1.0) for a in ctx.areas])  # fmt: skip
        self.pick_need = Choice(codes, [NEED_WEIGHT.get(code, 3) for code in codes])
        self.linked: dict[date, list[Plan]] = {}
        for p in plans:
            if p.enquiry_id:
                self.linked.setdefault(p.start, []).append(p)
        n_linked = sum(len(v) for v in self.linked.values())
        self.counts = _day_counts(rng, self.first, _DAYS_OF_HISTORY, max(0, total - n_linked))
        # Providers that could be signposted: by (service, area) with the dates they were listed.
        self.listed: dict[tuple[str, int], list[Plan]] = {}
        for p in plans:
            if p.listed_from:
                for code in p.services:
                    for a in p.served:
                        self.listed.setdefault((code, a), []).append(p)
        self.callers = Callers(ctx, rng, pick_area, total)
        # A handful of follow-ups fall due today whatever the scale (the home screen shows them).
        recent_follow_ups = total * 21 / 730 * 0.2 * 1.3
        self.due_today_share = min(0.3, 3 / max(1.0, recent_follow_ups))
        self.enquiries: list[dict[str, Any]] = []
        self.signposts: list[dict[str, Any]] = []
        self.unmet: list[dict[str, Any]] = []
        self.fts: list[tuple[str, str, str, str]] = []
        self.done = 0

    def run(self) -> None:
        """Draw and write every day's calls, oldest first."""
        self.ctx.counts.update(enquiries=0, signposts=0, unmet_needs=0)
        self.ctx.progress("enquiries", 0, self.total)
        for k, count in enumerate(self.counts):
            day = self.first + timedelta(days=k)
            for ms, provider in self._calls_on(day, count):
                self._make(_Call(day, ms, provider))
                if len(self.enquiries) >= BATCH_ROWS:
                    self._flush()
        if self.enquiries:
            self._flush()

    def _calls_on(self, day: date, count: int) -> list[tuple[int, Plan | None]]:
        """The day's calls in time order: `count` at random times, and the providers' own."""
        weekend = day.weekday() >= 5
        low, high = (8 * 3600, 21 * 3600) if weekend else (8 * 3600 + 1800, 17 * 3600 + 1800)
        stamps = sorted(local_ms(day, self.rng.randrange(low, high)) for _ in range(count))
        items: list[tuple[int, Plan | None]] = [(s, None) for s in stamps]
        items += [(p.enquiry_ms, p) for p in self.linked.get(day, [])]
        items.sort(key=lambda item: item[0])
        return items

    def _flush(self) -> None:
        ctx, store = self.ctx, self.ctx.store
        with store.transaction():
            store.insert_many("enquiries", self.enquiries)
            store.insert_many("signposts", self.signposts)
            store.insert_many("unmet_needs", self.unmet)
            add_enquiry_text(store, self.fts)
        self.done += len(self.enquiries)
        ctx.counts["enquiries"] += len(self.enquiries)
        ctx.counts["signposts"] += len(self.signposts)
        ctx.counts["unmet_needs"] += len(self.unmet)
        ctx.progress("enquiries", self.done, self.total)
        for buffer in (self.enquiries, self.signposts, self.unmet, self.fts):
            buffer.clear()

    # -- one call, drawn in a fixed order ----------------------------------------------------

    def _make(self, call: _Call) -> None:
        rng, ctx = self.rng, self.ctx
        self._who(call)
        assert call.caller is not None
        town = ctx.town(rng, call.area) if call.area is not None else "Kent"
        call.needs = self._needs(call)
        call.days, call.times = self._when(call)
        text = summary(rng, ctx.labels, call.kind, call.caller, call.needs, call.days,
                       call.times, town)  # fmt: skip
        urgency = URGENCY(rng)
        if call.kind in ("stakeholder", "other", "would_be_provider"):
            urgency = "routine"
        call.age_days = (self.today - call.day).days
        call.outcome = self._outcome(call)
        p = call.provider
        enquiry_id = p.enquiry_id if p and p.enquiry_id else uuid7(rng, call.ms)
        self._signpost(call)
        self._add_rows(call, enquiry_id, text, urgency)

    def _who(self, call: _Call) -> None:
        """Kind, channel, caller (and their last enquiry) and the area the enquiry is for."""
        rng, p = self.rng, call.provider
        call.kind = "would_be_provider" if p is not None else KIND(rng)
        call.channel = self._channel(call.kind, p, call.day.weekday() >= 5)
        if p is not None:
            call.caller = Caller(p.lead.female, p.lead.name, p.phone, "self", p.postcode,
                                 p.area, call.kind)  # fmt: skip
        else:
            call.caller, call.contact_id, call.kind = self.callers.pick(call.kind, call.channel)
        area = call.caller.area
        neighbours = self.ctx.neighbours
        if call.kind == "professional" and rng.random() < 0.5 and neighbours[area or 0]:
            area = rng.choice(neighbours[area or 0])  # a team covers more than one district
        call.area = area

    def _channel(self, kind: str, provider: Plan | None, weekend: bool) -> str:
        if provider is not None:
            return "phone"
        if weekend:
            return "email" if self.rng.random() < 0.8 else "other"
        if kind == "professional":
            return CHANNEL_PROFESSIONAL(self.rng)
        return CHANNEL(self.rng)

    def _needs(self, call: _Call) -> list[str]:
        rng = self.rng
        if call.provider is not None:
            return list(call.provider.services[:2])
        if call.kind in ("stakeholder", "other"):
            return [self.pick_need(rng)] if rng.random() < 0.6 else []
        needs = [self.pick_need(rng)]
        if rng.random() < 0.35:
            pool = [c for c in GOES_WITH.get(needs[0], self.codes) if c in self.codes]
            if pool:
                needs.append(rng.choice(pool))
        return list(dict.fromkeys(needs))

    def _when(self, call: _Call) -> tuple[list[str], list[str]]:
        """The days and times of day the caller asked for, if any."""
        rng = self.rng
        days: list[str] = []
        times: list[str] = []
        if call.needs and call.kind not in _NOT_ASKING:
            roll = rng.random()
            if roll < 0.3:
                days = [rng.choice(DAYS[:5])]
            elif roll < 0.45:
                days = sorted(rng.sample(DAYS[:5], 2), key=DAYS.index)
            elif roll < 0.5:
                days = ["sat", "sun"]
            if rng.random() < 0.4:
                times = [rng.choice(["morning", "morning", "afternoon", "evening"])]
        return days, times

    def _outcome(self, call: _Call) -> str | None:
        rng = self.rng
        if call.provider is not None:
            outcome: str | None = "referred_to_programme"
        elif call.kind == "would_be_provider":
            outcome = OUTCOME_WOULD_BE(rng)
        elif call.kind in ("stakeholder", "other"):
            outcome = OUTCOME_OTHER(rng)
        else:
            outcome = OUTCOME_HELP(rng)
        if call.age_days < 3 and rng.random() < 0.15:
            outcome = None  # still being dealt with
        return outcome

    def _signpost(self, call: _Call) -> None:
        """Those listed then for the need, in the area first, then nearby: one to three; no
        one suitable is a gap (or just information, when no need was named)."""
        rng, n_areas = self.rng, len(self.ctx.areas)
        if call.outcome == "signposted":
            chosen = call.chosen
            for code in call.needs:
                want = min(3, len(chosen) + rng.randint(1, 3))
                places = ([call.area, *self.ctx.neighbours[call.area]] if call.area is not None
                          else rng.sample(range(n_areas), min(3, n_areas)))  # fmt: skip
                for place in places:
                    self._sample_listed(code, place, call, want)
                if len(chosen) >= 3:
                    break
            if not chosen:
                call.outcome = "no_suitable_provider" if call.needs else "information_sent"
        if call.outcome == "no_suitable_provider" and not call.needs:
            call.outcome = "information_sent"

    def _sample_listed(self, code: str, area: int, call: _Call, want: int) -> None:
        """Add up to `want` providers of `code` in `area`, listed on the day, taking clients and
        working one of the days asked for (a few random draws, not a scan: at the large scale
        a list can hold hundreds of providers)."""
        pool = self.listed.get((code, area))
        if not pool:
            return
        rng, on, days, chosen = self.rng, call.day, call.days, call.chosen
        for _ in range(min(len(pool) * 2, 12)):
            if len(chosen) >= want:
                return
            p = pool[rng.randrange(len(pool))]
            if not (p.listed_from and p.listed_from <= on <= (p.listed_until or self.today)):
                continue
            if p.accepting and (not days or not p.days.isdisjoint(days)) and p not in chosen:
                chosen.append(p)

    def _follow_up(self, call: _Call) -> tuple[date | None, str | None, str | None]:
        """(follow up on, done at, note): most of those long past are done."""
        rng, today = self.rng, self.today
        wanted = call.outcome == "follow_up" or (
            call.outcome == "signposted" and rng.random() < 0.15
        )
        if not wanted:
            return None, None, None
        follow_on = call.day + timedelta(days=rng.choice([1, 2, 3, 5, 7, 7, 14]))
        if call.age_days <= 21 and rng.random() < self.due_today_share:
            follow_on = today
        note = (f"Check {call.chosen[0].name} have been in touch" if call.chosen
                else rng.choice(_FOLLOW_UP_NOTES))  # fmt: skip
        overdue_days = (today - follow_on).days
        if overdue_days > 3 and rng.random() < (0.995 if overdue_days > 60 else 0.85):
            done_at = iso(local_ms(follow_on, rng.randrange(9 * 3600, 17 * 3600)))
            return follow_on, done_at, note + "\n" + rng.choice(_FOLLOW_UP_DONE)
        return follow_on, None, note

    def _duration(self, channel: str) -> int | None:
        if channel == "phone":
            return self.rng.randint(90, 1500)
        if channel == "in_person":
            return self.rng.randint(300, 2400)
        return None

    def _add_rows(self, call: _Call, enquiry_id: str, text: str, urgency: str) -> None:
        rng, ctx, caller = self.rng, self.ctx, call.caller
        assert caller is not None
        follow_on, follow_done, follow_note = self._follow_up(call)
        duration = self._duration(call.channel)
        area_id = ctx.areas[call.area].id if call.area is not None else None
        caller.last_id = enquiry_id
        self.enquiries.append({
            "id": enquiry_id, "received_at": iso(call.ms), "channel": call.channel,
            "enquirer_kind": call.kind, "caller_name": caller.name, "caller_phone": caller.phone,
            "relationship": caller.relationship, "postcode": caller.postcode,
            "area_id": area_id, "needs": call.needs,
            "days": call.days, "times": call.times, "summary": text, "urgency": urgency,
            "outcome": call.outcome,
            "follow_up_on": follow_on.isoformat() if follow_on else None,
            "follow_up_done_at": follow_done, "follow_up_note": follow_note,
            "worker": WORKER(rng), "duration_seconds": duration,
            "contact_enquiry_id": call.contact_id,
            "provider_id": call.provider.id if call.provider is not None else None,
        })  # fmt: skip
        self.fts.append((
            enquiry_id, " ".join(filter(None, [caller.name, caller.phone, caller.postcode])),
            text, " ".join(ctx.labels.get(n, n) for n in call.needs),
        ))  # fmt: skip
        at = call.ms + (duration or 60) * 1000
        for p in call.chosen:
            outcome_later = SIGNPOST_OUTCOME(rng) if call.age_days > 14 else "unknown"
            self.signposts.append({
                "id": uuid7(rng, at), "enquiry_id": enquiry_id, "provider_id": p.id,
                "signposted_at": iso(at), "reported_outcome": outcome_later,
            })  # fmt: skip
        if call.outcome == "no_suitable_provider":
            for code in call.needs:
                self.unmet.append({
                    "id": uuid7(rng, at), "enquiry_id": enquiry_id, "service_code": code,
                    "area_id": area_id, "recorded_on": call.day.isoformat(),
                })  # fmt: skip
