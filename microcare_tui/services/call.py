"""The phone call as one object: everything the call screen knows and decides, without Textual.

A `CallSession` holds the enquiry being built (the form's values as typed), the providers
signposted so far, a caller linked from an earlier enquiry and an area taken from the
lookup. It applies the call's rules:

- the first signpost sets the outcome to Signposted (when none is set) and copies the
  lookup's services, days, times and area into empty fields;
- a signpost to a provider not in good standing, or not taking clients, comes with a warning;
- fields are checked as the worker leaves them, and all at once on save, with every problem
  listed by field (even when the enquirer kind, which the model needs, is still missing);
- a signpost already saved stays on record; what happened after it can be recorded;
- a would-be provider's enquiry can become their provider record;
- a new call keeps a draft, so a crash loses at most the field being typed.

The call screen lays out widgets, forwards what the worker types and presses, and shows what
the session returns; tests drive a whole call through this class with no screen at all.
Beside it: call_form (the fields: lists, opening values, checks), call_views (what the
session hands back), earlier_callers (the caller hint and link) and drafts (where the draft
is kept). A little over ~400 lines: one class whose rules share the call's state.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from microcare_tui.domain import models as m
from microcare_tui.domain.enums import (
    EnquirerKind,
    Outcome,
    SignpostOutcome,
    Standing,
)
from microcare_tui.domain.errors import MicrocareError, ValidationFailed
from microcare_tui.domain.ids import new_id
from microcare_tui.domain.parse import (
    parse_date,
)
from microcare_tui.domain.query import LookupQuery, LookupRow
from microcare_tui.services import drafts
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.services.call_form import (
    KIND_PROMPT,
    check_field,
    format_received,
    lookup_fill,
    opening_values,
    parse_received,
    shown_as,
)
from microcare_tui.services.call_views import (
    Draft,
    FormChanges,
    Hint,
    Notice,
    SavedCall,
    SignpostChange,
    SignpostItem,
)
from microcare_tui.services.database import Database
from microcare_tui.services.earlier_callers import CallerLink


class NotAWouldBeProvider(MicrocareError):
    """Only a would-be provider's call can make a provider record."""


def signpost_caution(row: LookupRow) -> str:
    """What to tell the caller about this provider, if anything ('' when all is well)."""
    if row.standing == Standing.LAPSED:
        return " (their evidence has lapsed: tell the caller to check)"
    if row.standing == Standing.SUSPENDED:
        return " (suspended while a concern is looked into: not in good standing)"
    if row.standing == Standing.NOT_LISTED:
        return " (not listed yet: not in good standing)"
    if not row.taking:
        return " (not taking new clients at the moment)"
    return ""


_NOT_A_CHANGE = ("elapsed", "written_at", "lookup")  # draft fields that alone write no draft


def _snapshot(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, default=str)


