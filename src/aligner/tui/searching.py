"""The search half of the app: the search worker, its results and jumping to a hit.

``SearchingApp`` sits between the learning half (:class:`aligner.tui.learning.LearningApp`)
and the reader (:class:`aligner.tui.app.AlignerApp`).  Queries run on a thread worker
over the workspace's searcher (meaning and exact matches at once, Korean word forms
once they are prepared, then the query is searched again); the panel shows the
results and a chosen hit is highlighted in the reader, or in the reading view.

The first search also learns the pair's glossary (once per state of the pairs, on
the search worker: the results found without it show at once, then the query is
searched again through the document's terms).  ``.`` and ``,`` jump to the next and
previous result from the text; ctrl+o shows the results in document order.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker

from aligner.core.errors import AlignerError
from aligner.core.values import Lang
from aligner.search.hits import SearchHit
from aligner.session import edits as edit
from aligner.tui.learning import LearningApp
from aligner.tui.messages import MorphologyReady, SearchDone, WorkFailed, WorkTask
from aligner.tui.rows import Highlight
from aligner.tui.search_panel import SearchPanel

if TYPE_CHECKING:
    from aligner.session.workspace import Workspace

SEARCH_K = 20
"""Results asked of the searcher per query."""


class SearchingApp(LearningApp):
    """Search over the workspace, the results panel and the jump to a hit."""

    _concepts_lock = threading.Lock()
    """One glossary learned at a time (a second search waits for it rather than learning it again)."""
    _result_at: int | None = None
    """The result last jumped to (its place in the panel's order)."""

    def _terms_known(self) -> bool:
        ws = self.workspace
        return ws is None or self.session is None or ws.searcher.concepts is not None

    @work(exclusive=True, thread=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        try:
            with self._search_lock:
                if get_current_worker().is_cancelled:
                    return
                searcher = workspace.searcher
                ready = searcher.morphemes_ready  # until then: meaning and exact matches, no waiting
                terms = self._terms_known()
                hits = searcher.search(query, SEARCH_K, morphemes=ready)
            if not get_current_worker().is_cancelled:
                self.post_message(SearchDone(query, hits, word_forms=ready, terms=terms))
            if terms or not self._learn_terms(workspace) or get_current_worker().is_cancelled:
                return
            with self._search_lock:
                hits = workspace.searcher.search(query, SEARCH_K, morphemes=ready)
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed(WorkTask.SEARCH, f"search failed: {err}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(query, hits, word_forms=ready, terms=True))

    def _learn_terms(self, workspace: Workspace) -> bool:
        """Learn the pair's glossary and hand its terms to the workspace's searcher (on a worker)."""
        glossary = self._glossary()
        if glossary is None:
            return False
        from aligner.session.concept_search import with_concepts

        with self._concepts_lock:
            if workspace.searcher.concepts is None:
                with_concepts(workspace, glossary)
        return True

    SEARCH_ACTIONS = frozenset({"search", "next_result", "previous_result", "toggle_result_order"})
    """Offered from the first screen on: the box opens (and its history recalls) while the vectors load."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.SEARCH_ACTIONS:
            return True
        return super().check_action(action, parameters)

    def on_morphology_ready(self, message: MorphologyReady) -> None:
        panel = self.search_panel
        query = panel.results_query
        if query is None and panel.is_open:  # typed before the pair could be searched
            query = panel.input.value.strip()
        if query and (not panel.results_word_forms or panel.results_query is None):
            self.run_search(query)

    def on_search_done(self, message: SearchDone) -> None:
        self._result_at = None
        self.search_panel.show_results(message.query, message.hits, word_forms=message.word_forms,
                                       terms=message.terms)  # fmt: skip
        if message.terms:
            self.reading.set_marks(tuple(dict.fromkeys(m for h in message.hits for m in h.marks)))

    def action_search(self) -> None:
        self.search_panel.open()

    def action_next_result(self) -> None:
        """Jump to the next search result (in the panel's order) without leaving the text."""
        self._step_result(1)

    def action_previous_result(self) -> None:
        self._step_result(-1)

    def _step_result(self, step: int) -> None:
        panel = self.search_panel
        hits, query = panel.hits, panel.results_query
        if not hits or not query:
            self.notify("no search results: / searches", timeout=3)
            return
        at = self._result_at
        at = (0 if step > 0 else len(hits) - 1) if at is None else (at + step) % len(hits)
        self._result_at = at
        if panel.results.option_count > at:
            panel.results.highlighted = at
        self.jump_to_hit(hits[at], query)
        notice = Text(f"result {at + 1} of {len(hits)} for “{query}” · . next , previous", style="bold")
        self.status_notice = (self.reader.cursor, notice)  # kept on the status line until the cursor moves on
        self.refresh_status()

    def action_toggle_result_order(self) -> None:
        """Search results best first ⇄ in document order."""
        panel = self.search_panel
        panel.set_document_order(not panel.document_order)
        self._result_at = None
        self.notify("results in document order" if panel.document_order else "results best first", timeout=3)

    @on(SearchPanel.QueryChanged)
    def _query(self, message: SearchPanel.QueryChanged) -> None:
        if not message.query:
            self.search_panel.show_results("", [])
        else:
            self.run_search(message.query)

    @on(SearchPanel.Closed)
    def _search_closed(self) -> None:
        self.search_panel.close()
        (self.reading if self.reading_mode else self.reader).focus()

    def jump_to_hit(self, hit: SearchHit, query: str) -> None:
        ws = self.workspace
        if ws is None:
            return
        try:  # find the pair again: an edit may have moved it since the search ran
            index = edit.bead_index_of(ws.alignment.beads, hit.lang, hit.sentence)
        except AlignerError:
            return
        bead = ws.alignment.beads[index]
        if hit.lang is Lang.KO:
            highlight = Highlight(index, frozenset({hit.sentence}), frozenset(bead.tgt), query, hit.marks)
        else:
            highlight = Highlight(index, frozenset(bead.src), frozenset({hit.sentence}), query, hit.marks)
        self.reader.set_highlight(highlight)
        self.reader.move_cursor(index, force=True, center=True)
        if self.reading_mode:
            self.reading.move_to(index)
            self.reading.focus()
        else:
            self.reader.focus()

    def action_clear_highlight(self) -> None:
        self.reader.set_highlight(None)
        self.reading.set_marks(())
        if self.search_panel.is_open:
            self.search_panel.close()
