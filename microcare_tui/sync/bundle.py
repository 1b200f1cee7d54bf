"""The bundle file: a ZIP of fixed members, encrypted and authenticated with age.

Members (no folders, nothing else):
  manifest.json   what the bundle is: format and schema version, team, sender, bundle id,
                  the sender's version vector, the ranges and counts it holds, and the
                  SHA-256 and size of every other member
  changes.jsonl   one change per line, in (origin, seq) order
  snapshot.json   snapshot bundles only: the row count of each table at export, so the
                  receiver can see it holds what the sender had

Reading checks everything before a caller touches the database: the plain header line,
the size, age's authentication (truncation, any flipped bit, another key), the ZIP's member
names and sizes (zip bombs, path tricks, missing or extra members), each member's SHA-256,
and the manifest's fields. Each failure is one BundleError with a plain message.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from microcare_tui.sync.envelope import BUNDLE_MAGIC, BundleError, open_sealed, seal, split

FORMAT = "microcare-bundle"
FORMAT_VERSION = 1
SUFFIX = ".mcbundle"
MANIFEST = "manifest.json"
CHANGES = "changes.jsonl"
SNAPSHOT = "snapshot.json"
KINDS = ("changes", "snapshot")

# Limits against hostile files. A county's whole change log (~1 million changes) is ~300 MB
# of JSON lines; the caps leave room above that and refuse a bomb long before memory runs out.
MAX_FILE_BYTES = 1 << 30
MAX_MEMBER_BYTES = {MANIFEST: 8 << 20, CHANGES: 2 << 30, SNAPSHOT: 8 << 20}
# Deflate reaches ~1000:1 on a bomb; JSON lines compress ~5-20:1.
MAX_RATIO = 200
_WHAT = "bundle"


@dataclass(frozen=True)
class Manifest:
    """What a bundle says about itself (checked on reading; `extra` keeps fields a newer
    microcare added, so nothing it said is lost)."""

    kind: str
    schema_version: int
    team_id: str
    bundle_id: str
    created_at: str
    sender_device: str
    sender_name: str
    target: str
    sender_vector: dict[str, Any]
    ranges: dict[str, list[list[int]]]
    counts: dict[str, Any]
    members: dict[str, dict[str, Any]]
    app_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def change_count(self) -> int:
        """How many changes the bundle holds."""
        return int(self.counts.get("changes", 0))


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check: its manifest and its members' bytes."""

    manifest: Manifest
    file_sha256: str
    changes_text: str
    snapshot: dict[str, Any] | None
    update_recommended: bool

    def change_lines(self) -> Iterator[str]:
        """The changes, one JSON text per line, in the sender's order."""
        yield from self.change_line_list()

    def change_line_list(self) -> list[str]:
        """`change_lines` as a list (blank lines left out)."""
        # (not line.isspace(): the same test as line.strip() without a copy of each line)
        return [line for line in self.changes_text.split("\n") if line and not line.isspace()]


def build(
    *,
    kind: str,
    schema_version: int,
    team_id: str,
    recipient_key: str,
    bundle_id: str,
    created_at: str,
    sender_device: str,
    sender_name: str,
    target: str,
    sender_vector: dict[str, Any],
    ranges: dict[str, list[list[int]]],
    counts: dict[str, Any],
    change_lines: Iterable[str],
    snapshot: dict[str, Any] | None = None,
    app_version: str = "",
) -> bytes:
    """The encrypted bundle file's bytes (the caller writes them with write_atomically)."""
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    lines = change_lines if isinstance(change_lines, list) else list(change_lines)
    # Ends with a newline; one copy of the text fewer than join(...) + "\n" (~37 MB for
    # 100,000 changes).
    changes = "\n".join([*lines, ""]).encode("utf-8") if lines else b""
    members: dict[str, bytes] = {CHANGES: changes}
    if kind == "snapshot":
        members[SNAPSHOT] = json.dumps(snapshot or {}, sort_keys=True).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "schema_version": schema_version,
        "app_version": app_version,
        "team_id": team_id,
        "bundle_id": bundle_id,
        "created_at": created_at,
        "sender": {"device_id": sender_device, "name": sender_name},
        "target": target,
        "sender_vector": sender_vector,
        "ranges": ranges,
        "counts": counts,
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in members.items()
        },
    }
    buffer = io.BytesIO()
    # Level 1: JSON lines still shrink ~6x, at a fraction of the default level's time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        for name, data in members.items():
            zf.writestr(name, data)
    return seal(BUNDLE_MAGIC, team_id, buffer.getvalue(), recipient_key)


