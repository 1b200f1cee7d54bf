"""Layers point one way: nothing below the UI imports Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

BELOW_UI = [
    "microcare_tui.domain.models",
    "microcare_tui.domain.rules",
    "microcare_tui.domain.query",
    "microcare_tui.domain.impact",
    "microcare_tui.store.db",
    "microcare_tui.store.search",
    "microcare_tui.store.enquiries",
    "microcare_tui.store.providers",
    "microcare_tui.services.database",
    "microcare_tui.services.enquiries",
    "microcare_tui.services.providers",
    "microcare_tui.services.lookup",
    "microcare_tui.services.dashboard",
    "microcare_tui.cli",
]


@pytest.mark.parametrize("module", BELOW_UI)
def test_no_textual_below_ui(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", f"{module} imports textual"


def test_domain_imports_no_sqlite() -> None:
    code = (
        "import sys, microcare_tui.domain.models, microcare_tui.domain.rules, "
        "microcare_tui.domain.query; "
        "print('sqlite3' in sys.modules or 'sqlite_utils' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
