"""Hybrid logical clock (Kulkarni et al., 2014): wall time in ms plus a counter.

A clock value is fixed-width text, `'001764460000000-000000'` (15 digits of Unix ms, 6 of
counter), so text order is time order and SQLite compares it with a plain `<`. The device id
is not part of the text: a change's total-order key is (hlc, origin, seq), see `ClockKey`.

Rules: a local event takes max(last, wall) and bumps the counter when the wall clock has not
moved past the last value, so the clock never goes back even when the laptop's clock does;
receiving takes the max of the last value, the remote one and the wall clock. The zero clock
stamps the seeded defaults: any real edit is later than it.
"""

# No `from __future__ import annotations` here: with it, typing.NamedTuple turns each field's
# annotation text into a ForwardRef, which compile()s it, and a process's first compile() costs
# ~10 M instructions (~5 ms): a seventh of `microcare search`'s work beyond `--version`.

import time
from typing import NamedTuple

HLC_ZERO = "000000000000000-000000"
_COUNTER_MAX = 999_999


class ClockKey(NamedTuple):
    """The total order of changes: the clock, then the origin device, then its sequence.

    Two changes never share a key ((origin, seq) is unique), so last-writer-wins on it picks
    the same winner on every laptop whatever order the changes arrived in.
    """

    hlc: str
    origin: str
    seq: int

    def text(self) -> str:
        """The key as one string ('hlc|origin|seq'), for change bases and conflict ids."""
        return f"{self.hlc}|{self.origin}|{self.seq}"

    @classmethod
    def parse(cls, text: str) -> "ClockKey":
        """The key written by `text()`."""
        hlc, rest = text.split("|", 1)  # the clock has no '|'; an origin might
        origin, seq = rest.rsplit("|", 1)
        return cls(hlc, origin, int(seq))


def format_hlc(wall_ms: int, counter: int = 0) -> str:
    """The clock text for this wall time and counter."""
    return f"{wall_ms:015d}-{counter:06d}"


def parse_hlc(text: str) -> tuple[int, int]:
    """(wall ms, counter) of a clock text; ValueError if it is not one."""
    wall, _, counter = text.partition("-")
    if len(wall) != 15 or len(counter) != 6 or not wall.isdigit() or not counter.isdigit():
        raise ValueError(f"not a clock value: {text!r}")
    return int(wall), int(counter)


def wall_ms_now() -> int:
    """The wall clock in Unix milliseconds."""
    return time.time_ns() // 1_000_000


def tick(last: str, now_ms: int) -> str:
    """The clock for a local event after `last`, with the wall clock at `now_ms`."""
    wall, counter = parse_hlc(last)
    if now_ms > wall:
        return format_hlc(now_ms, 0)
    if counter >= _COUNTER_MAX:  # a million events in one ms: borrow the next ms
        return format_hlc(wall + 1, 0)
    return format_hlc(wall, counter + 1)


def receive(last: str, remote: str, now_ms: int) -> str:
    """The clock after seeing a remote clock value (a change applied from a colleague).

    Later local events are then ordered after everything received, so an edit made on top
    of a colleague's value always wins over it on every laptop.
    """
    if remote <= last:
        return tick(last, now_ms)
    return tick(remote, now_ms)


def wall_of(hlc: str) -> int:
    """The wall-clock part (Unix ms) of a clock value: when, roughly, a change was made."""
    return parse_hlc(hlc)[0]