def peek_team(data: bytes) -> str:
    """The team id on a bundle's plain header line (not yet verified)."""
    label, _ = split(data, BUNDLE_MAGIC, _WHAT)
    return label


def read(data: bytes, team_id: str, secret_key: str, our_schema: int) -> OpenedBundle:
    """Check and open a bundle's bytes for the team `team_id`; BundleError if unusable.

    Nothing here touches a database: a caller applies the result only once this returns.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BundleError("too_big", "This bundle is larger than any microcare makes: refused.")
    label, body = split(data, BUNDLE_MAGIC, _WHAT)
    if label and label != team_id:
        raise BundleError(
            "other_team",
            f"This bundle is from another team ({label}), not yours: nothing was changed.",
        )
    payload = open_sealed(body, secret_key, _WHAT)
    members = _unzip(payload)
    manifest = _parse_manifest(members[MANIFEST])
    if manifest.team_id != team_id:
        raise BundleError(
            "other_team", "This bundle is from another team, not yours: nothing was changed."
        )
    _check_members(manifest, members)
    try:
        changes_text = members[CHANGES].decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError("bad_changes", "The bundle's changes are not readable text.") from None
    snapshot = None
    if manifest.kind == "snapshot":
        snapshot = _json_object(members[SNAPSHOT], SNAPSHOT)
    return OpenedBundle(
        manifest=manifest,
        file_sha256=hashlib.sha256(data).hexdigest(),
        changes_text=changes_text,
        snapshot=snapshot,
        update_recommended=manifest.schema_version > our_schema,
    )


def _unzip(payload: bytes) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise BundleError(
            "bad_member", f"The bundle's contents are not readable ({type(exc).__name__})."
        ) from None
    names = [info.filename for info in infos]
    for name in names:
        if name not in MAX_MEMBER_BYTES:
            shown = name.encode("unicode_escape").decode("ascii")[:60]
            raise BundleError(
                "members", f"The bundle holds an unexpected file ({shown!r}): refused."
            )
    if len(set(names)) != len(names):
        raise BundleError("members", "The bundle holds a file twice: refused.")
    if MANIFEST not in names or CHANGES not in names:
        raise BundleError("members", "The bundle is missing its manifest or its changes.")
    out = {}
    for info in infos:
        out[info.filename] = _read_member(zf, info)
    return out


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    limit = MAX_MEMBER_BYTES[info.filename]
    if info.file_size > limit or (
        info.compress_size and info.file_size > MAX_RATIO * info.compress_size + 4096
    ):
        raise BundleError("too_big", f"The bundle's {info.filename} is too large: refused.")
    chunks = []
    total = 0
    try:
        with zf.open(info) as fh:
            # Read against the declared size, never trusting it: a lying header stops here.
            while chunk := fh.read(1 << 20):
                total += len(chunk)
                if total > info.file_size or total > limit:
                    raise BundleError(
                        "too_big", f"The bundle's {info.filename} is larger than it says: refused."
                    )
                chunks.append(chunk)
    except BundleError:
        raise
    except Exception as exc:  # zlib.error, BadZipFile (CRC), EOFError, NotImplementedError
        raise BundleError(
            "bad_member", f"The bundle's {info.filename} is not readable ({type(exc).__name__})."
        ) from None
    return b"".join(chunks)


def _json_object(data: bytes, name: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError("bad_manifest", f"The bundle's {name} is not valid JSON.") from None
    if not isinstance(value, dict):
        raise BundleError("bad_manifest", f"The bundle's {name} is not a JSON object.")
    return value


_KNOWN = {
    "format",
    "format_version",
    "kind",
    "schema_version",
    "app_version",
    "team_id",
    "bundle_id",
    "created_at",
    "sender",
    "target",
    "sender_vector",
    "ranges",
    "counts",
    "members",
}


def _parse_manifest(data: bytes) -> Manifest:
    raw = _json_object(data, MANIFEST)
    if raw.get("format") != FORMAT:
        raise BundleError("bad_manifest", "The bundle's manifest is not a microcare manifest.")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError("bad_manifest", "The bundle's manifest has no valid format version.")
    if version > FORMAT_VERSION:
        raise BundleError(
            "future_format",
            f"This bundle uses format {version}, made by a newer microcare (this one reads "
            f"format {FORMAT_VERSION}): update microcare to import it. Nothing was changed.",
        )
    sender = _typed(raw, "sender", dict)
    manifest = Manifest(
        kind=_typed(raw, "kind", str),
        schema_version=_typed(raw, "schema_version", int),
        team_id=_typed(raw, "team_id", str),
        bundle_id=_typed(raw, "bundle_id", str),
        created_at=_typed(raw, "created_at", str),
        sender_device=_typed(sender, "device_id", str),
        sender_name=str(sender.get("name") or ""),
        target=_typed(raw, "target", str),
        sender_vector=_typed(raw, "sender_vector", dict),
        ranges=_ranges(_typed(raw, "ranges", dict)),
        counts=_typed(raw, "counts", dict),
        members=_typed(raw, "members", dict),
        app_version=str(raw.get("app_version") or ""),
        extra={k: v for k, v in raw.items() if k not in _KNOWN},
    )
    if manifest.kind not in KINDS:
        raise BundleError("bad_manifest", f"Unknown bundle kind {manifest.kind[:20]!r}.")
    count = manifest.counts.get("changes")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise BundleError("bad_manifest", "The bundle's manifest has no valid change count.")
    return manifest


def _typed(raw: dict[str, Any], key: str, kind: type) -> Any:
    value = raw.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BundleError("bad_manifest", f"The bundle's manifest has no valid {key}.")
    if kind is str and not value:
        raise BundleError("bad_manifest", f"The bundle's manifest has an empty {key}.")
    return value


def _ranges(raw: dict[str, Any]) -> dict[str, list[list[int]]]:
    out: dict[str, list[list[int]]] = {}
    for origin, spans in raw.items():
        if not isinstance(spans, list):
            raise BundleError("bad_manifest", "The bundle's manifest has invalid ranges.")
        clean = []
        for span in spans:
            ok = (
                isinstance(span, list)
                and len(span) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) for n in span)
                and 1 <= span[0] <= span[1]
            )
            if not ok:
                raise BundleError("bad_manifest", "The bundle's manifest has invalid ranges.")
            clean.append([span[0], span[1]])
        out[str(origin)] = clean
    return out


def _check_members(manifest: Manifest, members: dict[str, bytes]) -> None:
    expected = {CHANGES} | ({SNAPSHOT} if manifest.kind == "snapshot" else set())
    if set(manifest.members) != expected or set(members) - {MANIFEST} != expected:
        raise BundleError(
            "members", "The bundle's files do not match what its manifest lists: refused."
        )
    for name in sorted(expected):
        listed = manifest.members[name]
        data = members[name]
        if not isinstance(listed, dict):
            raise BundleError("bad_manifest", "The bundle's manifest lists a file wrongly.")
        if listed.get("bytes") != len(data) or (
            listed.get("sha256") != hashlib.sha256(data).hexdigest()
        ):
            raise BundleError(
                "hash_mismatch",
                f"The bundle's {name} does not match its checksum (changed after it was "
                "made?): refused. Nothing was changed.",
            )
