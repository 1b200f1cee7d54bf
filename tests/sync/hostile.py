"""A corpus of hostile bundle files made from a valid one (tests of the importer's checks).

Each case is (name, bytes). Every one must be refused with a BundleError and a plain
message, before the database is touched. Cases are generated from a seed, so a failure
reproduces.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from microcare_tui.sync import bundle
from microcare_tui.sync.envelope import BUNDLE_MAGIC, seal

Rezip = Callable[[dict[str, bytes]], dict[str, bytes]]


def plain_members(data: bytes, secret_key: str) -> dict[str, bytes]:
    """The members of a valid bundle, decrypted (to build altered copies)."""
    from pyrage import decrypt, x25519

    _, body = data.split(b"\n", 1)
    payload = decrypt(body, [x25519.Identity.from_str(secret_key)])
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def reseal(
    members: dict[str, bytes] | list[tuple[str, bytes]],
    team_id: str,
    recipient: str,
    compress: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Members zipped and encrypted properly (only the contents are hostile)."""
    buffer = io.BytesIO()
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(buffer, "w", compress) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return seal(BUNDLE_MAGIC, team_id, buffer.getvalue(), recipient)


def _manifest_edit(members: dict[str, bytes], edit: Callable[[dict[str, Any]], None]) -> dict:
    manifest = json.loads(members[bundle.MANIFEST])
    edit(manifest)
    return {**members, bundle.MANIFEST: json.dumps(manifest).encode()}


def _rehash(members: dict[str, bytes]) -> dict[str, bytes]:
    """Make the manifest's checksums match altered members (so deeper checks are reached)."""
    manifest = json.loads(members[bundle.MANIFEST])
    for name in list(manifest["members"]):
        if name in members:
            data = members[name]
            manifest["members"][name] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
    return {**members, bundle.MANIFEST: json.dumps(manifest).encode()}


def corpus(
    valid: bytes,
    team_id: str,
    recipient: str,
    secret_key: str,
    other_recipient: str,
    seed: int = 1,
    flips: int = 800,
    cuts: int = 200,
) -> Iterator[tuple[str, bytes]]:
    """Hostile variants of the bundle `valid` (at least 1,000 with the defaults)."""
    rng = random.Random(seed)
    # Truncations, at random points and at the edges.
    for n in sorted({0, 1, 5, len(valid) - 1, *(rng.randrange(len(valid)) for _ in range(cuts))}):
        yield f"cut at {n}", valid[:n]
    # Bit flips anywhere (header line, age header, ciphertext, tag).
    for _ in range(flips):
        data = bytearray(valid)
        pos = rng.randrange(len(data))
        data[pos] ^= 1 << rng.randrange(8)
        yield f"bit flip at {pos}", bytes(data)
    yield "empty", b""
    yield "random bytes", rng.randbytes(4096)
    yield "a zip, not a bundle", _zip_of({"manifest.json": b"{}"})
    yield "a text file", b"Dear colleague,\nplease find attached\n"
    yield "header only", valid.split(b"\n", 1)[0] + b"\n"
    yield "header and age line", valid.split(b"\n", 1)[0] + b"\nage-encryption.org/v1\n"
    yield "future envelope", b"MCBUNDLE/2 x\n" + valid.split(b"\n", 1)[1]
    yield "appended bytes", valid + b"extra"
    members = plain_members(valid, secret_key)
    yield "wrong key", reseal(members, team_id, other_recipient)
    yield "another team's label", b"MCBUNDLE/1 other-team\n" + valid.split(b"\n", 1)[1]
    yield (
        "another team inside",
        reseal(_manifest_edit(members, lambda m: m.update(team_id="other")), team_id, recipient),
    )
    yield from _member_cases(members, team_id, recipient)
    yield from _manifest_cases(members, team_id, recipient)


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _member_cases(members: dict[str, bytes], team: str, rcpt: str) -> Iterator[tuple[str, bytes]]:
    changes = members[bundle.CHANGES]
    manifest = members[bundle.MANIFEST]
    yield "missing changes", reseal({bundle.MANIFEST: manifest}, team, rcpt)
    yield "missing manifest", reseal({bundle.CHANGES: changes}, team, rcpt)
    yield "extra member", reseal({**members, "notes.txt": b"hi"}, team, rcpt)
    yield "path trick", reseal({**members, "../../etc/passwd": b"x"}, team, rcpt)
    yield "absolute path", reseal({**members, "/tmp/x": b"x"}, team, rcpt)
    yield "folder member", reseal({**members, "snapshot/": b""}, team, rcpt)
    yield (
        "member twice",
        reseal(
            [(bundle.MANIFEST, manifest), (bundle.CHANGES, changes), (bundle.CHANGES, changes)],
            team,
            rcpt,
        ),
    )
    yield (
        "swapped members",
        reseal({bundle.MANIFEST: changes, bundle.CHANGES: manifest}, team, rcpt),
    )
    yield "changes edited", reseal({**members, bundle.CHANGES: changes + b"{}\n"}, team, rcpt)
    yield "changes shortened", reseal({**members, bundle.CHANGES: changes[:-40]}, team, rcpt)
    yield "changes emptied", reseal({**members, bundle.CHANGES: b""}, team, rcpt)
    yield (
        "changes edited, rehashed",
        reseal(_rehash({**members, bundle.CHANGES: changes.replace(b'"', b"'", 3)}), team, rcpt),
    )
    yield (
        "changes not json, rehashed",
        reseal(_rehash({**members, bundle.CHANGES: b"\xff\xfe not text\n"}), team, rcpt),
    )
    yield (
        "a line dropped, rehashed",
        reseal(
            _rehash({**members, bundle.CHANGES: b"\n".join(changes.split(b"\n")[1:])}), team, rcpt
        ),
    )
    bomb = b"\n" * (bundle.MAX_MEMBER_BYTES[bundle.MANIFEST] + 1)
    yield "oversized manifest", reseal({**members, bundle.MANIFEST: bomb}, team, rcpt)
    yield "zip bomb changes", reseal({**members, bundle.CHANGES: b"\0" * (40 << 20)}, team, rcpt)
    yield (
        "stored, not deflated",
        reseal({**members, bundle.CHANGES: changes + b" "}, team, rcpt, zipfile.ZIP_STORED),
    )


