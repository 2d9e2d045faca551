"""``aligner book``: the aligned pair as a parallel-text book (EPUB 3 or one web page)."""

from __future__ import annotations

import argparse
from pathlib import Path

from aligner.core.values import Lang
from aligner.export.book.options import BookFormat, Layout, Rest


def add_book_args(p: argparse.ArgumentParser, prefix: str = "") -> None:
    """The book's options (``prefix`` "book-" for ``aligner corpus``, whose other options share names)."""
    p.add_argument(f"--{prefix}format", dest="book_format", choices=list(BookFormat), default=None,
                   help="epub or html (one self-contained page); default: "
                   + ("epub" if prefix else "from the name of -o (.epub, .html)"))
    p.add_argument(f"--{prefix}layout", dest="layout", choices=list(Layout), default=Layout.INTERLEAVED,
                   help="interleaved (default), side-by-side (two columns where the screen allows) or learner "
                   "(the counterpart hidden until tapped)")
    p.add_argument(f"--{prefix}lead", dest="lead", choices=list(Lang), default=Lang.KO,
                   help="the language that comes first and gives the chapters (default: ko)")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser(
        "book", help="write the aligned pair as a bilingual book: EPUB 3 or a self-contained web page",
        description="Each sentence with its counterpart, in the document's own chapters (its headings) and "
        "paragraphs. Corrections made in the reader are included.",
    )
    add_pair_args(p, optional=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="the book to write (.epub or .html)")
    add_book_args(p)
    p.add_argument("--confirmed-only", action="store_true", help="only the pairs a user confirmed")
    p.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="only confirmed pairs and those of confidence X (0-1) or more")
    p.add_argument("--rest", choices=list(Rest), default=Rest.OMIT,
                   help="the pairs those filters do not keep: omit (default) or mark them as unchecked")
    p.add_argument("--glossary", action="store_true",
                   help="add the pair's glossary as an appendix, linked from each term's first use")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.text import Text

    from aligner.cli.common import check_output, open_workspace, progress_bar, stderr, workspace_owned
    from aligner.core.errors import AlignerError
    from aligner.export.book import BookOptions, book_format_for_path, write_book

    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise AlignerError("--min-confidence must be between 0 and 1")
    check_output(args)
    fmt = BookFormat(args.book_format) if args.book_format else book_format_for_path(str(args.output))
    options = BookOptions(
        format=fmt, layout=Layout(args.layout), lead=Lang(args.lead), confirmed_only=args.confirmed_only,
        min_confidence=args.min_confidence, rest=Rest(args.rest),
    )  # fmt: skip
    ws = open_workspace(args)
    terms = []
    if args.glossary:
        from aligner.glossary.build import build_glossary

        with progress_bar() as progress:
            terms = build_glossary(ws.alignment, ws.encoder, progress=progress)
    book = write_book(args.output, ws.alignment, options, terms, workspace_owned(ws))
    shown = len(book.pairs)
    note = f", {book.left_out} left out by the filters" if book.left_out else ""
    marked = sum(p.unchecked for p in book.pairs)
    note += f", {marked} marked unchecked" if marked else ""
    chapters = f"{len(book.chapters)} chapter{'s' if len(book.chapters) != 1 else ''}"
    stderr.print(Text(f"wrote the book ({fmt.value.upper()}, {options.layout.value}: {chapters}, {shown} pairs{note}) "
                      f"to {args.output}"))  # fmt: skip
    return 0
