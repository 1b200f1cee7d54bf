"""The bundle file: round trip, and every hostile variant refused with a plain message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcare_tui.sync import bundle
from microcare_tui.sync.envelope import write_atomically

TEAM = "0190aaaa-team"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str, str]:
    from pyrage import x25519

    ident = x25519.Identity.generate()
    other = x25519.Identity.generate()
    return str(ident), str(ident.to_public()), str(other.to_public())


def _make(recipient: str, kind: str = "changes", n: int = 50) -> bytes:
    lines = [
        json.dumps({"origin": "dev-a", "seq": i, "fields": {"name": f"Zebedee Canary {i}"}})
        for i in range(1, n + 1)
    ]
    return bundle.build(
        kind=kind,
        schema_version=4,
        team_id=TEAM,
        recipient_key=recipient,
        bundle_id="b-1",
        created_at="2026-11-30T09:12:00.000+00:00",
        sender_device="dev-a",
        sender_name="Sam",
        target="everyone",
        sender_vector={"dev-a": n},
        ranges={"dev-a": [[1, n]]},
        counts={"changes": n},
        change_lines=lines,
        snapshot={"tables": {"providers": 3}} if kind == "snapshot" else None,
    )


def test_round_trip_keeps_everything(keys: tuple[str, str, str]) -> None:
    secret, recipient, _ = keys
    data = _make(recipient, "snapshot")
    assert data.startswith(b"MCBUNDLE/1 0190aaaa-team\nage-encryption.org/v1\n")
    opened = bundle.read(data, TEAM, secret, our_schema=4)
    assert opened.manifest.kind == "snapshot"
    assert opened.manifest.sender_name == "Sam"
    assert opened.manifest.ranges == {"dev-a": [[1, 50]]}
    assert opened.snapshot == {"tables": {"providers": 3}}
    assert not opened.update_recommended
    rows = [json.loads(line) for line in opened.change_lines()]
    assert [r["seq"] for r in rows] == list(range(1, 51))
    # A newer schema is read (what we know is applied) with a recommendation to update.
    assert bundle.read(data, TEAM, secret, our_schema=3).update_recommended


def test_nothing_readable_in_the_file(keys: tuple[str, str, str]) -> None:
    _, recipient, _ = keys
    data = _make(recipient)
    assert b"Zebedee" not in data and b"Canary" not in data


def test_write_atomically_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "x.mcbundle"
    write_atomically(target, b"one")
    with pytest.raises(FileExistsError):
        write_atomically(target, b"two")
    assert target.read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["x.mcbundle"]
    key = write_atomically(tmp_path / "team.mcteam", b"k", private=True)
    assert key.stat().st_mode & 0o777 == 0o600
