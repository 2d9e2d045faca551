"""The glossary of a session's current alignment, learned once per state of the pairs.

The glossary pane and the term picker share it; an edit changes the pairs and
so the key, and undoing back to a state whose glossary is known finds it again.
"""

from __future__ import annotations

import threading

from aligner.core.values import Alignment, Bead, Document, Progress
from aligner.embed.encoders import Encoder
from aligner.glossary.build import TermPair, build_glossary


class GlossaryCache:
    """Thread-safe: a worker learns the glossary while the UI asks whether it is ready."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Document, Document, tuple[Bead, ...]] | None = None
        self._pairs: list[TermPair] | None = None

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
        with self._lock:
            return self._pairs if self._matches(self._key, alignment) else None

    def learn(self, alignment: Alignment, encoder: Encoder, progress: Progress | None = None) -> list[TermPair]:
        """The glossary of these pairs, learned now unless it is known (the slow part runs unlocked)."""
        known = self.cached(alignment)
        if known is not None:
            return known
        pairs = build_glossary(alignment, encoder, progress=progress)
        self.remember(alignment, pairs)
        return pairs

    def remember(self, alignment: Alignment, pairs: list[TermPair]) -> None:
        """Keep ``pairs`` as the glossary of exactly these pairs."""
        with self._lock:
            self._key, self._pairs = (alignment.source, alignment.target, alignment.beads), pairs
