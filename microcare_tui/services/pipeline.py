"""The development pipeline: the board (cards per stage, filters, caseload), moving a
provider between stages with who and why, and the council's stage names and order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from microcare_tui.domain import parse
from microcare_tui.domain import pipeline as rules
from microcare_tui.domain.errors import NotFound, ValidationFailed
from microcare_tui.store import pipeline as repo
from microcare_tui.store import reference
from microcare_tui.store.db import Store

NO_WORKER = "(no lead worker)"
NO_AREA = "(no area)"


@dataclass(frozen=True)
class Card:
    """A provider on the board."""

    id: str
    name: str
    stage: str
    area: str  # '' when none
    lead_worker: str  # '' when none
    days_in_stage: int
    days_text: str  # 'today', '34 days'
    stalled_days: int | None  # None: not stalled
    stalled_text: str  # 'stalled 74 days', '' when not stalled


@dataclass(frozen=True)
class Column:
    """One stage of the board and every card at it (the screen shows a page at a time)."""

    code: str
    label: str
    closed: bool
    cards: list[Card]

    @property
    def stalled(self) -> int:
        """How many of its cards are stalled."""
        return sum(1 for c in self.cards if c.stalled_days is not None)


@dataclass(frozen=True)
class CaseloadRow:
    """One worker's providers by stage (codes), and how many are stalled."""

    worker: str
    by_stage: dict[str, int]
    stalled: int
    total: int


