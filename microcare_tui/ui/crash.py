"""What the app prints when it stops on an unexpected error: no personal data, ever.

Textual's own crash report shows every frame's local variables (a caller's name and phone
number among them) and the error's message (which can quote what was typed). This report
says what happened in plain words, that saved work is safe, and where the fault is (the
error's type and the file:line of each frame), enough for a developer to find it.
"""

from __future__ import annotations

import traceback
from pathlib import PurePath

# Frames inside these packages are named from the package down; other paths are shortened
# to their file name, so a home folder (and the worker's login name in it) is not printed.
_PACKAGES = ("microcare_tui", "textual", "rich", "tests")
_MAX_FRAMES = 30  # the innermost ones; a deep Textual stack says nothing more past this

HEADLINE = "microcare stopped because of a fault in the program, not anything you did."
REASSURANCE = (
    "Everything you saved is safe in the database. A call you were typing is kept as a draft "
    "and offered back when you press ctrl+n. Start microcare again to carry on, and please "
    "tell your team lead, with the lines below (they contain no names or numbers)."
)


def short_path(filename: str) -> str:
    """'microcare_tui/ui/app.py' for a file in a known package, else the file's name."""
    parts = PurePath(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in _PACKAGES:
            return "/".join(parts[index:])
    return parts[-1] if parts else filename


def _chain(error: BaseException) -> list[BaseException]:
    """The error and the ones it was raised from or during, the first cause first."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return list(reversed(chain))


def _inner(error: BaseException) -> BaseException:
    # Textual wraps a failed worker's error in WorkerFailed; the inner one is the fault.
    inner = getattr(error, "error", None)
    return inner if isinstance(inner, BaseException) else error


def crash_report(error: BaseException) -> str:
    """The plain-text report: what happened, what is safe, the types and frames only.

    Never an error's message or a variable's value: either may hold personal data.
    """
    lines = [HEADLINE, REASSURANCE, ""]
    for index, exc in enumerate(_chain(_inner(error))):
        if index:
            lines.append("which led to")
        kind = type(exc)
        module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
        lines.append(f"{module}{kind.__qualname__}")
        frames = list(traceback.extract_tb(exc.__traceback__))
        if len(frames) > _MAX_FRAMES:
            lines.append(f"  ... {len(frames) - _MAX_FRAMES} outer frames left out")
            frames = frames[-_MAX_FRAMES:]
        for frame in frames:
            lines.append(f"  {short_path(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)
