"""The team folder (one step: import what is new there, export this laptop's news), and the
sync status the Sync screen and `microcare sync status` show.

The folder is safe when laptops write to it at once: each bundle is written under a
temporary name ('.NAME.partial', skipped by readers) and renamed, names never collide (a
random part), a file still being copied in by a sync tool fails its check and is simply
tried again next time, and nothing in the folder is ever changed or deleted by a reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from microcare_tui.domain.errors import MicrocareError
from microcare_tui.services.database import Database
from microcare_tui.services.sync import (
    EVERYONE,
    ExportResult,
    ImportResult,
    Progress,
    _have_for,
    export_bundle,
    import_bundle,
)
from microcare_tui.services.team import TeamError, TeamView, current_team, require_team
from microcare_tui.store import team as team_store
from microcare_tui.sync import bundle
from microcare_tui.sync.changes import VersionVector, local_vector, peer_vector


@dataclass
class FolderResult:
    """What one folder sync did."""

    folder: Path
    imports: list[ImportResult] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    export: ExportResult | None = None

    def lines(self) -> list[str]:
        """The report, one fact per line."""
        out = []
        for result in self.imports:
            out += result.lines()
        for name, message in self.refused:
            out.append(f"{name}: not imported: {message}")
        if self.skipped:
            out.append(f"{self.skipped} bundle(s) in the folder were read before (skipped).")
        if not self.imports and not self.refused:
            out.append("No new bundles from colleagues in the folder.")
        if self.export is not None:
            out.append(
                f"Wrote {self.export.path.name}: {self.export.changes:,} change(s) for the team."
            )
        else:
            out.append("Nothing new to send: colleagues have (or are sent) everything here.")
        return out


def bundle_files(folder: Path) -> list[Path]:
    """The finished bundles in `folder`, oldest name first (partial and hidden files are
    skipped: they are still being written)."""
    try:
        entries = list(Path(folder).iterdir())
    except FileNotFoundError:
        raise TeamError(f"There is no folder {folder}.") from None
    except NotADirectoryError:
        raise TeamError(f"{folder} is a file, not a folder.") from None
    except OSError as exc:
        raise TeamError(f"Cannot read the folder {folder}: {exc.strerror or exc}.") from None
    return sorted(
        (p for p in entries if p.name.endswith(bundle.SUFFIX) and not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def _sha_of(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None  # gone or unreadable meanwhile: its import will say so


def sync_folder(db: Database, folder: Path, progress: Progress | None = None) -> FolderResult:
    """Import every bundle in `folder` not seen here, then export this laptop's news there."""
    require_team(db)
    folder = Path(folder).expanduser()
    result = FolderResult(folder=folder)
    seen = team_store.seen_files(db)
    files = bundle_files(folder)
    for number, path in enumerate(files, start=1):
        if progress is not None:
            progress("Reading the folder", number, len(files))
        sha = _sha_of(path)
        if sha is not None and sha in seen:
            result.skipped += 1
            continue
        try:
            imported = import_bundle(db, path)
        except MicrocareError as exc:
            result.refused.append((path.name, exc.message))
            continue
        if imported.own or imported.already:
            result.skipped += 1
            continue
        result.imports.append(imported)
    result.export = _export_news(db, folder, {p.name for p in files}, progress)
    return result


def _export_news(
    db: Database, folder: Path, present: set[str], progress: Progress | None
) -> ExportResult | None:
    """Export for everyone, leaving out what this laptop's bundles still in the folder hold;
    nothing when there is nothing to send and the last bundle there already told colleagues
    what this laptop has."""
    on_the_way = VersionVector()
    last_vector: dict[str, object] | None = None
    for made in team_store.exported_to(db, str(folder.resolve())):
        if made["name"] in present:
            on_the_way = on_the_way.merge(VersionVector.from_json(made["ranges"]))
            last_vector = made["vector"]
    vector = local_vector(db)
    have = _have_for(db, EVERYONE).merge(on_the_way)
    if not _lacks_any(vector, have) and last_vector == vector.to_json():
        return None
    return export_bundle(db, folder, EVERYONE, also_have=on_the_way, progress=progress)


def _lacks_any(mine: VersionVector, have: VersionVector) -> bool:
    return any(have.lacking(o, lo, hi) for o in mine.origins() for lo, hi in mine.spans(o))


def _count_lacking(mine: VersionVector, have: VersionVector) -> int:
    return sum(
        b - a + 1
        for o in mine.origins()
        for lo, hi in mine.spans(o)
        for a, b in have.lacking(o, lo, hi)
    )


# -- status --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceView:
    """A colleague's laptop as the Sync screen lists it."""

    device_id: str
    name: str
    last_heard_at: str
    bundles: int
    lacks: int  # changes this laptop holds that it is not known to have
    has: int  # changes it is known to have


@dataclass(frozen=True)
class SyncStatus:
    """This laptop's sync state."""

    team: TeamView | None
    device_id: str
    worker: str
    changes_held: int
    to_send: int
    devices: list[DeviceView]
    open_conflicts: int


def time_text(stamp: str) -> str:
    """A stored UTC time as the worker's local date and time ("30/11/2026 09:12")."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return stamp or "never"


def _total(vector: VersionVector) -> int:
    return sum(hi - lo + 1 for o in vector.origins() for lo, hi in vector.spans(o))


def sync_status(db: Database) -> SyncStatus:
    """The team, this laptop, and each colleague's laptop with what it is known to have.

    Vector arithmetic only (a few ranges per laptop), so cheap at any database size.
    """
    mine = local_vector(db)
    devices = []
    for seen in team_store.devices_seen(db):
        theirs = peer_vector(db, seen["device_id"])
        devices.append(
            DeviceView(
                device_id=seen["device_id"],
                name=seen["name"],
                last_heard_at=seen["last_heard_at"],
                bundles=int(seen["bundles"]),
                lacks=_count_lacking(mine, theirs),
                has=_total(theirs),
            )
        )
    return SyncStatus(
        team=current_team(db),
        device_id=db.device_id,
        worker=db.worker,
        changes_held=_total(mine),
        to_send=_count_lacking(mine, _have_for(db, EVERYONE)) if devices else _total(mine),
        devices=devices,
        open_conflicts=_open_conflicts(db),
    )


def _open_conflicts(db: Database) -> int:
    from microcare_tui.sync.conflicts import conflicts

    return len(conflicts(db))
