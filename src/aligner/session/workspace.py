"""The headless pipeline: read, segment, embed, align, index.

The CLI and the TUI are thin shells over ``open_pair``/``Workspace``.  Opening
is two halves: ``read_pair`` (``aligner.session.opening``: the documents and
the pairs already known, no numpy) and ``workspace_for`` (the vectors, the
alignment when it is not known yet, and the search index).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from aligner.core.values import Alignment, Bead, Document, Progress
from aligner.embed.vector_cache import CachedEncoder, cached_encoder
from aligner.search.hits import SearchHit
from aligner.search.searcher import Searcher
from aligner.session.opening import OpenedPair, load_pair, read_pair, saved_corrections, unrelated_warning

__all__ = ["OpenedPair", "Workspace", "align_pair", "load_pair", "open_pair", "read_pair", "unrelated_warning"]


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
    project_path: Path | None = None
    presplit: bool = False
    """The documents were read one sentence per line (saved with the corrections)."""
    info: list[str] = field(default_factory=list)
    """Information for the user, not warnings ("restored 87 beads")."""
    _searcher: Searcher | None = None

    @property
    def searcher(self) -> Searcher:
        if self._searcher is None or self._searcher.alignment is not self.alignment:
            self._searcher = Searcher(self.alignment, self.encoder, self.ko_vecs, self.en_vecs)
        return self._searcher

    def use_searcher(self, searcher: Searcher) -> None:
        """Search with ``searcher`` (one over these very pairs, e.g. with the glossary's terms)."""
        if searcher.alignment is not self.alignment:
            raise ValueError("a searcher over other pairs")
        self._searcher = searcher

    def search(self, query: str, k: int = 10) -> list[SearchHit]:
        return self.searcher.search(query, k)

    def with_beads(self, beads: Sequence[Bead]) -> Workspace:
        """The same workspace with edited beads (validated)."""
        alignment = replace(self.alignment, beads=tuple(beads))
        alignment.check()
        ws = replace(self, alignment=alignment)
        ws._searcher = self._searcher.with_alignment(alignment) if self._searcher is not None else None
        return ws

    def realign(self, progress: Progress | None = None) -> Workspace:
        """Align again, keeping every confirmed bead as a hard constraint."""
        from aligner.align.documents import align_documents

        constraints = [b for b in self.alignment.beads if b.confirmed]
        beads = align_documents(
            self.ko, self.en, self.encoder, constraints=constraints, progress=progress,
            vectors=(self.ko_vecs, self.en_vecs),
        )  # fmt: skip
        return self.with_beads(beads)


def align_pair(
    ko: Document,
    en: Document,
    *,
    model: str | None = None,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
    saved: Sequence[Bead] | None = None,
    encoder: CachedEncoder | None = None,
) -> Workspace:
    """Embed both documents once and align them; ``saved`` beads (a project file's,
    for these very sentences) are taken as they are, without aligning again.
    ``encoder``: another than the model's shared cached one (corpus jobs use their own)."""
    encoder = encoder or cached_encoder(model)  # the model itself loads on the first cache miss
    vecs = encoder.encode(ko.texts + en.texts, progress)
    ko_vecs, en_vecs = vecs[: len(ko)], vecs[len(ko) :]
    if saved is not None:
        beads = tuple(saved)
    else:
        from aligner.session.alignment_cache import cached_alignment

        def align() -> tuple[Bead, ...]:
            from aligner.align.documents import align_documents  # not even imported when cached

            return align_documents(
                ko, en, encoder, constraints=constraints, progress=progress, vectors=(ko_vecs, en_vecs)
            )

        beads = cached_alignment(ko, en, encoder.name, constraints, align)  # unchanged pair: no aligning
    alignment = Alignment(ko, en, beads, model=encoder.name, warnings=unrelated_warning(beads))
    alignment.check()
    ws = Workspace(ko, en, alignment, encoder, ko_vecs, en_vecs)
    ws.notices.extend(encoder.cache.take_notices())
    return ws


def open_pair(
    ko_path: str | Path,
    en_path: str | Path,
    *,
    model: str | None = None,
    presplit: bool | None = None,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
    use_project: bool = True,
    project_path: str | Path | None = None,
    encoder: CachedEncoder | None = None,
) -> Workspace:
    """Read, segment, embed, align and index two documents.

    With ``use_project`` (or an explicit ``project_path``), corrections saved for
    this pair are restored: when the texts are unchanged the saved alignment is
    used as it is (nothing is aligned); when a text changed, the confirmed beads
    that still fit are kept and the rest is realigned around them (the notices
    say what).
    """
    model = model or (encoder.name if encoder is not None else None)
    opened = read_pair(
        ko_path, en_path, model=model, presplit=presplit, constraints=constraints, progress=progress,
        use_project=use_project, project_path=project_path,
    )  # fmt: skip
    return workspace_for(opened, progress=progress, encoder=encoder)


def workspace_for(
    opened: OpenedPair, *, progress: Progress | None = None, encoder: CachedEncoder | None = None
) -> Workspace:
    """The workspace of a pair ``read_pair`` opened: embedded once, aligned only if its pairs are not known."""
    ws = align_pair(
        opened.ko, opened.en, model=opened.model, constraints=opened.constraints, progress=progress,
        saved=opened.beads, encoder=encoder,
    )  # fmt: skip
    ws.notices[:0] = opened.notices
    ws.project_path = opened.project_path
    ws.presplit = opened.presplit
    ws.info.extend(opened.info)
    return ws


def with_saved_corrections(
    workspace: Workspace, project_path: str | Path | None, progress: Progress | None = None
) -> Workspace:
    """A workspace that is already aligned, with the corrections saved at ``project_path``
    (or the pair's default project file) applied the way ``open_pair`` applies them."""
    from aligner.align.documents import align_documents

    notices: list[str] = []
    ko, en = workspace.ko, workspace.en
    saved, constraints, path = saved_corrections(ko, en, (), project_path, notices)
    if saved is not None:
        workspace = workspace.with_beads(saved)
    elif constraints:
        vectors = (workspace.ko_vecs, workspace.en_vecs)
        beads = align_documents(ko, en, workspace.encoder, constraints=constraints, progress=progress, vectors=vectors)
        workspace = workspace.with_beads(beads)
    return replace(workspace, notices=[*workspace.notices, *notices], project_path=path)


def open_bilingual(
    path: str | Path,
    *,
    model: str | None = None,
    progress: Progress | None = None,
    use_project: bool = True,
    project_path: str | Path | None = None,
) -> Workspace:
    """Open a TMX or XLIFF file as an aligned pair: its units are the beads.

    Each unit keeps the file's pairing; its confidence is the aligner's for that same
    bead when the aligner, run on the two sides, pairs them the same way, and 0 where
    it would pair them differently (so review lists those first).  Corrections saved
    for the file are restored as for two documents.
    """
    from aligner.align.documents import align_documents
    from aligner.ingest.bilingual import bilingual_documents

    notices: list[str] = []
    ko, en, beads = bilingual_documents(path)
    encoder = cached_encoder(model)
    vecs = encoder.encode(ko.texts + en.texts, progress)
    ko_vecs, en_vecs = vecs[: len(ko)], vecs[len(ko) :]
    aligned = align_documents(ko, en, encoder, progress=progress, vectors=(ko_vecs, en_vecs))
    ours = {(b.src, b.tgt): b.confidence for b in aligned}
    scored = tuple(replace(b, confidence=ours.get((b.src, b.tgt), 0.0)) for b in beads)
    differ = sum(1 for b in beads if b.src and b.tgt and (b.src, b.tgt) not in ours)
    if differ:
        notices.append(f"{path}: the aligner would pair {differ} of {len(beads)} units differently (confidence 0)")
    saved: tuple[Bead, ...] | None = None
    found: Path | None = None
    if use_project or project_path is not None:
        saved, _, found = saved_corrections(ko, en, (), project_path, notices)
    alignment = Alignment(ko, en, saved or scored, model=encoder.name)
    alignment.check()
    ws = Workspace(ko, en, alignment, encoder, ko_vecs, en_vecs)
    ws.notices.extend([*notices, *encoder.cache.take_notices()])
    ws.project_path = found
    return ws
