"""The glossary of a session's current alignment, learned once per state of the pairs.

The glossary pane and the term picker share it; an edit changes the pairs and
so the key, and undoing back to a state whose glossary is known finds it again.
"""

from __future__ import annotations

import threading

from aligner.core.values import Alignment, Bead, Document, Progress
from aligner.embed.encoders import Encoder
from aligner.glossary.build import LearnedGlossary, TermPair, learn_glossary
from aligner.segment.kiwi import await_kiwi_start
from aligner.segment.token_cache import cached_tokens


class GlossaryCache:
    """Thread-safe: a worker learns the glossary while the UI asks whether it is ready."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()  # one build at a time: a second caller waits for the first's result
        self._key: tuple[Document, Document, tuple[Bead, ...]] | None = None
        self._learned: LearnedGlossary | None = None

    @staticmethod
    def _matches(key: tuple[Document, Document, tuple[Bead, ...]] | None, alignment: Alignment) -> bool:
        return (
            key is not None
            and key[0] is alignment.source
            and key[1] is alignment.target
            and key[2] == alignment.beads
        )

    def cached(self, alignment: Alignment) -> list[TermPair] | None:
        """The glossary of exactly these pairs, if it was learned already."""
        learned = self.cached_terms(alignment)
        return list(learned.pairs) if learned is not None else None

    def cached_terms(self, alignment: Alignment) -> LearnedGlossary | None:
        """The glossary and both sides' terms of exactly these pairs, if learned already."""
        with self._lock:
            return self._learned if self._matches(self._key, alignment) else None

    def learn(self, alignment: Alignment, encoder: Encoder, progress: Progress | None = None) -> list[TermPair]:
        """The glossary of these pairs, learned now unless it is known (one build at a time; asking whether
        it is known never waits for one)."""
        return list(self.learn_terms(alignment, encoder, progress).pairs)

    def learn_terms(
        self, alignment: Alignment, encoder: Encoder, progress: Progress | None = None
    ) -> LearnedGlossary:
        """``learn``, with both sides' term candidates (what concept search looks queries up in)."""
        known = self.cached_terms(alignment)
        if known is not None:
            return known
        with self._build_lock:
            known = self.cached_terms(alignment)  # learned by another caller meanwhile
            if known is not None:
                return known
            await_kiwi_start()  # the search's start of kiwipiepy (`w` pressed as the pairs show): after it, not beside
            with cached_tokens(alignment.source.texts):  # a reopened pair's glossary needs no kiwipiepy
                learned = learn_glossary(alignment, encoder, progress=progress)
            with self._lock:
                self._key, self._learned = (alignment.source, alignment.target, alignment.beads), learned
            return learned

    @property
    def building(self) -> bool:
        """A glossary is being learned now."""
        return self._build_lock.locked()

    def remember(self, alignment: Alignment, pairs: list[TermPair]) -> None:
        """Keep ``pairs`` as the glossary of exactly these pairs."""
        with self._lock:
            self._key, self._learned = (alignment.source, alignment.target, alignment.beads), LearnedGlossary(
                tuple(pairs)
            )
