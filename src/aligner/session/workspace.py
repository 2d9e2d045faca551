"""The headless pipeline: read, segment, embed, align, index.

The CLI and the TUI are thin shells over ``open_pair``/``Workspace``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from aligner.align.confidence import LOW_CONFIDENCE
from aligner.core.errors import InputError
from aligner.core.values import Alignment, Bead, Document, Lang, Progress
from aligner.embed.vector_cache import CachedEncoder, cached_encoder
from aligner.search.searcher import Searcher, SearchHit

UNRELATED_COVERAGE = 0.3
"""Below this share of sentences in confident beads, the pair is flagged as unrelated."""


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


def load_pair(
    ko_path: str | Path,
    en_path: str | Path,
    *,
    presplit: bool = False,
    progress: Progress | None = None,
    notices: list[str] | None = None,
) -> tuple[Document, Document]:
    """Read and segment both documents, checking that each is in its language.

    Two files given the wrong way round are swapped (with a notice in
    ``notices``); two files in the same language are refused.
    """
    from aligner.ingest.formats import DOCUMENT_FORMATS
    from aligner.ingest.text import detect_lang, read_document
    from aligner.segment.cache import segment_cached

    ko_path, en_path = Path(ko_path), Path(en_path)
    ko_got, en_got = read_document(ko_path), read_document(en_path)
    ko_text, ko_enc, en_text, en_enc = ko_got.text, ko_got.format, en_got.text, en_got.format
    ko_lang, en_lang = detect_lang(ko_text), detect_lang(en_text)
    if ko_lang is Lang.EN and en_lang is Lang.KO:
        if notices is not None:
            notices.append(f"{ko_path} is English and {en_path} is Korean: swapped them")
        ko_path, en_path, ko_text, en_text, ko_enc, en_enc = en_path, ko_path, en_text, ko_text, en_enc, ko_enc
        ko_got, en_got = en_got, ko_got
    elif ko_lang is not None and ko_lang == en_lang:
        name = "Korean" if ko_lang is Lang.KO else "English"
        raise InputError(f"{ko_path} and {en_path} are both {name}; give one Korean and one English document")
    elif ko_lang is Lang.EN:
        raise InputError(f"{ko_path} does not look Korean (no Hangul); give the Korean document first")
    elif en_lang is Lang.KO:
        raise InputError(f"{en_path} looks Korean, not English; give the English document second")
    for enc, path in ((ko_enc, ko_path), (en_enc, en_path)):
        if enc not in ("utf-8", "utf-8-sig") and enc not in DOCUMENT_FORMATS and notices is not None:
            notices.append(f"{path} was decoded as {enc}")
    if progress:
        progress("segmenting", 0, 2)
    ko = segment_cached(ko_text, Lang.KO, presplit=presplit, path=ko_path, encoding=ko_enc, progress=progress)
    if progress:
        progress("segmenting", 1, 2)
    en = segment_cached(en_text, Lang.EN, presplit=presplit, path=en_path, encoding=en_enc, progress=progress)
    if ko_got.locations:
        ko = replace(ko, locations=ko_got.locations)
    if en_got.locations:
        en = replace(en, locations=en_got.locations)
    if progress:
        progress("segmenting", 2, 2)
    return ko, en


def unrelated_warning(beads: Sequence[Bead]) -> tuple[str, ...]:
    """A warning when the alignment looks like two unrelated documents.

    Coverage is measured on the shorter side, so an excerpt aligned against
    the whole document it comes from is not flagged.
    """
    confident = [b for b in beads if b.src and b.tgt and b.confidence >= LOW_CONFIDENCE]
    n_src = sum(len(b.src) for b in beads)
    n_tgt = sum(len(b.tgt) for b in beads)
    if n_src == 0 or n_tgt == 0:
        return ()
    if n_src <= n_tgt:
        share = sum(len(b.src) for b in confident) / n_src
    else:
        share = sum(len(b.tgt) for b in confident) / n_tgt
    if share < UNRELATED_COVERAGE:
        return (
            f"low confidence: only {share:.0%} of the sentences found a confident counterpart; "
            "these documents may not be translations of each other",
        )
    return ()


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
    presplit: bool = False,
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
    notices: list[str] = []
    ko, en = load_pair(ko_path, en_path, presplit=presplit, progress=progress, notices=notices)
    saved: tuple[Bead, ...] | None = None
    path: Path | None = None
    if use_project or project_path is not None:
        saved, constraints, path = _saved_corrections(ko, en, constraints, project_path, notices)
    ws = align_pair(ko, en, model=model, constraints=constraints, progress=progress, saved=saved, encoder=encoder)
    ws.notices[:0] = notices
    ws.project_path = path
    return ws


def with_saved_corrections(
    workspace: Workspace, project_path: str | Path | None, progress: Progress | None = None
) -> Workspace:
    """A workspace that is already aligned, with the corrections saved at ``project_path``
    (or the pair's default project file) applied the way ``open_pair`` applies them."""
    from aligner.align.documents import align_documents

    notices: list[str] = []
    ko, en = workspace.ko, workspace.en
    saved, constraints, path = _saved_corrections(ko, en, (), project_path, notices)
    if saved is not None:
        workspace = workspace.with_beads(saved)
    elif constraints:
        vectors = (workspace.ko_vecs, workspace.en_vecs)
        beads = align_documents(ko, en, workspace.encoder, constraints=constraints, progress=progress, vectors=vectors)
        workspace = workspace.with_beads(beads)
    return replace(workspace, notices=[*workspace.notices, *notices], project_path=path)


def _saved_corrections(
    ko: Document, en: Document, constraints: Sequence[Bead], explicit: str | Path | None, notices: list[str]
) -> tuple[tuple[Bead, ...] | None, Sequence[Bead], Path | None]:
    """The pair's project file and what it restores: the saved beads, or the confirmed ones to keep."""
    from aligner.session.project_file import LoadStatus, default_project_path, find_project, load_project

    if explicit is not None:
        found: Path | None = Path(explicit)
    elif ko.path and en.path:
        found = find_project(ko.path, en.path)
        if found is None:
            return None, constraints, default_project_path(ko.path, en.path)
    else:
        return None, constraints, None
    assert found is not None
    loaded = load_project(found, ko, en)
    if loaded.message:
        notices.append(loaded.message)
    if loaded.status is LoadStatus.UNCHANGED and loaded.beads is not None:
        return tuple(loaded.beads), constraints, found
    if loaded.status is LoadStatus.CHANGED:
        return None, [*constraints, *loaded.constraints], found
    return None, constraints, found


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
        saved, _, found = _saved_corrections(ko, en, (), project_path, notices)
    alignment = Alignment(ko, en, saved or scored, model=encoder.name)
    alignment.check()
    ws = Workspace(ko, en, alignment, encoder, ko_vecs, en_vecs)
    ws.notices.extend([*notices, *encoder.cache.take_notices()])
    ws.project_path = found
    return ws
