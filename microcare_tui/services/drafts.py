"""The call screen's draft: one unsaved call kept on disk, so a crash loses at most a field.

The draft is a JSON file in the user data folder (drafts/call.json), written atomically. It
sits behind these three functions so the data-protection work can move it (into the
database, encrypted) without touching the call.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from microcare_tui import config


def draft_path() -> Path:
    """Where the call's draft is kept (one call at a time)."""
    return config.data_dir() / "drafts" / "call.json"


def write_draft(data: dict[str, Any]) -> None:
    """Write the draft atomically: a crash mid-write leaves the previous draft whole."""
    path = draft_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_draft() -> dict[str, Any] | None:
    """The kept draft, or None (a damaged draft is set aside, not fatal)."""
    path = draft_path()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        try:
            os.replace(path, path.with_name("call.damaged.json"))
        except OSError:
            pass
        return None
    return data if isinstance(data, dict) and isinstance(data.get("values"), dict) else None


def delete_draft() -> None:
    """Forget the kept draft (if there is one)."""
    try:
        draft_path().unlink()
    except FileNotFoundError:
        pass
