"""Reading one line of changes.jsonl: the typed way (every value already of its type, what
microcare writes) and the converting way give the same change; bad lines are refused alike."""

from __future__ import annotations

import json

import pytest

from microcare_tui.sync.changes import Change

_HLC = "001796016536845-000007"
_LINE = {
    "origin": "dev-a",
    "seq": 5,
    "hlc": _HLC,
    "tbl": "providers",
    "row_id": "p1",
    "op": "update",
    "fields": {"name": "Oak", "services": "[]"},
    "worker": "Ann",
    "at": "2026-11-30T09:00:00.000+00:00",
    "bases": {"name": f"{_HLC}|dev-a|4"},
}


def test_typed_and_converted_lines_read_the_same() -> None:
    typed = Change.from_json(json.dumps(_LINE, separators=(",", ":")))
    assert typed.key.seq == 5 and typed.line is not None
    odd = {**_LINE, "seq": "5", "fields": [["name", "Oak"], ["services", "[]"]]}
    assert Change.from_json(json.dumps(odd)) == typed
    # Whitespace around the value, a carriage return, bytes: the full JSON rules.
    assert Change.from_json("  " + json.dumps(_LINE) + " \r") == typed
    assert Change.from_json(json.dumps(_LINE).encode()) == typed
    bare = {k: v for k, v in _LINE.items() if k not in ("worker", "at", "bases")}
    read = Change.from_json(json.dumps(bare))
    assert (read.worker, read.at, read.bases) == ("", "", {})
    assert Change.from_json(json.dumps({**bare, "bases": None})).bases == {}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(_LINE) + " {}",  # two values on one line
        json.dumps({k: v for k, v in _LINE.items() if k != "seq"}),
        json.dumps({**_LINE, "seq": 0}),
        json.dumps({**_LINE, "hlc": "yesterday"}),
        json.dumps({**_LINE, "fields": "name"}),
        "[" * 100_000,  # nested past Python's recursion limit
        "",
        "not json",
    ],
)
def test_bad_lines_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a change"):
        Change.from_json(text)
    # Many lines at once (an import's way) refuse it too, wherever it comes.
    good = json.dumps(_LINE)
    with pytest.raises(ValueError, match="not a change"):
        Change.many_from_json([good, text, good])


def test_many_lines_read_as_each_line_alone() -> None:
    odd = {**_LINE, "seq": "5", "fields": [["name", "Oak"], ["services", "[]"]]}
    lines = [
        json.dumps(_LINE, separators=(",", ":")),
        json.dumps(odd),  # converted
        json.dumps({**_LINE, "fields": {"name": 2**70}}),  # orjson refuses, json reads
        json.dumps({k: v for k, v in _LINE.items() if k != "bases"}),  # a key left out
        json.dumps({**_LINE, "row_id": "p2", "op": "insert", "bases": {}}),
    ]
    many = Change.many_from_json(lines)
    alone = [Change.from_json(line) for line in lines]
    assert many == alone and len(many) == 5
    assert [c.__dict__ for c in many] == [c.__dict__ for c in alone]  # the kept lines too
    assert [c.line for c in many] == lines


def test_lines_orjson_refuses_read_as_json_reads_them() -> None:
    # NaN, an integer past 64 bits, a lone surrogate escape: valid to Python's json reader,
    # which read every line before orjson; they still mean the same.
    for value in (float("inf"), 2**70, "\ud800"):
        text = json.dumps({**_LINE, "fields": {"name": value}})
        assert Change.from_json(text).fields == json.loads(text)["fields"]
    # A key microcare does not write is left out of the change (kept in the log's line).
    read = Change.from_json(json.dumps({**_LINE, "later": 1}))
    assert read == Change.from_json(json.dumps(_LINE)) and not hasattr(read, "later")
