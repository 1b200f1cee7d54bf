"""The sync core's API, below the bundle format: changes, version vectors, export and apply.

- `Change`: one logged row write, as it travels in a bundle (one JSON object per line).
- `VersionVector`: per origin device, which sequence numbers a laptop has (ranges).
- `local_vector(db)`, `changes_not_in(db, vector)`: what a colleague lacks, in (origin, seq)
  order. `apply_changes(db, changes, sender_vector)`: merge them, all-or-nothing and
  idempotent (see sync/merge.py for the rules). `record_peer(db, device, vector)`: what a
  colleague is known to have (a bundle from them is an acknowledgement); `record_export`.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, overload

import orjson

from microcare_tui.domain.hlc import ClockKey
from microcare_tui.store import sync_log
from microcare_tui.store.db import Store

Span = tuple[int, int]
# One encoder for every line: json.dumps with options builds a new encoder per call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_encode_log = json.JSONEncoder(ensure_ascii=False).encode
_decode = json.JSONDecoder().decode
_orjson_loads = orjson.loads
_OrjsonError = orjson.JSONDecodeError
# A clock value ('wall ms-counter', fixed width: see domain/hlc.py); checked on reading so
# that text order is time order for every change applied.
_HLC = re.compile(r"[0-9]{15}-[0-9]{6}")


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a big import reads and merges: it makes
    ~100,000 changes (dicts in objects), none of them in a cycle, and the collector's passes
    over them cost about a quarter of the parsing. Counting by reference still frees memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_make_key = tuple.__new__


def _str(value: Any) -> str:
    return value if type(value) is str else str(value)


class _Key:
    """`Change.key`: made on first use and kept in the instance (functools.cached_property
    takes a lock on every first use in Python 3.11: a tenth of a big merge's Python)."""

    @overload
    def __get__(self, change: None, owner: type) -> _Key: ...
    @overload
    def __get__(self, change: Change, owner: type | None = None) -> ClockKey: ...
    def __get__(self, change: Change | None, owner: type | None = None) -> ClockKey | _Key:
        if change is None:
            return self
        # (tuple.__new__: ClockKey's own __new__ is a Python function, a call per change)
        key = _make_key(ClockKey, (change.hlc, change.origin, change.seq))
        change.__dict__["key"] = key  # found before this descriptor from now on
        return key


def _loads(text: str) -> Any:
    """One line's JSON value, read by orjson (half the instructions of `json` for a change
    line: a big import reads 100,000). A line orjson refuses but Python's `json` reads (NaN,
    an integer past 64 bits, a lone surrogate escape, nesting past 1,024) takes `json`'s
    rules and messages, so every line means what it always meant."""
    try:
        return _orjson_loads(text)
    except _OrjsonError:
        return _decode(text)


@dataclass(frozen=True)
class Change:
    """One logged row write: which device made it (origin, seq), when (hlc), what it wrote.

    `op` is insert | update | delete | resolve. `bases` says, per field, which change's value
    it replaced ('hlc|origin|seq'; '*' the row's newest change seen; '_resolves' the conflict
    a resolution settles): it tells a later edit from a concurrent one.
    """

    origin: str
    seq: int
    hlc: str
    tbl: str
    row_id: str
    op: str
    fields: dict[str, Any]
    worker: str
    at: str = ""
    bases: dict[str, str] = field(default_factory=dict)

    key = _Key()

    def to_json(self) -> str:
        """One line of a bundle's changes.jsonl."""
        return _encode(
            {
                "origin": self.origin,
                "seq": self.seq,
                "hlc": self.hlc,
                "tbl": self.tbl,
                "row_id": self.row_id,
                "op": self.op,
                "fields": self.fields,
                "worker": self.worker,
                "at": self.at,
                "bases": self.bases,
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Change:
        """A change from one line of changes.jsonl; ValueError when it is not one."""
        try:
            if not isinstance(text, str):
                text = text.decode()
            data = _loads(text)
            values = _typed_values(data, text) or _converted_values(data, text)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise ValueError(f"not a change: {exc}") from None
        if values["seq"] < 1 or not values["origin"] or not values["row_id"]:
            raise ValueError("not a change: empty origin or row, or seq below 1")
        if not _HLC.fullmatch(values["hlc"]):
            raise ValueError("not a change: its clock is not a clock value")
        # The dataclass's __init__ sets ten frozen fields one by one (~a third of reading a
        # big bundle); the instance is the same, made at once.
        change = cls.__new__(cls)
        object.__setattr__(change, "__dict__", values)
        return change

    @classmethod
    def many_from_json(cls, lines: Iterable[str]) -> list[Change]:
        """`from_json` of every line, in order (a big import reads 100,000): a line whose
        values all have their types is read here without `from_json`'s calls; any other goes
        through `from_json` itself, so every line is read, or refused, by the same rules."""
        loads, typed, clock = _orjson_loads, _typed_values, _HLC.fullmatch
        new, put = cls.__new__, object.__setattr__
        out: list[Change] = []
        for text in lines:
            try:
                data = loads(text)
            except (_OrjsonError, TypeError):
                out.append(cls.from_json(text))
                continue
            values = typed(data, text) if type(text) is str else None
            if (
                values is None
                or values["seq"] < 1
                or not values["origin"]
                or not values["row_id"]
                or not clock(values["hlc"])
            ):
                out.append(cls.from_json(text))  # converted, or refused with its reason
                continue
            change = new(cls)
            put(change, "__dict__", values)
            out.append(change)
        return out

    @property
    def line(self) -> str | None:
        """The JSON line this change was read from, if it was read from one."""
        line: str | None = self.__dict__.get("_line")
        return line

    @classmethod
    def from_log(cls, row: sync_log.LogRow) -> Change:
        """A change from a change-log row."""
        origin, seq, at, worker, tbl, row_id, op, fields, hlc, bases = row
        return cls(
            origin=origin,
            seq=int(seq),
            hlc=hlc,
            tbl=tbl,
            row_id=row_id,
            op=op,
            fields=json.loads(fields),
            worker=worker,
            at=at,
            bases=json.loads(bases) if bases and bases != "{}" else {},
        )

    def log_row(self) -> sync_log.LogRow:
        """The change as a change-log row."""
        return (
            self.origin,
            self.seq,
            self.at,
            self.worker,
            self.tbl,
            self.row_id,
            self.op,
            _encode_log(self.fields),
            self.hlc,
            _encode_log(self.bases) if self.bases else "{}",
        )


def _typed_values(data: Any, text: str) -> dict[str, Any] | None:
    """A change's attributes when every value already has its type (what microcare writes:
    no conversion per value, ~a third of reading a line); None when one needs converting."""
    if type(data) is not dict:
        return None
    try:
        origin, seq, hlc = data["origin"], data["seq"], data["hlc"]
        tbl, row_id, op, fields = data["tbl"], data["row_id"], data["op"], data["fields"]
        worker, at, bases = data["worker"], data["at"], data["bases"]
    except KeyError:
        return None  # a key left out: the rules below give its default, or refuse the line
    if not (
        type(origin) is str
        and type(seq) is int
        and type(hlc) is str
        and type(tbl) is str
        and type(row_id) is str
        and type(op) is str
        and type(fields) is dict
        and type(worker) is str
        and type(at) is str
    ):
        return None
    if not bases:
        bases = {}  # most changes: no bases (inserts)
    elif type(bases) is not dict or not all(type(v) is str for v in bases.values()):
        return None
    # A new dict, not the decoded one: its keys are the interned attribute names, so every
    # later `change.tbl` finds its key by identity (the decoder's own keys are other string
    # objects: each lookup then compares text, ~80 M more instructions for 20,000 changes).
    return {
        "origin": origin,
        "seq": seq,
        "hlc": hlc,
        "tbl": tbl,
        "row_id": row_id,
        "op": op,
        "fields": fields,
        "worker": worker,
        "at": at,
        "bases": bases,
        # Kept so the change log can take the line as it came (SQLite reads the JSON),
        # without encoding the fields again; not part of the change's value.
        "_line": text,
    }


def _converted_values(data: Any, text: str) -> dict[str, Any]:
    """A change's attributes from a line whose values need converting (numbers as text,
    fields as pairs...): the rules a line has always been read by."""
    bases = data.get("bases") or {}
    return {
        "origin": _str(data["origin"]),
        "seq": int(data["seq"]),
        "hlc": _str(data["hlc"]),
        "tbl": _str(data["tbl"]),
        "row_id": _str(data["row_id"]),
        "op": _str(data["op"]),
        "fields": dict(data["fields"]),
        "worker": _str(data.get("worker", "")),
        "at": _str(data.get("at", "")),
        "bases": {str(k): str(v) for k, v in dict(bases).items()} if bases else {},
        "_line": text,
    }


class VersionVector:
    """Per origin device, the sequence numbers held, as sorted disjoint ranges.

    The first range starting at 1 is "the highest contiguous seq"; any after it are extra
    ranges received beyond a gap.
    """

    def __init__(self, spans: dict[str, list[Span]] | None = None) -> None:
        self._spans: dict[str, list[Span]] = {}
        for origin, items in (spans or {}).items():
            for lo, hi in items:
                self.add_range(origin, lo, hi)

    def origins(self) -> list[str]:
        """The origins with at least one change, sorted."""
        return sorted(o for o, s in self._spans.items() if s)

    def spans(self, origin: str) -> list[Span]:
        """The ranges held for `origin` (a copy)."""
        return list(self._spans.get(origin, []))

    def contiguous(self, origin: str) -> int:
        """The highest seq with every seq from 1 up to it held (0 if seq 1 is missing)."""
        spans = self._spans.get(origin)
        return spans[0][1] if spans and spans[0][0] == 1 else 0

    def highest(self, origin: str) -> int:
        """The highest seq held for `origin` (0 when none)."""
        spans = self._spans.get(origin)
        return spans[-1][1] if spans else 0

    def covers(self, origin: str, seq: int) -> bool:
        """Whether the change (origin, seq) is held."""
        spans = self._spans.get(origin)
        if not spans:
            return False
        i = bisect.bisect_right(spans, (seq, float("inf"))) - 1
        return i >= 0 and spans[i][0] <= seq <= spans[i][1]

    def add(self, origin: str, seq: int) -> None:
        """Hold one more change."""
        self.add_range(origin, seq, seq)

    def add_range(self, origin: str, lo: int, hi: int) -> None:
        """Hold the changes lo..hi of `origin` (merged with the ranges already held)."""
        if hi < lo:
            return
        spans = self._spans.setdefault(origin, [])
        i = bisect.bisect_left(spans, (lo, lo))
        # Merge with a neighbour on the left that touches or overlaps.
        if i > 0 and spans[i - 1][1] >= lo - 1:
            i -= 1
            lo = min(lo, spans[i][0])
        j = i
        while j < len(spans) and spans[j][0] <= hi + 1:
            hi = max(hi, spans[j][1])
            j += 1
        spans[i:j] = [(lo, hi)]

    def merge(self, other: VersionVector) -> VersionVector:
        """A new vector holding everything either holds."""
        merged = VersionVector(self._spans)
        for origin in other.origins():
            for lo, hi in other.spans(origin):
                merged.add_range(origin, lo, hi)
        return merged

    def missing(self, origin: str, up_to: int | None = None) -> list[Span]:
        """The gaps below the highest seq held (or below `up_to`): changes not received."""
        top = self.highest(origin) if up_to is None else up_to
        gaps = []
        nxt = 1
        for lo, hi in self._spans.get(origin, []):
            if lo > top:
                break
            if lo > nxt:
                gaps.append((nxt, lo - 1))
            nxt = hi + 1
        if nxt <= top:
            gaps.append((nxt, top))
        return gaps

    def lacking(self, origin: str, lo: int, hi: int) -> list[Span]:
        """The parts of lo..hi this vector does not hold."""
        out = []
        nxt = lo
        for a, b in self._spans.get(origin, []):
            if b < nxt:
                continue
            if a > hi:
                break
            if a > nxt:
                out.append((nxt, min(a - 1, hi)))
            nxt = max(nxt, b + 1)
            if nxt > hi:
                break
        if nxt <= hi:
            out.append((nxt, hi))
        return out

    def to_json(self) -> dict[str, list[list[int]]]:
        """{origin: [[lo, hi], ...]} (for a bundle's manifest)."""
        return {o: [[lo, hi] for lo, hi in self._spans[o]] for o in self.origins()}

    @classmethod
    def from_json(cls, data: Any) -> VersionVector:
        """A vector from `to_json`'s form; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a version vector is an object of origin: ranges")
        vector = cls()
        for origin, spans in data.items():
            if not isinstance(spans, list):
                raise ValueError(f"ranges of {origin} are not a list")
            for span in spans:
                if (
                    not isinstance(span, list | tuple)
                    or len(span) != 2
                    or not all(isinstance(n, int) and not isinstance(n, bool) for n in span)
                    or span[0] < 1
                ):
                    raise ValueError(f"bad range {span!r} for {origin}")
                vector.add_range(str(origin), span[0], span[1])
        return vector

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VersionVector) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"VersionVector({self.to_json()!r})"


def device_id(db: Store) -> str:
    """This laptop's device id: the origin of the changes it makes."""
    return db.device_id


def local_vector(db: Store) -> VersionVector:
    """What this laptop has: every origin's ranges, its own changes 1..newest."""
    vector = VersionVector()
    for origin, lo, hi in sync_log.ranges(db):
        vector.add_range(origin, lo, hi)
    own = sync_log.own_max_seq(db)
    if own:
        vector.add_range(db.device_id, 1, own)
    return vector


def changes_not_in(db: Store, vector: VersionVector) -> Iterator[Change]:
    """The changes held here that the holder of `vector` lacks, in (origin, seq) order."""
    mine = local_vector(db)
    for origin in mine.origins():
        for lo, hi in mine.spans(origin):
            for a, b in vector.lacking(origin, lo, hi):
                for row in sync_log.read_range(db, origin, a, b):
                    yield Change.from_log(row)


def changes_not_in_json(db: Store, vector: VersionVector) -> Iterator[str]:
    """`changes_not_in` as the lines of a bundle's changes.jsonl (each what `to_json` would
    give, made by SQLite: no parsing in Python, ~10x faster for a big export)."""
    for batch in changes_not_in_json_batches(db, vector):
        yield from batch


def changes_not_in_json_batches(db: Store, vector: VersionVector) -> Iterator[list[str]]:
    """`changes_not_in_json` in lists of a few thousand lines, in the same order."""
    mine = local_vector(db)
    for origin in mine.origins():
        for lo, hi in mine.spans(origin):
            for a, b in vector.lacking(origin, lo, hi):
                yield from sync_log.read_range_line_batches(db, origin, a, b)


def record_peer(db: Store, peer: str, vector: VersionVector) -> None:
    """Note what a colleague's laptop has (from the vector its bundle carried): knowledge only
    grows, so it is merged with what was known. Exporting never calls this."""
    known = peer_vector(db, peer).merge(vector)
    with db.transaction():
        sync_log.set_peer_ranges(
            db, peer, [(o, lo, hi) for o in known.origins() for lo, hi in known.spans(o)]
        )


def peer_vector(db: Store, peer: str) -> VersionVector:
    """What a colleague's laptop is known to have (empty when nothing was heard from it)."""
    vector = VersionVector()
    for origin, lo, hi in sync_log.peer_ranges(db, peer):
        vector.add_range(origin, lo, hi)
    return vector


def record_export(db: Store, bundle_id: str, target: str | None = None) -> None:
    """Note that a bundle was written holding this laptop's changes up to now (the header's
    "changes to export" counts from here). It says nothing of what the colleague has."""
    with db.transaction():
        sync_log.record_export(db, bundle_id, target)


def apply_changes(
    db: Store, changes: Iterable[Change], sender_vector: VersionVector | None = None
) -> ApplyReport:
    """Merge received changes in one transaction (all or nothing); see sync/merge.py."""
    from microcare_tui.sync.merge import apply

    return apply(db, changes, sender_vector)


@dataclass
class ApplyReport:
    """What an import did."""

    new_changes: int = 0
    duplicates: int = 0
    records_changed: int = 0
    new_conflicts: int = 0
    gaps: dict[str, list[Span]] = field(default_factory=dict)
    # Providers the merge inserted or changed in a column possible duplicates are found by
    # (store.duplicates.MATCHED_ON): only these can be in a pair the import brought.
    duplicate_candidates: set[str] = field(default_factory=set)

    def gap_text(self, names: dict[str, str] | None = None) -> list[str]:
        """'missing changes 120-180 from Laptop-07' lines."""
        lines = []
        for origin, spans in sorted(self.gaps.items()):
            who = (names or {}).get(origin, origin[:8])
            for lo, hi in spans:
                what = f"change {lo}" if lo == hi else f"changes {lo}-{hi}"
                lines.append(f"missing {what} from {who}")
        return lines
