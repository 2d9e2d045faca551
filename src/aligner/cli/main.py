"""Command-line interface: a thin shell over the headless pipeline.

Built-in commands live here (align, read, search, models); every module in
``SUBCOMMAND_MODULES`` (``aligner.cli.<name>``) adds one more with ``add_parser(subparsers)``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from aligner import __version__
from aligner.core.errors import AlignerError
from aligner.core.values import Progress as ProgressFn
from aligner.export.formats import ExportFormat

stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)


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


SUBCOMMAND_MODULES = ("export", "review", "glossary", "evaluate", "serve")
"""Subcommands with a module of their own in ``aligner.cli``."""


def add_pair_args(p: argparse.ArgumentParser, optional: bool = False) -> None:
    """KO/EN paths plus the options every pair-reading command shares."""
    nargs = "?" if optional else None
    p.add_argument("ko", nargs=nargs, type=Path, help="Korean document (UTF-8 or CP949 text)")
    p.add_argument("en", nargs=nargs, type=Path, help="English document")
    p.add_argument("--presplit", action="store_true", help="input has one sentence per line")
    p.add_argument("--model", default=None, help="embedding model from models.lock (default: use-m3)")


def resolve_pair(args: argparse.Namespace) -> tuple[Path, Path]:
    from aligner.core.paths import sample_paths

    if args.ko is None and args.en is None:
        return sample_paths()
    if args.ko is None or args.en is None:
        raise AlignerError("give both a Korean and an English document, or neither for the KIEP sample")
    return args.ko, args.en


def open_workspace(args: argparse.Namespace, quiet: bool = False):  # type: ignore[no-untyped-def]
    from aligner.session.workspace import open_pair

    ko, en = resolve_pair(args)
    with progress_bar(not quiet) as progress:
        ws = open_pair(ko, en, model=args.model, presplit=args.presplit, progress=progress)
    for notice in ws.notices + list(ws.alignment.warnings):
        stderr.print(Text(f"warning: {notice}", style="yellow"))
    return ws


def write_output(text: str, output: Path | None, what: str) -> int:
    """``text`` to ``output`` (atomically, with a note on stderr) or to stdout."""
    from aligner.export.formats import write_export

    if output:
        write_export(output, text)
        stderr.print(Text(f"wrote {what} to {output}"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    from aligner.export.formats import export

    ws = open_workspace(args)
    return write_output(export(ws.alignment, args.format), args.output, f"{len(ws.alignment.beads)} beads")


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
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
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

    ko, en = resolve_pair(args)
    app = create_app(ko, en, model=args.model, presplit=args.presplit, remember=True)
    app.run()
    return int(getattr(app, "return_code", 0) or 0)


def cmd_models(args: argparse.Namespace) -> int:
    from aligner.cli.models import run_models

    return run_models(args)


def one_line(message: str) -> str:
    return " ".join(message.split())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    p.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("models", help="list, verify or download the models pinned in models.lock")
    p.add_argument("action", choices=["list", "verify", "fetch"], nargs="?", default="list")
    p.add_argument("names", nargs="*", help="models (default: all)")
    p.set_defaults(func=cmd_models)

    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"aligner.cli.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
