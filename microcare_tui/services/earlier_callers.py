"""Earlier callers: enquiries that may be from the person on the phone now.

While the worker types the caller's name and phone, the call screen looks (off the UI
thread) for earlier enquiries with the same phone or a similar name, shows the best match
as a quiet hint, and F8 links the new enquiry to it (F8 again unlinks).
"""

from __future__ import annotations

import re

from microcare_tui.domain.parse import format_date, format_phone
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services.call_views import Hint
from microcare_tui.services.database import Database
from microcare_tui.services.enquiries import EarlierCaller


def worth_looking_for_callers(name: str, phone: str) -> bool:
    """Enough typed to look for earlier callers: 3 letters of a name or 10 digits of a phone."""
    return len(name.strip()) >= 3 or len(re.sub(r"\D", "", phone)) >= 10


def find_earlier_callers(
    db: Database, name: str, phone: str, exclude_id: str | None
) -> list[EarlierCaller]:
    """Earlier enquiries that may be this caller (for a worker thread's connection)."""
    return enquiry_service.possible_contacts(db, phone, name, exclude_id)


class CallerLink:
    """The earlier callers found so far, and the one this enquiry is linked to (if any)."""

    def __init__(self, contact_id: str | None = None) -> None:
        self.found: list[EarlierCaller] = []
        self.contact_id = contact_id  # the earlier enquiry this one is linked to

    def show(self, callers: list[EarlierCaller]) -> Hint | None:
        """Keep what a search found; the hint to show (None: keep the hint as it is, because
        a caller is already linked)."""
        self.found = callers
        if self.contact_id:
            return None
        if not callers:
            return Hint("")
        first = callers[0]
        more = f" (+{len(callers) - 1} more)" if len(callers) > 1 else ""
        return Hint(
            f"Called before? {first.caller_name or '(no name)'} · "
            f"{format_phone(first.caller_phone) or 'no phone'} · "
            f"{format_date(first.received_at[:10])} ({first.reason}){more} · F8 links",
            found=True,
        )

    def can_link(self) -> bool:
        """F8 does something: there is a caller to link, or one to unlink."""
        return bool(self.found or self.contact_id)

    def link(self) -> Hint | None:
        """Link to the best match, or unlink. None: nobody to link."""
        if self.contact_id:
            self.contact_id = None
            return Hint("Unlinked from the earlier enquiry.")
        if not self.found:
            return None
        first = self.found[0]
        self.contact_id = first.enquiry_id
        return Hint(
            f"Linked to the enquiry of {format_date(first.received_at[:10])} from "
            f"{first.caller_name or 'this caller'}. F8 again unlinks."
        )

    def hint(self) -> Hint:
        """The hint for a call opened (or restored) already linked to an earlier caller."""
        return Hint("Linked to an earlier enquiry from this caller." if self.contact_id else "")
