"""AppHeader: Textual's Header, whose title changes repaint one line instead of laying out
the whole screen.

Textual's Header sets its title with `Static.update`, which asks for a layout of the screen.
The title is one line that never changes height, and it is set three or four times as a
screen opens (the app's title and sub title, the screen's) and after each save (the changes
to export): each was a layout pass of every widget on the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.dom import NoScreen
from textual.geometry import Size
from textual.reactive import Reactive
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class _OneLineTitle(HeaderTitle):
    # A longer or shorter title changes its virtual size, which asked for a layout too.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        shown = self.content
        if (
            isinstance(content, Content)
            and isinstance(shown, Content)
            and (content.plain, content.spans) == (shown.plain, shown.spans)
        ):
            return  # the title it shows (set as composed, then again as Header mounts)
        super().update(content, layout=False)  # one line, whatever it says


class AppHeader(Header):
    """The app's header (as Textual's), cheaper to retitle."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if type(widget) is HeaderTitle:
                # With its words from the start: Header sets them only once mounted, which
                # drew the first frame's header again.
                try:
                    yield _OneLineTitle(self.format_title())
                except NoScreen:
                    yield _OneLineTitle()
            else:
                yield widget
