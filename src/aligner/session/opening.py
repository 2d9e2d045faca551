"""Opening a pair, first half: read, segment and find the pairs that already exist.

``read_pair`` reads and segments both documents, restores the corrections
saved for the pair (its project file) and, when nothing was saved, looks the
alignment up in the alignment cache.  It imports neither numpy nor an encoder,
so the reader can show the pairs of a pair it has seen before at once; the
vectors and the search index (``aligner.session.workspace``) follow.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.align.confidence import LOW_CONFIDENCE
from aligner.core.errors import InputError
from aligner.core.values import Alignment, Bead, Document, Lang, Progress

if TYPE_CHECKING:
    from aligner.ingest.extracted import Extracted

UNRELATED_COVERAGE = 0.3
"""Below this share of sentences in confident beads, the pair is flagged as unrelated."""


@dataclass(frozen=True)
class OpenedPair:
    """Two segmented documents and what is already known of their pairing."""

    ko: Document
    en: Document
    model: str
    """The encoder the pairs are (or will be) aligned with."""
    beads: tuple[Bead, ...] | None
    """The pairs, from the project file or the alignment cache; None: they must be aligned."""
    constraints: tuple[Bead, ...]
    """Beads to keep when aligning (confirmed pairs a changed text still has)."""
    saved: bool
    """``beads`` are the project file's (the user's corrections)."""
    project_path: Path | None
    notices: tuple[str, ...]
    """Warnings: what the user should know went wrong or changed."""
    presplit: bool = False
    """The documents were read one sentence per line (as asked, or as the corrections were saved)."""
    info: tuple[str, ...] = ()
    """Information, not warnings ("restored 87 beads")."""

    @cached_property
    def alignment(self) -> Alignment | None:
        """The pairs as an alignment, ready to show; None until they are aligned."""
        if self.beads is None:
            return None
        alignment = Alignment(self.ko, self.en, self.beads, model=self.model, warnings=unrelated_warning(self.beads))
        alignment.check()
        return alignment


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
    docs = _load_pair(ko_path, en_path, presplit=presplit, progress=progress, notices=notices, only_cached=False)
    assert docs is not None
    return docs


def _load_pair(
    ko_path: str | Path,
    en_path: str | Path,
    *,
    presplit: bool,
    progress: Progress | None,
    notices: list[str] | None,
    only_cached: bool,
) -> tuple[Document, Document] | None:
    """``load_pair``; with ``only_cached``, None unless both documents were segmented before."""
    from aligner.ingest.formats import DOCUMENT_FORMATS
    from aligner.ingest.ocr import OcrMode, OcrNotCached
    from aligner.ingest.text import detect_lang, read_document
    from aligner.segment.cache import segment_cached

    ko_path, en_path = Path(ko_path), Path(en_path)
    try:  # a scan not read before is read with its progress shown (not on the pre-reading thread)
        ocr = OcrMode.CACHED if only_cached else None
        ko_got = read_document(ko_path, progress=progress, ocr=ocr)
        en_got = read_document(en_path, progress=progress, ocr=ocr)
    except OcrNotCached:
        return None
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
    if only_cached:
        from aligner.segment.cache import cached_segmentation

        ko_doc = cached_segmentation(ko_text, Lang.KO, presplit=presplit, path=ko_path, encoding=ko_enc)
        en_doc = cached_segmentation(en_text, Lang.EN, presplit=presplit, path=en_path, encoding=en_enc)
        if ko_doc is None or en_doc is None:
            return None
        return _with_locations(ko_doc, ko_got), _with_locations(en_doc, en_got)
    if progress:
        progress("segmenting", 0, 2)
    ko = segment_cached(ko_text, Lang.KO, presplit=presplit, path=ko_path, encoding=ko_enc, progress=progress)
    if progress:
        progress("segmenting", 1, 2)
    en = segment_cached(en_text, Lang.EN, presplit=presplit, path=en_path, encoding=en_enc, progress=progress)
    if progress:
        progress("segmenting", 2, 2)
    return _with_locations(ko, ko_got), _with_locations(en, en_got)


def _with_locations(doc: Document, got: Extracted) -> Document:
    """The document with its sentences' locations in the source file (pages, paragraphs) and the
    spans OCR was unsure of, if it has any."""
    return replace(doc, locations=got.locations, doubtful=got.doubtful) if got.locations or got.doubtful else doc


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


def saved_corrections(
    ko: Document,
    en: Document,
    constraints: Sequence[Bead],
    explicit: str | Path | None,
    notices: list[str],
    info: list[str] | None = None,
) -> tuple[tuple[Bead, ...] | None, Sequence[Bead], Path | None]:
    """The pair's project file and what it restores: the saved beads, or the confirmed ones to keep.
    Warnings go to ``notices``, what was restored (information) to ``info``."""
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
    if loaded.warning:
        notices.append(loaded.warning)
    if loaded.info and info is not None:
        info.append(loaded.info)
    if loaded.status is LoadStatus.UNCHANGED and loaded.beads is not None:
        return tuple(loaded.beads), constraints, found
    if loaded.status is LoadStatus.CHANGED:
        return None, [*constraints, *loaded.constraints], found
    return None, constraints, found


def default_model(model: str | None) -> str:
    """The encoder's name: the one asked for, or the default (without loading anything)."""
    from aligner.embed.models_lock import DEFAULT_MODEL

    return model or DEFAULT_MODEL


