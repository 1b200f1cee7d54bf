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
ctrl+f switches between them. A draft of the form is kept every few seconds and when a
field is left, so a crash loses at most the field being typed.

The call's rules (the outcome, filling from the lookup, checks, the draft, saving) live in
services.call.CallSession; this screen lays out the widgets, forwards what the worker types
and presses to the session, and shows what it returns.

Over ~400 lines on purpose: it is the one screen of a call (form, lookup, signposts, draft),
and each part is a few short handlers that forward to the session; the layout, the draft
question and the signpost list already live beside it (call_layout, call_draft, widgets).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual import events, getters, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from microcare_tui.services.call import CallSession, NotAWouldBeProvider
from microcare_tui.services.call_form import CallChoices, call_choices
from microcare_tui.services.call_views import Draft, FormChanges, Hint, Notice, SavedCall
from microcare_tui.services.drafts import load_drafts
from microcare_tui.services.lookup import find_providers
from microcare_tui.ui.screens.call_draft import Answer, DraftQuestion
from microcare_tui.ui.screens.call_layout import (
    CALL_CSS,
    compose_form,
    compose_wrap_up,
)
from microcare_tui.ui.widgets.cheap_screen import (
    compose_off_screen,
    keep_screen,
    on_a_stack,
    prepared_off_screen,
    update_text,
)
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FormScreen, KeySelect, MultiPick, set_control
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.hint_line import CallerHint, HintLine
from microcare_tui.ui.widgets.lookup_panel import LookupPanel
from microcare_tui.ui.widgets.signpost_list import (
    NOBODY_SIGNPOSTED,
    SignpostList,
    signposted_title,
)

WIDE = 110  # columns at which the form and the lookup sit side by side
DRAFT_EVERY_S = 3.0
# Each app's call screen for new calls, kept (installed) between calls: see for_new_call.
_KEPT: WeakKeyDictionary[App[Any], CallScreen] = WeakKeyDictionary()


