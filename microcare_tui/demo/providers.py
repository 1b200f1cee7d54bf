"""The providers' rows (with their full-text index rows) and their stage history."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from microcare_tui.demo.chance import id_on
from microcare_tui.demo.context import Context
from microcare_tui.demo.phrases import MOVE_NOTES, SPECIALISM_WORDS
from microcare_tui.demo.pipeline import lead_workers
from microcare_tui.demo.plan import Plan
from microcare_tui.demo.vocabulary import DAYS, DEMO_WORKER, NAME_GROUPS, email_for
from microcare_tui.domain import defaults, rules
from microcare_tui.domain import models as m
from microcare_tui.store import reference
from microcare_tui.store.providers import IndexText, index_providers

# Languages some providers speak whatever their background.
_OTHER_LANGUAGES = ["polish", "urdu", "punjabi", "nepali", "romanian", "turkish", "french",
                    "spanish"]  # fmt: skip
_OWNERSHIP = {
    "sole_trader": "individual",
    "partnership": "family_business",
    "cooperative": "cooperative",
    "community_group": "community_group",
}
_NOTES = ["Prefers email.", "Does not work school holidays.", "Drives; has a car for escorts.",
          "Can start at short notice.", "Wants to grow to two staff next year."]  # fmt: skip


def write_providers(ctx: Context, plans: list[Plan]) -> None:
    """Write the providers and index them for the lookup, batch by batch."""
    rows = provider_rows(ctx, plans)
    text = IndexText.load(ctx.store)

    def index(batch: list[dict[str, Any]]) -> None:
        # Validated through the app's own model: what the demo writes, a form could have.
        models = [m.Provider.model_validate(row) for row in batch]
        index_providers(ctx.store, models, text)

    ctx.write("providers", rows, len(rows), after=index)


def write_stage_moves(ctx: Context, plans: list[Plan]) -> None:
    """Write each provider's stage history, as planned."""
    rng = ctx.rng("stage-moves")
    leads = lead_workers(ctx, plans)

    def rows() -> Iterator[dict[str, Any]]:
        for p in plans:
            for before, after, on in p.moves:
                yield {
                    "id": id_on(rng, on), "provider_id": p.id, "from_stage": before,
                    "to_stage": after, "moved_on": on.isoformat(),
                    "note": rng.choice(MOVE_NOTES[after]),
                    "moved_by": leads[p.id] or DEMO_WORKER,
                }  # fmt: skip

    ctx.write("stage_moves", rows(), sum(len(p.moves) for p in plans))


def provider_rows(ctx: Context, plans: list[Plan]) -> list[dict[str, Any]]:
    """The providers' rows; fills each plan's `days` and `accepting` for the enquiries."""
    rng = ctx.rng("provider-details")
    threshold = int(reference.get_setting(ctx.store, "micro_threshold",
                                          rules.DEFAULT_MICRO_THRESHOLD))  # fmt: skip
    setting = reference.get_setting
    known_languages = {w.lower() for w in setting(ctx.store, "languages", defaults.LANGUAGES) or []}
    specialisms = [w.lower() for w in setting(ctx.store, "specialisms", defaults.SPECIALISMS) or []]
    leads = lead_workers(ctx, plans)
    return [
        {**_provider_row(rng, ctx, p, threshold, known_languages, specialisms),
         "lead_worker": leads[p.id]}
        for p in plans
    ]  # fmt: skip