@dataclass(frozen=True)
class Board:
    """The pipeline board as filtered, with what the filters can choose from."""

    columns: list[Column]  # every stage in order; closed ones too (the screen hides them)
    order: list[str]  # stage codes in the council's order
    labels: dict[str, str]
    workers: list[str]  # lead workers with providers (NO_WORKER when some have none)
    areas: list[str]
    worker: str | None  # the filters applied
    area: str | None
    stalled_after: int
    caseload: list[CaseloadRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Cards on the board (all stages)."""
        return sum(len(c.cards) for c in self.columns)


def stalled_after_days(db: Store) -> int:
    """The setting: days without contact before a provider in development is stalled."""
    value = reference.get_setting(db, "stalled_after_days", rules.DEFAULT_STALLED_DAYS)
    return int(value or rules.DEFAULT_STALLED_DAYS)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _card(row: dict[str, Any], stage: rules.StageDef, today: date, after: int) -> Card:
    since = _day(row["stage_changed_on"]) or _day(row["created_on"])
    days = rules.days_between(since, today)
    contact = rules.last_contact([d for d in [_day(row["last_visit"])] if d], since)
    stalled = rules.stalled_days(stage, contact, today, after)
    return Card(
        id=row["id"],
        name=row["name"],
        stage=row["stage"],
        area=row["area"] or "",
        lead_worker=row["lead_worker"] or "",
        days_in_stage=days,
        days_text=rules.days_in_stage_text(days),
        stalled_days=stalled,
        stalled_text=rules.stalled_text(stalled),
    )


def load_board(
    db: Store, today: date | None = None, worker: str | None = None, area: str | None = None
) -> Board:
    """Every live provider as a card in its stage's column, filtered by lead worker and area
    (NO_WORKER / NO_AREA pick the ones without); the caseload per worker of the whole board.

    One query and a pass over the rows: run it in a thread worker, not on the UI thread. Kept
    on the connection until the data changes (Store.cached), so showing the board again reads
    nothing (~20 ms at county otherwise).
    """
    today = today or date.today()
    return db.cached(
        "pipeline.board", lambda: _read_board(db, today, worker, area), today, worker, area
    )


def _read_board(db: Store, today: date, worker: str | None, area: str | None) -> Board:
    after = stalled_after_days(db)
    stage_defs = repo.stages(db)
    by_code = {s.code: s for s in stage_defs}
    cards: dict[str, list[Card]] = {s.code: [] for s in stage_defs}
    all_cards: list[Card] = []
    for row in repo.board_rows(db):
        stage = by_code.get(row["stage"])
        if stage is None:
            continue  # a stage this laptop does not know yet (from a newer colleague)
        all_cards.append(_card(row, stage, today, after))
    workers = sorted({c.lead_worker or NO_WORKER for c in all_cards}, key=str.lower)
    areas = sorted({c.area or NO_AREA for c in all_cards}, key=str.lower)
    for card in all_cards:
        if worker is not None and (card.lead_worker or NO_WORKER) != worker:
            continue
        if area is not None and (card.area or NO_AREA) != area:
            continue
        cards[card.stage].append(card)
    return Board(
        columns=[Column(s.code, s.label, s.closed, cards[s.code]) for s in stage_defs],
        order=[s.code for s in stage_defs],
        labels={s.code: s.label for s in stage_defs},
        workers=workers,
        areas=areas,
        worker=worker,
        area=area,
        stalled_after=after,
        caseload=caseload(all_cards),
    )


def caseload(cards: list[Card]) -> list[CaseloadRow]:
    """Providers per lead worker by stage, and stalled, busiest first."""
    stages: dict[str, Counter[str]] = {}
    stalled: Counter[str] = Counter()
    for card in cards:
        who = card.lead_worker or NO_WORKER
        stages.setdefault(who, Counter())[card.stage] += 1
        if card.stalled_days is not None:
            stalled[who] += 1
    rows = [
        CaseloadRow(who, dict(counts), stalled[who], sum(counts.values()))
        for who, counts in stages.items()
    ]
    return sorted(rows, key=lambda r: (-r.total, r.worker.lower()))


@dataclass(frozen=True)
class Moved:
    """A move that was saved, in words for the notification."""

    provider_id: str
    name: str
    from_label: str
    to_stage: str
    to_label: str
    moved_on: date


def move_provider(
    db: Store,
    provider_id: str,
    to_stage: str,
    reason: str,
    moved_on: date | str | None = None,
    today: date | None = None,
) -> Moved:
    """Move a provider to another stage, dated (today by default), with the worker's name and
    the reason. Backwards is fine and recorded. Impossible moves raise ValidationFailed with
    a message by field ('stage', 'moved_on', 'reason') and save nothing."""
    today = today or date.today()
    errors: dict[str, str] = {}
    when: date | None = today
    if isinstance(moved_on, date):
        when = moved_on
    elif moved_on is not None and moved_on.strip():
        try:
            when = parse.parse_date(moved_on, today)
        except ValueError as exc:
            errors["moved_on"] = str(exc)
            when = None
    reason = (reason or "").strip()
    if len(reason) < 2:
        errors["reason"] = "Say why (a few words: what happened, what next)"
    elif len(reason) > 1000:
        errors["reason"] = "Keep this under 1000 characters"
    bounds = repo.move_bounds(db, provider_id)
    if bounds is None:
        raise NotFound("That provider is no longer on the register.")
    stage_defs = repo.stages(db)
    labels = {s.code: s.label for s in stage_defs}
    if when is not None:
        first = [d for d in (_day(bounds["first_move"]), _day(bounds["created_on"])) if d]
        errors = {
            **rules.move_problem(
                current=bounds["stage"],
                target=to_stage,
                known=labels,
                moved_on=when,
                today=today,
                earliest=min(first) if first else None,
                last_move=_day(bounds["last_move"]),
                labels=labels,
            ),
            **errors,
        }
    if errors or when is None:
        raise ValidationFailed(errors)
    repo.record_move(db, provider_id, bounds["stage"], to_stage, when, reason, db.worker)
    return Moved(
        provider_id=provider_id,
        name=bounds["name"],
        from_label=labels.get(bounds["stage"], bounds["stage"]),
        to_stage=to_stage,
        to_label=labels[to_stage],
        moved_on=when,
    )


# -- the council's stages (Settings) ---------------------------------------------------------
@dataclass(frozen=True)
class StageRow:
    """A stage as Settings lists it."""

    code: str
    label: str
    position: int  # 1-based
    listed: bool
    closed: bool

    @property
    def id(self) -> str:
        """The row's key in lists (its code: stages are known by code everywhere)."""
        return self.code


def stage_rows(db: Store) -> list[StageRow]:
    """The stages in order, for Settings."""
    return [
        StageRow(s.code, s.label, i + 1, s.listed, s.closed) for i, s in enumerate(repo.stages(db))
    ]


def stage_labels(db: Store) -> dict[str, str]:
    """Stage code -> the council's name for it, in the council's order."""
    return {s.code: s.label for s in repo.stages(db)}


def rename_stage(db: Store, code: str, values: dict[str, Any]) -> StageRow:
    """Rename a stage and put it at a position (1 first); the code (stored on providers)
    never changes. Raises ValidationFailed with messages by field ('label', 'position')."""
    rows = stage_rows(db)
    current = next((r for r in rows if r.code == code), None)
    if current is None:
        raise NotFound(f"There is no stage '{code}'.")
    label = str(values.get("label") or "").strip()
    errors: dict[str, str] = {}
    if not 2 <= len(label) <= 30:
        errors["label"] = "Enter a name of 2 to 30 characters"
    elif any(r.label.lower() == label.lower() and r.code != code for r in rows):
        errors["label"] = f"Another stage is already called '{label}'"
    position_text = str(values.get("position") or "").strip() or str(current.position)
    try:
        position = parse.parse_whole_number(position_text, 1, len(rows))
    except ValueError as exc:
        errors["position"] = str(exc)
        position = current.position
    if errors:
        raise ValidationFailed(errors)
    repo.save_stage(db, code, label, position - 1)
    return next(r for r in stage_rows(db) if r.code == code)
