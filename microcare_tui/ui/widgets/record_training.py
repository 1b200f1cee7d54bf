"""The training part of a provider's record: its people's certificates (latest of each kind,
with when each lapses) and their places on sessions. Loads itself in a thread worker.

Usage (the provider record places it): `yield RecordTraining(provider_id)`; call `reload()`
after a save (it also reloads on DataChanged through its screen's reload).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.widgets import Static

from microcare_tui.services.training_forms import ProviderTraining, provider_training
from microcare_tui.ui.access import AppAccess
from microcare_tui.ui.messages import Loaded

PLACES_SHOWN = 12


class TrainingPartLoaded(Loaded, bubble=False):
    """One provider's training, for the record's part."""

    def __init__(self, generation: int, training: ProviderTraining) -> None:
        super().__init__(generation)
        self.training = training


class RecordTraining(AppAccess, Static):
    """The provider record's training part (certificates, then places on sessions)."""

    DEFAULT_CSS = """
    RecordTraining { height: auto; }
    """

    def __init__(self, provider_id: str, **kwargs: object) -> None:
        super().__init__("Loading training...", markup=False, **kwargs)  # type: ignore[arg-type]
        self.provider_id = provider_id
        self.training: ProviderTraining | None = None
        self.generation = 0

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the provider's training again (in a worker)."""
        self.generation += 1
        self.load(self.generation)

    def show_for(self, provider_id: str) -> None:
        """Become another provider's training part (the record screen is kept): blank, then
        read theirs."""
        self.provider_id = provider_id
        self.training = None
        self.update("Loading training...")
        self.reload()

    @work(thread=True, exclusive=True, group="record-training", exit_on_error=False)
    def load(self, generation: int) -> None:
        """Read on the app's reader thread; comes back as TrainingPartLoaded."""
        today = self.mc.today()
        provider_id = self.provider_id
        training = self.mc.read(lambda db: provider_training(db, provider_id, today))
        if training is not None:
            self.post_message(TrainingPartLoaded(generation, training))

    @on(TrainingPartLoaded)
    def _loaded(self, message: TrainingPartLoaded) -> None:
        if message.generation != self.generation:
            return
        self.training = message.training
        self.update(render_training(message.training))


def render_training(training: ProviderTraining) -> RenderableType:
    """The summary line, the certificates (lapsed marked '!'), the latest places."""
    parts: list[RenderableType] = [Text(training.summary)]
    if training.certificates:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for c in training.certificates:
            grid.add_row(c.who, c.what, Text(c.words, style="bold" if c.band == 0 else ""))
        parts.append(grid)
    if training.places:
        places = Table.grid(padding=(0, 2))
        places.add_column(no_wrap=True)
        places.add_column(no_wrap=True)
        places.add_column(no_wrap=True)
        places.add_column(ratio=1)
        for p in training.places[:PLACES_SHOWN]:
            places.add_row(p.when[4:14], p.status, p.who, p.title)
        parts.append(Text("Places on sessions (latest first)", style="bold"))
        parts.append(places)
        if len(training.places) > PLACES_SHOWN:
            parts.append(Text(f"Latest {PLACES_SHOWN} of {len(training.places)} shown.",
                              style="dim"))  # fmt: skip
    elif not training.certificates:
        parts.append(Text("No training booked or attended yet: 5, then b books people.",
                          style="dim"))  # fmt: skip
    return Group(*parts)
