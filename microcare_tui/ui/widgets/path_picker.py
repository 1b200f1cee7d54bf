"""Pick a folder or a file: a path line to type in, and a folder tree to walk.

Enter in the path line chooses what it says; enter on a tree node fills the path line (a
file, in file mode, is chosen at once); escape cancels. Typing a path works without the
tree, so a worker who knows where the USB stick is never has to walk to it.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Static

from microcare_tui.ui.widgets.text_field import TextField


class PathPicker(ModalScreen[Path | None]):
    """Dismisses with the chosen path, or None."""

    DEFAULT_CSS = """
    PathPicker { align: center middle; }
    PathPicker > Vertical {
        width: 90%; max-width: 100; height: 90%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    PathPicker DirectoryTree { height: 1fr; }
    PathPicker #picker-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, title: str, start: Path, want: str = "folder") -> None:
        super().__init__()
        self.title_text = title
        self.start = start if start.is_dir() else Path.home()
        self.want = want  # "folder" or "file"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="page-title", markup=False)
            what = "a folder" if self.want == "folder" else "a bundle file"
            yield Static(
                f"Type the path of {what} and press enter, or tab to the folders below "
                "(enter opens a folder and puts it in the path line).",
                classes="muted",
            )
            yield TextField(value=str(self.start), id="picker-path")
            yield Static("", id="picker-error", markup=False)
            yield DirectoryTree(self.start, id="picker-tree")

    def on_mount(self) -> None:
        self.query_one("#picker-path", Input).focus()

    @on(Input.Submitted, "#picker-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        ok = path.is_dir() if self.want == "folder" else path.is_file()
        if not ok:
            what = "folder" if self.want == "folder" else "file"
            self.query_one("#picker-error", Static).update(f"There is no {what} {path}.")
            return
        self.dismiss(path)

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#picker-path", Input).value = str(event.path)

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        if self.want == "file":
            self.dismiss(event.path)
        else:
            self.query_one("#picker-path", Input).value = str(event.path.parent)

    def action_cancel(self) -> None:
        self.dismiss(None)
