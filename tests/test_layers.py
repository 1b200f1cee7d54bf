"""The layers point one way, checked over the whole package (not a hand-kept list).

- Nothing below the UI imports Textual (each module imported in a fresh interpreter).
- The domain imports no database library.
- The UI and the CLI never import the store; SQL appears only in store/ (and the
  numbered migrations).
- import-linter's contracts in pyproject.toml hold.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import microcare_tui

PACKAGE_DIR = Path(microcare_tui.__file__).parent
# __main__ runs the command when imported, so it is read (below) but never imported.
ALL_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="microcare_tui.")
    if not m.name.endswith("__main__")
)
BELOW_UI = [m for m in ALL_MODULES if not m.startswith("microcare_tui.ui")]
DOMAIN = [m for m in ALL_MODULES if m.startswith("microcare_tui.domain")]
# A statement, not a word: "select" and "update" are also English, so keywords are matched
# in capitals, as every statement in this code base is written.
SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\[?\w+\]?\s+SET|"
    r"DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIRTUAL)|PRAGMA\s+\w+)\b",
    re.DOTALL,
)


def _loaded_after_import(modules: list[str], names: list[str]) -> dict[str, list[str]]:
    """For each module, which of `names` a fresh interpreter has loaded after importing it."""
    code = (
        "import importlib, json, sys\n"
        f"out = {{}}\nnames = {names!r}\n"
        f"for module in {modules!r}:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(module)\n"
        "    out[module] = [n for n in names if n in sys.modules and n not in before]\n"
        "print(json.dumps(out))\n"
    )
    # One interpreter for all (one each would cost ~0.3 s a module): a module is named when
    # importing it is what first loaded one of `names`, which is the culprit to look at.
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    found: dict[str, list[str]] = json.loads(result.stdout)
    return {m: hits for m, hits in found.items() if hits}


def test_the_walk_finds_every_layer() -> None:
    """The package walk sees the modules it must check (a broken walk would pass anything)."""
    for expected in (
        "microcare_tui.domain.rules",
        "microcare_tui.store.db",
        "microcare_tui.services.enquiries",
        "microcare_tui.cli",
        "microcare_tui.ui.app",
    ):
        assert expected in ALL_MODULES


def test_nothing_below_the_ui_imports_textual() -> None:
    loaded = _loaded_after_import(BELOW_UI, ["textual"])
    assert loaded == {}


def test_the_domain_imports_no_database() -> None:
    loaded = _loaded_after_import(DOMAIN, ["sqlite3", "sqlite_utils"])
    assert loaded == {}


def _source_files(*subpackages: str) -> list[Path]:
    files: list[Path] = []
    for sub in subpackages:
        target = PACKAGE_DIR / sub
        files += [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    return files


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_ui_and_cli_never_import_the_store() -> None:
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): sorted(
            n for n in _imported_modules(path) if n.startswith("microcare_tui.store")
        )
        for path in _source_files("ui", "cli.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_sql_lives_only_in_the_store() -> None:
    outside = [
        p for p in PACKAGE_DIR.rglob("*.py") if "store" not in p.relative_to(PACKAGE_DIR).parts
    ]
    offenders: dict[str, list[str]] = {}
    for path in outside:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if SQL.search(node.value):
                rel = str(path.relative_to(PACKAGE_DIR))
                offenders.setdefault(rel, []).append(node.value.strip()[:60])
    assert offenders == {}


def test_the_sql_detector_sees_sql() -> None:
    """The scan above would pass an empty package: prove it recognises statements."""
    assert SQL.search("SELECT COUNT(*) FROM providers")
    assert SQL.search("UPDATE providers SET name = ?")
    assert not SQL.search("Select a provider from the list")


def test_import_linter_contracts_hold() -> None:
    """The contracts in pyproject.toml (the CI runs `lint-imports` as well)."""
    root = PACKAGE_DIR.parent
    if not (root / "pyproject.toml").exists():  # an installed wheel: nothing to lint
        return
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()"],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
