"""Sync by files: export this laptop's news to a bundle, import colleagues' bundles.

- Export holds every change the recipient is not known to have: one colleague (what its
  last bundle said it had), everyone heard from (what any of them lacks), or everything (a
  snapshot, to set up a new laptop). Exporting never counts as delivery: only a bundle
  *from* a colleague tells us what it has.
- Import checks the whole file first (sync/bundle.py), then applies its changes in one
  transaction with the bookkeeping (all or nothing), and says what it did.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from microcare_tui import __version__
from microcare_tui.domain.errors import MicrocareError
from microcare_tui.domain.hlc import wall_ms_now, wall_of
from microcare_tui.domain.ids import new_id
from microcare_tui.services.database import Database
from microcare_tui.services.team import TeamError, require_team, slug
from microcare_tui.store import team as team_store
from microcare_tui.store.db import utc_now
from microcare_tui.store.migrate import latest_version
from microcare_tui.sync import bundle
from microcare_tui.sync.changes import (
    ApplyReport,
    Change,
    VersionVector,
    apply_changes,
    changes_not_in_json_batches,
    gc_paused,
    local_vector,
    peer_vector,
    record_export,
    record_peer,
)
from microcare_tui.sync.envelope import BundleError, write_atomically

EVERYONE = "everyone"
# A bundle whose newest change is stamped further ahead of this laptop's clock than this is
# held, not applied: one laptop with a clock months ahead would otherwise win every clash
# until real time caught up (hybrid clocks carry the skew on to every laptop).
MAX_SKEW_MS = 24 * 3600 * 1000
SNAPSHOT = "snapshot"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ExportResult:
    """A bundle written (or why none was)."""

    path: Path
    bundle_id: str
    kind: str
    target: str
    target_name: str
    changes: int
    seconds: float


@dataclass
class ImportResult:
    """What importing one bundle did, in the words the report uses."""

    path: Path
    sender: str
    sender_name: str
    already: bool = False
    own: bool = False
    new_changes: int = 0
    duplicates: int = 0
    records_changed: int = 0
    new_conflicts: int = 0
    possible_duplicates: int = 0
    gaps: list[str] = field(default_factory=list)
    update_recommended: bool = False
    kind: str = "changes"
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The import report, one fact per line."""
        who = self.sender_name or short_device(self.sender)
        if self.own:
            return [f"{self.path.name}: made on this laptop; nothing to import."]
        if self.already:
            return [f"{self.path.name}: already imported; nothing changed."]
        out = [
            f"{self.path.name}: from {who}"
            + (" (a snapshot)" if self.kind == SNAPSHOT else "")
            + f": {self.new_changes:,} new change(s), {self.duplicates:,} duplicate(s) "
            f"skipped, {self.records_changed:,} record(s) changed, "
            f"{self.new_conflicts:,} new conflict(s), "
            f"{self.possible_duplicates:,} possible duplicate record(s)."
        ]
        out += [f"  {gap}: ask for their next bundle." for gap in self.gaps]
        if self.new_conflicts:
            out.append("  Review conflicts: `microcare sync conflicts`, or 8 then c in the app.")
        if self.update_recommended:
            out.append(
                "  This bundle came from a newer microcare: what this version knows was "
                "applied and the rest kept; update recommended."
            )
        return out


def short_device(device_id: str) -> str:
    """A device id as people see it: its last 8 characters (the start of a UUIDv7 is the
    time it was made, the same for laptops set up on one day)."""
    return device_id[-8:]


def bundle_name(team_name: str, device: str, when: datetime | None = None) -> str:
    """A bundle's file name: whose and when, plus a random part so names never collide
    (e.g. microcare-kent-east-3f2a91-20261130-0912-7c1e.mcbundle)."""
    when = when or datetime.now(UTC)
    rand = new_id()[-4:]
    stamp = f"{when:%Y%m%d-%H%M}"
    return f"microcare-{slug(team_name)}-{short_device(device)}-{stamp}-{rand}{bundle.SUFFIX}"


def _device_names(db: Database) -> dict[str, str]:
    names = {d["device_id"]: d["name"] for d in team_store.devices_seen(db)}
    names[db.device_id] = "this laptop"
    return names


def resolve_target(db: Database, target: str | None) -> tuple[str, str]:
    """(device id or EVERYONE or SNAPSHOT, a name for it) for `--for`: a device id, the
    start of one, or the name a colleague's bundles carry (case ignored)."""
    if not target or target == EVERYONE:
        return EVERYONE, "everyone heard from"
    if target == SNAPSHOT:
        return SNAPSHOT, "a new laptop (snapshot)"
    devices = team_store.devices_seen(db)
    wanted = target.strip().lower()
    found = [
        d
        for d in devices
        if d["name"].strip().lower() == wanted
        or (len(wanted) >= 4 and wanted in d["device_id"].lower())
    ]
    if len(found) == 1:
        return found[0]["device_id"], found[0]["name"]
    if not found:
        known = (
            ", ".join(f"{d['name']} ({short_device(d['device_id'])})" for d in devices)
            or "none yet"
        )
        raise TeamError(
            f"No colleague's laptop matches {target!r}. Laptops heard from: {known}. "
            "Use `--for snapshot` for a new laptop."
        )
    raise TeamError(f"{target!r} matches more than one laptop: give more of the device id.")


