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
        self._variables_changed = False

    def set_variables(self, variables: dict[str, str]) -> None:
        """Set the CSS variables; the parsed sources are kept when they are the same."""
        if variables == self._variables:
            return
        super().set_variables(variables)
        self._variables_changed = True

    def reparse(self) -> None:
        """Parse the sources again: only those not parsed with these variables yet."""
        if self._variables_changed:
            # New values for the variables: Textual's way, which keeps the old rules if the
            # new ones fail; the cache of the stylesheet it parsed in is kept with them.
            fresh = KeptStylesheet(variables=self._variables)
            for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
                fresh.add_source(
                    css,
                    read_from=read_from,
                    is_default_css=is_defaults,
                    tie_breaker=tie_breaker,
                    scope=scope,
                )
            try:
                fresh.parse()
            except Exception:
                self._invalid_css.update(fresh._invalid_css)
                raise
            self._rules = fresh.rules
            self._rules_map = None
            self.source = fresh.source
            self._require_parse = False
            self._parse_cache = fresh._parse_cache
            self._variables_changed = False
            return
        self.parse()

    @classmethod
    def replacing(cls, stylesheet: Stylesheet) -> KeptStylesheet:
        """A KeptStylesheet with `stylesheet`'s variables and sources (the app's, before any
        source is parsed)."""
        kept = cls(variables=stylesheet._variables)
        kept.source = stylesheet.source.copy()
        kept._require_parse = stylesheet._require_parse
        return kept
