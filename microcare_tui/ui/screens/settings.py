"""Settings (section 9): programme settings and the council's own areas and services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static, Switch, TabbedContent, TabPane

from microcare_tui.domain import models as m
from microcare_tui.domain.errors import MicrocareError
from microcare_tui.services import pipeline as pipeline_service
from microcare_tui.services import settings as service
from microcare_tui.ui.screens.base import SectionScreen
from microcare_tui.ui.widgets.cheap_screen import (
    draw_off_screen,
    prepared_off_screen,
    update_text,
)
from microcare_tui.ui.widgets.confirm import ConfirmDialog
from microcare_tui.ui.widgets.footer import FitFooter
from microcare_tui.ui.widgets.form import FieldRow, FormScreen
from microcare_tui.ui.widgets.header import AppHeader
from microcare_tui.ui.widgets.text_field import TextField


@dataclass
class SettingsLoaded(Message):
    """What Settings shows, read on the app's reader thread (`generation`: of the read
    asked for; an older one is dropped)."""

    generation: int
    view: service.SettingsOverview
    stages: list[pipeline_service.StageRow]


class SettingsScreen(SectionScreen):
    """Programme settings, areas with their postcode districts, and the service catalogue."""

    HELP = (
        "Settings: your name, the programme's rates and thresholds, and this council's areas "
        "(with postcode districts, used to place providers and callers) and services (with the "
        "words callers use, used by the lookup)."
    )
    title_text = "Settings"
    BINDINGS = [
        Binding("p", "pane('programme')", "Programme"),
        Binding("a", "pane('areas')", "Areas"),
        Binding("s", "pane('services')", "Services"),
        Binding("t", "pane('stages')", "Stages"),
        Binding("e", "edit", "Edit"),
        Binding("n", "new", "New"),
        Binding("d", "remove", "Remove"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with TabbedContent(initial="programme"):
            with TabPane("Programme (p)", id="programme"), VerticalScroll(classes="page"):
                yield Static("", id="programme-summary")
                yield Static("Press e to change these.", classes="muted")
            with TabPane("Areas (a)", id="areas"):
                yield Static("", id="areas-count", classes="muted")
                areas: DataTable[str] = DataTable(id="areas-table", cursor_type="row")
                areas.add_columns("Area", "Postcode districts", "Nearby areas")
                yield areas
            with TabPane("Services (s)", id="services"):
                yield Static("", id="services-count", classes="muted")
                services: DataTable[str] = DataTable(id="services-table", cursor_type="row")
                services.add_columns("Service", "Regulated", "Words callers use")
                yield services
            with TabPane("Stages (t)", id="stages"):
                yield Static("", id="stages-count", classes="muted")
                stages: DataTable[str] = DataTable(id="stages-table", cursor_type="row")
                stages.add_columns("#", "Stage", "Listed", "Closed")
                yield stages
        yield FitFooter(compact=True)

    def __init__(self) -> None:
        super().__init__()
        self._keep: dict[str, str] = {}  # pane -> the row to highlight after the next reload
        self.generation = 0  # of the latest read asked for

    def on_mount(self) -> None:
        self.reload()
        if not self.is_current:  # made off screen (call_prepare.prepare_section)
            prepared_off_screen(self)

    def reload(self) -> None:
        """Read the settings again, in a thread (shown when SettingsLoaded comes back)."""
        self.generation += 1
        self._read(self.generation)

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def _read(self, generation: int) -> None:
        read = self.mc.read(
            lambda db: (service.settings_overview(db), pipeline_service.stage_rows(db))
        )
        if read is not None:
            self.post_message(SettingsLoaded(generation, *read))

    @on(SettingsLoaded)
    def _loaded(self, message: SettingsLoaded) -> None:
        if message.generation == self.generation:  # else a newer read is on its way
            self._show(message.view, message.stages)
            draw_off_screen(self)  # read while made off screen: drawn unseen too

    def _show(
        self, view: service.SettingsOverview, stage_rows: list[pipeline_service.StageRow]
    ) -> None:
        lines = [f"{s.label:<40} {s.text or '(not set)'}" for s in view.programme]
        # Each line set only when it says something new: an update lays out the screen.
        update_text(self.query_one("#programme-summary", Static), "\n".join(lines))
        _refill(
            self.query_one("#areas-table", DataTable),
            [(a.id, (a.name, a.districts, a.neighbours)) for a in view.areas],
            self._keep.pop("areas", None),
        )
        update_text(
            self.query_one("#areas-count", Static),
            f"{len(view.areas)} areas · n new, e edit, d remove",
        )
        _refill(
            self.query_one("#services-table", DataTable),
            [(st.id, (st.label, st.regulated, st.synonyms)) for st in view.services],
            self._keep.pop("services", None),
        )
        update_text(
            self.query_one("#services-count", Static),
            f"{len(view.services)} services · n new, e edit, d remove",
        )

        _refill(
            self.query_one("#stages-table", DataTable),
            [(r.code, (str(r.position), r.label, "listed" if r.listed else "-",
                       "closed" if r.closed else "-")) for r in stage_rows],
            self._keep.pop("stages", None),
        )  # fmt: skip
        update_text(
            self.query_one("#stages-count", Static),
            f"{len(stage_rows)} pipeline stages · e renames or moves one",
        )

    @property
    def pane(self) -> str:
        return str(self.query_one(TabbedContent).active)

    def action_pane(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        if pane != "programme":
            self.query_one(f"#{pane}-table", DataTable).focus()

    def _highlighted(self) -> str | None:
        table = self.query_one(f"#{self.pane}-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _after(self, result: Any) -> None:
        if result is not None:
            saved_id = getattr(result, "id", None)
            if saved_id and self.pane != "programme":
                self._keep[self.pane] = str(saved_id)  # stay on the row just saved
            self.mc.data_changed("settings")

    def action_edit(self) -> None:
        if self.pane == "programme":
            self.app.push_screen(ProgrammeForm(), self._after)
        elif (key := self._highlighted()) is not None and self.pane == "stages":
            self.app.push_screen(StageForm(key), self._after)
        elif (key := self._highlighted()) is not None:
            form = AreaForm(key) if self.pane == "areas" else ServiceTypeForm(key)
            self.app.push_screen(form, self._after)

    def action_new(self) -> None:
        if self.pane == "areas":
            self.app.push_screen(AreaForm(), self._after)
        elif self.pane == "services":
            self.app.push_screen(ServiceTypeForm(), self._after)
        else:
            self.notify("Press a for areas or s for services, then n to add one.")

    def action_remove(self) -> None:
        key = self._highlighted() if self.pane not in ("programme", "stages") else None
        if key is None:
            return
        pane = self.pane
        table = self.query_one(f"#{pane}-table", DataTable)
        name = str(table.get_row(key)[0])

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                if pane == "areas":
                    service.remove_area(self.mc.store, key)
                else:
                    service.remove_service_type(self.mc.store, key)
            except MicrocareError as exc:
                self.notify(exc.message, title="Not removed", severity="error", markup=False)
                return
            self.notify(f"Removed {name}", markup=False)
            self.mc.data_changed("settings")

        self.app.push_screen(ConfirmDialog(f"Remove {name}?", "Remove", "Keep"), answered)


_SHOWN: WeakKeyDictionary[DataTable[str], list[tuple[str, tuple[str, ...]]]] = WeakKeyDictionary()


def _refill(
    table: DataTable[str], rows: list[tuple[str, tuple[str, ...]]], keep: str | None
) -> None:
    """Refill a table and keep the worker's place: on `keep` (a row just saved), else on the
    row that was highlighted, else at the same position (the next key acts on the row the
    worker sees, not on the first)."""
    shown = _SHOWN.get(table)
    if keep is None and shown == rows and table.row_count == len(rows):
        return  # the same rows (shown again, nothing saved): not rebuilt and drawn again
    _SHOWN[table] = list(rows)
    if keep is None and table.row_count:
        keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    index = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    ids = [key for key, _ in rows]
    if keep in ids:
        index = ids.index(keep)
    if rows:
        table.move_cursor(row=min(index, len(rows) - 1), animate=False)


class _SettingsForm(FormScreen):
    DEFAULT_CSS = """
    _SettingsForm VerticalScroll { padding: 0 2; }
    """

    def saved(self, result: Any) -> None:
        self.notify("Saved")
        super().saved(result)


class ProgrammeForm(_SettingsForm):
    """Change your name, the programme's rates and thresholds."""

    HELP = "Rates are per hour (e.g. 19.68); the savings report shows them beside every figure."

    def compose(self) -> ComposeResult:
        settings = service.programme_settings(self.mc.store)
        yield AppHeader()
        with VerticalScroll():
            yield Static("Programme settings", classes="page-title")
            for setting in settings:
                yield FieldRow(
                    setting.label,
                    TextField(setting.text, id=setting.key),
                    setting.key,
                    required=True,
                    hint="£" if setting.kind == "money" else "",
                )
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> dict[str, Any]:
        result = service.save_settings(self.mc.store, values)
        self.mc.refresh_status()
        return result


