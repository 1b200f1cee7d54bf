"""A key repaints what it changed: only widgets seen where the screen changed are asked for lines.

Textual 8's compositor, for an update of part of the screen (a key in a field repaints that
field), asks every widget whose *clip* (the visible part of its container) meets the changed
area for its lines: nearly every widget on the screen, since most containers' clips are the
whole screen. Each answers from its cache, but applying its line filters to each of its lines
and walking its ancestors for its background costs ~0.1-0.3 ms a widget: on the provider form
~3 ms of every key (22 widgets), more on the call screen. Only the widgets whose visible part
meets the changed area can show anything there, so only they are asked (what is painted is
the same: the update copies only the changed area's cells).

And only for the lines where they meet a changed region (lookup8b): the area is the box around
every change, so a key in the lookup (the query line at the top, the status line at the
bottom) asked every widget between them for all its lines, the results list and its
scrollbar included when no result had changed. A widget that meets no changed region can
paint nothing the update copies: the screen's cuts are made at every widget's edges, so a
piece of a changed line it covers lies inside it and inside a changed region. Nor can one
behind a widget that covers the changed region whole (the screen and the containers behind
a field that changed): the front-most widget's piece of each cut is the one painted.

And a screen is not painted whole twice for one request: see `_compositor_refresh`.

And a screen hidden under an opaque one repaints nothing on screen (keys8): Textual counts
the screen under the current one as seen (for a translucent dialog over it), and when it
repaints, the current screen repaints all it covers, the whole screen. Pushing a screen asks
the one under it to repaint, so opening the call screen painted its ~80 widgets twice (a
third of ctrl+n), and a list under the provider form that repainted mid-word painted the
whole form again. A screen whose background is opaque paints a blank under its widgets,
never the screen under it (Screen.render): that one's repaint is kept for when it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip

_textual_get_renders = Compositor._get_renders
_textual_render_partial_update = Compositor.render_partial_update
_textual_compositor_refresh = Screen._compositor_refresh


def _get_renders(
    self: Compositor, crop: Region | None = None
) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """Textual's `Compositor._get_renders`, asking only widgets seen inside `crop`, and in
    a partial update only those meeting a changed region in front of which no other widget
    covers it, for those lines only."""
    intersection = Region.intersection
    visible = self.visible_widgets
    changed: list[Region] | None = getattr(self, "_cheap_changed", None)
    if changed:
        # Which widget, front to back, first covers each changed region whole: the ones
        # behind it show nothing there.
        covered_by = _front_cover(visible, changed)
    for index, (widget, (region, clip)) in enumerate(visible.items()):
        seen = intersection(region, clip)
        x, y, width, height = seen
        if not (width and height) or (crop is not None and not crop.overlaps(seen)):
            continue  # nothing of it shows, or nothing where the screen changed
        if changed:
            lines = _changed_lines(seen, changed, covered_by, index)
            if lines is None:
                continue  # it shows in no changed region: nothing of it is copied
            top, bottom = lines
            if bottom - top != height:
                # Its lines that meet a change; the clip says which (Textual lines the
                # strips up with the region and clip it is given).
                seen = Region(x, top, width, bottom - top)
                clip = intersection(clip, seen)
                y, height = top, bottom - top
        yield region, clip, widget.render_lines(Region(x - region.x, y - region.y, width, height))


def _front_cover(visible: dict[Any, tuple[Region, Region]], changed: list[Region]) -> list[int]:
    """For each changed region, the index (front to back) of the first widget whose visible
    part contains it whole; len(visible) if none does."""
    intersection = Region.intersection
    covered_by = [len(visible)] * len(changed)
    left = set(range(len(changed)))
    for index, (region, clip) in enumerate(visible.values()):
        if not left:
            break
        seen = intersection(region, clip)
        if not seen:
            continue  # nothing of it shows
        for i in list(left):
            if seen.contains_region(changed[i]):
                covered_by[i] = index
                left.discard(i)
    return covered_by


def _changed_lines(
    seen: Region, changed: list[Region], covered_by: list[int], index: int
) -> tuple[int, int] | None:
    """The first and after-last line of `seen` that meet a changed region not covered by a
    widget in front of this one (at `index`), or None."""
    top = bottom = None
    intersection = Region.intersection
    for region, cover in zip(changed, covered_by, strict=True):
        if cover < index:
            continue
        _, hit_y, hit_width, hit_height = intersection(seen, region)
        if hit_width > 0 and hit_height > 0:
            top = hit_y if top is None else min(top, hit_y)
            bottom = hit_y + hit_height if bottom is None else max(bottom, hit_y + hit_height)
    return None if top is None or bottom is None else (top, bottom)


def _render_partial_update(self: Compositor) -> Any:
    """Textual's, with the changed regions at hand for `_get_renders` while it runs."""
    self._cheap_changed = list(self._dirty_regions)  # type: ignore[attr-defined]
    try:
        return _textual_render_partial_update(self)
    finally:
        self._cheap_changed = None  # type: ignore[attr-defined]


def _compositor_refresh(self: Screen[Any]) -> None:
    """Textual's, except that a screen under an opaque one keeps its repaint for when it is
    shown, as Textual does, without repainting the screen over it."""
    app = self.app
    if (
        not app.is_inline
        and self is not app.screen
        and self._compositor._dirty_regions
        and app.screen.styles.background.a == 1
        and self in app._background_screens
    ):
        self._set_dirty(*self._compositor._dirty_regions)
        self._repaint_required = True
        self._compositor._dirty_regions.clear()
        self._dirty_widgets.clear()
        return
    compositor = self._compositor
    whole = self is app.screen and compositor.size.region in compositor._dirty_regions
    _textual_compositor_refresh(self)
    if whole and self._repaint_required:
        # A repaint the screen asked for before this one, which painted it whole. Textual
        # clears the request only when its update timer paints, not when a layout paints
        # directly (as the first frame does): the first frame was painted whole twice,
        # the second time (~12 ms at 120x40) in Home's first read.
        self._repaint_required = False


def install() -> None:
    """Use the narrower lookup for every screen of the app (once, before the first frame).
    Left as Textual's if Textual's compositor has changed shape."""
    if Compositor._get_renders is not _textual_get_renders:
        return  # installed already
    if not hasattr(Compositor, "visible_widgets"):
        return
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
    Screen._compositor_refresh = _compositor_refresh  # type: ignore[method-assign]


def uninstall() -> None:
    """Textual's own lookup again (a test compares the two)."""
    Compositor._get_renders = _textual_get_renders  # type: ignore[method-assign]
    Compositor.render_partial_update = _textual_render_partial_update  # type: ignore[method-assign]
    Screen._compositor_refresh = _textual_compositor_refresh  # type: ignore[method-assign]