class CallSession:
    """One call (a new enquiry, or a saved one opened again) and its rules."""

    def __init__(
        self,
        db: Database,
        today: date,
        enquiry_id: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.today = today
        self.enquiry_id = enquiry_id
        self.existing = enquiry_service.get_enquiry(db, enquiry_id) if enquiry_id else None
        self.values: dict[str, Any] = opening_values(self.existing, today)
        self.signposts: dict[str, str] = {}  # provider id -> name, in the order signposted
        # provider id -> (signpost id, what happened), for signposts already saved
        self.saved_signposts: dict[str, tuple[str, SignpostOutcome]] = {}
        self.callers = CallerLink()  # earlier enquiries from this caller; the one linked
        self.area_id: str | None = None  # from the lookup, when no postcode was given
        self.area_name = ""
        self._clock = clock
        self._started = clock()
        self._elapsed_before = 0  # seconds carried over from a restored draft
        self.touched = False  # signposts, a linked caller or a restored draft
        self._baseline: str | None = None
        self.draft_id = new_id()  # this call's own draft; a restored one's id once taken up
        self._last_draft = ""
        if self.existing is not None:
            self._load_saved(self.existing)

    def _load_saved(self, e: m.Enquiry) -> None:
        for view in enquiry_service.enquiry_signposts(self.db, e.id):
            self.signposts[view.provider_id] = view.provider_name
            self.saved_signposts[view.provider_id] = (view.id, view.reported_outcome)
        self.callers.contact_id = e.contact_enquiry_id

    @property
    def is_new(self) -> bool:
        """A call being taken now (not a saved enquiry opened again)."""
        return self.existing is None

    # -- the values as typed ---------------------------------------------------------------
    def update(self, values: dict[str, Any]) -> None:
        """Take the form's current values (the screen forwards them before each rule)."""
        self.values.update(values)

    def set(self, name: str, value: Any) -> None:
        """Set one field's value as typed."""
        self.values[name] = value

    def mark_clean(self) -> None:
        """What the form holds now is the starting point: nothing unsaved."""
        self.touched = False
        self._baseline = _snapshot(self.values)

    @property
    def dirty(self) -> bool:
        """Anything to lose: a field changed since the start, a signpost, a linked caller."""
        if self.touched:
            return True
        return self._baseline is not None and _snapshot(self.values) != self._baseline

    # -- timer -----------------------------------------------------------------------------
    def elapsed(self) -> int:
        """Seconds on this call so far (carried over from a restored draft)."""
        return self._elapsed_before + int(self._clock() - self._started)

    def bar_time(self) -> str:
        """The call bar's clock: 'Call 02:15', or when a saved enquiry came in."""
        if self.existing is not None:
            return f"Enquiry {format_received(self.existing.received_at)}"
        seconds = self.elapsed()
        return f"Call {seconds // 60:02d}:{seconds % 60:02d}"

    # -- signposts -------------------------------------------------------------------------
    def toggle_signpost(self, row: LookupRow, query: LookupQuery | None) -> SignpostChange:
        """Signpost this provider (or take the signpost back if already given).

        The first signpost of the call sets the outcome to Signposted when none is set, and
        fills empty needs, days, times and area from what the lookup understood.
        """
        if row.id in self.signposts:
            return SignpostChange(self.remove_signpost(row.id))
        first = not self.signposts
        self.signposts[row.id] = row.name
        self.touched = True
        filled = FormChanges()
        if first:
            filled = self.fill_from_lookup(query, only_empty=True)
            if self.values.get("outcome") is None:
                self.values["outcome"] = filled.fields["outcome"] = Outcome.SIGNPOSTED.value
        caution = signpost_caution(row)
        notice = Notice(
            f"Signposted to {row.name}{caution}", "warning" if caution else "information"
        )
        return SignpostChange(notice, filled)

    def remove_signpost(self, provider_id: str) -> Notice | None:
        """Take back a signpost not yet saved (a saved one stays on record)."""
        if provider_id in self.saved_signposts:
            return Notice("That signpost is already saved with the enquiry; it stays on record.")
        name = self.signposts.pop(provider_id, None)
        if name is None:
            return None
        self.touched = True
        return Notice(f"Removed the signpost to {name}")

    def signpost_items(self) -> list[SignpostItem]:
        """The signposted providers, in order, with what is on record for saved ones."""
        return [SignpostItem(pid, name, self._note(pid)) for pid, name in self.signposts.items()]

    def _note(self, provider_id: str) -> str:
        record = self.saved_signposts.get(provider_id)
        if record is None:
            return ""
        return f" (saved · {record[1].value}: o changes)"

    def next_signpost_outcome(self, provider_id: str) -> Notice | None:
        """Record what happened after a saved signpost, in turn: unknown, contacted, started,
        declined. None when recorded; otherwise a notice saying why not."""
        record = self.saved_signposts.get(provider_id)
        if record is None:
            return Notice("Save the enquiry first; then o records what happened.")
        order = list(SignpostOutcome)
        following = order[(order.index(record[1]) + 1) % len(order)]
        try:
            saved = enquiry_service.record_signpost_outcome(self.db, record[0], following)
        except MicrocareError as exc:
            return Notice(exc.message, "error")
        self.saved_signposts[provider_id] = (saved.id, saved.reported_outcome)
        return None

    # -- the lookup in the form ------------------------------------------------------------
    def fill_from_lookup(self, query: LookupQuery | None, only_empty: bool) -> FormChanges:
        """Copy what the lookup understood (services, days, times, area) into the form.

        With `only_empty`, a field that already has values is left as it is. A district goes
        into an empty postcode field; an area by name is kept beside the form.
        """
        changes = FormChanges()
        if query is None:
            return changes
        changes.fields, area = lookup_fill(self.values, query, only_empty)
        if area is not None:
            (self.area_id, self.area_name), changes.area_changed = area, True
        self.values.update(changes.fields)
        if changes:
            self.touched = True
        return changes

    def area_hint(self) -> Hint:
        """The line under the postcode: the area taken from the lookup, if any."""
        return Hint(f"Area: {self.area_name} (from the lookup)" if self.area_id else "")

    # -- earlier callers -------------------------------------------------------------------
    def link_caller(self) -> Hint | None:
        """F8: link this enquiry to the best earlier match, or unlink it. None: nobody to
        link."""
        hint = self.callers.link()
        if hint is not None:
            self.touched = True
        return hint

    # -- checking fields -------------------------------------------------------------------
    def check_field(self, name: str, text: str) -> str | None:
        """Check one field as the worker leaves it: a message, or None when it reads."""
        return check_field(name, text, self.today)

    def left_field(self, name: str, text: str) -> str | None:
        """The worker left a field: what it should show as understood ('01233123456' ->
        '01233 123456', '+3d' -> '25/11/2026'), or None to leave it as typed.

        A postcode typed by the worker replaces an area taken from the lookup.
        """
        if name not in self.values:
            return None  # not a field of the call (the lookup's line, a pick list's filter)
        self.values[name] = text
        text = text.strip()
        if name == "postcode" and text and self.area_id:
            self.area_id, self.area_name = None, ""
        if not text or check_field(name, text, self.today) is not None:
            return None
        shown = shown_as(name, text, self.today)
        if shown is not None:
            self.values[name] = shown
        return shown

    def _command(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values as the enquiry service takes them (dates parsed with the session's
        today), and the messages for what could not be parsed."""
        out, errors = dict(self.values), {}
        try:
            out["received_at"] = parse_received(str(out.get("received_at") or ""), self.today)
        except ValueError as exc:
            errors["received_at"] = str(exc)
            out.pop("received_at", None)
        follow = str(out.get("follow_up_on") or "").strip()
        try:
            out["follow_up_on"] = parse_date(follow, self.today).isoformat() if follow else None
        except ValueError as exc:
            errors["follow_up_on"], out["follow_up_on"] = str(exc), None
        if self.existing is None:
            out["duration_seconds"] = self.elapsed()
        if self.callers.contact_id:
            out["contact_enquiry_id"] = self.callers.contact_id
        if self.area_id and not str(out.get("postcode") or "").strip():
            out["area_id"] = self.area_id
        if out.get("enquirer_kind") is None:  # said in the form's words, not the model's
            errors["enquirer_kind"] = f"Say who is calling ({KIND_PROMPT})"
        return out, errors

    def _checked(self) -> dict[str, Any]:
        """The command, or ValidationFailed listing every problem of the form at once."""
        out, errors = self._command()
        if errors:
            # Check the rest of the form as well, with a stand-in kind if none was given.
            probe = {**out, "enquirer_kind": out.get("enquirer_kind") or EnquirerKind.OTHER.value}
            try:
                enquiry_service.validate_enquiry(self.db, probe, self.enquiry_id)
            except ValidationFailed as exc:
                errors = {**exc.errors, **errors}
            raise ValidationFailed(errors)
        return out

    def validate(self) -> dict[str, str]:
        """Every problem with the call as it stands, by field ({} when it can be saved)."""
        try:
            enquiry_service.validate_enquiry(self.db, self._checked(), self.enquiry_id)
        except ValidationFailed as exc:
            return exc.errors
        return {}

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> SavedCall:
        """Save the enquiry with its new signposts (and unmet needs) in one transaction.

        Raises ValidationFailed (every problem by field) or another MicrocareError; nothing
        is written then. After a save the draft is gone and saving again updates the same
        enquiry.
        """
        enquiry = self._log()
        message = "Saved enquiry"
        if self.signposts:
            message += " · signposted to " + ", ".join(self.signposts.values())
        if enquiry.outcome is Outcome.NO_SUITABLE_PROVIDER:
            message += " · unmet need recorded"
        return SavedCall(enquiry, message)

    def make_provider(self) -> SavedCall:
        """Save a would-be provider's call, then make their provider record (stage Enquiry)."""
        if self.values.get("enquirer_kind") != EnquirerKind.WOULD_BE_PROVIDER.value:
            raise NotAWouldBeProvider(
                "Set Enquirer to 'Would-be provider' first (type w in that field)."
            )
        enquiry = self._log()
        provider = enquiry_service.become_provider(self.db, enquiry.id)
        message = f"Saved enquiry · {provider.name} is on the register at stage Enquiry"
        return SavedCall(enquiry, message + " (3 for providers)")

    def _log(self) -> m.Enquiry:
        command = self._checked()
        new_ids = [pid for pid in self.signposts if pid not in self.saved_signposts]
        # The draft goes in the same transaction: a saved call is never offered back, and a
        # failed save keeps its draft.
        with self.db.transaction():
            enquiry = enquiry_service.log_enquiry(self.db, command, new_ids, self.enquiry_id)
            self.discard_draft()
        self.enquiry_id = enquiry.id  # saving again updates this enquiry, never a second one
        self._load_saved(enquiry)
        self.mark_clean()
        return enquiry

    # -- the draft -------------------------------------------------------------------------
    def draft_data(self, lookup_text: str = "") -> dict[str, Any]:
        """Everything needed to take the call up again after a crash."""
        return {
            "values": dict(self.values),
            "signposts": [[pid, name] for pid, name in self.signposts.items()],
            "elapsed": self.elapsed(),
            "contact_id": self.callers.contact_id,
            "area": [self.area_id, self.area_name] if self.area_id else None,
            "lookup": lookup_text,
            "written_at": datetime.now().isoformat(timespec="seconds"),
        }

    def keep_draft(self, lookup_text: str = "") -> bool:
        """Write the draft of a new call that has something to lose (and has changed since
        the last draft). True when written; False also when the database was busy."""
        if self.existing is not None or not self.dirty:
            return False
        data = self.draft_data(lookup_text)
        # The lookup's line alone does not make a new draft: every draft written makes the
        # lookup's reader rebuild its caches (a commit to the file), and it is typed into
        # key by key. It is kept with the next change to the call itself.
        snapshot = _snapshot({k: v for k, v in data.items() if k not in _NOT_A_CHANGE})
        if snapshot == self._last_draft:
            return False
        if not drafts.write_draft(self.db, self.draft_id, data):
            return False  # the database is busy: the next tick or field left tries again
        self._last_draft = snapshot
        return True

    def restore(self, draft: Draft) -> dict[str, Any]:
        """Take up a kept draft: its signposts, linked caller, area and timer. Returns the
        form values to put back (only the fields the draft has)."""
        data = draft.data
        self.draft_id, self._last_draft = draft.id, ""  # from now on, this call's draft
        values: dict[str, Any] = dict(data.get("values", {}))
        self.values.update(values)
        for pid, name in data.get("signposts", []):
            self.signposts[str(pid)] = str(name)
        self._elapsed_before = int(data.get("elapsed", 0) or 0)
        self._started = self._clock()
        self.callers.contact_id = data.get("contact_id")
        area = data.get("area")
        if area:
            self.area_id, self.area_name = area
        self.touched = True
        return values

    def discard_draft(self) -> None:
        """Forget this call's draft (it was saved, or the worker chose to leave it)."""
        if self.existing is None:
            drafts.delete_draft(self.db, self.draft_id)
            self._last_draft = ""

    def discard_kept(self, draft: Draft) -> None:
        """Forget a kept draft of another call: only ever on the worker's explicit choice."""
        drafts.delete_draft(self.db, draft.id)