def read_pair(
    ko_path: str | Path,
    en_path: str | Path,
    *,
    model: str | None = None,
    presplit: bool | None = None,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
    use_project: bool = True,
    project_path: str | Path | None = None,
) -> OpenedPair:
    """Read and segment two documents and find their pairs if they exist already.

    With ``use_project`` (or an explicit ``project_path``), the corrections saved for
    the pair are restored: an unchanged pair's saved beads are taken as they are; a
    changed one keeps the confirmed beads that still fit as constraints.  Without
    saved beads, the alignment cache is asked (an unchanged pair aligned before).
    ``presplit`` None: one sentence per line exactly when the corrections were saved so.
    """
    opened = _read_pair(
        ko_path, en_path, model=model, presplit=presplit, constraints=constraints, progress=progress,
        use_project=use_project, project_path=project_path, only_cached=False,
    )  # fmt: skip
    assert opened is not None
    return opened


def read_cached_pair(ko_path: str | Path, en_path: str | Path, **options: Any) -> OpenedPair | None:
    """``read_pair`` for two documents segmented before, or None (nothing is segmented: no kiwipiepy)."""
    return _read_pair(ko_path, en_path, only_cached=True, **options)


def _read_pair(
    ko_path: str | Path,
    en_path: str | Path,
    *,
    model: str | None = None,
    presplit: bool | None = None,
    constraints: Sequence[Bead] = (),
    progress: Progress | None = None,
    use_project: bool = True,
    project_path: str | Path | None = None,
    only_cached: bool,
) -> OpenedPair | None:
    from aligner.session.alignment_cache import lookup_alignment

    notices: list[str] = []
    info: list[str] = []
    split = bool(presplit)
    docs = _load_pair(ko_path, en_path, presplit=split, progress=progress, notices=notices, only_cached=only_cached)
    if docs is None:
        return None
    ko, en = docs
    use = use_project or project_path is not None
    recorded = _recorded_presplit(ko, en, project_path) if use and presplit is None else None
    if recorded is not None and recorded != split:  # read the documents the way the corrections were made
        split = recorded
        docs = _load_pair(ko_path, en_path, presplit=split, progress=progress, notices=None, only_cached=only_cached)
        if docs is None:
            return None
        ko, en = docs
        how = "one sentence per line (--presplit)" if split else "by the segmenter (no --presplit)"
        info.append(f"read {how}, as when the corrections were saved")
    saved: tuple[Bead, ...] | None = None
    path: Path | None = None
    if use:
        saved, constraints, path = saved_corrections(ko, en, constraints, project_path, notices, info)
    name = default_model(model)
    beads = saved if saved is not None else lookup_alignment(ko, en, name, constraints)
    return OpenedPair(
        ko, en, name, beads, tuple(constraints), saved is not None, path, tuple(notices), split, tuple(info)
    )


def _recorded_presplit(ko: Document, en: Document, explicit: str | Path | None) -> bool | None:
    """Whether the pair's saved corrections were made on documents read one sentence per line (None: unknown)."""
    from aligner.session.project_file import find_project, read_project

    found = Path(explicit) if explicit is not None else find_project(ko.path, en.path) if ko.path and en.path else None
    if found is None:
        return None
    project = read_project(found).project
    return project.presplit if project is not None else None


class PairReading:
    """``read_cached_pair`` on a thread of its own, started before the reader has even loaded Textual.

    A pair seen before is read by the time the reader's first screen is drawn, so that
    screen already shows its pairs.  Only documents segmented before are read here (a
    new one would keep kiwipiepy busy for seconds before the reader could show its
    progress): for them ``result`` is None and the reader reads them itself.  A pair that
    must be aligned gets its model loaded here meanwhile, while Textual starts.
    """

    def __init__(self, ko_path: str | Path, en_path: str | Path, **options: Any) -> None:
        self._future: Future[OpenedPair | None] = Future()
        args = (Path(ko_path), Path(en_path), options)
        threading.Thread(target=self._run, args=args, name="aligner-read-pair", daemon=True).start()

    def _run(self, ko_path: Path, en_path: Path, options: dict[str, Any]) -> None:
        try:
            opened = read_cached_pair(ko_path, en_path, **options)
        except BaseException as err:  # noqa: BLE001 - handed to whoever takes the result
            self._future.set_exception(err)
            return
        self._future.set_result(opened)
        if opened is None or opened.beads is None:  # it will be aligned: load the model while Textual starts
            from aligner.embed.vector_cache import cached_encoder

            try:
                cached_encoder(options.get("model")).load()
            except Exception:  # noqa: BLE001 - the reader's own load reports the problem
                return

    def done(self) -> bool:
        return self._future.done()

    def result(self, timeout: float | None = None) -> OpenedPair | None:
        """The opened pair (waiting for it), None when it must be segmented; what the reading raised is raised here."""
        return self._future.result(timeout)
