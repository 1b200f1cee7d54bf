"""A key repaints what it changed: only widgets seen where the screen changed are asked for lines.

Textual 8's compositor, for an update of part of the screen (a key in a field repaints that
field), asks every widget whose *clip* (the visible part of its container) meets the changed
area for its lines: nearly every widget on the screen, since most containers' clips are the
whole screen. Each answers from its cache, but applying its line filters to each of its lines
and walking its ancestors for its background costs ~0.1-0.3 ms a widget: on the provider form
~3 ms of every key (22 widgets), more on the call screen. Only the widgets whose visible part
meets the changed area can show anything there, so only they are asked (what is painted is
the same: the update copies only the changed area's cells).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_textual_get_renders = Compositor._get_renders


def _get_renders(
    self: Compositor, crop: Region | None = None
) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """Textual's `Compositor._get_renders`, asking only widgets seen inside `crop`."""
    intersection = Region.intersection
    for widget, (region, clip) in self.visible_widgets.items():
        seen = intersection(region, clip)
        x, y, width, height = seen
        if not (width and height) or (crop is not None and not crop.overlaps(seen)):
            continue  # nothing of it shows, or nothing where the screen changed
        yield region, clip, widget.render_lines(Region(x - region.x, y - region.y, width, height))


def install() -> None:
    """Use the narrower lookup for every screen of the app (once, before the first frame).
    Left as Textual's if Textual's compositor has changed shape."""
    if Compositor._get_renders is not _textual_get_renders:
        return  # installed already
    if not hasattr(Compositor, "visible_widgets"):
        return
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]


def uninstall() -> None:
    """Textual's own lookup again (a test compares the two)."""
    Compositor._get_renders = _textual_get_renders  # type: ignore[method-assign]
