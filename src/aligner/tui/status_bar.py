"""The status line: documents, bead count, model, confirmed/total and worker progress."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from aligner.core.terminal import safe_rich


class StatusBar(Horizontal):
    """One line at the bottom; a progress bar appears while a worker runs."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StatusBar > #status-text {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
    }
    StatusBar > #status-progress {
        width: auto;
        height: 1;
        display: none;
        padding-right: 1;
    }
    StatusBar.-busy > #status-progress { display: block; }
    StatusBar > #status-progress Bar { width: 20; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="status-text")
        yield ProgressBar(total=None, show_eta=False, id="status-progress")

    @property
    def text(self) -> str:
        """The status line as plain text (for tests and screen readers)."""
        content = self.query_one("#status-text", Static).render()
        return str(content)

    def show(self, text: Text | str) -> None:
        # file names and document text: never a raw control character
        self.query_one("#status-text", Static).update(safe_rich(text, one_line=True))

    def progress(self, stage: str, done: int, total: int) -> None:
        """Show a worker's progress (``total`` 0: indeterminate)."""
        self.add_class("-busy")
        bar = self.query_one("#status-progress", ProgressBar)
        bar.update(total=total if total > 0 else None, progress=done)
        self.show(Text(f"{stage}…", style="italic"))

    def idle(self) -> None:
        self.remove_class("-busy")
