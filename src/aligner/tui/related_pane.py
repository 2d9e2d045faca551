"""The "related" pane: for the focused pair, the best passages of the library's other documents.

The app hands the pane what it needs (attributes down): the library's paths once
(``open_library``), then the workspace and the focused pair as the cursor moves
(``follow``).  The pane opens the library on a thread worker (with progress) and
looks each pair up on another, a moment after the cursor rests, never on the UI
thread; answers are kept per pair, so coming back to a pair costs nothing.  The
pair's own two documents are never offered, nor their sentences found word for
word in another file (a PDF of the same text).  Enter on a passage opens it in its
document (:class:`PassageScreen`).

The pair's glossary terms (names and terms the pair holds in both languages) are
looked for as typed in the library too; the session's glossary is learned once,
on a worker of its own, after the first answers, which are then asked again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from aligner.core.errors import AlignerError
from aligner.search.hits import Passage
from aligner.tui.passage_screen import PassageScreen
from aligner.tui.rows import display_text

if TYPE_CHECKING:  # numpy, faiss and the encoder: loaded by the workers
    from aligner.glossary.build import TermPair
    from aligner.search.library import Library
    from aligner.session.glossary_cache import GlossaryCache
    from aligner.session.workspace import Workspace

RELATED_K = 5
"""Passages shown per pair."""
FOLLOW_AFTER_S = 0.15
"""The pane looks a pair up this long after the cursor rests on it (not on every key of a fast scroll)."""
Key = tuple[tuple[int, ...], tuple[int, ...]]


def passage_prompt(passage: Passage) -> Table:
    """One passage: its document, place and how it matched, then its text (the matching sentence in bold)."""
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, overflow="fold")
    head = Text.assemble(
        (f"{passage.score:4.2f} ", "bold"), (Path(passage.path).name, "bold cyan"), (f" · {passage.location}", "dim"),
        (f" · {passage.label}", "magenta" if passage.via else "dim"),
    )  # fmt: skip
    grid.add_row(head)
    body = Text(display_text(passage.text))
    at = body.plain.find(display_text(passage.matched))
    if at >= 0:
        body.stylize("bold", at, at + len(display_text(passage.matched)))
    grid.add_row(body)
    return grid


class RelatedPane(Vertical):
    """The focused pair's related passages, from the documents given with ``--docs``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to the pairs", show=False),
    ]

    DEFAULT_CSS = """
    RelatedPane { height: 12; display: none; border-top: solid $primary-darken-2; }
    RelatedPane > #related-title { height: 1; padding: 0 1; color: $text-muted; }
    RelatedPane > OptionList { height: 1fr; border: none; padding: 0; }
    RelatedPane > OptionList > .option-list--option { padding-bottom: 1; }
    """

    class Left(Message):
        """The user left the pane (escape): focus goes back to the reader."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library: Library | None = None
        self.passages: list[Passage] = []
        self._workspace: Workspace | None = None
        self._key: Key | None = None
        self._answers: dict[Key, list[Passage]] = {}
        self._timer: Timer | None = None
        self._glossary: GlossaryCache | None = None
        self._learning = False
        """The glossary is being (or was) learned: once per reader."""
        self._entries: list[TermPair] | None = None
        """The glossary last learned (used for pairs whose exact glossary is not known after an edit)."""

    def compose(self) -> ComposeResult:
        yield Static("Related reading", id="related-title")
        yield OptionList(id="related-list")

    @property
    def options(self) -> OptionList:
        return self.query_one("#related-list", OptionList)

    def _title(self, text: str) -> None:
        self.query_one("#related-title", Static).update(Text(text))

    # ------------------------------------------------------------------ the library

    def open_library(self, paths: Sequence[str | Path], model: str | None = None) -> None:
        """Show the pane and open the library in a worker."""
        self.display = True
        self._title("Related reading · opening the library…")
        self._open(list(paths), model)

    @work(exclusive=True, thread=True, group="library", exit_on_error=False)
    def _open(self, paths: list[str | Path], model: str | None) -> None:
        from aligner.session.library import open_library

        worker = get_current_worker()

        def progress(stage: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._title, f"Related reading · {stage} {done}/{total}")

        try:
            opened = open_library(paths, model=model, progress=progress)
        except AlignerError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        except Exception as err:  # noqa: BLE001 - one line, never a traceback
            self.app.call_from_thread(self._failed, f"{type(err).__name__}: {err}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._opened, opened.library, opened.notices)

    def _failed(self, error: str) -> None:
        line = error.splitlines()[0] if error else "failed"
        self._title(f"Related reading · cannot open the library: {line}")
        self.app.notify(line, title="library", severity="error", timeout=10)

    def _opened(self, library: Library, notices: list[str]) -> None:
        self.library = library
        names = {d.path for d in library.documents}
        self._title(f"Related reading · {len(names)} documents, {len(library):,} sentences")
        for notice in notices:
            self.app.notify(notice, severity="warning", timeout=8)
        if self._workspace is not None and self._key is not None:
            self._look_up()

    # ------------------------------------------------------------------ following the cursor

    def follow(self, workspace: Workspace, bead: int, glossary: GlossaryCache | None = None) -> None:
        """The focused pair changed: show its passages (looked up a moment later, unless known)."""
        if not self.display or not 0 <= bead < len(workspace.alignment.beads):
            return
        self._glossary = glossary
        b = workspace.alignment.beads[bead]
        key: Key = (b.src, b.tgt)
        if key == self._key and workspace is self._workspace:
            return
        self._workspace, self._key = workspace, key
        if self._timer is not None:
            self._timer.stop()
        known = self._answers.get(key)
        if known is not None:
            self._show(known)
        elif self.library is not None:
            self._timer = self.set_timer(FOLLOW_AFTER_S, self._look_up)

    def _look_up(self) -> None:
        if self.library is not None and self._workspace is not None and self._key is not None:
            self._related(self.library, self._workspace, self._key, self._glossary)

    @work(exclusive=True, thread=True, group="related", exit_on_error=False)
    def _related(self, library: Library, workspace: Workspace, key: Key, glossary: GlossaryCache | None) -> None:
        import numpy as np

        from aligner.session.library import pair_terms

        src, tgt = key
        vecs = [workspace.ko_vecs[list(src)], workspace.en_vecs[list(tgt)]]
        stacked = np.vstack([v for v in vecs if len(v)])
        exclude = [p for p in (workspace.ko.path, workspace.en.path) if p]
        entries = (glossary.cached(workspace.alignment) if glossary is not None else None) or self._entries
        ko = " ".join(workspace.ko.sentences[i].text for i in src)
        en = " ".join(workspace.en.sentences[j].text for j in tgt)
        terms = [t for pair in pair_terms(ko, en, entries) for t in pair] if entries else []
        try:
            own = frozenset(workspace.ko.texts + workspace.en.texts)
            passages = library.related(stacked.mean(axis=0), RELATED_K, exclude=exclude, terms=terms, own_texts=own)
        except Exception as err:  # noqa: BLE001 - one line in the pane, never a traceback
            self.app.call_from_thread(self._title, f"Related reading · failed: {err}")
            return
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._answered, key, passages)
        if glossary is not None and entries is None:
            self.app.call_from_thread(self._learn_glossary, glossary, workspace)

    def _learn_glossary(self, glossary: GlossaryCache, workspace: Workspace) -> None:
        """Once per reader: edits later keep the terms learned (a pair's key terms rarely change)."""
        if not self._learning:
            self._learning = True
            self._learn(glossary, workspace)

    @work(exclusive=True, thread=True, group="related-glossary", exit_on_error=False)
    def _learn(self, glossary: GlossaryCache, workspace: Workspace) -> None:
        try:
            entries = glossary.learn(workspace.alignment, workspace.encoder)
        except Exception:  # noqa: BLE001 - the pane goes on with meaning alone
            return
        self.app.call_from_thread(self._glossary_learned, entries)

    def _glossary_learned(self, entries: list[TermPair]) -> None:
        """The pair's terms are known now: the pairs answered without them are asked again."""
        self._entries = entries
        self._answers.clear()
        self._look_up()

    def _answered(self, key: Key, passages: list[Passage]) -> None:
        self._answers[key] = passages
        if key == self._key:
            self._show(passages)

    def _show(self, passages: list[Passage]) -> None:
        self.passages = passages
        options = self.options
        options.clear_options()
        if not passages:
            options.add_option(Option(Text("nothing close in the other documents", style="dim italic"), disabled=True))
            return
        options.add_options([Option(passage_prompt(p)) for p in passages])
        options.highlighted = 0

    # ------------------------------------------------------------------ opening a passage

    @on(OptionList.OptionSelected, "#related-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.library is None or not 0 <= event.option_index < len(self.passages):
            return
        passage = self.passages[event.option_index]
        document = self.library.document_of(passage.path)
        if document is not None:
            self.app.push_screen(PassageScreen(document, passage))

    def action_leave(self) -> None:
        self.post_message(self.Left())
