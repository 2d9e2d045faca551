"""What every subcommand shares: the filtered consoles, progress, the pair arguments, opening
a workspace and writing output (never over what the user owns)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from rich.text import Text

from aligner.core.errors import AlignerError
from aligner.core.terminal import safe_console, safe_line, safe_text
from aligner.core.values import Progress as ProgressFn

stderr = safe_console(stderr=True, highlight=False, soft_wrap=True)
stdout = safe_console(highlight=False, soft_wrap=True)
"""Both consoles filter control characters out of what they print (``core.terminal``)."""


def write_stdout(text: str) -> None:
    """Machine-readable output: exact when piped, control characters filtered on a terminal."""
    sys.stdout.write(safe_text(text) if sys.stdout.isatty() else text)


class ConsoleLogHandler(logging.Handler):
    """aligner's log warnings, as one filtered ``warning:`` line each on stderr, each told once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.told: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = one_line(record.getMessage())
        if line not in self.told:
            self.told.add(line)
            stderr.print(Text(f"warning: {line}", style="yellow"))


class OneLineParser(argparse.ArgumentParser):
    """argparse, with its messages (which quote the user's arguments) filtered too."""

    def _print_message(self, message: str, file: object = None) -> None:
        super()._print_message(safe_text(message), file)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        """One line naming the option and what is wrong, with where to read more."""
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


@contextlib.contextmanager
def progress_bar(enabled: bool = True) -> Iterator[ProgressFn]:
    """A rich progress display on stderr, as a pipeline progress callback."""
    if not enabled or not stderr.is_terminal:
        last: dict[str, int] = {}

        def quiet(stage: str, done: int, total: int) -> None:
            if enabled and last.get(stage) is None:
                last[stage] = done
                stderr.print(Text(f"{stage}…", style="dim"))

        yield quiet
        return
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=stderr, transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update





def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number; give 1 or more") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is too small; give 1 or more")
    return number


def path_arg(value: str) -> Path:
    """An argparse type: a file path, never empty (``Path("")`` would silently mean ".")."""
    if not value.strip():
        raise argparse.ArgumentTypeError("empty file name; give the path of a file")
    return Path(value)


def add_pair_args(p: argparse.ArgumentParser, optional: bool = False) -> None:
    """KO/EN paths plus the options every pair-reading command shares."""
    nargs = "?" if optional else None
    p.add_argument(
        "ko", nargs=nargs, type=path_arg,
        help="Korean document (text, PDF, DOCX, ODT, HWP, HWPX, HTML or EPUB), or one TMX/XLIFF file alone",
    )  # fmt: skip
    p.add_argument("en", nargs=nargs, type=path_arg, help="English document")
    p.add_argument(
        "--presplit", action=argparse.BooleanOptionalAction, default=None,
        help="input has one sentence per line (default: as the pair's saved corrections were made, else no)",
    )  # fmt: skip
    p.add_argument("--model", default=None, help="embedding model from models.lock (default: use-m3)")
    p.add_argument(
        "--no-ocr", action=NoOcr, nargs=0,
        help="never run OCR: a scanned PDF or image is an error, a PDF's scanned pages are left out",
    )  # fmt: skip


class NoOcr(argparse.Action):
    """``--no-ocr``: OCR off for this process and the readers it starts (``aligner serve``'s tabs)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, *_: object) -> None:
        from aligner.ingest.ocr import OCR_ENV

        os.environ[OCR_ENV] = "off"
        setattr(namespace, self.dest, True)


def resolve_pair(args: argparse.Namespace) -> tuple[Path, Path]:
    from aligner.core.paths import sample_paths

    if args.ko is None and args.en is None:
        return sample_paths()
    if args.ko is None or args.en is None:
        raise AlignerError("give both a Korean and an English document, or neither for the KIEP sample")
    from aligner.core.budgets import check_regular

    for path in (args.ko, args.en):  # before any work: a FIFO would block, a device never end
        check_regular(path)
    return args.ko, args.en


def bilingual_arg(args: argparse.Namespace) -> Path | None:
    """The TMX/XLIFF file given alone in place of the two documents, if that is what was given."""
    from aligner.core.budgets import check_regular
    from aligner.ingest.bilingual import bilingual_kind

    if args.ko is not None and args.en is None:
        check_regular(args.ko)  # a FIFO or device given alone: say so, not "the English is missing"
        if bilingual_kind(args.ko):
            return Path(args.ko)
    return None


def open_workspace(args: argparse.Namespace, quiet: bool = False):  # type: ignore[no-untyped-def]
    from aligner.session.workspace import open_bilingual, open_pair

    bilingual = bilingual_arg(args)
    with progress_bar(not quiet) as progress:
        if bilingual is not None:
            ws = open_bilingual(bilingual, model=args.model, progress=progress)
        else:
            ko, en = resolve_pair(args)
            ws = open_pair(ko, en, model=args.model, presplit=args.presplit, progress=progress)
    for line in ws.info:
        stderr.print(Text(f"note: {line}", style="dim"))  # information, never a warning
    for notice in ws.notices + list(ws.alignment.warnings):
        stderr.print(Text(f"warning: {notice}", style="yellow"))
    return ws


def owned_by(
    ko: Path | str | None, en: Path | str | None, project: Path | None = None
) -> tuple[tuple[Path, str], ...]:
    """What ``-o`` must never replace: the documents, the pair's project file, its backup and lock."""
    from aligner.session.project_file import owned_files

    return owned_files(ko, en, project)


def check_output(args: argparse.Namespace) -> None:
    """Refuse a bad ``-o`` at once, before any slow work (``write_output`` checks again)."""
    from aligner.core.output_guard import check_output_path

    if getattr(args, "output", None) is not None:
        bilingual = bilingual_arg(args)
        documents = (bilingual, None) if bilingual is not None else resolve_pair(args)
        check_output_path(args.output, owned_by(*documents))


def write_output(text: str, output: Path | None, what: str, owned: Sequence[tuple[Path, str]] = ()) -> int:
    """``text`` to ``output`` (with a note on stderr) or to stdout.

    ``output`` is never one of the ``owned`` files nor any project file; a
    regular file is replaced atomically, a FIFO or device written through
    (``aligner.core.output_guard``).
    """
    from aligner.export.formats import write_export

    if output:
        write_export(output, text, owned)
        stderr.print(Text(f"wrote {what} to {output}"))
    else:
        write_stdout(text)
    return 0


def workspace_owned(ws) -> tuple[tuple[Path, str], ...]:  # type: ignore[no-untyped-def]
    """``owned_by`` for an open workspace (its documents, after any swap, and its project file)."""
    return owned_by(ws.ko.path, ws.en.path, ws.project_path)


def one_line(message: str) -> str:
    """``message`` as one line, safe for the terminal."""
    return safe_line(" ".join(message.split()))
