"""Where microcare keeps its files: --db PATH, else MICROCARE_DB, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "microcare"


def data_dir() -> Path:
    """The user data folder (MICROCARE_DATA_DIR overrides it, e.g. in tests)."""
    override = os.environ.get("MICROCARE_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # ~10 ms of imports, not needed when the path is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The real database: MICROCARE_DB if set, else microcare.db in the user data folder."""
    env = os.environ.get("MICROCARE_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "microcare.db"


def demo_db_path() -> Path:
    """The demo database, kept apart from real data and reused after the first run."""
    return data_dir() / "demo.db"


def resolve_db_path(cli_value: str | None) -> Path:
    """--db wins, then MICROCARE_DB, then the user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    return default_db_path()
