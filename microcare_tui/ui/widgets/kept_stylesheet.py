"""The app's stylesheet keeps what it parsed while the theme's variables stay the same.

Textual 8 parses every CSS source again more often than the CSS changes:

- `refresh_css` sets the variables (clearing the parse cache) and re-parses every source in
  a new stylesheet, even when the variables are the ones it had. The first section's screen
  asks for it as it is made (its `_css_update_count` starts out of step), and the first
  time a screen with CSS of its own shows.
- That new stylesheet's parse cache is thrown away, so the next parse (the first screen's
  widgets bring their DEFAULT_CSS as they mount) parses every source a third time.

On the first frame that was ~7 ms of ~10 ms of CSS parsing (Home; issue 8's cold start).
Kept, a source is parsed once per set of variables. A change of theme still parses
everything again, with the new variables, as Textual does.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

# Textual keeps 64 parsed sources; the app has ~60 (every widget's DEFAULT_CSS counts), so
# at 64 the cache would start to drop sources a parse still needs.
PARSE_CACHE_SIZE = 256


class KeptStylesheet(Stylesheet):
    """A Stylesheet that parses a source once per set of variables."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache.grow(PARSE_CACHE_SIZE)

    def set_variables(self, variables: dict[str, str]) -> None:
        """Set the CSS variables; the parsed sources are kept when they are the same (new
        values clear them, as Textual does)."""
        if variables != self._variables:
            super().set_variables(variables)

    def reparse(self) -> None:
        """Parse the sources again: only those not parsed with these variables yet.

        Textual parses into a new stylesheet so that CSS which fails keeps the old rules;
        `parse` keeps them too (it sets the rules only once every source has parsed, and
        notes a failing source as invalid), and keeps its cache."""
        self.parse()

    @classmethod
    def replacing(cls, stylesheet: Stylesheet) -> KeptStylesheet:
        """A KeptStylesheet with `stylesheet`'s variables and sources (the app's, before any
        source is parsed)."""
        kept = cls(variables=stylesheet._variables)
        kept.source = stylesheet.source.copy()
        kept._require_parse = stylesheet._require_parse
        return kept
