"""``aligner corpus``: align a whole archive of document pairs into one translation memory."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from aligner.corpus.assemble import DocReport

if TYPE_CHECKING:
    from aligner.corpus.runner import CorpusRun
    from aligner.export.book import BookOptions

TABLE_ROWS = 40
"""Past this many documents the summary lists only those with problems."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.book import add_book_args
    from aligner.corpus.engines import ENGINES, default_workers

    p = sub.add_parser(
        "corpus", help="align many document pairs (manifest TSV or folder) into one TMX/JSONL, resumably",
        description="INPUT is a TSV manifest (korean-path, english-path[, id]; paths relative to it) or a folder "
        "whose files pair by name: x.ko.pdf with x.en.pdf, or ko/x.hwp with en/x.pdf. Rerun the same command "
        "after an interruption: finished documents are kept.",
    )
    p.add_argument("input", type=Path, help="manifest TSV or folder of document pairs")
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder (new, empty or a previous run's)")
    p.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="leave out unconfirmed units below confidence X (0-1)")
    p.add_argument("--drop-omissions", action="store_true", help="leave 1-0/0-1 units out of the JSONL")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help=f"worker processes (default here: {default_workers()}; one per two cores)")
    p.add_argument("--engine", choices=ENGINES, default="local",
                   help="local worker processes (default) or a Dask cluster")
    p.add_argument("--address", default=None,
                   help="Dask scheduler, e.g. tcp://10.0.0.1:8786 (default: a local cluster)")
    p.add_argument("--no-projects", action="store_true", help="do not write per-pair project files")
    p.add_argument("--follow-links", action="store_true",
                   help="also read files whose symlinks lead out of the input folder (skipped by default)")
    p.add_argument("--presplit", action="store_true", help="inputs have one sentence per line")
    p.add_argument("--model", default=None, help="embedding model from models.lock (default: use-m3)")
    p.add_argument("--books", action="store_true",
                   help="also write one parallel-text book per pair into OUT/books/ (see aligner book)")
    add_book_args(p, prefix="book-")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or table; errors only")
    p.set_defaults(func=run)


class _Bar:
    """Corpus events drawn as a rich progress bar: documents, sentences/s, documents/s, ETA."""

    def __init__(self, progress: Progress | None, console: Console) -> None:
        self.progress = progress
        self.console = console
        self.task: TaskID | None = None
        self.started = time.perf_counter()
        self.sentences = 0
        self.docs = 0

    def start(self, total: int, reused: int, reused_sentences: int) -> None:
        if reused and self.progress is not None:
            self.console.print(Text(f"resuming: {reused} of {total} documents already done", style="dim"))
        self.started = time.perf_counter()
        if self.progress is not None:
            self.task = self.progress.add_task("aligning", total=total, completed=reused, rate="")

    def done(self, report: DocReport) -> None:
        self.sentences += report.sentences
        self.docs += 1
        if report.status != "ok":
            self.console.print(Text(f"failed: {report.id}: {'; '.join(report.warnings)}", style="red"))
        if self.progress is not None and self.task is not None:
            elapsed = max(time.perf_counter() - self.started, 1e-6)
            rate = f"{self.sentences / elapsed:.0f} sent/s · {self.docs / elapsed:.2f} doc/s"
            self.progress.update(self.task, advance=1, rate=rate)


@contextmanager
def _events(quiet: bool, console: Console) -> Iterator[_Bar]:
    if quiet:
        yield _Bar(None, console)  # failures still go to stderr
        return
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TextColumn("ETA"), TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        yield _Bar(bar, console)


