"""Messages that carry results up from workers and screens."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Something was saved: screens showing counts or lists should reload."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
