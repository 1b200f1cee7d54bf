"""The call screen: the enquiry form and the lookup together, with the call timer running.

A standard call, by keyboard (8 non-text keys):
  ctrl+n            new call; focus is on "Enquirer" (type a letter to choose: f = family)
  tab, name, tab, phone
  ctrl+f            to the lookup; type "shopping ashford tue"
  F3, F3            signpost the first two (the first signpost also sets the outcome to
                    Signposted and copies the lookup's services/days/area into empty fields)
  tab               leaves the lookup for the first empty wrap-up field (follow-up date)
  +3d, ctrl+s       save

At 110 columns or more the form is on the left and the lookup on the right; below that
ctrl+f switches between them. A draft of the form is written to the user data folder every
few seconds and when a field is left, so a crash loses at most the field being typed.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from microcare_tui import config
from microcare_tui.domain.enums import (
    Channel,
    Day,
    EnquirerKind,
    Outcome,
    SignpostOutcome,
    TimeOfDay,
    Urgency,
    label,
)
from microcare_tui.domain.errors import MicrocareError, ValidationFailed
from microcare_tui.domain.labels import KIND_LABELS, OUTCOME_LABELS
from microcare_tui.domain.parse import (
    format_date,
    format_phone,
    is_postcode_district,
    parse_date,
    parse_phone,
    parse_postcode,
)
from microcare_tui.services import enquiries as enquiry_service
from microcare_tui.store import enquiries as enquiry_store
from microcare_tui.store import providers as provider_store
from microcare_tui.store import reference
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.form import FieldRow, FormScreen, KeySelect, MultiPick
from microcare_tui.ui.widgets.lookup_panel import FixedInput, LookupPanel, read

if TYPE_CHECKING:
    from microcare_tui.domain import models as m
    from microcare_tui.store.enquiries import ContactMatch

WIDE = 110  # columns at which the form and the lookup sit side by side
DRAFT_EVERY_S = 3.0
CONTACT_DEBOUNCE_S = 0.35
NOBODY_SIGNPOSTED = "Signposted: nobody yet (F3 on a provider)"


# -- drafts ----------------------------------------------------------------------------------
def draft_path() -> Path:
    """Where the call screen keeps its draft (one call at a time)."""
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
    try:
        draft_path().unlink()
    except FileNotFoundError:
        pass


# -- parsing what the form holds ---------------------------------------------------------
def parse_received(text: str, today: date) -> datetime:
    """'22/11/2026 14:05', '22/11 14:05', '14:05' (today), 'today' or 'yesterday 9:30'."""
    raw = text.strip()
    if not raw:
        raise ValueError("Enter when the call came in, e.g. 22/11/2026 14:05")
    hour, minute = 12, 0
    m = re.fullmatch(r"(.*?)[\sT]*(\d{1,2})[:.](\d{2})", raw)
    if m:
        raw, hour, minute = m.group(1).strip(), int(m.group(2)), int(m.group(3))
        if hour > 23 or minute > 59:
            raise ValueError(f"'{text}' has no such time")
    day = parse_date(raw, today) if raw else today
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


def format_received(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%d/%m/%Y %H:%M")


# -- widgets -----------------------------------------------------------------------------
class SignpostList(OptionList):
    """Providers signposted in this call: delete (or x) removes the highlighted one; on a
    saved enquiry, o records what happened (contacted, started, declined)."""

    BINDINGS = [
        Binding("delete,backspace,x", "remove", "Remove signpost"),
        Binding("o", "outcome", "What happened"),
    ]

    def action_outcome(self) -> None:
        option = self.highlighted_option
        screen = self.screen
        if option is not None and option.id and isinstance(screen, CallScreen):
            screen.next_signpost_outcome(option.id)

    def action_remove(self) -> None:
        option = self.highlighted_option
        screen = self.screen
        if option is not None and option.id and isinstance(screen, CallScreen):
            screen.remove_signpost(option.id)


def _input(field: str, value: str = "", placeholder: str = "") -> Input:
    return FixedInput(value, placeholder=placeholder, id=field, compact=True)


class CallScreen(FormScreen):
    """New enquiry (or an existing one), with the lookup beside it and a call timer."""

    title_text = "Call"
    HELP = (
        "Taking a call: type the caller's details on the left, find providers on the right "
        "(ctrl+f jumps between them), F3 signposts the highlighted provider, ctrl+s saves. "
        "The first signpost sets the outcome to Signposted and fills empty needs, days and area "
        "from the lookup (F7 copies them any time). Tab from the lookup goes to the outcome or "
        "follow-up date. A quiet line under the phone shows earlier callers; F8 links them. "
        "For a would-be provider, F9 saves and makes their provider record."
    )
    BINDINGS = [
        Binding("f7", "use_lookup", "Use lookup"),
        Binding("f8", "link_contact", "Link caller"),
        Binding("f9", "make_provider", "Make provider", show=False),
    ]
    PALETTE = [
        ("Make provider record", "Save this would-be provider's enquiry and add them to the "
         "register at stage Enquiry (F9)", "make_provider"),
        ("Use lookup in the form", "Copy the lookup's services, days and area into the form (F7)",
         "use_lookup"),
        ("Link to earlier caller", "Link this enquiry to the caller's earlier one (F8)",
         "link_contact"),
    ]  # fmt: skip
    DEFAULT_CSS = """
    CallScreen #call-bar { height: 1; padding: 0 1; background: $boost; }
    CallScreen #call-bar-time { width: 12; text-style: bold; color: $accent; }
    CallScreen.-existing #call-bar-time { width: 27; }
    CallScreen #call-bar-text { width: 1fr; color: $text-muted; padding-left: 2; }
    CallScreen #call-body { height: 1fr; }
    CallScreen #call-form { width: 1fr; min-width: 40; padding: 0 1; }
    CallScreen #call-side { width: 2fr; padding: 0 1 0 0; }
    CallScreen.-narrow #call-form, CallScreen.-narrow #call-side { width: 1fr; padding: 0 1; }
    CallScreen.-narrow #call-side { display: none; }
    CallScreen.-narrow.-show-lookup #call-side { display: block; }
    CallScreen.-narrow.-show-lookup #call-form { display: none; }
    CallScreen .section-title { text-style: bold; color: $accent; height: 1; margin-top: 1; }
    CallScreen .hint { color: $text-muted; height: auto; padding: 0 0 0 1; }
    CallScreen .hint.-empty { display: none; }
    CallScreen .hint.-found { color: $warning; }
    CallScreen FixedInput { margin: 0 0 0 1; height: 1; }
    CallScreen Select { margin: 0 0 0 1; }
    CallScreen TextArea { height: 4; margin: 0 0 0 1; }
    CallScreen MultiPick > SelectionList { max-height: 5; }
    CallScreen #pick-days > SelectionList, CallScreen #pick-times > SelectionList {
        max-height: 7;
    }
    CallScreen #when-row { height: auto; }
    CallScreen #when-row > FieldRow { width: 1fr; }
    CallScreen #call-side LookupPanel { height: 1fr; min-height: 8; }
    CallScreen #signposted-title { height: 1; text-style: bold; }
    CallScreen SignpostList { height: auto; max-height: 4; border: none; padding: 0 1; }
    CallScreen SignpostList:focus { background: $boost; }
    CallScreen #wrap-up { height: auto; }
    CallScreen #wrap-up > FieldRow { width: 1fr; }
    """

    def __init__(self, enquiry_id: str | None = None) -> None:
        super().__init__()
        self.enquiry_id = enquiry_id
        self.existing: m.Enquiry | None = None
        self.signposts: dict[str, str] = {}  # provider id -> name, in the order signposted
        self.saved_signposts: set[str] = set()
        # provider id -> (signpost id, what happened), for signposts already saved
        self.signpost_records: dict[str, tuple[str, SignpostOutcome]] = {}
        self.contacts: list[ContactMatch] = []
        self.contact_id: str | None = None
        self.area_id: str | None = None  # from the lookup, when no postcode was given
        self.area_name = ""
        self._started = time.monotonic()
        self._elapsed_before = 0  # seconds carried over from a restored draft
        self._last_form_focus: Widget | None = None
        self._contact_timer: Timer | None = None
        self._last_draft: str = ""
        self.touched = False  # signposts, a linked caller or a restored draft
        self._baseline: str | None = None

    # -- unsaved changes ---------------------------------------------------------------
    # FormScreen marks the form dirty on any Changed event, and the controls post theirs
    # for their initial values just after the screen is shown: a call nobody had typed in
    # yet counted as unsaved. Here "dirty" means: differs from what the screen opened with.
    def _snapshot(self) -> str:
        return json.dumps(self.values(), sort_keys=True, default=str)

    @property
    def dirty(self) -> bool:
        if self.touched:
            return True
        if self._baseline is None or not self.is_mounted:
            return False
        return self._snapshot() != self._baseline

    @dirty.setter
    def dirty(self, value: bool) -> None:
        if not value:  # saved or left: whatever is there now is the new starting point
            self.touched = False
            self._baseline = self._snapshot() if self.is_mounted else None

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        store = self.mc.store
        e = self.existing = (
            enquiry_store.get_enquiry(store, self.enquiry_id) if self.enquiry_id else None
        )
        services = [(st.label, st.code) for st in reference.service_types(store)]
        received = e.received_at if e else datetime.combine(self.mc.today(), datetime.now().time())

        def kind_value() -> str | Any:
            return e.enquirer_kind.value if e else Select.NULL

        yield Header()
        with Horizontal(id="call-bar"):
            yield Static("Call 00:00", id="call-bar-time")
            yield Static(
                "ctrl+f form⇄lookup · F3 signpost · ctrl+s save · esc cancel",
                id="call-bar-text", markup=False,
            )  # fmt: skip
        with Horizontal(id="call-body"):
            with VerticalScroll(id="call-form"):
                yield Static("Caller", classes="section-title")
                yield FieldRow("Enquirer", KeySelect(
                    [(KIND_LABELS[k], k.value) for k in EnquirerKind], id="enquirer_kind",
                    prompt="type a letter: w p f r s o", value=kind_value(), compact=True,
                ), "enquirer_kind", required=True)  # fmt: skip
                yield FieldRow("Caller's name", _input(
                    "caller_name", (e.caller_name or "") if e else "", "a first name is fine"
                ), "caller_name")  # fmt: skip
                yield FieldRow("Phone", _input(
                    "caller_phone", format_phone(e.caller_phone) if e else "", "any UK form"
                ), "caller_phone")  # fmt: skip
                yield Static("", id="contact-hint", classes="hint -empty", markup=False)
                yield FieldRow("Relationship", _input(
                    "relationship", (e.relationship or "") if e else "", "e.g. daughter, neighbour"
                ), "relationship")  # fmt: skip
                yield FieldRow("Postcode", _input("postcode", (e.postcode or "") if e else "",
                               "full or district, e.g. TN23"), "postcode")  # fmt: skip
                yield Static("", id="area-hint", classes="hint -empty", markup=False)
                yield Static("Need", classes="section-title")
                yield FieldRow("Needs", MultiPick(services, e.needs if e else [], id="needs"),
                               "needs")  # fmt: skip
                with Horizontal(id="when-row"):
                    yield FieldRow("Days", MultiPick(
                        [(d.value.capitalize(), d.value) for d in Day],
                        [d.value for d in e.days] if e else [], id="pick-days",
                        placeholder="filter",
                    ), "days")  # fmt: skip
                    yield FieldRow("Times", MultiPick(
                        [(t.value.capitalize(), t.value) for t in TimeOfDay],
                        [t.value for t in e.times] if e else [], id="pick-times",
                        placeholder="filter",
                    ), "times")  # fmt: skip
                yield FieldRow("Summary", TextArea((e.summary or "") if e else "", id="summary",
                                                   compact=True), "summary")  # fmt: skip
                yield FieldRow("Urgency", KeySelect(
                    [(label(u.value), u.value) for u in Urgency], id="urgency",
                    value=e.urgency.value if e else Urgency.ROUTINE.value, allow_blank=False,
                    compact=True,
                ), "urgency")  # fmt: skip
                yield Static("Call details", classes="section-title")
                yield FieldRow("Received", _input("received_at", format_received(received),
                               "22/11/2026 14:05"), "received_at", required=True)  # fmt: skip
                yield FieldRow("Channel", KeySelect(
                    [(label(c.value), c.value) for c in Channel], id="channel",
                    value=e.channel.value if e else Channel.PHONE.value, allow_blank=False,
                    compact=True,
                ), "channel")  # fmt: skip
            with Vertical(id="call-side"):
                yield LookupPanel(id="call-lookup")
                yield Static(NOBODY_SIGNPOSTED, id="signposted-title", markup=False)
                yield SignpostList(id="signposted")
                with Horizontal(id="wrap-up"):
                    yield FieldRow("Outcome", KeySelect(
                        [(OUTCOME_LABELS[o], o.value) for o in Outcome], id="outcome",
                        value=e.outcome.value if e and e.outcome else Select.NULL,
                        prompt="type a letter", compact=True,
                    ), "outcome")  # fmt: skip
                    yield FieldRow("Follow up on", _input(
                        "follow_up_on", format_date(e.follow_up_on) if e else "", "+3d, tue, 22/11"
                    ), "follow_up_on")  # fmt: skip
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._baseline = self._snapshot()
        self.panel.leave_to = self.leave_lookup
        self._layout(self.app.size.width)
        if self.existing is not None:
            self.add_class("-existing")
            self._load_existing(self.existing)
            self.query_one("#call-bar-time", Static).update(self._bar_time())
        else:
            self.set_interval(1.0, self._tick)
            self.set_interval(DRAFT_EVERY_S, self.save_draft)
        self.query_one("#enquirer_kind").focus()
        # Focusing scrolls the field to the middle; the top of the form should show.
        self.call_after_refresh(self.query_one("#call-form").scroll_home, animate=False)
        if self.existing is None:
            draft = read_draft()
            if draft is not None:
                self._offer_draft(draft)

    def _load_existing(self, e: m.Enquiry) -> None:
        store = self.mc.store
        for signpost in enquiry_store.signposts_for(store, e.id):
            try:
                name = provider_store.get_provider(store, signpost.provider_id).name
            except MicrocareError:
                name = "(provider removed)"
            self.signposts[signpost.provider_id] = name
            self.saved_signposts.add(signpost.provider_id)
            self.signpost_records[signpost.provider_id] = (signpost.id, signpost.reported_outcome)
        self.contact_id = e.contact_enquiry_id
        self._show_signposts()
        if self.contact_id:
            self._set_hint("contact-hint", "Linked to an earlier enquiry from this caller.")

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")

    @property
    def panel(self) -> LookupPanel:
        return self.query_one("#call-lookup", LookupPanel)

    # -- timer -------------------------------------------------------------------------
    def elapsed(self) -> int:
        return self._elapsed_before + int(time.monotonic() - self._started)

    def _bar_time(self) -> str:
        if self.existing is not None:
            return f"Enquiry {format_received(self.existing.received_at)}"
        seconds = self.elapsed()
        return f"Call {seconds // 60:02d}:{seconds % 60:02d}"

    def _tick(self) -> None:
        self.query_one("#call-bar-time", Static).update(self._bar_time(), layout=False)

    # -- moving between the form and the lookup -----------------------------------------
    def focus_lookup(self) -> None:
        """ctrl+f: to the lookup; from inside the lookup, back to where you were in the form."""
        focused = self.focused
        panel = self.panel
        if focused is not None and panel in focused.ancestors_with_self:
            self.remove_class("-show-lookup")
            target = self._last_form_focus
            if target is None or not target.is_attached:
                target = self.query_one("#enquirer_kind")
            target.focus()
            return
        self.add_class("-show-lookup")
        panel.focus_query()

    def leave_lookup(self) -> None:
        """Tab from the lookup: to the outcome, or the follow-up date once the outcome is set."""
        outcome = self.query_one("#outcome", KeySelect)
        if outcome.value is Select.NULL:
            outcome.focus()
        else:
            self.query_one("#follow_up_on", Input).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        form = self.query_one("#call-form")
        if form in widget.ancestors:
            self._last_form_focus = widget
            self.remove_class("-show-lookup")
        elif self.query_one("#call-side") in widget.ancestors:
            self.add_class("-show-lookup")

    # -- signposting -------------------------------------------------------------------
    @on(LookupPanel.SignpostRequested)
    def _signpost(self, event: LookupPanel.SignpostRequested) -> None:
        row = event.row
        if row.id in self.signposts:
            self.remove_signpost(row.id)
            return
        first = not self.signposts
        self.signposts[row.id] = row.name
        self.touched = True
        self._show_signposts()
        if first:
            self._fill_from_lookup(only_empty=True)
            outcome = self.query_one("#outcome", KeySelect)
            if outcome.value is Select.NULL:
                outcome.value = Outcome.SIGNPOSTED.value
        caution = ""
        if row.standing == "lapsed":
            caution = " (their evidence has lapsed: tell the caller to check)"
        elif row.standing == "not_listed":
            caution = " (not listed yet: not in good standing)"
        elif not row.taking:
            caution = " (not taking new clients at the moment)"
        self.notify(f"Signposted to {row.name}{caution}", markup=False,
                    severity="warning" if caution else "information")  # fmt: skip
        self.save_draft()

    def remove_signpost(self, provider_id: str) -> None:
        if provider_id in self.saved_signposts:
            self.notify("That signpost is already saved with the enquiry; it stays on record.")
            return
        name = self.signposts.pop(provider_id, None)
        if name is None:
            return
        self.touched = True
        self._show_signposts()
        self.notify(f"Removed the signpost to {name}", markup=False)
        self.save_draft()

    def _signpost_note(self, provider_id: str) -> str:
        if provider_id not in self.saved_signposts:
            return ""
        record = self.signpost_records.get(provider_id)
        if record is None:
            return " (saved)"
        return f" (saved · {record[1].value}: o changes)"

    def next_signpost_outcome(self, provider_id: str) -> None:
        """Record what happened after a saved signpost: unknown, contacted, started, declined."""
        record = self.signpost_records.get(provider_id)
        if record is None:
            self.notify("Save the enquiry first; then o records what happened.")
            return
        order = list(SignpostOutcome)
        following = order[(order.index(record[1]) + 1) % len(order)]
        try:
            saved = enquiry_service.record_signpost_outcome(self.mc.store, record[0], following)
        except MicrocareError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.signpost_records[provider_id] = (saved.id, saved.reported_outcome)
        self._show_signposts()
        self.mc.data_changed("signposts")

    def _show_signposts(self) -> None:
        listing = self.query_one(SignpostList)
        keep = listing.highlighted or 0
        listing.set_options(
            Option(f"→ {name}{self._signpost_note(pid)}", id=pid)
            for pid, name in self.signposts.items()
        )
        n = len(self.signposts)
        title = f"Signposted ({n}): del removes one" if n else NOBODY_SIGNPOSTED
        self.query_one("#signposted-title", Static).update(title)
        listing.display = bool(n)
        if n:
            listing.highlighted = min(keep, n - 1)
        panel = self.panel
        panel.signposted = set(self.signposts)
        panel.refresh_rows()

    @on(LookupPanel.ProviderChosen)
    def _open_provider(self, event: LookupPanel.ProviderChosen) -> None:
        self.mc.open_provider(event.provider_id)

    # -- use the lookup in the form ----------------------------------------------------
    def action_use_lookup(self) -> None:
        if not self._fill_from_lookup(only_empty=False):
            self.notify("The lookup has not understood a service, day, time or area yet.")

    def _fill_from_lookup(self, only_empty: bool) -> bool:
        query = self.panel.understood
        if query is None:
            return False
        changed = False
        for pick_id, values in (
            ("#needs", query.services), ("#pick-days", query.days), ("#pick-times", query.times),
        ):  # fmt: skip
            pick = self.query_one(pick_id, MultiPick)
            if not values or (only_empty and pick.value):
                continue
            merged = pick.value + [v for v in values if v not in pick.value]
            if merged != pick.value:
                set_pick(pick, merged)
                changed = True
        postcode = self.query_one("#postcode", Input)
        districts = [c for c in query.chips if c.kind in ("area", "district")]
        if districts and not postcode.value.strip():
            chip = districts[0]
            district = chip.source.upper()
            if is_postcode_district(district.split()[0]):
                postcode.value = district
                changed = True
            elif chip.kind == "area":
                self.area_id, self.area_name = chip.value, chip.label
                self._set_hint("area-hint", f"Area: {chip.label} (from the lookup)")
                changed = True
        if changed:
            self.touched = True
        return changed

    # -- possible earlier contacts -----------------------------------------------------
    @on(Input.Changed, "#caller_name, #caller_phone")
    def _contacts_later(self) -> None:
        if self._contact_timer is not None:
            self._contact_timer.stop()
        self._contact_timer = self.set_timer(CONTACT_DEBOUNCE_S, self._look_for_contacts)

    def _look_for_contacts(self) -> None:
        name = self.query_one("#caller_name", Input).value
        phone = self.query_one("#caller_phone", Input).value
        if len(name.strip()) < 3 and len(re.sub(r"\D", "", phone)) < 10:
            self._show_contacts([])
            return
        self.find_contacts(name, phone)

    @work(thread=True, exclusive=True, group="contacts", exit_on_error=False)
    def find_contacts(self, name: str, phone: str) -> None:
        """Earlier enquiries that may be this caller, off the UI thread."""
        enquiry_id = self.enquiry_id
        matches = read(
            self.app,
            lambda store: enquiry_service.possible_contacts(store, phone, name, enquiry_id),
        )
        if matches is not None:
            self.app.call_from_thread(self._show_contacts, matches)

    def _show_contacts(self, matches: list[ContactMatch]) -> None:
        self.contacts = matches
        self.refresh_bindings()
        if self.contact_id:
            return
        if not matches:
            self._set_hint("contact-hint", "")
            return
        first = matches[0]
        more = f" (+{len(matches) - 1} more)" if len(matches) > 1 else ""
        when = first.received_at[:10]
        text = (
            f"Called before? {first.caller_name or '(no name)'} · "
            f"{format_phone(first.caller_phone) or 'no phone'} · {format_date(when)} "
            f"({first.reason}){more} · F8 links"
        )
        self._set_hint("contact-hint", text, found=True)

    def action_link_contact(self) -> None:
        if self.contact_id:
            self.contact_id = None
            self.touched = True
            self._set_hint("contact-hint", "Unlinked from the earlier enquiry.")
            return
        if not self.contacts:
            self.notify("No earlier caller matches this name or phone.")
            return
        first = self.contacts[0]
        self.contact_id = first.enquiry_id
        self.touched = True
        self._set_hint(
            "contact-hint",
            f"Linked to the enquiry of {format_date(first.received_at[:10])} from "
            f"{first.caller_name or 'this caller'}. F8 again unlinks.",
        )

    def _set_hint(self, hint_id: str, text: str, found: bool = False) -> None:
        hint = self.query_one(f"#{hint_id}", Static)
        hint.update(text)
        hint.set_class(not text, "-empty")
        hint.set_class(found, "-found")

    # -- checking fields as the worker leaves them -------------------------------------
    def validate_field(self, field: str, value: Any) -> str | None:
        text = str(value).strip()
        try:
            if field == "caller_phone":
                parse_phone(text)
            elif field == "postcode" and not is_postcode_district(text):
                parse_postcode(text)
            elif field == "follow_up_on":
                parse_date(text, self.mc.today())
            elif field == "received_at":
                parse_received(text, self.mc.today())
        except ValueError as exc:
            return str(exc)
        return None

    @on(Input.Blurred)
    def _normalise_on_leave(self, event: Input.Blurred) -> None:
        """Show what was understood: '01233123456' -> '01233 123456', '+3d' -> '25/11/2026'."""
        control = event.input
        text = control.value.strip()
        if text and self.validate_field(control.id or "", text) is None:
            if control.id == "caller_phone":
                control.value = format_phone(parse_phone(text))
            elif control.id == "postcode":
                control.value = text.upper() if is_postcode_district(text) else parse_postcode(text)
            elif control.id == "follow_up_on":
                control.value = format_date(parse_date(text, self.mc.today()))
            elif control.id == "received_at":
                control.value = format_received(parse_received(text, self.mc.today()))
        if control.id == "postcode" and text and self.area_id:
            self.area_id = None
            self._set_hint("area-hint", "")
        self.save_draft()

    # -- saving ------------------------------------------------------------------------
    def enquiry_values(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Form values as the enquiry service takes them (dates parsed with the app's today),
        and the messages for what could not be parsed."""
        out = dict(values)
        today = self.mc.today()
        errors: dict[str, str] = {}
        try:
            out["received_at"] = parse_received(str(values.get("received_at") or ""), today)
        except ValueError as exc:
            errors["received_at"] = str(exc)
            out.pop("received_at", None)
        follow = str(values.get("follow_up_on") or "").strip()
        try:
            out["follow_up_on"] = parse_date(follow, today).isoformat() if follow else None
        except ValueError as exc:
            errors["follow_up_on"] = str(exc)
            out["follow_up_on"] = None
        if self.existing is None:
            out["duration_seconds"] = self.elapsed()
        if self.contact_id:
            out["contact_enquiry_id"] = self.contact_id
        if self.area_id and not str(values.get("postcode") or "").strip():
            out["area_id"] = self.area_id
        return out, errors

    def save_values(self, values: dict[str, Any]) -> m.Enquiry:
        out, errors = self.enquiry_values(values)
        if values.get("enquirer_kind") is None:
            # Say it in the form's words, not the model's.
            errors["enquirer_kind"] = "Say who is calling (type a letter: w p f r s o)"
        if errors:
            # List every problem at once: check the rest of the form as well.
            probe = {**out, "enquirer_kind": out.get("enquirer_kind") or EnquirerKind.OTHER.value}
            try:
                enquiry_service.validate_enquiry(self.mc.store, probe, self.enquiry_id)
            except ValidationFailed as exc:
                errors = {**exc.errors, **errors}
            raise ValidationFailed(errors)
        new_ids = [pid for pid in self.signposts if pid not in self.saved_signposts]
        return enquiry_service.log_enquiry(self.mc.store, out, new_ids, self.enquiry_id)

    def saved(self, result: Any) -> None:
        self.dirty = False
        delete_draft()
        names = list(self.signposts.values())
        message = "Saved enquiry"
        if names:
            message += " · signposted to " + ", ".join(names)
        if result.outcome is Outcome.NO_SUITABLE_PROVIDER:
            message += " · unmet need recorded"
        self.dismiss(result)
        self.mc.data_changed("enquiries")
        self.app.notify(message, markup=False)

    def action_cancel(self) -> None:
        if not self.dirty:
            delete_draft()
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dirty = False
                delete_draft()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("This call is not saved. Leave it without saving?", "Leave", "Stay"),
            answered,
        )

    def action_make_provider(self) -> None:
        """Save a would-be provider's enquiry, then make their provider record (stage Enquiry)."""
        kind = self.query_one("#enquirer_kind", KeySelect).value
        if kind != EnquirerKind.WOULD_BE_PROVIDER.value:
            self.notify("Set Enquirer to 'Would-be provider' first (type w in that field).",
                        severity="warning")  # fmt: skip
            return
        for row in self.field_rows():
            row.set_error(None)
        try:
            enquiry = self.save_values(self.values())
            provider = enquiry_service.become_provider(self.mc.store, enquiry.id)
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            return
        except MicrocareError as exc:
            self.notify(exc.message, title="Not saved", severity="error", timeout=8)
            return
        self.dirty = False
        delete_draft()
        self.dismiss(enquiry)
        self.mc.data_changed("providers")
        self.app.notify(
            f"Saved enquiry · {provider.name} is on the register at stage Enquiry "
            "(3 for providers)", markup=False,
        )  # fmt: skip

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "link_contact":
            return bool(self.contacts or self.contact_id)
        return True

    # -- drafts ------------------------------------------------------------------------
    def draft_data(self) -> dict[str, Any]:
        return {
            "values": self.values(),
            "signposts": [[pid, name] for pid, name in self.signposts.items()],
            "elapsed": self.elapsed(),
            "contact_id": self.contact_id,
            "area": [self.area_id, self.area_name] if self.area_id else None,
            "lookup": self.panel.query_line.value,
            "written_at": datetime.now().isoformat(timespec="seconds"),
        }

    def save_draft(self) -> None:
        """Keep a draft of a new call (no-op for existing enquiries or an untouched form)."""
        if self.existing is not None or not self.dirty or not self.is_attached:
            return
        data = self.draft_data()
        snapshot = json.dumps({k: v for k, v in data.items() if k not in ("elapsed", "written_at")},
                              sort_keys=True, default=str)  # fmt: skip
        if snapshot == self._last_draft:
            return
        try:
            write_draft(data)
        except OSError as exc:
            self.log.warning("could not write the call draft", exc)
            return
        self._last_draft = snapshot

    def _offer_draft(self, draft: dict[str, Any]) -> None:
        values = draft.get("values", {})
        who = values.get("caller_name") or "no name"
        when = str(draft.get("written_at", ""))[11:16]
        question = (
            f"A call was not saved (caller: {who}, last kept at {when or 'unknown'}). Restore it?"
        )

        def answered(restore: bool | None) -> None:
            if restore:
                self.restore_draft(draft)
            else:
                delete_draft()

        self.app.push_screen(ConfirmDialog(question, "Restore", "Discard"), answered)

    def restore_draft(self, draft: dict[str, Any]) -> None:
        values: dict[str, Any] = draft.get("values", {})
        for row in self.field_rows():
            if row.field not in values:
                continue
            set_control(row.control, values[row.field])
        for pid, name in draft.get("signposts", []):
            self.signposts[str(pid)] = str(name)
        self._show_signposts()
        self._elapsed_before = int(draft.get("elapsed", 0) or 0)
        self._started = time.monotonic()
        self.contact_id = draft.get("contact_id")
        if self.contact_id:
            self._set_hint("contact-hint", "Linked to an earlier enquiry from this caller.")
        area = draft.get("area")
        if area:
            self.area_id, self.area_name = area
            self._set_hint("area-hint", f"Area: {self.area_name} (from the lookup)")
        lookup = draft.get("lookup")
        if lookup:
            self.panel.query_line.value = str(lookup)
        self.touched = True
        self.notify("Restored the unsaved call.")
        self.query_one("#enquirer_kind").focus()


def set_pick(pick: MultiPick, values: list[str]) -> None:
    """Set a MultiPick's chosen values and redraw its list."""
    from textual.widgets import SelectionList

    pick.selected = list(values)
    listing = pick.query_one(SelectionList)
    text = pick.query_one(Input).value
    with listing.prevent(SelectionList.SelectedChanged):
        listing.clear_options()
        listing.add_options(pick._options(text))
    pick.post_message(MultiPick.Changed(pick))


def set_control(control: Widget, value: Any) -> None:
    """Put a stored (draft) value back into a form control."""
    if isinstance(control, Input):
        control.value = "" if value is None else str(value)
    elif isinstance(control, TextArea):
        control.text = "" if value is None else str(value)
    elif isinstance(control, Select):
        try:
            control.value = Select.NULL if value is None else value
        except Exception:  # a value no longer offered: leave the field as it is
            pass
    elif isinstance(control, MultiPick):
        set_pick(control, [str(v) for v in value or []])