def summary_table(reports: tuple[DocReport, ...]) -> Table:
    shown = reports if len(reports) <= TABLE_ROWS else tuple(r for r in reports if r.status != "ok" or r.warnings)
    title = "corpus" if shown is reports else f"corpus: {len(shown)} of {len(reports)} documents with problems"
    table = Table(title=title, show_footer=True)
    ok = [r for r in reports if r.status == "ok"]
    confs = [r.mean_confidence for r in ok if r.mean_confidence is not None]
    totals = (
        f"{len(ok)}/{len(reports)} ok", "", str(sum(r.ko_sentences for r in ok)), str(sum(r.en_sentences for r in ok)),
        str(sum(r.beads for r in ok)), str(sum(r.omissions for r in ok)),
        f"{sum(confs) / len(confs):.3f}" if confs else "", str(sum(r.units for r in ok)), "",
    )
    for name, total in zip(("document", "status", "ko", "en", "beads", "omitted", "conf", "units", "warnings"),
                           totals, strict=True):
        if name in ("document", "warnings"):
            table.add_column(name, footer=total, overflow="fold", ratio=1 if name == "document" else 2)
        else:
            table.add_column(name, footer=total, justify="left" if name == "status" else "right", no_wrap=True)
    for r in shown:
        conf = "" if r.mean_confidence is None else f"{r.mean_confidence:.3f}"
        style = "red" if r.status != "ok" else ("yellow" if r.warnings else "")
        table.add_row(r.id, r.status, str(r.ko_sentences), str(r.en_sentences), str(r.beads), str(r.omissions),
                      conf, str(r.units), "; ".join(r.warnings), style=style)
    return table


def projects_outside(result: CorpusRun) -> list[Path]:
    """Folders outside the corpus where this run's aligned pairs keep their project files (a manifest's
    ``../x`` documents: the project file goes beside the Korean document, as for ``aligner read``)."""
    from aligner.session.project_file import default_project_path

    if result.corpus.root is None:
        return []
    root = result.corpus.root.resolve()
    ok = {r.id for r in result.reports if r.status == "ok"}
    folders = {default_project_path(e.ko, e.en).resolve().parent for e in result.corpus.entries if e.id in ok}
    return sorted(f for f in folders if f != root and root not in f.parents)
def _book_options(args: argparse.Namespace) -> BookOptions | None:
    """The books' options, or None without ``--books``; the corpus's ``--min-confidence`` leaves pairs out."""
    if not args.books:
        return None
    from aligner.core.values import Lang
    from aligner.export.book import BookFormat, BookOptions, Layout

    return BookOptions(format=BookFormat(args.book_format or BookFormat.EPUB), layout=Layout(args.layout),
                       lead=Lang(args.lead), min_confidence=args.min_confidence)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import stderr
    from aligner.core.errors import AlignerError
    from aligner.corpus.assemble import JSONL_NAME, REPORT_NAME, TMX_NAME, Filters
    from aligner.corpus.books import BOOKS_DIR
    from aligner.corpus.engines import default_workers
    from aligner.corpus.runner import CorpusOptions, run_corpus

    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise AlignerError("--min-confidence must be between 0 and 1")
    if args.workers is not None and args.workers < 1:
        raise AlignerError("--workers must be at least 1")
    workers = args.workers or (2 if args.engine == "dask" else default_workers())
    options = CorpusOptions(
        input=args.input, out=args.output, model=args.model, presplit=args.presplit, engine=args.engine,
        workers=workers, address=args.address, filters=Filters(args.min_confidence, args.drop_omissions),
        write_projects=not args.no_projects, follow_links=args.follow_links, books=_book_options(args),
    )
    with _events(args.quiet, stderr) as events:
        result = run_corpus(options, events)
    for failure in result.book_failures:
        stderr.print(Text(f"failed: {failure}", style="red"))
    if not args.quiet:
        for u in result.corpus.unpaired:
            label = "skipped" if u.skipped else "unpaired"
            stderr.print(Text(f"{label}: {result.corpus.display(u.path)}: {u.reason}", style="yellow"))
        if options.write_projects and (outside := projects_outside(result)):
            stderr.print(Text(
                f"note: project files (corrections) of pairs outside {result.corpus.root} were written beside "
                f"their documents, in {', '.join(map(str, outside))} (--no-projects writes none)", style="yellow"))
        stderr.print(summary_table(result.reports))
        units = sum(r.units for r in result.reports)
        stderr.print(Text(
            f"wrote {units} units to {result.out / TMX_NAME} and {result.out / JSONL_NAME}, "
            f"report in {result.out / REPORT_NAME}"
            + (f" ({result.reused} documents reused from an earlier run)" if result.reused else "")
            + (f"; {len(result.books)} books in {result.out / BOOKS_DIR}" if args.books else "")
        ))
    return 3 if result.failed or result.book_failures else 0
