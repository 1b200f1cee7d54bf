"""What the call session hands the call screen to show: small, plain values, no widgets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from microcare_tui.domain import models as m

Severity = Literal["information", "warning", "error"]


# -- what the screen shows ---------------------------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """A line to tell the worker, and how loudly."""

    text: str
    severity: Severity = "information"


@dataclass(frozen=True)
class Hint:
    """The quiet line under a field; `found` marks something the worker should look at."""

    text: str
    found: bool = False


@dataclass(frozen=True)
class SignpostItem:
    """One provider signposted in this call, as the list shows it."""

    provider_id: str
    name: str
    note: str  # "" for a new signpost; " (saved · contacted: o changes)" for a saved one


@dataclass
class FormChanges:
    """Fields the session filled in (to show in the form), and whether the area changed."""

    fields: dict[str, Any] = field(default_factory=dict)
    area_changed: bool = False

    def __bool__(self) -> bool:
        return bool(self.fields) or self.area_changed


@dataclass(frozen=True)
class SignpostChange:
    """What a signpost key did: the notice to show and any fields it filled."""

    notice: Notice | None
    filled: FormChanges = field(default_factory=FormChanges)


@dataclass(frozen=True)
class SavedCall:
    """A saved call: the enquiry, and the line that says what was saved."""

    enquiry: m.Enquiry
    message: str


@dataclass(frozen=True)
class Draft:
    """A kept draft of an unsaved call: its id (in the drafts table) and what it holds."""

    id: str
    data: dict[str, Any]

    @property
    def question(self) -> str:
        """The question that offers it back."""
        who = self.data.get("values", {}).get("caller_name") or "no name"
        return f"A call was not saved (caller: {who}, last kept {self.kept_at}). Restore it?"

    @property
    def kept_at(self) -> str:
        """When the draft was last kept, as the worker reads it: 'at 14:05 on 22/11'."""
        written = str(self.data.get("written_at") or "")
        try:
            when = datetime.fromisoformat(written)
        except ValueError:
            return "at an unknown time"
        return f"at {when:%H:%M} on {when:%d/%m}"

    @property
    def lookup_text(self) -> str:
        """What was in the lookup's query line."""
        return str(self.data.get("lookup") or "")
