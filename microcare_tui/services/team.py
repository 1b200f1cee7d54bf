"""Teams: the team lead makes a team and its key; each laptop joins it from the enrolment file.

The team key is an age X25519 key pair. Every bundle is encrypted to its public half, so
only laptops of the team can read one, and any change to a bundle is detected. The
enrolment file carries the key pair, encrypted with a passphrase the lead gives colleagues
separately (age's scrypt mode: ~1.6 s to open, which is fine once per laptop).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from microcare_tui.domain.errors import MicrocareError, ValidationFailed
from microcare_tui.domain.ids import new_id
from microcare_tui.services.database import Database, clean_name
from microcare_tui.store import team as team_store
from microcare_tui.store.db import utc_now
from microcare_tui.sync.envelope import (
    TEAM_MAGIC,
    BundleError,
    open_with_passphrase,
    seal_with_passphrase,
    split,
    write_atomically,
)

ENROLMENT_FORMAT = "microcare-team"
ENROLMENT_VERSION = 1
ENROLMENT_SUFFIX = ".mcteam"
MIN_PASSPHRASE = 8
_WHAT = "team enrolment file"


class TeamError(MicrocareError):
    """A team could not be made or joined (the message says why)."""


@dataclass(frozen=True)
class TeamView:
    """The team as shown on the Sync screen and by `microcare sync status`."""

    id: str
    name: str
    joined_at: str
    folder: str | None


@dataclass(frozen=True)
class NewTeam:
    """What `team init` made."""

    id: str
    name: str
    file: Path


def check_passphrase(passphrase: str) -> str:
    """The passphrase, or ValidationFailed when it is too short to protect the team key."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationFailed({"passphrase": f"At least {MIN_PASSPHRASE} characters"})
    return passphrase


def slug(name: str) -> str:
    """A short file-name-safe form of a team name ("Kent East" -> "kent-east")."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text[:24].strip("-") or "team"


def create_team(name: str, out: Path, passphrase: str) -> NewTeam:
    """Make a team (id, name, X25519 key pair) and write its enrolment file to `out`
    (mode 0600: it holds the key, protected by the passphrase). Refuses to overwrite."""
    from pyrage import x25519

    name = clean_name(name, "name", required=True, longest=60)
    check_passphrase(passphrase)
    out = Path(out)
    if out.is_dir():
        out = out / f"{slug(name)}{ENROLMENT_SUFFIX}"
    if out.exists():
        raise TeamError(f"{out} already exists: choose another file name; nothing was written.")
    identity = x25519.Identity.generate()
    team_id = new_id()
    payload = {
        "format": ENROLMENT_FORMAT,
        "format_version": ENROLMENT_VERSION,
        "team_id": team_id,
        "name": name,
        "recipient": str(identity.to_public()),
        "secret_key": str(identity),
        "created_at": utc_now(),
    }
    data = seal_with_passphrase(TEAM_MAGIC, "", json.dumps(payload).encode("utf-8"), passphrase)
    try:
        write_atomically(out, data, private=True)
    except FileExistsError:
        raise TeamError(f"{out} already exists: nothing was written.") from None
    except OSError as exc:
        raise TeamError(f"Cannot write {out}: {exc.strerror or exc}.") from None
    return NewTeam(id=team_id, name=name, file=out)


def read_enrolment(path: Path, passphrase: str) -> dict[str, str]:
    """The team in an enrolment file; BundleError when it is not one, or the passphrase is
    wrong, or it was changed."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise TeamError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise TeamError(f"{path} is a folder, not an enrolment file.") from None
    _, body = split(data, TEAM_MAGIC, _WHAT)
    raw = open_with_passphrase(body, passphrase, _WHAT)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleError("not_bundle", f"This {_WHAT} is not readable.") from None
    if not isinstance(payload, dict) or payload.get("format") != ENROLMENT_FORMAT:
        raise BundleError("not_bundle", f"This is not a microcare {_WHAT}.")
    if payload.get("format_version") != ENROLMENT_VERSION:
        raise BundleError(
            "future_format", f"This {_WHAT} was made by a newer microcare: update microcare."
        )
    keys = ("team_id", "name", "recipient", "secret_key")
    if not all(isinstance(payload.get(k), str) and payload[k] for k in keys):
        raise BundleError("not_bundle", f"This {_WHAT} is incomplete.")
    _check_key_pair(payload["recipient"], payload["secret_key"])
    return {k: payload[k] for k in keys}


def _check_key_pair(recipient: str, secret_key: str) -> None:
    from pyrage import x25519

    try:
        identity = x25519.Identity.from_str(secret_key)
    except Exception:
        raise BundleError("not_bundle", f"This {_WHAT} holds no valid team key.") from None
    if str(identity.to_public()) != recipient:
        raise BundleError("not_bundle", f"This {_WHAT}'s keys do not belong together.")


def join_team(db: Database, team: dict[str, str]) -> tuple[TeamView, bool]:
    """Make this laptop a member of `team` (from read_enrolment). Returns the team and
    whether anything changed (joining the same team again changes nothing). A laptop in
    another team is refused: its bundles would not be readable by its old colleagues."""
    current = team_store.get_team(db)
    if current is not None:
        if current.id == team["team_id"]:
            return _view(current), False
        raise TeamError(
            f"This laptop is already in the team {current.name!r}: a laptop belongs to one "
            "team. Use another database (--db) for the other team. Nothing was changed."
        )
    with db.transaction():
        team_store.set_team(
            db, team["team_id"], team["name"], team["recipient"], team["secret_key"]
        )
    joined = team_store.get_team(db)
    assert joined is not None
    return _view(joined), True


def current_team(db: Database) -> TeamView | None:
    """The team this laptop is in, or None."""
    row = team_store.get_team(db)
    return None if row is None else _view(row)


def require_team(db: Database) -> team_store.TeamRow:
    """This laptop's team with its keys, or TeamError saying how to join one."""
    row = team_store.get_team(db)
    if row is None:
        raise TeamError(
            "This laptop is not in a team yet: run `microcare team join FILE` with the "
            "enrolment file from your team lead."
        )
    return row


def set_team_folder(db: Database, folder: Path | None) -> None:
    """Remember the team folder (None forgets it)."""
    require_team(db)
    with db.transaction():
        team_store.set_folder(db, str(folder) if folder is not None else None)


def _view(row: team_store.TeamRow) -> TeamView:
    return TeamView(id=row.id, name=row.name, joined_at=row.joined_at, folder=row.folder)