class AreaForm(_SettingsForm):
    """Add or change an area."""

    HELP = "An area: its name, the postcode districts in it (TN23 TN24 ...), and nearby areas."

    def __init__(self, area_id: str | None = None) -> None:
        super().__init__()
        self.area_id = area_id

    def compose(self) -> ComposeResult:
        area = service.area_form_values(self.mc.store, self.area_id) if self.area_id else None
        yield AppHeader()
        with VerticalScroll():
            yield Static("Change area" if area else "New area", classes="page-title")
            yield FieldRow("Name", TextField(area.name if area else "", id="name"), "name", True)
            yield FieldRow(
                "Postcode districts",
                TextField(area.districts if area else "", id="postcode_districts"),
                "postcode_districts",
                hint="e.g. TN23 TN24",
            )
            yield FieldRow(
                "Nearby areas",
                TextField(area.neighbours if area else "", id="neighbours"),
                "neighbours",
                hint="names, comma separated",
            )
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> m.Area:
        return service.save_area(self.mc.store, values, self.area_id)


class ServiceTypeForm(_SettingsForm):
    """Add or change a service in the catalogue."""

    HELP = "A service: its name, the words a caller might use for it, and whether it is regulated."

    def __init__(self, service_type_id: str | None = None) -> None:
        super().__init__()
        self.service_type_id = service_type_id

    def compose(self) -> ComposeResult:
        st = (
            service.service_form_values(self.mc.store, self.service_type_id)
            if self.service_type_id
            else None
        )
        yield AppHeader()
        with VerticalScroll():
            yield Static("Change service" if st else "New service", classes="page-title")
            yield FieldRow("Name", TextField(st.label if st else "", id="label"), "label", True)
            yield FieldRow(
                "Words callers use",
                TextField(st.synonyms if st else "", id="synonyms"),
                "synonyms",
                hint="comma separated",
            )
            yield FieldRow(
                "Regulated activity (CQC)",
                Switch(value=st.regulated if st else False, id="regulated"),
                "regulated",
            )
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> m.ServiceType:
        return service.save_service_type(self.mc.store, values, self.service_type_id)


class StageForm(_SettingsForm):
    """Rename a pipeline stage or move it in the board's order (its code never changes)."""

    HELP = "A pipeline stage: the name the board and Home show, and its place (1 first)."

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        row = next(r for r in pipeline_service.stage_rows(self.mc.store) if r.code == self.code)
        yield AppHeader()
        with VerticalScroll():
            yield Static(f"Change stage: {row.label}", classes="page-title", markup=False)
            yield FieldRow("Name", TextField(row.label, id="label"), "label", True)
            yield FieldRow("Position", TextField(str(row.position), id="position"), "position",
                           hint="1 is the first column")  # fmt: skip
        yield FitFooter(compact=True)

    def save_values(self, values: dict[str, Any]) -> pipeline_service.StageRow:
        return pipeline_service.rename_stage(self.mc.store, self.code, values)