def _provider_row(
    rng: random.Random,
    ctx: Context,
    p: Plan,
    threshold: int,
    known_languages: set[str],
    specialisms: list[str],
) -> dict[str, Any]:
    # The draws are made in this order (the same seed must give the same rows).
    spoken = _languages(rng, p, known_languages)
    special = _specialisms(rng, specialisms)
    funding = _funding(rng, p)
    days = _days(rng)
    times = _times(rng, p)
    accepting = _accepting(rng, p)
    approach = _approach(rng, p)
    ownership = _OWNERSHIP.get(p.legal) or rng.choice(
        ["user_led", "family_business", "other", "individual"]
    )
    description = _description(rng, ctx, p, special)
    notes = rng.choice(_NOTES) if rng.random() < 0.15 else None
    p.days, p.accepting = frozenset(days), accepting
    return {
        "id": p.id, "name": p.name, "legal_form": p.legal, "lead_contact": p.lead.name,
        "phone": p.phone, "email": email_for(rng, p.lead, p.name) if rng.random() < 0.85 else None,
        "postcode": p.postcode, "area_id": ctx.areas[p.area].id,
        "areas_served": [ctx.areas[a].id for a in p.served], "services": p.services,
        "staff_count": p.staff, "size_band": rules.size_band(p.staff, threshold).value,
        "ownership_model": ownership, "approach": approach,
        "regulated_activity": p.regulated, "funding_accepted": funding,
        "hourly_rate_pence": p.rate, "accepting_new_clients": accepting, "days": days,
        "times": times, "languages": spoken, "specialisms": special, "stage": p.stage,
        "stage_changed_on": p.moves[-1][2].isoformat(), "description": description,
        "notes": notes, "enquiry_id": p.enquiry_id,
    }  # fmt: skip


def _languages(rng: random.Random, p: Plan, known: set[str]) -> list[str]:
    spoken = ["english"] if "english" in known or not known else []
    extra = NAME_GROUPS[p.lead.group][4]
    if extra and rng.random() < 0.7:
        spoken.append(rng.choice(extra))
    elif rng.random() < 0.06:
        spoken.append(rng.choice(_OTHER_LANGUAGES))
    if rng.random() < 0.02:
        spoken.append("bsl")
    return [w for w in dict.fromkeys(spoken) if not known or w in known]


def _specialisms(rng: random.Random, specialisms: list[str]) -> list[str]:
    how_many = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
    special = rng.sample(specialisms, min(len(specialisms), how_many))
    if rng.random() < 0.2 and "dementia" in specialisms and "dementia" not in special:
        special.append("dementia")
    return special


def _funding(rng: random.Random, p: Plan) -> list[str]:
    funding = ["self_funded"] if rng.random() < 0.9 or p.dp_share == 0 else []
    if p.dp_share > 0:  # decided with the plan: the returns report people on DPs
        funding.append("direct_payment")
    funding += [f for f, chance in (("personal_health_budget", 0.15), ("council", 0.1))
                if rng.random() < chance]  # fmt: skip
    return funding


def _days(rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.5:
        return DAYS[:5]
    if roll < 0.65:
        return list(DAYS)
    return sorted(rng.sample(DAYS, rng.randint(2, 5)), key=DAYS.index)


def _times(rng: random.Random, p: Plan) -> list[str]:
    roll = rng.random()
    if roll < 0.5:
        times = ["morning", "afternoon"]
    elif roll < 0.7:
        times = ["morning", "afternoon", "evening"]
    elif roll < 0.85:
        times = ["morning"]
    else:
        times = ["afternoon"]
    if "sitting_respite" in p.services and rng.random() < 0.3:
        times = [*times, "evening", "night"] if "evening" not in times else [*times, "night"]
    return times


def _accepting(rng: random.Random, p: Plan) -> bool:
    if p.stage in ("paused", "ceased"):
        return False
    if p.stage in ("registered", "active"):
        return rng.random() < 0.8
    return True


def _approach(rng: random.Random, p: Plan) -> str:
    if p.services[0] in ("day_activities", "arts", "wellbeing") or p.legal == "community_group":
        return "day_activities" if p.legal != "community_group" else "community_group"
    return rng.choices(["home_support", "shared_lives", "homeshare", "other"], [92, 3, 2, 3])[0]


def _description(rng: random.Random, ctx: Context, p: Plan, special: list[str]) -> str:
    labels = [ctx.labels.get(c, c) for c in p.services]
    labels = labels[:1] + [label.lower() for label in labels[1:]]
    words = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    where = rng.choice(["in {town} and nearby villages", "in {town} and the surrounding area",
                        "across {town} and beyond", "in and around {town}"])  # fmt: skip
    description = f"{words} {where.format(town=p.town)}."
    if special:
        shown = [SPECIALISM_WORDS.get(w, w) for w in special[:2]]
        description += f" Experienced with {' and '.join(shown)}."
    if p.staff == 0:
        description += " Run by volunteers."
    return description
