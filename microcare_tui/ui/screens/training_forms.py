"""The training forms: a new session of a course, and a new course for the catalogue."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Select, Static

from microcare_tui.services.training_forms import save_course, save_session, training_choices
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, FormScreen, KeySelect, MultiPick
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField


class _TrainingForm(FormScreen):
    DEFAULT_CSS = """
    _TrainingForm VerticalScroll { padding: 0 2; }
    """

    def saved(self, result: Any) -> None:
        self.mc.data_changed("training")
        super().saved(result)


class SessionFormScreen(_TrainingForm):
    """Add a session: the course, day and start, venue, trainer and capacity."""

    HELP = (
        "New session: the course (type a letter), the day (22/11/2026, tue, +2w), the start "
        "(09:30 or 2pm; 10:00 if left empty), where, who trains, and how many places. "
        "ctrl+s saves, escape cancels."
    )

    def compose(self) -> ComposeResult:
        courses = training_choices(self.mc.store).courses
        yield AppHeader()
        with VerticalScroll():
            yield Static("New training session", classes="page-title")
            course = KeySelect(courses, id="course_id", prompt="(choose a course)")
            yield FieldRow("Course", course, "course_id", required=True, hint="type a letter")
            day = TextField(id="day", placeholder="e.g. 24/11/2026, tue, +2w")
            yield FieldRow("Day", day, "day", required=True)
            yield FieldRow("Starts", TextField(id="start", placeholder="10:00"), "start")
            yield FieldRow("Venue", TextField(id="venue", placeholder="e.g. Ashford Library"),
                           "venue")  # fmt: skip
            yield FieldRow("Trainer", TextField(id="trainer"), "trainer")
            yield FieldRow("Places", TextField(id="capacity", placeholder="e.g. 12"), "capacity",
                           hint="empty: no limit")  # fmt: skip
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> str:
        session_id = save_session(self.mc.store, values, self.mc.today())
        self.notify("Session added: press b to book people on it.")
        return session_id


class CourseFormScreen(_TrainingForm):
    """Add a course: its title and topic, the certificate it gives, for whom it is a must."""

    HELP = (
        "New course: a title; if it gives a certificate, the evidence type it counts as and how "
        "many months it is valid; and for which providers it is mandatory (all, or those "
        "offering a service). ctrl+s saves, escape cancels."
    )

    def compose(self) -> ComposeResult:
        choices = training_choices(self.mc.store)
        yield AppHeader()
        with VerticalScroll():
            yield Static("New course", classes="page-title")
            yield FieldRow("Title", TextField(id="title"), "title", required=True)
            yield FieldRow("Topic", TextField(id="topic", placeholder="e.g. first aid"), "topic")
            evidence = KeySelect(choices.evidence_types, id="evidence_type_code",
                                 prompt="(no certificate)", value=Select.NULL)  # fmt: skip
            yield FieldRow("Certificate counts as", evidence, "evidence_type_code",
                           hint="type a letter")  # fmt: skip
            yield FieldRow("Valid for (months)", TextField(id="validity_months",
                                                           placeholder="e.g. 36"),
                           "validity_months", hint="empty: does not lapse")  # fmt: skip
            yield FieldRow("Mandatory for", MultiPick(choices.mandatory, id="mandatory_for"),
                           "mandatory_for")  # fmt: skip
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> str:
        course_id = save_course(self.mc.store, values)
        self.notify(f"Course added: {values.get('title', '').strip()}", markup=False)
        return course_id
