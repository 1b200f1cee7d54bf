"""The development pipeline's rules: its default stages, days in stage, stalled, and which
moves are impossible. Pure functions, tested without a database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from microcare_tui.domain.parse import format_date

DEFAULT_STALLED_DAYS = 60


class StageDef(NamedTuple):
    """One stage of the pipeline as the council names and orders it."""

    code: str
    label: str
    sort_order: int
    listed: bool  # a provider at this stage can be in good standing
    closed: bool  # off the board unless asked for


# The defaults a new database is seeded with (fixed ids from the code); Settings renames and
# reorders them. Codes are the Stage enum's values (a test holds them equal), written out so
# that Home's first read, which names the stages, does not import the enums (~5 ms).
DEFAULT_STAGES: tuple[StageDef, ...] = (
    StageDef("enquiry", "Enquiry", 0, False, False),
    StageDef("exploring", "Exploring", 1, False, False),
    StageDef("developing", "Developing", 2, False, False),
    StageDef("checks", "Checks submitted", 3, False, False),
    StageDef("registered", "Registered", 4, True, False),
    StageDef("active", "Active (trading)", 5, True, False),
    StageDef("paused", "Paused", 6, False, False),
    StageDef("ceased", "Ceased", 7, False, True),
    StageDef("not_proceeding", "Not proceeding", 8, False, True),
)


def days_between(start: date | None, today: date) -> int:
    """Whole days from `start` to `today` (0 when unknown or in the future)."""
    if start is None:
        return 0
    return max(0, (today - start).days)


def last_contact(visits: Iterable[date], stage_since: date | None) -> date | None:
    """The latest contact: the newest visit, or the stage move when that is later (a move is
    made with the provider, so the clock starts again)."""
    dates = [d for d in (*visits, stage_since) if d is not None]
    return max(dates) if dates else None


def stalled_days(
    stage: StageDef, contact: date | None, today: date, after_days: int = DEFAULT_STALLED_DAYS
) -> int | None:
    """Days without contact when a provider in development is stalled, else None.

    Stalled means `after_days` or more days since the last contact (exactly `after_days` is
    stalled). Listed providers (on the register) and closed stages are never stalled: they
    are not being developed.
    """
    if stage.listed or stage.closed or contact is None:
        return None
    days = days_between(contact, today)
    return days if days >= after_days else None


def stalled_text(days: int | None) -> str:
    """'stalled 74 days' ('' when not stalled): words, never colour alone."""
    if days is None:
        return ""
    return f"stalled {days} day{'' if days == 1 else 's'}"


def days_in_stage_text(days: int) -> str:
    """'today', '1 day', '34 days' in the stage."""
    if days == 0:
        return "today"
    return f"{days} day{'' if days == 1 else 's'}"


def move_problem(
    *,
    current: str,
    target: str,
    known: Iterable[str],
    moved_on: date,
    today: date,
    earliest: date | None,
    last_move: date | None,
    labels: dict[str, str] | None = None,
) -> dict[str, str]:
    """Why a stage move is impossible, by field ('stage', 'moved_on'); {} when it may go.

    Moves backwards are allowed (and recorded). Impossible: the stage it is already at, a
    stage the council does not have, a date in the future, a date before the provider
    existed (`earliest`), or before its last move (the history must read in order).
    """
    labels = labels or {}
    errors: dict[str, str] = {}
    if target not in set(known):
        errors["stage"] = f"There is no stage '{target}'"
    elif target == current:
        errors["stage"] = f"Already at {labels.get(current, current).lower()}"
    if moved_on > today:
        errors["moved_on"] = f"A move cannot be dated in the future (today is {format_date(today)})"
    elif earliest is not None and moved_on < earliest:
        errors["moved_on"] = f"The provider was not on the register before {format_date(earliest)}"
    elif last_move is not None and moved_on < last_move:
        errors["moved_on"] = (
            f"The last move was on {format_date(last_move)}: date this on or after it"
        )
    return errors


def neighbour_stage(order: list[str], current: str, step: int) -> str | None:
    """The stage before (step -1) or after (+1) `current` in the board's order, or None at
    either end (or when `current` is not on the board)."""
    if current not in order:
        return None
    index = order.index(current) + step
    return order[index] if 0 <= index < len(order) else None
