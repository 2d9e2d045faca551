"""One corpus job: align one document pair, in whatever process or machine runs it.

``run_job`` never raises for a bad document: the result says ``"status": "failed"``
and why.  Results are plain JSON-ready dicts, so they cross process and machine
boundaries unchanged.  The encoder is the process-wide ``cached_encoder``: a
long-lived worker (pool process, Dask worker) loads the model once and keeps it.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Document

if TYPE_CHECKING:
    from aligner.embed.vector_cache import CachedEncoder
    from aligner.session.workspace import Workspace

RESULT_FORMAT = 1
_PLAIN_RESTORE = re.compile(r"restored \d+ beads \(\d+ confirmed\)")
"""The project file's note for a clean restore: no news (the report counts confirmed beads),
and left out so a pair restored from its own project file reports as when it was aligned."""


@dataclass(frozen=True)
class DocJob:
    """What a worker needs to align one pair (absolute paths: workers may run elsewhere)."""

    id: str
    ko: str
    en: str
    model: str | None = None
    presplit: bool = False
    write_project: bool = True


def file_digest(path: str | os.PathLike[str] | None) -> str | None:
    """sha256 of a file's bytes, None when it does not exist or cannot be read."""
    if path is None:
        return None
    from aligner.core.budgets import sha256_regular

    return sha256_regular(path)  # a FIFO or /dev/zero in a manifest: None here, one line when the job reads it


def project_digest(ko: str | os.PathLike[str], en: str | os.PathLike[str]) -> str | None:
    """The digest of the project file the reader would open for this pair (None: none yet)."""
    from aligner.session.project_file import find_project

    found = find_project(ko, en)
    return file_digest(found) if found is not None else None


def _paragraphs(document: Document, ids: tuple[int, ...]) -> list[int]:
    return sorted({document.sentences[i].paragraph for i in ids})


_PAGE = re.compile(r"p\. (\d+)")


def _locations(document: Document, ids: tuple[int, ...]) -> list[str]:
    """Where the sentences came from ("p. 3", "¶ 7", "§ 1 ¶ 4"), in order, each once."""
    from aligner.ingest.extracted import location_of

    labels = (location_of(document, document.sentences[i]) for i in ids)
    return list(dict.fromkeys(label for label in labels if label))


def _pages(locations: list[str]) -> list[int]:
    return sorted({int(m[1]) for label in locations if (m := _PAGE.fullmatch(label))})


def _unit(position: int, bead: Bead, ko: Document, en: Document) -> dict[str, Any]:
    from aligner.export.formats import side_text

    unit: dict[str, Any] = {
        "bead": position,
        "ko_ids": list(bead.src),
        "en_ids": list(bead.tgt),
        "ko": side_text(ko, bead.src),
        "en": side_text(en, bead.tgt),
        "type": bead.shape,
        "kind": bead.kind.value,
        "confidence": float(bead.confidence),
        "confirmed": bool(bead.confirmed),
        "ko_paragraphs": _paragraphs(ko, bead.src),
        "en_paragraphs": _paragraphs(en, bead.tgt),
    }
    locations = _locations(ko, bead.src), _locations(en, bead.tgt)
    if locations[0] or locations[1]:  # an extracted document (PDF, DOCX, HWP, ...): where each side came from
        unit["ko_locations"], unit["en_locations"] = locations
    pages = _pages(locations[0]), _pages(locations[1])
    if pages[0] or pages[1]:
        unit["ko_pages"], unit["en_pages"] = pages
    return unit


def save_new_project(ws: Workspace) -> Path:
    """The pair's project file, where the reader looks for it (never over an existing one)."""
    from aligner.session.project_file import ProjectFile, default_project_path, save_project

    path = ws.project_path or default_project_path(ws.ko.path or "ko.txt", ws.en.path or "en.txt")
    save_project(path, ProjectFile.from_documents(ws.ko, ws.en, ws.alignment.beads, model=ws.alignment.model))
    return path


@contextmanager
def document_encoder(model: str | None) -> Iterator[CachedEncoder]:
    """The worker's loaded model behind a cache of this one job's own.

    Embeddings of the same text differ in the last bits with the batch they were
    computed in, so a sentence taken from the shared cache (embedded with another
    document, in whichever worker ran that one first) could move a confidence in
    its fourth decimal.  Each job embeds its own texts in its own batches, so a
    document's units depend on that document alone: the same from one worker, many,
    a cluster or a resumed run.  Its sentence vectors then go to the shared cache,
    for the reader.
    """
    from aligner.embed.vector_cache import CachedEncoder, cached_encoder

    shared = cached_encoder(model)
    with tempfile.TemporaryDirectory(prefix="aligner-job-") as tmp:
        yield CachedEncoder(shared.inner, Path(tmp), name=shared.name, dim=shared.dim)


def run_job(job: DocJob) -> dict[str, Any]:
    """Align one pair; a dict with the units, counts and warnings, or the failure."""
    from aligner.embed.vector_cache import cached_encoder, text_key
    from aligner.session.workspace import open_pair

    started = time.perf_counter()
    try:
        with document_encoder(job.model) as encoder:
            ws = open_pair(job.ko, job.en, model=job.model, presplit=job.presplit, use_project=True,
                           encoder=encoder)
        texts = ws.ko.texts + ws.en.texts
        vectors = [*ws.ko_vecs, *ws.en_vecs]
        cached_encoder(job.model).cache.put_many([(text_key(t), v) for t, v in zip(texts, vectors, strict=True)])
        warnings = [n for n in ws.notices if not _PLAIN_RESTORE.fullmatch(n)] + list(ws.alignment.warnings)
        if job.write_project and (ws.project_path is None or not ws.project_path.exists()):
            try:
                save_new_project(ws)
            except AlignerError as err:
                warnings.append(f"could not write the project file: {err}")
        beads = ws.alignment.beads
        units = [_unit(i, b, ws.ko, ws.en) for i, b in enumerate(beads)]
        return {
            "format": RESULT_FORMAT,
            "status": "ok",
            "ko_sentences": len(ws.ko),
            "en_sentences": len(ws.en),
            "model": ws.alignment.model,
            "warnings": warnings,
            "units": units,
            "project": project_digest(job.ko, job.en),
            "seconds": time.perf_counter() - started,
        }
    except AlignerError as err:
        return _failed(job, str(err), started)
    except Exception as err:  # noqa: BLE001 - one bad document must not stop the corpus
        return _failed(job, f"unexpected {type(err).__name__}: {err}", started)


def _failed(job: DocJob, error: str, started: float) -> dict[str, Any]:
    return {
        "format": RESULT_FORMAT,
        "status": "failed",
        "error": " ".join(error.split()),
        "project": project_digest(job.ko, job.en),
        "seconds": time.perf_counter() - started,
    }


# ---------------------------------------------------------------- worker set-up


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent died (kill -9) exits instead of lingering as an orphan."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


def init_worker(model: str | None, parent: int | None = None) -> None:
    """Pool-process initializer: watch the parent and load the model once, up front."""
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    warm(model)


def warm(model: str | None) -> str:
    """Load the encoder in this (worker) process; returns the model's name."""
    from aligner.embed.vector_cache import cached_encoder

    encoder = cached_encoder(model)
    encoder.load()
    return encoder.name
