"""Restricted notes of concerns are read in one place (store.concerns.restricted_notes, called
when a worker asks to see them), so no list, report or export can carry them by accident."""

from __future__ import annotations

from pathlib import Path

import microcare_tui

PACKAGE = Path(microcare_tui.__file__).parent
# Where the words may appear: the form that writes them, the page that shows them on request
# (after a warning), their service, store and rules, and the demo that seeds some. A report,
# an export or a list that named them would fail here first.
ALLOWED = {
    "store/concerns.py",
    "services/concerns.py",
    "domain/concerns.py",
    "ui/screens/concern_form.py",
    "ui/screens/concern_detail.py",
    "demo/concerns.py",
}


def test_only_the_concerns_modules_name_restricted_notes() -> None:
    naming = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "restricted_notes" in path.read_text(encoding="utf-8")
    }
    assert naming == ALLOWED
