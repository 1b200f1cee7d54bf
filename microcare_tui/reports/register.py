"""The public register: providers in good standing today, public fields only, with the note
that inclusion is not a recommendation; written as CSV, JSON (Open Referral UK), XLSX or a
printable HTML page.

Who is in it is decided by the one standing rule (the providers list's standing, which is
store.providers.STANDING_SQL, held equal to domain.rules.standing by its tests), so the
register, the lookup and the record never disagree. What is in it is a fixed list of
public fields (store.register.PUBLIC_COLUMNS): never the public's personal data (enquiries,
callers), never evidence or DBS details, never a provider's people beyond the public contact.
The full postcode is left out too: many sole traders work from home, so the register shows
the postcode district ('TN23') and the base area.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from microcare_tui.domain.enums import Funding, TimeOfDay, label
from microcare_tui.domain.errors import MicrocareError
from microcare_tui.domain.labels import DAY_ORDER, days_text
from microcare_tui.domain.parse import format_date, format_phone, postcode_district
from microcare_tui.store import reference
from microcare_tui.store.db import Store
from microcare_tui.store.providers import page_providers
from microcare_tui.store.register import public_rows

FORMATS = ("csv", "json", "xlsx", "html")
ALL_AT_ONCE = 1_000_000  # the standing list is read whole (ids and standing, by name)


class ExportFailed(MicrocareError):
    """The register could not be written where asked (a bad path, a full disk)."""


@dataclass(frozen=True)
class RegisterEntry:
    """One provider as the public register shows it."""

    id: str
    name: str
    legal_form: str
    description: str
    services: list[tuple[str, str]]  # (code, words)
    based_in: str  # the base area's name
    district: str  # postcode district, 'TN23'
    areas_served: list[str]
    phone: str  # E.164, '' when none
    phone_text: str  # as people write it
    email: str
    contact: str  # the public contact's name
    days: list[str]  # day codes, Monday first
    days_words: str
    times: list[str]  # words
    languages: list[str]
    taking_new_clients: bool
    hourly_rate_pence: int | None
    funding: list[str]  # words
    last_checked: date | None  # latest QA check
    updated_at: str  # when the record last changed (UTC ISO)


@dataclass(frozen=True)
class Register:
    """The register as at one day."""

    as_of: date
    generated_at: str  # UTC ISO
    team: str
    note: str
    entries: list[RegisterEntry]


def register_note(team: str, as_of: date) -> str:
    """The words every format carries first: what the list is, and what it is not."""
    who = team or "the council's micro-provider team"
    return (
        f"Register of care micro-providers in good standing with {who} on "
        f"{format_date(as_of)}: their checks were approved and none of their required "
        "evidence had lapsed that day. Inclusion is not a recommendation: please make your own "
        "checks before arranging care (ask to see their DBS certificate and insurance)."
    )


def load_register(db: Store, today: date) -> Register:
    """The providers in good standing on `today`, public fields only, by name."""
    good = [
        r.id for r in page_providers(db, limit=ALL_AT_ONCE, today=today) if r.standing == "good"
    ]
    areas = {a.id: a.name for a in reference.areas(db)}
    services = reference.service_labels(db)
    forms = {f.code: f.label for f in reference.legal_forms(db)}
    team = str(reference.get_setting(db, "team_name") or "")
    entries = [_entry(row, areas, services, forms) for row in public_rows(db, good)]
    return Register(
        as_of=today,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        team=team,
        note=register_note(team, today),
        entries=entries,
    )


def _district(postcode: str | None) -> str:
    if not postcode:
        return ""
    try:
        return postcode_district(postcode)
    except ValueError:
        return ""


def _entry(
    row: dict[str, object],
    areas: dict[str, str],
    services: dict[str, str],
    forms: dict[str, str],
) -> RegisterEntry:
    codes = [str(c) for c in row["services"]]  # type: ignore[attr-defined]
    days = [d for d in DAY_ORDER if d in row["days"]]  # type: ignore[operator]
    times = [label(t.value) for t in TimeOfDay if t.value in row["times"]]  # type: ignore[operator]
    funding = [label(f.value) for f in Funding if f.value in row["funding_accepted"]]  # type: ignore[operator]
    phone = str(row["phone"] or "")
    checked = row["last_checked"]
    legal = str(row["legal_form"] or "")
    return RegisterEntry(
        id=str(row["id"]),
        name=str(row["name"]),
        legal_form=forms.get(legal, label(legal)) if legal else "",
        description=str(row["description"] or ""),
        services=[(c, services.get(c, label(c))) for c in codes],
        based_in=areas.get(str(row["area_id"] or ""), ""),
        district=_district(row["postcode"]),  # type: ignore[arg-type]
        areas_served=[areas[a] for a in row["areas_served"] if a in areas],  # type: ignore[attr-defined]
        phone=phone,
        phone_text=format_phone(phone) if phone else "",
        email=str(row["email"] or ""),
        contact=str(row["lead_contact"] or ""),
        days=days,
        days_words=days_text(days) if days else "",
        times=times,
        languages=[str(x) for x in row["languages"]],  # type: ignore[attr-defined]
        taking_new_clients=bool(row["accepting_new_clients"]),
        hourly_rate_pence=row["hourly_rate_pence"],  # type: ignore[arg-type]
        funding=funding,
        last_checked=date.fromisoformat(str(checked)) if checked else None,
        updated_at=str(row["updated_at"] or ""),
    )


# -- writing -----------------------------------------------------------------------------------


def format_for(path: Path | None, asked: str | None) -> str:
    """The format asked for, else the one the file name ends in, else CSV."""
    if asked:
        if asked not in FORMATS:
            raise ExportFailed(f"Unknown format '{asked}': choose {', '.join(FORMATS)}.")
        return asked
    suffix = path.suffix.lower().lstrip(".") if path else ""
    return {"htm": "html"}.get(suffix, suffix) if suffix in (*FORMATS, "htm") else "csv"


def render(register: Register, fmt: str) -> bytes:
    """The register as the bytes of a file in `fmt`."""
    from microcare_tui.reports import render as r

    renderers: dict[str, Callable[[Register], bytes]] = {
        "csv": r.to_csv,
        "json": r.to_json,
        "xlsx": r.to_xlsx,
        "html": r.to_html,
    }
    return renderers[fmt](register)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file beside it, flushed to
    disk, then renamed over it (a reader never sees half a register). ExportFailed in words
    when the folder is missing or not writable, or `path` is a folder."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportFailed(
            f"Cannot write the register to {path}: it is a folder; give a file name."
        )
    folder = path.parent
    if not folder.is_dir():
        raise ExportFailed(
            f"Cannot write the register to {path}: the folder {folder} does not exist."
        )
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise ExportFailed(f"Cannot write the register to {path}: {_reason(exc)}.") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # a file to share, not mkstemp's private 0600
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportFailed(f"Cannot write the register to {path}: {_reason(exc)}.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _reason(exc: OSError) -> str:
    import errno

    reasons = {
        errno.EACCES: "permission denied",
        errno.EROFS: "the disk is read-only",
        errno.ENOSPC: "the disk is full",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "part of the path is a file, not a folder",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    path: Path | None  # None: written to standard output
    fmt: str
    providers: int
    size: int  # bytes

    @property
    def message(self) -> str:
        """'Wrote the register (42 providers in good standing) to register.csv.'"""
        noun = "provider" if self.providers == 1 else "providers"
        where = f" to {self.path}" if self.path else ""
        return f"Wrote the register ({self.providers:,} {noun} in good standing){where}."


def export_register(db: Store, out: Path, fmt: str | None, today: date) -> Exported:
    """Build the register as at `today` and write it to `out` in `fmt` (else the file's
    ending, else CSV), all or nothing. The CLI's `report register` and the Reports screen."""
    out = Path(out).expanduser()
    fmt = format_for(out, fmt)
    register = load_register(db, today)
    data = render(register, fmt)
    write_atomically(out, data)
    return Exported(out, fmt, len(register.entries), len(data))
