"""Run a corpus: find the pairs, skip the finished ones, align the rest, assemble.

Safe to kill at any moment: each finished document is a part written
atomically, the outputs are rebuilt from the parts, so a rerun redoes at most
the documents that were in flight and never duplicates or loses a unit.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aligner.core.atomic import atomic_write_text
from aligner.core.errors import InputError
from aligner.corpus.assemble import DocReport, Filters, assemble, report_for
from aligner.corpus.books import write_books
from aligner.corpus.engines import make_engine
from aligner.corpus.job import DocJob
from aligner.corpus.manifest import Corpus, CorpusEntry, load_corpus
from aligner.corpus.parts import PARTS_DIR, Part, fingerprint, reusable, write_part
from aligner.export.book import BookOptions

LOCK = ".aligner-corpus.lock"
MARKER = "aligner-corpus.json"
"""Marks a folder as a corpus output (so a rerun may replace its files)."""


@dataclass(frozen=True)
class CorpusOptions:
    input: Path
    out: Path
    model: str | None = None
    presplit: bool = False
    engine: str = "local"
    workers: int = 1
    address: str | None = None
    filters: Filters = field(default_factory=Filters)
    write_projects: bool = True
    follow_links: bool = False  # read files whose symlinks lead out of the input folder
    books: BookOptions | None = None
    """Also write one parallel-text book per aligned pair (``OUT/books/``)."""


@dataclass(frozen=True)
class CorpusRun:
    """What a run did: the report rows (manifest order) and how many documents were reused."""

    corpus: Corpus
    reports: tuple[DocReport, ...]
    reused: int
    out: Path
    books: tuple[Path, ...] = ()
    book_failures: tuple[str, ...] = ()

    @property
    def failed(self) -> tuple[DocReport, ...]:
        return tuple(r for r in self.reports if r.status != "ok")


class Events(Protocol):
    """Progress hooks; the CLI draws a bar with them."""

    def start(self, total: int, reused: int, reused_sentences: int) -> None: ...

    def done(self, report: DocReport) -> None: ...


class NoEvents:
    def start(self, total: int, reused: int, reused_sentences: int) -> None:
        pass

    def done(self, report: DocReport) -> None:
        pass


def check_output(out: Path, corpus: Corpus, source: Path) -> None:
    """Refuse an output folder that is an input, or a folder of other files."""
    out = out.absolute()
    inputs = {source.absolute(), *(e.ko.absolute() for e in corpus.entries), *(e.en.absolute() for e in corpus.entries)}
    if out in inputs or (source.is_dir() and out == source.absolute()):
        raise InputError(f"{out} is an input of the corpus; give an output folder of its own (-o OUT)")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give a new or empty folder for the corpus output")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise InputError(f"{out} already holds other files; give a new or empty folder (nothing was overwritten)")


def _job(entry: CorpusEntry, options: CorpusOptions) -> DocJob:
    return DocJob(entry.id, str(entry.ko.absolute()), str(entry.en.absolute()),
                  options.model, options.presplit, options.write_projects)


@contextmanager
def _only_run(out: Path) -> Iterator[None]:
    """One run per output folder at a time (the lock goes with the process, kill -9 included)."""
    with (out / LOCK).open("a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError(f"another aligner corpus run is writing to {out}; wait for it or stop it") from None
        yield


def run_corpus(options: CorpusOptions, events: Events | None = None) -> CorpusRun:
    out = options.out.absolute()
    if out.resolve() == options.input.absolute().resolve():
        raise InputError(f"-o {options.out} is the corpus input itself; give an output folder of its own (-o OUT)")
    corpus = load_corpus(options.input, exclude=out, follow_links=options.follow_links)
    check_output(out, corpus, options.input)
    out.mkdir(parents=True, exist_ok=True)
    marker = {"format": 1, "input": str(options.input.absolute()), "model": options.model}
    atomic_write_text(out / MARKER, json.dumps(marker, ensure_ascii=False, indent=1) + "\n")  # first: ours now
    with _only_run(out):
        (out / PARTS_DIR).mkdir(exist_ok=True)
        return _run(options, corpus, out, events or NoEvents())


def _run(options: CorpusOptions, corpus: Corpus, out: Path, events: Events) -> CorpusRun:

    jobs = [_job(e, options) for e in corpus.entries]
    prints = {job.id: fingerprint(job) for job in jobs}
    results: dict[str, dict[str, Any]] = {}
    for job in jobs:
        part = reusable(out, job, prints[job.id])
        if part is not None:
            results[job.id] = part.result
    todo = [job for job in jobs if job.id not in results]
    reused_sentences = sum(r["ko_sentences"] + r["en_sentences"] for r in results.values())
    events.start(len(jobs), len(results), reused_sentences)
    by_id = {e.id: e for e in corpus.entries}

    def on_result(job: DocJob, result: dict[str, Any]) -> None:
        write_part(out, Part(job.id, prints[job.id], result))
        results[job.id] = result
        events.done(report_for(by_id[job.id], corpus, result, result.get("units", [])))

    engine = make_engine(options.engine, workers=options.workers, address=options.address, model=options.model)
    engine.run(todo, on_result)
    ordered = [(e, results[e.id]) for e in corpus.entries]
    reports = assemble(out, corpus, ordered, options.filters)
    books: list[Path] = []
    failures: list[str] = []
    if options.books is not None:
        aligned = [e for e, result in ordered if result.get("status") == "ok"]
        books = write_books(out, aligned, options.books, model=options.model, presplit=options.presplit,
                            failed=lambda doc_id, reason: failures.append(f"{doc_id}: {reason}"))  # fmt: skip
    return CorpusRun(corpus, tuple(reports), len(jobs) - len(todo), out, tuple(books), tuple(failures))

