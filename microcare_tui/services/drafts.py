"""The call screen's drafts: unsaved calls kept in the database, so a crash loses at most a
field.

Drafts live in the device-local table `_draft` (store.drafts): never exported by sync, not in
the change log, and inside the database file, so encryption at rest covers the caller's
details they hold. Each call being taken has its own draft (by id), so a draft the worker
chose to answer later is never overwritten by the next call's.

A draft is deleted only when its call is saved, when the worker leaves that call without
saving (they were asked), or when the worker chooses to discard it. One that cannot be read
is kept aside (never offered again, never dropped) and the worker is told.

Before drafts were kept in the database, one was kept as a plain JSON file in the user data
folder (drafts/call.json); `load_drafts` moves such files into the table once and deletes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcare_tui import config
from microcare_tui.domain.errors import DatabaseUnavailable
from microcare_tui.domain.ids import new_id
from microcare_tui.services.call_views import Draft, Notice
from microcare_tui.services.database import Database
from microcare_tui.store import drafts as draft_store

SET_ASIDE = "A saved call could not be read and was kept aside"
# The files earlier versions wrote: the draft, a write cut short, one set aside as damaged.
OLD_FILES = ("call.json", "call.json.tmp", "call.damaged.json")


@dataclass(frozen=True)
class KeptDrafts:
    """The drafts of unsaved calls, newest first, and how many were just set aside."""

    drafts: list[Draft] = field(default_factory=list)
    set_aside: int = 0

    @property
    def notice(self) -> Notice | None:
        """What to tell the worker about drafts that could not be read (None: nothing)."""
        if not self.set_aside:
            return None
        text = SET_ASIDE if self.set_aside == 1 else f"{self.set_aside} saved calls could not "
        if self.set_aside > 1:
            text += "be read and were kept aside"
        return Notice(text + " (nothing else was lost).", "warning")


def old_drafts_folder() -> Path:
    """Where earlier versions kept the call's draft as a file."""
    return config.data_dir() / "drafts"


def write_draft(db: Database, draft_id: str, data: dict[str, Any]) -> bool:
    """Keep (or update) the draft `draft_id`. False when the database is busy or refuses:
    the caller keeps the draft's data and tries again at the next chance."""
    try:
        draft_store.save(db, draft_id, json.dumps(data, ensure_ascii=False), _now())
    except DatabaseUnavailable:
        return False
    return True


def delete_draft(db: Database, draft_id: str) -> None:
    """Forget one draft (its call was saved or left, or the worker discarded it)."""
    draft_store.delete(db, draft_id)


def load_drafts(db: Database) -> KeptDrafts:
    """The drafts to offer back, newest first; unreadable ones are set aside and counted."""
    move_old_draft_files(db)
    drafts: list[Draft] = []
    set_aside = 0
    for row in draft_store.readable(db):
        data = _read(str(row["body"]))
        if data is None:
            try:
                draft_store.set_aside(db, str(row["id"]))
            except DatabaseUnavailable:
                pass  # busy: it is set aside (and reported) again next time
            set_aside += 1
        else:
            drafts.append(Draft(str(row["id"]), data))
    return KeptDrafts(drafts, set_aside)


def _read(body: str) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        return None
    return data


def move_old_draft_files(db: Database) -> int:
    """Move draft files left by earlier versions into the database, then delete them.

    Each file is taken as it is (a damaged one too: the next load sets it aside and says
    so) and deleted only once it is in the database. Returns how many files were moved.
    """
    folder = old_drafts_folder()
    moved = 0
    for name in OLD_FILES:
        path = folder / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # unreadable here: left for the next start, when it may be readable
        body = raw.decode("utf-8", errors="backslashreplace")
        data = _read(body)
        written = str(data.get("written_at")) if data else ""
        if not written:
            written = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()
        try:
            if not draft_store.has_body(db, body):  # moved before, but the file stayed
                draft_store.save(db, new_id(), body, written)
        except DatabaseUnavailable:
            return moved  # busy: the files stay until the next time
        path.unlink(missing_ok=True)
        moved += 1
    try:
        folder.rmdir()  # only if empty: anything else someone put there stays
    except OSError:
        pass
    return moved


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