def _have_for(db: Database, target: str) -> VersionVector:
    """What the recipient(s) are known to have: for everyone, only what all of them have."""
    if target == SNAPSHOT:
        return VersionVector()
    if target != EVERYONE:
        return peer_vector(db, target)
    peers = [peer_vector(db, d["device_id"]) for d in team_store.devices_seen(db)]
    if not peers:
        return VersionVector()
    mine = local_vector(db)
    needed = VersionVector()
    for origin in mine.origins():
        for lo, hi in mine.spans(origin):
            for vector in peers:
                for a, b in vector.lacking(origin, lo, hi):
                    needed.add_range(origin, a, b)
    have = VersionVector()
    for origin in mine.origins():
        for lo, hi in mine.spans(origin):
            for a, b in needed.lacking(origin, lo, hi):
                have.add_range(origin, a, b)
    return have


def export_bundle(
    db: Database,
    folder: Path,
    target: str | None = None,
    also_have: VersionVector | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a bundle into `folder` for `target` (a device, EVERYONE or SNAPSHOT).

    `also_have` adds changes known to be on their way already (the team folder's own files).
    """
    started = time.perf_counter()
    team = require_team(db)
    target, target_name = resolve_target(db, target)
    folder = Path(folder)
    if not folder.is_dir():
        raise TeamError(f"There is no folder {folder}: make it, or check the USB stick is in.")
    have = _have_for(db, target)
    if also_have is not None:
        have = have.merge(also_have)
    kind = SNAPSHOT if target == SNAPSHOT else "changes"
    vector = local_vector(db)
    # The ranges sent are what this laptop has and the recipient lacks: vector arithmetic,
    # so the lines themselves come straight from SQLite, never parsed here.
    ranges = VersionVector()
    for origin in vector.origins():
        for lo, hi in vector.spans(origin):
            for a, b in have.lacking(origin, lo, hi):
                ranges.add_range(origin, a, b)
    lines: list[str] = []
    reported = 0
    for batch in changes_not_in_json_batches(db, have):
        lines.extend(batch)
        if progress is not None and len(lines) - reported >= 20_000:
            reported = len(lines)
            progress("Reading changes", reported, 0)
    bundle_id = new_id()
    data = bundle.build(
        kind=kind,
        schema_version=_our_schema(),
        team_id=team.id,
        recipient_key=team.recipient,
        bundle_id=bundle_id,
        created_at=utc_now(),
        sender_device=db.device_id,
        sender_name=db.worker,
        target=target,
        sender_vector=vector.to_json(),
        ranges=ranges.to_json(),
        counts={"changes": len(lines)},
        change_lines=lines,
        snapshot={"tables": team_store.table_rows(db)} if kind == SNAPSHOT else None,
        app_version=__version__,
    )
    path = _write_new(folder, team.name, db.device_id, data)
    with db.transaction():
        team_store.record_seen(
            db,
            hashlib.sha256(data).hexdigest(),
            bundle_id,
            "exported",
            name=path.name,
            folder=str(folder.resolve()),
            ranges=ranges.to_json(),
            vector=vector.to_json(),
        )
        record_export(db, bundle_id, target)
    return ExportResult(
        path=path,
        bundle_id=bundle_id,
        kind=kind,
        target=target,
        target_name=target_name,
        changes=len(lines),
        seconds=time.perf_counter() - started,
    )


def _write_new(folder: Path, team_name: str, device: str, data: bytes) -> Path:
    for _ in range(5):
        path = folder / bundle_name(team_name, device)
        try:
            return write_atomically(path, data)
        except FileExistsError:
            continue  # the same minute and random part: take another
        except OSError as exc:
            raise TeamError(
                f"Cannot write the bundle in {folder}: {exc.strerror or exc}. Nothing was "
                "exported (no partial file is left)."
            ) from None
    raise TeamError(f"Cannot find a free file name in {folder}.")


@functools.cache
def _our_schema() -> int:
    return latest_version()


def read_file(path: Path) -> bytes:
    """A bundle file's bytes (MicrocareError naming the problem; a size no bundle has is
    refused before reading)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > bundle.MAX_FILE_BYTES:
            raise BundleError("too_big", "This bundle is larger than any microcare makes.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise MicrocareError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise MicrocareError(f"{path} is a folder, not a bundle.") from None
    except OSError as exc:
        raise MicrocareError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return data


def import_bundle(
    db: Database, path: Path, progress: Progress | None = None, accept_clock: bool = False
) -> ImportResult:
    """Check and apply one bundle file, all or nothing; idempotent (see `import_data`)."""
    require_team(db)
    return import_data(db, read_file(path), Path(path), progress, accept_clock)


def import_data(
    db: Database,
    data: bytes,
    path: Path,
    progress: Progress | None = None,
    accept_clock: bool = False,
) -> ImportResult:
    """Check and apply a bundle's bytes (read from `path`), all or nothing; idempotent.

    Every check (file, encryption, members, manifest, every change line) runs before the
    database is touched; then one transaction applies the changes and records the import.
    """
    started = time.perf_counter()
    team = require_team(db)
    opened = bundle.read(data, team.id, team.secret_key, _our_schema())
    manifest = opened.manifest
    result = ImportResult(
        path=path,
        sender=manifest.sender_device,
        sender_name=manifest.sender_name,
        kind=manifest.kind,
        update_recommended=opened.update_recommended,
    )
    if manifest.sender_device == db.device_id:
        result.own = True
        return result
    earlier = team_store.imported_sha(db, manifest.bundle_id)
    if earlier is not None:
        if earlier != opened.file_sha256:
            raise BundleError(
                "tampered",
                "A different file with this bundle's id was imported before: refused.",
            )
        result.already = True
        return result
    with gc_paused():
        return _check_and_apply(db, opened, (path, started), result, progress, accept_clock)


def _check_and_apply(
    db: Database,
    opened: bundle.OpenedBundle,
    source: tuple[Path, float],
    result: ImportResult,
    progress: Progress | None,
    accept_clock: bool,
) -> ImportResult:
    # Imported here, not with this module: an export (a process of its own from the command
    # line) never merges, and the merge's module was ~0.1 s of its start.
    from microcare_tui.sync.merge import IdentityCollision

    path, started = source
    manifest = opened.manifest
    changes = _parse_changes(opened)
    try:
        sender_vector = VersionVector.from_json(manifest.sender_vector)
    except ValueError:
        raise BundleError("bad_manifest", "The bundle's manifest has an invalid vector.") from None
    if not accept_clock:
        _check_clock(changes, manifest.sender_name or short_device(manifest.sender_device))
    if progress is not None:
        progress("Applying changes", 0, len(changes))
    try:
        with db.transaction():
            report = _apply(db, opened, changes, sender_vector, path)
    except IdentityCollision as exc:
        raise BundleError("collision", f"{exc} Nothing was changed.") from None
    if progress is not None:
        progress("Applying changes", len(changes), len(changes))
    result.new_changes = report.new_changes
    result.duplicates = report.duplicates
    result.records_changed = report.records_changed
    result.new_conflicts = report.new_conflicts
    result.gaps = report.gap_text(_device_names(db))
    result.possible_duplicates = _possible_duplicates(db, report.duplicate_candidates)
    result.seconds = time.perf_counter() - started
    return result


def _check_clock(changes: list[Change], sender: str) -> None:
    # Clock texts are fixed width (checked as each line was read), so the greatest text is the
    # latest time: one conversion, not one per change.
    newest = wall_of(max(c.hlc for c in changes)) if changes else 0
    ahead = newest - wall_ms_now()
    if ahead > MAX_SKEW_MS:
        days = ahead / 86_400_000
        raise BundleError(
            "clock_ahead",
            f"Held, not imported: {sender}'s laptop clock looks {days:.1f} days ahead, so its "
            "edits would win every clash. Ask them to set the date right and export again, or "
            "import with --accept-clock if the dates are right. Nothing was changed.",
        )


def _apply(
    db: Database,
    opened: bundle.OpenedBundle,
    changes: list[Change],
    sender_vector: VersionVector,
    path: Path,
) -> ApplyReport:
    """The changes and the bookkeeping, inside the caller's transaction."""
    manifest = opened.manifest
    report = apply_changes(db, changes, sender_vector)
    record_peer(db, manifest.sender_device, sender_vector)
    team_store.heard_from(db, manifest.sender_device, manifest.sender_name, manifest.created_at)
    counts = {
        "new": report.new_changes,
        "duplicates": report.duplicates,
        "records": report.records_changed,
        "conflicts": report.new_conflicts,
    }
    team_store.record_import(
        db, manifest.bundle_id, opened.file_sha256, manifest.sender_device, counts
    )
    team_store.record_seen(db, opened.file_sha256, manifest.bundle_id, "imported", path.name)
    return report


def _parse_changes(opened: bundle.OpenedBundle) -> list[Change]:
    read = Change.from_json
    lines = opened.change_line_list()
    try:
        changes = Change.many_from_json(lines)
    except ValueError:
        # Read again one by one only to say which line: the rules are the same.
        for number, line in enumerate(lines, start=1):
            try:
                read(line)
            except ValueError:
                raise BundleError(
                    "bad_changes",
                    f"The bundle's change on line {number} is not readable: refused.",
                ) from None
        raise
    if len(changes) != opened.manifest.change_count:
        raise BundleError(
            "bad_changes",
            f"The bundle holds {len(changes)} changes but its manifest says "
            f"{opened.manifest.change_count}: refused.",
        )
    return changes


def _possible_duplicates(db: Database, candidates: set[str]) -> int:
    """How many possible duplicate pairs the import brought: pairs with a provider it
    inserted or changed in a column pairs are found by (the Sync screen lists them all)."""
    from microcare_tui.sync.duplicates import possible_duplicates_with

    return len(possible_duplicates_with(db, candidates))
