"""Device identity: each database file on each laptop logs changes under its own device id.

A database copied to another laptop, or restored from a backup, would otherwise carry on
numbering under the original's id, and two files would log different changes as the same
(origin, seq). So the file records the identity it was last opened under: a random id for
this machine (kept in the user's config folder; MICROCARE_MACHINE_ID overrides it, as the
tests do),
the file system and the file's inode. Opening under another identity (a copy has another
inode; another laptop another machine id) gives the database a new device id: its earlier
changes stay in the log under the old one, as any colleague's would.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from microcare_tui.config import APP_NAME
from microcare_tui.domain.ids import new_id
from microcare_tui.store import sync_log
from microcare_tui.store.db import Store

MACHINE_FILE = "machine-id"


def machine_id() -> str:
    """This machine's random id (made on first use); MICROCARE_MACHINE_ID overrides it."""
    override = os.environ.get("MICROCARE_MACHINE_ID")
    if override:
        return override
    import platformdirs  # imported on first use: `microcare search` never needs it

    path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / MACHINE_FILE
    try:
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
    except (OSError, UnicodeDecodeError):
        pass
    value = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{MACHINE_FILE}.{os.getpid()}.partial")
        tmp.write_text(value + "\n", encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        return "unknown-machine"  # a read-only home: the inode still tells copies apart
    return value


def file_identity(path: Path) -> str:
    """'machine|device|inode' of a database file."""
    st = Path(path).stat()
    return f"{machine_id()}|{st.st_dev}|{st.st_ino}"


def ensure_identity(store: Store) -> bool:
    """Check this database is the file it was last opened as; if not (a copy, a restore),
    give it a new device id. Returns True when the id changed. Cheap: one stat, one read."""
    current = file_identity(store.path)
    _, recorded = sync_log.device_row(store)
    if recorded == current:
        return False
    with store.transaction():
        _, recorded = sync_log.device_row(store)  # again, under the write lock
        if recorded is None:
            sync_log.set_file_identity(store, current)
            return False
        if recorded == current:
            return False
        sync_log.replace_device(store, new_id(), current, "opened as a copy or a restore")
    return True
