"""Errors a user can cause, each with a message written for the user."""


class MicrocareError(Exception):
    """Base for errors shown to the user as they are (no traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(MicrocareError):
    """A form or command had bad input; `errors` maps field name to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        lines = "; ".join(f"{field}: {msg}" for field, msg in errors.items())
        super().__init__(f"Please correct: {lines}")


class SchemaTooNew(MicrocareError):
    """The database was written by a newer microcare."""


class DatabaseUnavailable(MicrocareError):
    """The database is locked, read-only, missing or not a microcare database."""


class NotFound(MicrocareError):
    """A record asked for by id does not exist (or was deleted)."""
