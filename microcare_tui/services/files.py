"""The files a database lives in: making its folder, deleting it with its side files, and
the partial files a new database is built in before it takes its name. Each failure is a
DatabaseUnavailable whose message names the file and the reason, never a bare OSError."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from microcare_tui.domain.errors import DatabaseUnavailable


def is_new_file(path: Path) -> bool:
    """True for no file yet, or an empty regular file (`touch team.db`), which SQLite
    makes a database."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return True  # (make_folder says why a folder on the way is a file)
    except OSError:
        return False  # inspect_file says what is wrong
    return stat.S_ISREG(st.st_mode) and st.st_size == 0


def make_folder(path: Path) -> None:
    """Make the folder a new database file goes in, or say why it cannot be made."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DatabaseUnavailable(
            f"Cannot make the folder {path.parent}: a file of that name is in the way."
        ) from None
    except NotADirectoryError:
        raise DatabaseUnavailable(
            f"Cannot make the folder {path.parent}: part of that path is a file, not a folder."
        ) from None
    except OSError as exc:
        raise file_error(exc, f"make the folder {path.parent}") from None


def file_error(exc: OSError, doing: str) -> DatabaseUnavailable:
    """A one-line message for a failed file operation (`doing`: "delete /x/demo.db")."""
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "the file or folder is locked against changes (immutable or protected)",
        errno.EROFS: "the disk is read-only",
        errno.ENOSPC: "the disk is full",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "part of the path is a file, not a folder",
        errno.ENOENT: "it does not exist",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return DatabaseUnavailable(f"Cannot {doing}: {reason}.")


def discard_database(path: Path) -> None:
    """Delete a database file and its journal, WAL and shared-memory files, where they
    exist; DatabaseUnavailable (never a half-done OSError) when one cannot be deleted."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder, not a database file: nothing deleted.")
    for p in (path, *(Path(f"{path}{side}") for side in ("-wal", "-shm", "-journal"))):
        try:
            p.unlink(missing_ok=True)
        except NotADirectoryError:
            return  # the folder is a file: nothing of this name can exist
        except OSError as exc:
            raise file_error(exc, f"delete {p}") from None


def partial_path(path: Path) -> Path:
    """Where a database for `path` is made before it takes its name: named for this process,
    so a later run can tell one still being made from one left by a killed run."""
    return path.with_name(f"{path.name}.{os.getpid()}.partial")


def start_partial(path: Path) -> Path:
    """Make the folder for `path` and an empty partial file in it (see `partial_path`),
    clearing partials left by killed runs; a folder we may not write in is named here."""
    make_folder(path)
    discard_stale_partials(path)
    tmp = partial_path(path)
    discard_database(tmp)
    try:
        tmp.touch()
    except OSError as exc:
        raise file_error(exc, f"write in {path.parent}") from None
    return tmp


def discard_stale_partials(path: Path) -> list[Path]:
    """Delete the partial files for `path` whose process is gone (killed mid-way); those
    of a run still going are left alone. Returns what was deleted."""
    gone: list[Path] = []
    try:
        import glob  # here: `microcare search` never needs it (~1 ms of its imports)

        candidates = list(path.parent.glob(f"{glob.escape(path.name)}.*partial"))
    except OSError:
        return gone
    for p in candidates:
        middle = p.name[len(path.name) : -len("partial")].strip(".")
        if middle and (not middle.isdigit() or _alive(int(middle))):
            continue  # not ours, or its maker is still running
        try:
            discard_database(p)
        except DatabaseUnavailable:
            continue  # reported when it matters; a stale leftover must not stop a run
        gone.append(p)
    return gone


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is not making it now (else it would not be cleaning)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