def _manifest_cases(members: dict[str, bytes], team: str, rcpt: str) -> Iterator[tuple[str, bytes]]:
    edits: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("future format", lambda m: m.update(format_version=99)),
        ("format zero", lambda m: m.update(format_version=0)),
        ("format as text", lambda m: m.update(format_version="1")),
        ("not our format", lambda m: m.update(format="other")),
        ("no bundle id", lambda m: m.pop("bundle_id")),
        ("empty bundle id", lambda m: m.update(bundle_id="")),
        ("no sender", lambda m: m.pop("sender")),
        ("sender not an object", lambda m: m.update(sender="me")),
        ("unknown kind", lambda m: m.update(kind="everything")),
        ("snapshot without data", lambda m: m.update(kind="snapshot")),
        ("vector not an object", lambda m: m.update(sender_vector=[1])),
        ("bad ranges", lambda m: m.update(ranges={"x": [[5, 1]]})),
        ("ranges not lists", lambda m: m.update(ranges={"x": "1-5"})),
        ("count wrong", lambda m: m.update(counts={"changes": 10_000})),
        ("count negative", lambda m: m.update(counts={"changes": -1})),
        ("count missing", lambda m: m.update(counts={})),
        ("schema as text", lambda m: m.update(schema_version="7")),
        ("member list empty", lambda m: m.update(members={})),
        ("member hash wrong", lambda m: m["members"][bundle.CHANGES].update(sha256="0" * 64)),
        ("member size wrong", lambda m: m["members"][bundle.CHANGES].update(bytes=1)),
        ("member listed wrongly", lambda m: m["members"].update({bundle.CHANGES: "x"})),
        ("manifest a list", lambda m: m.clear()),
    ]
    for name, edit in edits:
        yield f"manifest: {name}", reseal(_manifest_edit(members, edit), team, rcpt)
    yield "manifest not json", reseal({**members, bundle.MANIFEST: b"{not json"}, team, rcpt)
    yield "manifest an array", reseal({**members, bundle.MANIFEST: b"[1, 2]"}, team, rcpt)
    yield "manifest deep", reseal({**members, bundle.MANIFEST: b"[" * 100_000}, team, rcpt)
