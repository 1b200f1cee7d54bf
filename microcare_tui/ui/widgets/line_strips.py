"""One line of styled text as a Strip, fast: what the app's line-painted lists share.

`Visual.to_strips` (wrapping, alignment, selection, links) cost ~0.5-1 ms a line, and a list
paints one per visible line: most of a keystroke that brings 15 new lookup rows, and ~30 ms
of the Quality section's first paint. Built here from the line's styled runs directly.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip
from textual.style import Style as VisualStyle


class LineStrips:
    """Mixin for a Widget: `_line_strip` makes a line's Strip, with the rich style of each
    run kept per (base style, span style); call `_forget_run_styles` when styles change."""

    _run_styles: dict[tuple[VisualStyle, object], RichStyle]

    def _forget_run_styles(self) -> None:
        self._run_styles = {}

    def _line_strip(self, line: Content, width: int, style: VisualStyle) -> Strip:
        """One line cut to `width` with an ellipsis (as `text-wrap: nowrap; text-overflow:
        ellipsis` renders it) and padded to it."""
        segments = self._segments(line, style)
        length = sum(cell_len(segment.text) for segment in segments)
        if length <= width:  # one Strip, padded (each Strip made costs ~10 us)
            if length < width:
                segments.append(Segment(" " * (width - length), style.rich_style))
            return Strip(segments, width)
        strip = Strip(segments, length)
        if strip.cell_length > width:
            # The ellipsis takes the style of the cell it replaces (as Content.truncate).
            cut = strip.crop(0, max(width - 1, 0))
            last = strip.crop(cut.cell_length, cut.cell_length + 1)
            ellipsis_style = next(iter(last), Segment("", style.rich_style)).style
            strip = Strip([*cut, Segment("…", ellipsis_style)]).simplify() if width else cut
        return strip.extend_cell_length(width, style.rich_style)

    def _segments(self, line: Content, style: VisualStyle) -> list[Segment]:
        """The line's runs as segments. Spans made by Content.assemble are in order and do
        not overlap, so each run's style is the base style plus one span style: made once
        per (base, span style) and kept (`Content.render` combined and converted the styles
        of every run of every line again: ~0.3 ms a line)."""
        get_style = self._get_style  # type: ignore[attr-defined]  # the Widget's
        text, spans = line.plain, line.spans
        if any(a.end > b.start for a, b in zip(spans, spans[1:], strict=False)):
            runs = line.render(style, end="", parse_style=get_style)  # overlapping
            return [Segment(t, run_style.rich_style) for t, run_style in runs]
        try:
            styles = self._run_styles
        except AttributeError:
            styles = self._run_styles = {}
        base = styles.get((style, None))
        if base is None:
            base = styles[style, None] = style.rich_style
        segments: list[Segment] = []
        at = 0
        for start, end, span_style in spans:
            if start > at:
                segments.append(Segment(text[at:start], base))
            if end > start:
                rich = styles.get((style, span_style))
                if rich is None:
                    rich = styles[style, span_style] = (style + get_style(span_style)).rich_style
                segments.append(Segment(text[start:end], rich))
            at = max(at, end)
        if at < len(text):
            segments.append(Segment(text[at:], base))
        return segments
