"""The app's single-line text field: an Input whose size never depends on its text."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class TextField(Input):
    """An Input that types without laying out the whole screen on every key.

    Textual's Input sets its `virtual_size` to the text's width on every keystroke, and that
    reactive asks for a layout of the whole screen (measured: a provider-form key cost
    34-39 ms CPU under load, 10-13 ms with this; bench/instant.py). A field's box never
    depends on its text, so here the virtual size only repaints. Horizontal scrolling of
    long text works as before. Use it for every text field in the app.
    """

    virtual_size = Reactive(Size(0, 0), layout=False)
