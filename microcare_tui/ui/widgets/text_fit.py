"""Fitting a value into a column: cut with an ellipsis, or a label's short form.

Apart from the enquiry table (which brings Textual's DataTable) so that Home, the first
screen, can fit its follow-up lines without importing a table it does not show."""

from __future__ import annotations

from microcare_tui.domain.labels import short_label


def cut(text: str, width: int) -> str:
    """`text`, cut to `width` with an ellipsis when longer."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def fit_label(text: str, width: int) -> str:
    """A kind or outcome label in full, or its short form when that is too wide."""
    return text if len(text) <= width else cut(short_label(text), width)
