"""Command-line interface: a thin shell over the headless pipeline.

Built-in commands live here (align, read, search, models); every module in
``SUBCOMMAND_MODULES`` (``aligner.cli.<name>``) adds one more with ``add_parser(subparsers)``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from aligner import __version__
from aligner.core.errors import AlignerError
from aligner.core.terminal import safe_console, safe_line, safe_text
from aligner.core.values import Progress as ProgressFn
from aligner.export.formats import ExportFormat

stderr = safe_console(stderr=True, highlight=False, soft_wrap=True)
stdout = safe_console(highlight=False, soft_wrap=True)
"""Both consoles filter control characters out of what they print (``core.terminal``)."""


def write_stdout(text: str) -> None:
    """Machine-readable output: exact when piped, control characters filtered on a terminal."""
    sys.stdout.write(safe_text(text) if sys.stdout.isatty() else text)


class _ConsoleLogHandler(logging.Handler):
    """aligner's log warnings, as one filtered ``warning:`` line each on stderr, each told once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.told: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = one_line(record.getMessage())
        if line not in self.told:
            self.told.add(line)
            stderr.print(Text(f"warning: {line}", style="yellow"))


class _Parser(argparse.ArgumentParser):
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


SUBCOMMAND_MODULES = ("export", "review", "glossary", "evaluate", "corpus")
"""Subcommands with a module of their own in ``aligner.cli``."""


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
    p.add_argument("--presplit", action="store_true", help="input has one sentence per line")
    p.add_argument("--model", default=None, help="embedding model from models.lock (default: use-m3)")


def resolve_pair(args: argparse.Namespace) -> tuple[Path, Path]:
    from aligner.core.paths import sample_paths

    if args.ko is None and args.en is None:
        return sample_paths()
    if args.ko is None or args.en is None:
        raise AlignerError("give both a Korean and an English document, or neither for the KIEP sample")
    return args.ko, args.en


def bilingual_arg(args: argparse.Namespace) -> Path | None:
    """The TMX/XLIFF file given alone in place of the two documents, if that is what was given."""
    from aligner.ingest.bilingual import bilingual_kind

    if args.ko is not None and args.en is None and bilingual_kind(args.ko):
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


def cmd_align(args: argparse.Namespace) -> int:
    from aligner.export.formats import export

    check_output(args)
    ws = open_workspace(args)
    text = export(ws.alignment, args.format)
    return write_output(text, args.output, f"{len(ws.alignment.beads)} beads", workspace_owned(ws))


def cmd_search(args: argparse.Namespace) -> int:
    ws = open_workspace(args, quiet=args.json)
    hits = ws.search(args.query, k=args.k)
    if args.json:
        rows = []
        for h in hits:
            bead = ws.alignment.beads[h.bead]
            rows.append({
                "lang": h.lang.value, "sentence": h.sentence, "bead": h.bead, "score": round(h.score, 4),
                "kinds": list(h.kinds), "text": h.text,
                "ko": " ".join(ws.ko.sentences[i].text for i in bead.src),
                "en": " ".join(ws.en.sentences[j].text for j in bead.tgt),
            })
        write_stdout(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not hits:
        stderr.print("no match")
        return 1
    for rank, h in enumerate(hits, 1):
        bead = ws.alignment.beads[h.bead]
        ko = " ".join(ws.ko.sentences[i].text for i in bead.src) or "—"
        en = " ".join(ws.en.sentences[j].text for j in bead.tgt) or "—"
        head = Text(f"{rank:>2}. {h.score:.3f} {h.label:<18} bead {h.bead} ", style="bold")
        stdout.print(head)
        stdout.print(Text("    KO ", style="cyan") + Text(ko))
        stdout.print(Text("    EN ", style="green") + Text(en))
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    from aligner.tui.app import create_app

    if bilingual_arg(args) is not None:  # a TMX/XLIFF file: its units are the pairs
        ws = open_workspace(args)
        app = create_app(workspace=ws, project_path=ws.project_path)
        app.run()
        return int(getattr(app, "return_code", 0) or 0)
    ko, en = resolve_pair(args)
    app = create_app(ko, en, model=args.model, presplit=args.presplit)
    app.run()
    return int(getattr(app, "return_code", 0) or 0)


def cmd_models(args: argparse.Namespace) -> int:
    from aligner.cli.models import run_models

    return run_models(args)


def one_line(message: str) -> str:
    """``message`` as one line, safe for the terminal."""
    return safe_line(" ".join(message.split()))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aligner", description="A bilingual Korean–English aligned-text reader: align, read, search, export."
    )
    parser.add_argument("--version", action="version", version=f"aligner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("align", help="align two documents and print the pairs")
    add_pair_args(p)
    p.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    p.add_argument("--format", default=ExportFormat.BEADS.value, choices=list(ExportFormat))
    p.set_defaults(func=cmd_align)

    p = sub.add_parser("read", help="open the side-by-side reader (default: the bundled KIEP sample)")
    add_pair_args(p, optional=True)
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("search", help="cross-lingual search: print the best matching pairs")
    p.add_argument("query")
    add_pair_args(p, optional=True)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-k", type=positive_int, default=5, help="number of results (default 5)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("models", help="list, verify or download the models pinned in models.lock")
    p.add_argument("action", choices=["list", "verify", "fetch"], nargs="?", default="list")
    p.add_argument("names", nargs="*", help="models (default: all)")
    p.set_defaults(func=cmd_models)

    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"aligner.cli.{name}").add_parser(sub)
    return parser


def _log_to_console() -> None:
    logger = logging.getLogger("aligner")
    if not any(isinstance(h, _ConsoleLogHandler) for h in logger.handlers):
        logger.addHandler(_ConsoleLogHandler())  # and so Python's unfiltered last-resort handler is not used


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    _log_to_console()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except AlignerError as err:
        stderr.print(Text(f"aligner: error: {one_line(str(err))}", style="red"))
        return 1
    except KeyboardInterrupt:
        stderr.print("aligner: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        detail = f"unexpected {type(err).__name__}: {one_line(str(err))} (ALIGNER_DEBUG=1 shows details)"
        stderr.print(Text(f"aligner: error: {detail}", style="red"))
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