class CallScreen(FormScreen):
    """New enquiry (or an existing one), with the lookup beside it and a call timer."""

    title_text = "Call"
    HELP = (
        "Taking a call: type the caller's details on the left, find providers on the right "
        "(ctrl+f jumps between them), F3 signposts the highlighted provider, ctrl+s saves. "
        "The first signpost sets the outcome to Signposted and fills empty needs, days and area "
        "from the lookup (F7 copies them any time). Tab from the lookup goes to the outcome or "
        "follow-up date. A quiet line under the phone shows earlier callers; F8 links them. "
        "For a would-be provider, F9 saves and makes their provider record. On a saved "
        "enquiry, F5 goes to its signposts and o records what happened after each."
    )
    BINDINGS = [
        Binding("f5", "what_happened", "What happened"),
        Binding("f7", "use_lookup", "Use lookup"),
        Binding("f8", "link_contact", "Link caller"),
        Binding("f9", "make_provider", "Make provider", show=False),
    ]
    PALETTE = [
        ("Record what happened after a signpost", "On a saved enquiry: the signposts, first "
         "highlighted; o records contacted, started, declined (F5)", "what_happened"),
        ("Make provider record", "Save this would-be provider's enquiry and add them to the "
         "register at stage Enquiry (F9)", "make_provider"),
        ("Use lookup in the form", "Copy the lookup's services, days and area into the form (F7)",
         "use_lookup"),
        ("Link to earlier caller", "Link this enquiry to the caller's earlier one (F8)",
         "link_contact"),
    ]  # fmt: skip
    DEFAULT_CSS = CALL_CSS

    panel = getters.query_one("#call-lookup", LookupPanel)
    signpost_list = getters.query_one("#signposted", SignpostList)
    bar_time = getters.query_one("#call-bar-time", Static)
    caller_hint = getters.query_one("#contact-hint", CallerHint)
    area_hint = getters.query_one("#area-hint", HintLine)

    def __init__(self, enquiry_id: str | None = None) -> None:
        super().__init__()
        self.enquiry_id = enquiry_id
        self._session: CallSession | None = None
        self._last_form_focus: Widget | None = None
        self._choices: tuple[object, CallChoices] | None = None  # (database, lists) composed
        self._call_timers: list[Timer] = []

    # -- one screen for every new call -------------------------------------------------
    # Composing the call screen (~120 widgets, several layout passes) was most of ctrl+n's
    # cost, every call. The screen for new calls is now kept (installed) when a call ends and
    # started afresh for the next one: a new session, the fields as a new call opens them,
    # the lookup emptied. A saved enquiry opened again still gets a screen of its own.
    @classmethod
    def for_new_call(cls, app: App[Any]) -> CallScreen:
        """The call screen for a new call: the kept one, started afresh, when it is free and
        its pick lists are still the database's; otherwise a new one (kept in turn)."""
        kept = _KEPT.get(app)
        if kept is not None and on_a_stack(app, kept):
            return cls()  # taken (a call is open under this one): a screen of its own
        if kept is not None:
            if kept.is_running and not kept.is_mounted:
                return kept  # still being prepared: its on_mount starts the call
            if kept.is_mounted and kept._choices == _current_choices(app):
                kept.start_new_call()
                return kept
            app.uninstall_screen(kept)  # the lists changed (settings, another database)
            kept.remove()
        return keep_screen(_KEPT, app, cls(), "new-call")

    @classmethod
    def prepare(cls, app: App[Any]) -> None:
        """Compose the call screen for the next new call now, off screen (no-op if there is
        one already). ctrl+n pressed meanwhile shows it as soon as it is composed."""
        if app in _KEPT or not app.is_running or getattr(app, "store", None) is None:
            return
        screen = keep_screen(_KEPT, app, cls(), "new-call")
        compose_off_screen(app, screen)

    def start_new_call(self) -> None:
        """Make this kept screen a new call, as a new screen opens one."""
        self._session = None
        session = self.session  # a new one: the call's clock starts now
        self._layout(self.app.size.width)  # the terminal may have been resized meanwhile
        for row in self.field_rows():
            row.set_error(None)
            if isinstance(row.control, MultiPick):
                row.control.clear_filter()
            if row.field in session.values:
                set_control(row.control, session.values[row.field])
        self.caller_hint.show(Hint(""))
        self.area_hint.show(Hint(""))
        self._last_form_focus = None
        self.remove_class("-show-lookup")
        panel = self.panel
        if panel.query_line.value:
            panel.query_line.value = ""  # searches again for nothing typed
        elif panel.page_offset:
            panel.search("", 0, self.mc.today())
        self._start()
        self.call_after_refresh(self._remember_initial)

    @property
    def session(self) -> CallSession:
        """The call itself: values, signposts, rules, draft (made when first needed)."""
        if self._session is None:
            self._session = CallSession(self.mc.store, self.mc.today(), self.enquiry_id)
        return self._session

    def _sync(self) -> None:
        """Hand the form's values, as typed, to the session (before it applies a rule)."""
        self.session.update(self.values())

    # -- unsaved changes ---------------------------------------------------------------
    # FormScreen marks the form dirty on any Changed event, and the controls post theirs
    # for their initial values just after the screen is shown: a call nobody had typed in
    # yet counted as unsaved. Here "dirty" is the session's: differs from the start.
    @property
    def dirty(self) -> bool:
        if self._session is None:
            return False
        if self.is_mounted:
            self._sync()
        return self._session.dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        if not value:  # saved or left: whatever is there now is the new starting point
            if self.is_mounted:
                self._sync()
            self.session.mark_clean()

    # -- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        values = self.session.values
        choices = call_choices(self.mc.store)
        self._choices = (self.mc.db_path, choices)
        yield AppHeader()
        with Horizontal(id="call-bar"):
            yield Static("Call 00:00", id="call-bar-time")
            yield Static(
                "ctrl+f form⇄lookup · F3 signpost · ctrl+s save · esc cancel",
                id="call-bar-text", markup=False,
            )  # fmt: skip
        with Horizontal(id="call-body"):
            with VerticalScroll(id="call-form"):
                yield from compose_form(choices, values, self.enquiry_id)
            with Vertical(id="call-side"):
                yield LookupPanel(id="call-lookup")
                yield Static(NOBODY_SIGNPOSTED, id="signposted-title", markup=False)
                signposts = SignpostList(id="signposted")
                # Hidden until a provider is signposted: set now, before it mounts, the first
                # call starts as every later one does (hiding it then laid the screen out).
                signposts.display = False
                yield signposts
                yield from compose_wrap_up(choices, values)
        yield FitFooter(compact=True)

    def on_mount(self) -> None:
        self.panel.leave_to = self.leave_lookup
        self._layout(self.app.size.width)
        if not self.session.is_new:
            self.add_class("-existing")
            self.caller_hint.show(self.session.callers.hint())
        else:
            self._call_timers = [
                self.set_interval(1.0, self._tick),
                self.set_interval(DRAFT_EVERY_S, self.save_draft),
            ]
        if not on_a_stack(self.app, self):
            # Prepared off screen (prepare): the call starts when ctrl+n shows it (for_new_call
            # starts it afresh: a new session, its clock from then).
            for timer in self._call_timers:
                timer.pause()
            prepared_off_screen(self)
            return
        self._start()

    def _start(self) -> None:
        """What opening a call does, on a new screen or on the kept one started afresh."""
        session = self.session
        self._sync()
        session.mark_clean()
        if not session.is_new or self._session_shown:
            self._show_signposts()
        self._session_shown = True
        self.bar_time.update(session.bar_time(), layout=False)
        for timer in self._call_timers:
            timer.resume()
        self.query_one("#enquirer_kind").focus()
        # Focusing scrolls the field to the middle; the top of the form should show.
        self.call_after_refresh(self.query_one("#call-form").scroll_home, animate=False)
        if session.is_new:
            # Asked once this screen has been made the current one (call_later runs after the
            # ScreenResume queued when it was pushed), so the question is drawn over the form,
            # never under it, and has the focus; both appear in the same first frame, so no
            # key typed into the form is taken by a question that pops up later.
            self.call_later(self._offer_drafts)

    _session_shown = False  # a session has been shown: the next one clears its signposts

    def on_screen_suspend(self) -> None:
        # Covered (a dialog, a provider record) or the call ended: the clock and the draft
        # wait. Nothing in the form can change meanwhile, so no draft is missed.
        for timer in self._call_timers:
            timer.pause()

    def on_screen_resume(self) -> None:
        if self._call_timers and self.session.is_new:
            self._tick()  # the clock shows the time at once
            for timer in self._call_timers:
                timer.resume()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")

    def _tick(self) -> None:
        self.bar_time.update(self.session.bar_time(), layout=False)

    def _tell(self, notice: Notice) -> None:
        self.notify(notice.text, severity=notice.severity, markup=False)

    def _apply(self, changes: FormChanges) -> None:
        """Show in the form what the session filled in."""
        rows = {row.field: row for row in self.field_rows()}
        for name, value in changes.fields.items():
            set_control(rows[name].control, value)
        if changes.area_changed:
            self.area_hint.show(self.session.area_hint())

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
        # set_focus, not focus(): focus() waits its turn behind the keys typed after Tab,
        # which would then go into the lookup (app.action_move_focus).
        outcome = self.query_one("#outcome", KeySelect)
        if outcome.value is Select.NULL:
            self.set_focus(outcome)
        else:
            self.set_focus(self.query_one("#follow_up_on", Input))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if self.query_one("#call-form") in widget.ancestors:
            self._last_form_focus = widget
            self.remove_class("-show-lookup")
        elif self.query_one("#call-side") in widget.ancestors:
            self.add_class("-show-lookup")

    # -- signposting -------------------------------------------------------------------
    @on(LookupPanel.SignpostRequested)
    def _signpost(self, event: LookupPanel.SignpostRequested) -> None:
        self._sync()
        change = self.session.toggle_signpost(event.row, self.panel.understood)
        self._apply(change.filled)
        self._show_signposts()
        if change.notice is not None:
            self._tell(change.notice)
        self.save_draft()

    @on(SignpostList.RemoveRequested)
    def _remove_signpost(self, event: SignpostList.RemoveRequested) -> None:
        notice = self.session.remove_signpost(event.provider_id)
        if notice is None:
            return
        self._show_signposts()
        self._tell(notice)
        self.save_draft()

    @on(SignpostList.OutcomeRequested)
    def _next_signpost_outcome(self, event: SignpostList.OutcomeRequested) -> None:
        notice = self.session.next_signpost_outcome(event.provider_id)
        if notice is not None:
            self._tell(notice)
            return
        self._show_signposts()
        self.mc.data_changed("signposts")

    def action_what_happened(self) -> None:
        """F5: to the signposts, the first saved one highlighted, for o (what happened).
        From the signposts, F5 records the next outcome, as o does."""
        signposts = self.signpost_list
        if self.focused is signposts:
            signposts.action_outcome()
            return
        saved = self.session.saved_signposts
        if not saved:
            self.notify("Save the enquiry with a signpost first; then F5 records what happened.")
            return
        order = list(self.session.signposts)
        signposts.highlighted = next((order.index(pid) for pid in order if pid in saved), 0)
        signposts.focus()  # the side column shows when narrow (see on_descendant_focus)

    def _show_signposts(self) -> None:
        items = self.session.signpost_items()
        self.signpost_list.show(items)
        title = signposted_title(len(items), saved=bool(self.session.saved_signposts))
        update_text(self.query_one("#signposted-title", Static), title)
        panel = self.panel
        panel.signposted = set(self.session.signposts)
        panel.refresh_rows()

    @on(LookupPanel.ProviderChosen)
    def _open_provider(self, event: LookupPanel.ProviderChosen) -> None:
        self.mc.open_provider(event.provider_id)

    def action_use_lookup(self) -> None:
        """F7: copy what the lookup understood into the form."""
        self._sync()
        changes = self.session.fill_from_lookup(self.panel.understood, only_empty=False)
        if not changes:
            self.notify("The lookup has not understood a service, day, time or area yet.")
            return
        self._apply(changes)

    # -- possible earlier callers ------------------------------------------------------
    @on(Input.Changed, "#caller_name, #caller_phone")
    def _look_for_callers(self) -> None:
        name = self.query_one("#caller_name", Input).value
        self.caller_hint.look_for(name, self.query_one("#caller_phone", Input).value)

    @on(CallerHint.Found)
    def _show_callers(self, event: CallerHint.Found) -> None:
        hint = self.session.callers.show(event.callers)
        self.refresh_bindings()
        if hint is not None:
            self.caller_hint.show(hint)

    def action_link_contact(self) -> None:
        """F8: link this enquiry to the earlier caller (or unlink it)."""
        hint = self.session.link_caller()
        if hint is None:
            self.notify("No earlier caller matches this name or phone.")
            return
        self.caller_hint.show(hint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "link_contact":
            return self.session.callers.can_link()
        if action == "what_happened":  # only a saved enquiry's signposts have an outcome
            return bool(self.session.saved_signposts)
        return True

    # -- checking fields as the worker leaves them -------------------------------------
    def validate_field(self, field: str, value: Any) -> str | None:
        return self.session.check_field(field, str(value))

    @on(Input.Blurred)
    def _normalise_on_leave(self, event: Input.Blurred) -> None:
        """Show what was understood: '01233123456' -> '01233 123456', '+3d' -> '25/11/2026'."""
        control = event.input
        shown = self.session.left_field(control.id or "", control.value)
        if shown is not None:
            control.value = shown
        if control.id == "postcode":
            self.area_hint.show(self.session.area_hint())
        self.save_draft()

    # -- saving ------------------------------------------------------------------------
    def save_values(self, values: dict[str, Any]) -> SavedCall:
        self.session.update(values)
        return self.session.save()

    def saved(self, result: SavedCall) -> None:
        self.dismiss(result.enquiry)
        self.mc.data_changed("enquiries")
        self.app.notify(result.message, markup=False)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.session.discard_draft()
            self.dismiss(None)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dirty = False
                self.session.discard_draft()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("This call is not saved. Leave it without saving?", "Leave", "Stay"),
            answered,
        )

    def action_make_provider(self) -> None:
        """F9: save a would-be provider's enquiry, then make their provider record."""
        self._sync()
        try:
            made = self.session.make_provider()
        except NotAWouldBeProvider as exc:
            self.notify(exc.message, severity="warning", markup=False)
            return
        except Exception as exc:  # a failed save must never take the form (and the call) down
            for row in self.field_rows():
                row.set_error(None)
            self.save_failed(exc)
            return
        self.dismiss(made.enquiry)
        self.mc.data_changed("providers")
        self.app.notify(made.message, markup=False)

    # -- drafts ------------------------------------------------------------------------
    def save_draft(self) -> None:
        """Keep a draft of a new call (no-op for existing enquiries or an untouched form)."""
        if not self.session.is_new or not self.is_attached:
            return
        self._sync()
        try:
            kept = self.session.keep_draft(self.panel.query_line.value)
        except Exception as exc:  # a draft must never take the call down; the kind only
            self.log.warning("could not keep the call's draft", type(exc).__name__)
            return
        if kept:
            self._rewarm_lookup()

    @work(thread=True, exclusive=True, group="call-rewarm", exit_on_error=False)
    def _rewarm_lookup(self) -> None:
        """A kept draft is a commit to the database file, so the lookup's reader rebuilds its
        caches at its next read (measured: 6 -> 130 ms for one lookup at county scale).
        Rebuild them now, on the reader thread, before the worker's next key in the lookup."""
        today = self.mc.today()
        self.mc.read(lambda db: find_providers(db, "", limit=1, today=today))

    def _offer_drafts(self) -> None:
        """Offer back the newest call that was not saved; say if one could not be read."""
        if not self.is_attached or not self.is_current:
            return  # the worker has moved on: asked at the next new call
        kept = load_drafts(self.mc.store)
        if kept.notice is not None:
            self._tell(kept.notice)
        if not kept.drafts:
            return
        draft = kept.drafts[0]

        def answered(answer: Answer | None) -> None:
            if answer == "restore":
                self.restore_draft(draft)
            elif answer == "discard":
                self.session.discard_kept(draft)
                self.notify("Discarded the unsaved call.")
            # "later" (escape): kept, and offered again at the next new call

        self.app.push_screen(DraftQuestion(draft.question, len(kept.drafts) - 1), answered)

    def restore_draft(self, draft: Draft) -> None:
        """Put a kept draft back into the form, the signposts and the lookup."""
        session = self.session
        values = session.restore(draft)
        for row in self.field_rows():
            if row.field in values:
                set_control(row.control, values[row.field])
        self._show_signposts()
        if session.callers.contact_id:
            self.caller_hint.show(session.callers.hint())
        if session.area_id:
            self.area_hint.show(session.area_hint())
        if draft.lookup_text:
            self.panel.query_line.value = draft.lookup_text
        self.notify("Restored the unsaved call.")
        self.query_one("#enquirer_kind").focus()


def _current_choices(app: App[Any]) -> tuple[object, CallChoices] | None:
    """The database and pick lists a call screen composed now would have."""
    store = getattr(app, "store", None)
    if store is None:
        return None
    return (getattr(app, "db_path", None), call_choices(store))
