"""Random draws, ids and times for the demo: weighted choices, dates, UUIDv7s on a given day.

Every draw takes the caller's `random.Random` stream, so the same seed gives the same data.
"""

from __future__ import annotations

import bisect
import functools
import random
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

T = TypeVar("T")

try:
    _LONDON: ZoneInfo | None = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # no tz database: UK times are stored as if GMT
    _LONDON = None

_EPOCH = date(1970, 1, 1)


class Choice(Generic[T]):
    """A weighted choice with its cumulative weights worked out once (hot loops call it a lot)."""

    def __init__(self, options: Iterable[T], weights: Iterable[float]) -> None:
        self.options = list(options)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        if not self.options or total <= 0:
            raise ValueError("a weighted choice needs options with some weight")
        self.total = total

    def __call__(self, rng: random.Random) -> T:
        return self.options[bisect.bisect(self.cumulative, rng.random() * self.total,
                                          0, len(self.options) - 1)]  # fmt: skip


def uuid7(rng: random.Random, ms: int) -> str:
    """A valid UUIDv7 whose timestamp is `ms` and whose other bits come from `rng`."""
    bits = rng.getrandbits(74)
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= (bits >> 62) << 64
    value |= 0b10 << 62
    value |= bits & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def _day_ms(day: date) -> int:
    return (day - _EPOCH).days * 86_400_000


def id_on(rng: random.Random, day: date) -> str:
    """An id minted during the working day of `day`."""
    return uuid7(rng, _day_ms(day) + rng.randrange(8 * 3_600_000, 18 * 3_600_000))


@functools.lru_cache(maxsize=4096)
def _uk_offset_ms(day: date) -> int:
    if _LONDON is None:
        return 0
    offset = datetime(day.year, day.month, day.day, 12, tzinfo=_LONDON).utcoffset()
    return int(offset.total_seconds() * 1000) if offset else 0


def local_ms(day: date, seconds: int) -> int:
    """UTC epoch milliseconds of a UK wall-clock time on `day`."""
    return _day_ms(day) + seconds * 1000 - _uk_offset_ms(day)


def iso(ms: int) -> str:
    """Epoch milliseconds as the store's timestamp text ('2026-03-02T10:15:00.000+00:00'),
    the same text `datetime.isoformat(timespec="milliseconds")` gives for a UTC time."""
    days, rest = divmod(ms, 86_400_000)
    seconds, millis = divmod(rest, 1000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_day_text(days)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}+00:00"


@functools.lru_cache(maxsize=4096)
def _day_text(days: int) -> str:
    return (_EPOCH + timedelta(days=days)).isoformat()


def between(rng: random.Random, start: date, end: date) -> date:
    """A day from `start` to `end` inclusive (`start` when the span is empty)."""
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))
