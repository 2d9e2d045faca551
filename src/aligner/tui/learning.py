"""The learning half of the app: learner mode, the deck of pairs and words, looking a term up.

``LearningApp`` sits between the workbench (:class:`aligner.tui.editing.EditingApp`)
and the reader (:class:`aligner.tui.app.AlignerApp`).  In learner mode every
translation is hidden until revealed; ``d`` saves the selected pair and ``D`` a
word or phrase of it (picked from the pair's glossary terms, or typed) into the
pair's Anki deck (``aligner.session.learner_deck``), each word with its
translation and the example pair; ``l`` opens the glossary on a term of the pair.
"""

from __future__ import annotations

from pathlib import Path

from aligner.core.errors import AlignerError
from aligner.core.values import Alignment, Lang
from aligner.session.learner_deck import add_note, add_word
from aligner.tui.editing import EditingApp
from aligner.tui.reading_view import ReadingView
from aligner.tui.search_panel import SearchPanel


class LearningApp(EditingApp):
    """Learner mode, the deck and term look-up over the app's workspace."""

    _shown: Alignment | None

    @property
    def search_panel(self) -> SearchPanel:
        return self.query_one("#search", SearchPanel)

    @property
    def reading(self) -> ReadingView:
        return self.query_one("#reading", ReadingView)

    @property
    def reading_mode(self) -> bool:
        return bool(self.reading.display)

    def _pair_paths(self) -> tuple[str, str] | None:
        """The two documents' paths (what the deck and the remembered state are kept by)."""
        ws = self.workspace
        docs = (ws.ko, ws.en) if ws is not None else (self._shown.source, self._shown.target) if self._shown else None
        if docs is None or not docs[0].path or not docs[1].path:
            return None
        return docs[0].path, docs[1].path

    # ------------------------------------------------------------------ learner mode

    LEARNER_HIDES = frozenset({
        "next_suspicious", "previous_suspicious", "confirm", "confirm_high", "merge_next", "merge_previous",
        "split", "ko_to_previous", "ko_to_next", "en_to_previous", "en_to_next", "no_counterpart", "undo", "redo",
        "realign",
    })  # fmt: skip
    """The workbench's keys, off in learner mode (its footer shows the learner's keys instead)."""
    LEARNER_KEYS = frozenset({"reveal", "save_to_deck", "save_word_to_deck"})
    """Shown in the footer in learner mode only."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from textual.css.query import NoMatches

        try:
            learner = self.reader.learner
        except NoMatches:  # not composed yet
            learner = False
        if learner and action in self.LEARNER_HIDES:
            return False
        if action in self.LEARNER_KEYS and not learner:
            return False
        return super().check_action(action, parameters)

    def action_toggle_learner(self) -> None:
        self.set_learner(not self.reader.learner)
        on = self.reader.learner
        self.notify("learner mode: translations hidden — enter reveals one, d saves the pair, D a word of it"
                    if on else "learner mode off", timeout=5)  # fmt: skip

    def set_learner(self, on: bool) -> None:
        """Learner mode on or off everywhere: the pairs, the reading view, the search results (attributes
        down), the footer's keys; remembered for this pair."""
        self.reader.set_learner(on)
        self.reading.set_learner(on)
        self.search_panel.set_learner(on)
        self.refresh_bindings()
        self._remember_learner(on)

    def _remember_learner(self, on: bool) -> None:
        """Keep learner mode in the remembered state (the reader defines how)."""

    def action_reveal(self) -> None:
        if self.reader.learner and self.workspace is not None:
            if self.reading_mode:
                self.reading.reveal(self.reading.cursor)
            else:
                self.reader.reveal(self.reader.cursor)

    def _learnable(self) -> tuple[tuple[str, str], int, str, str] | None:
        """The deck's pair paths and the selected pair, if it has both sides (else say why)."""
        ws, paths = self.workspace, self._pair_paths()
        if ws is None or paths is None or not ws.alignment.beads:
            return None
        i = min(self.reading.cursor if self.reading_mode else self.reader.cursor, len(ws.alignment.beads) - 1)
        korean, english = ws.alignment.texts(i)  # the selected pair, in either view
        if not korean or not english:
            self.notify("this pair has one side only: nothing to learn from it", severity="warning", timeout=4)
            return None
        return paths, i, korean, english

    def action_show_deck(self) -> None:
        """Say where the deck is and what it holds (``aligner deck`` says the same)."""
        from aligner.session.learner_deck import DECK_NAME, WORD_TAG, deck_path, package_path, read_notes

        notes = read_notes(deck_path())
        words = sum(1 for n in notes if WORD_TAG in n[4].split())
        self.notify(f"deck “{DECK_NAME}”: {package_path()} (Anki: File → Import) — {len(notes) - words} pairs, "
                    f"{words} words; the notes as text: {deck_path()}",
                    title="your learning deck", timeout=12)  # fmt: skip

    def _saved(self, path: Path, added: bool, what: str) -> None:
        from aligner.session.learner_deck import DECK_NAME, package_path

        self.notify(f"{what} {'saved to' if added else 'is already in'} your deck “{DECK_NAME}”: {package_path()} "
                    "(Anki: File → Import; ctrl+p “Learning deck” says where)", timeout=6)  # fmt: skip

    def action_save_to_deck(self) -> None:
        learnable = self._learnable()
        if learnable is None:
            return
        paths, i, korean, english = learnable
        try:
            path, added = add_note(*paths, korean, english)
        except AlignerError as err:
            self.notify(str(err), severity="error", timeout=8)
            return
        self._saved(path, added, f"pair {i + 1}")

    def action_save_word_to_deck(self) -> None:
        """Pick (or type) a word or phrase of the selected pair; it goes to the deck with its
        translation (the glossary's) and the pair as its example."""
        ws, learnable = self.workspace, self._learnable()
        if ws is None or learnable is None or len(self.screen_stack) > 1:
            return
        paths, i, korean, english = learnable
        from aligner.tui.term_picker import TermPicker

        picker = TermPicker(
            ws.alignment, i, encoder=ws.encoder, glossary=self._glossary(),
            title=f"Save a word of pair {i + 1} to your deck",
            help_line="↑↓ choose · Enter saves it with this pair as its example · Escape cancels",
            learner=self.reader.learner,
        )  # fmt: skip

        def chosen(term: str | None) -> None:
            if not term:
                return
            choice = next((c for c in picker.choices if c.text == term), None)
            word, translation = term, choice.counterpart if choice is not None else ""
            if choice is not None and choice.lang is Lang.EN and choice.counterpart:
                word, translation = choice.counterpart, choice.text  # the card's front is Korean
            try:
                path, added = add_word(*paths, word, translation, korean, english)
            except AlignerError as err:
                self.notify(str(err), severity="error", timeout=8)
                return
            self._saved(path, added, f"“{word}”")

        self.push_screen(picker, chosen)

    # ------------------------------------------------------------------ look up a term

    def action_look_up_term(self) -> None:
        """Pick or type a word of the selected pair; the glossary shows its concordance."""
        ws = self.workspace
        if ws is None or not ws.alignment.beads or len(self.screen_stack) > 1:
            return
        from aligner.tui.glossary_screen import GlossaryScreen
        from aligner.tui.term_picker import TermPicker

        panel, highlight = self.search_panel, self.reader.highlight
        query = panel.input.value if panel.is_open else highlight.needle if highlight is not None else ""

        def jump(index: int | None) -> None:
            if index is not None:
                self.reader.move_cursor(index, center=True)
                self.reader.focus()

        def chosen(term: str | None) -> None:
            if term and self.workspace is not None:
                self.push_screen(GlossaryScreen(self.workspace, initial_term=term, glossary=self._glossary()), jump)

        index = min(self.reader.cursor, len(ws.alignment.beads) - 1)
        picker = TermPicker(ws.alignment, index, query, encoder=ws.encoder, glossary=self._glossary(),
                            learner=self.reader.learner)  # fmt: skip
        self.push_screen(picker, chosen)

