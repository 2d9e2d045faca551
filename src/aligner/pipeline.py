"""The headless pipeline: read, segment, embed, align, index.

The CLI and the TUI are thin shells over ``open_pair``/``Workspace``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np

from .cache import CachedEncoder, cached_encoder
from .model import Alignment, Bead, Document, Lang, Progress
from .search import Searcher, SearchHit

SAMPLE_FILES = ("kiep_ko.txt", "kiep_en.txt")


def data_dir() -> Path:
    """The bundled ``data/`` folder (repository checkout or installed package)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / SAMPLE_FILES[0]
        if candidate.is_file():
            return candidate.parent
    return Path(str(resources.files("aligner") / "data"))


def sample_paths() -> tuple[Path, Path]:
    d = data_dir()
    return d / SAMPLE_FILES[0], d / SAMPLE_FILES[1]


@dataclass
class Workspace:
    """Everything known about one aligned document pair."""

    ko: Document
    en: Document
    alignment: Alignment
    encoder: CachedEncoder
    ko_vecs: np.ndarray
    en_vecs: np.ndarray
    notices: list[str] = field(default_factory=list)
    _searcher: Searcher | None = None

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None or self._searcher.alignment is not self.alignment:
            self._searcher = Searcher(self.alignment, self.encoder, self.ko_vecs, self.en_vecs)
        return self._searcher

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        return self.searcher.search(query, k)

    def with_beads(self, beads: Sequence[Bead]) -> Workspace:
        """The same workspace with edited beads (validated)."""
        alignment = replace(self.alignment, beads=tuple(beads))
        alignment.check()
        ws = replace(self, alignment=alignment)
        ws._searcher = None
        return ws

    def realign(self, progress: Progress | None = None) -> Workspace:
        """Align again, keeping every confirmed bead as a hard constraint."""
        from .align import align_documents

        constraints = [b for b in self.alignment.beads if b.confirmed]
        beads = align_documents(self.ko, self.en, self.encoder, constraints=constraints, progress=progress)
        return self.with_beads(beads)


def load_pair(
    ko_path: str | Path, en_path: str | Path, *, presplit: bool = False, progress: Progress | None = None
) -> tuple[Document, Document]:
    from .doccache import load_document_cached as load_document

    if progress:
        progress("segmenting", 0, 2)
    ko = load_document(Path(ko_path), Lang.KO, presplit=presplit)
    if progress:
        progress("segmenting", 1, 2)
    en = load_document(Path(en_path), Lang.EN, presplit=presplit)
    if progress:
        progress("segmenting", 2, 2)
    return ko, en


def align_pair(
    ko: Document,
    en: Document,
    *,
    model: str | None = None,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
) -> Workspace:
    from .align import align_documents

    encoder = cached_encoder(model)  # the model itself loads on the first cache miss
    beads = align_documents(ko, en, encoder, constraints=constraints, progress=progress)
    alignment = Alignment(ko, en, tuple(beads), model=encoder.name)
    alignment.check()
    ko_vecs = encoder.encode(ko.texts)
    en_vecs = encoder.encode(en.texts)
    ws = Workspace(ko, en, alignment, encoder, ko_vecs, en_vecs)
    ws.notices.extend(encoder.cache.notices)
    return ws


def open_pair(
    ko_path: str | Path,
    en_path: str | Path,
    *,
    model: str | None = None,
    presplit: bool = False,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
) -> Workspace:
    """Read, segment, embed, align and index two documents."""
    ko, en = load_pair(ko_path, en_path, presplit=presplit, progress=progress)
    return align_pair(ko, en, model=model, constraints=constraints, progress=progress)
