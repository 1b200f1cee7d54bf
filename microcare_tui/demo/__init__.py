"""Demo data: a deterministic, realistic Kent market of care micro-providers.

`generate_demo` fills a new (migrated and seeded) database with providers, their stage history,
evidence, QA checks, visits, training, seed-fund grants and quarterly returns, and two years
of enquiries with signposts, unmet needs and follow-ups. The same seed and `today` give the
same content: every random choice comes from `random.Random` streams seeded from `seed` (one
per part, see `Context.rng`), and row ids are UUIDv7 minted from those streams with the
timestamp of the record's own date. Reordering the draws within a part changes its content:
tests/demo/test_demo.py holds a fingerprint of the small demo that catches it.

Every row goes through `Store.insert_many` (bookkeeping columns and the change log), in one
transaction per batch, and the providers' and enquiries' full-text rows are written alongside.

This is a bulk writer beside the services, not a use-case: it may import `domain` and `store`,
never `textual`, `ui` or `cli`. The app and the CLI reach it through `services.demo`.

  generate.py    the entry point and the scales
  context.py     the run's shared state, random streams and batched writer
  chance.py      weighted choices, dates, ids and times
  vocabulary.py  places, phones, postcodes, people's names, the demo team
  phrases.py     services, names, needs, notes and the weights of each choice
  plan.py        each provider planned in memory first (stages, dates, name, area, services)
  providers.py   provider rows and stage moves
  checks.py      evidence items and QA checks
  programme.py   visits, training, grants and quarterly returns
  callers.py     who rings, and the summary of each call
  enquiries.py   enquiries, signposts and unmet needs
"""

from __future__ import annotations

from microcare_tui.demo.context import BATCH_ROWS, Progress
from microcare_tui.demo.generate import DEMO_CACHE_KIB, SCALES, generate_demo
from microcare_tui.demo.vocabulary import DEMO_WORKER, TEAM_NAME

__all__ = [
    "BATCH_ROWS",
    "DEMO_CACHE_KIB",
    "DEMO_WORKER",
    "SCALES",
    "TEAM_NAME",
    "Progress",
    "generate_demo",
]
