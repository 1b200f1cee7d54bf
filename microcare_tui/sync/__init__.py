"""Sync by exporting files: change log, hybrid logical clock, bundles, merge (issue: sync).

It sits beside `services`, on top of `store` and `domain`: it may read and write through the
store, and screens and the CLI reach it through services only. See
../shared/design/notes/sync.md for the design this package will follow.
"""
