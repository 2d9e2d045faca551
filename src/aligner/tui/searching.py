"""The search half of the app: the search worker, its results and jumping to a hit.

``SearchingApp`` sits between the learning half (:class:`aligner.tui.learning.LearningApp`)
and the reader (:class:`aligner.tui.app.AlignerApp`).  Queries run on a thread worker
over the workspace's searcher (meaning and exact matches at once, Korean word forms
once they are prepared, then the query is searched again); the panel shows the
results and a chosen hit is highlighted in the reader, or in the reading view.
"""

from __future__ import annotations

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

SEARCH_K = 20
"""Results asked of the searcher per query."""


class SearchingApp(LearningApp):
    """Search over the workspace, the results panel and the jump to a hit."""

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
                hits = searcher.search(query, SEARCH_K, morphemes=ready)
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed(WorkTask.SEARCH, f"search failed: {err}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(query, hits, word_forms=ready))

    def on_morphology_ready(self, message: MorphologyReady) -> None:
        panel = self.search_panel
        query = panel.results_query
        if query and not panel.results_word_forms:  # those results were found without word forms
            self.run_search(query)

    def on_search_done(self, message: SearchDone) -> None:
        self.search_panel.show_results(message.query, message.hits, word_forms=message.word_forms)

    def action_search(self) -> None:
        self.search_panel.open()

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
            highlight = Highlight(index, frozenset({hit.sentence}), frozenset(bead.tgt), query)
        else:
            highlight = Highlight(index, frozenset(bead.src), frozenset({hit.sentence}), query)
        self.reader.set_highlight(highlight)
        self.reader.move_cursor(index, force=True, center=True)
        if self.reading_mode:
            self.reading.move_to(index)
            self.reading.focus()
        else:
            self.reader.focus()

    def action_clear_highlight(self) -> None:
        self.reader.set_highlight(None)
        if self.search_panel.is_open:
            self.search_panel.close()
