"""``aligner glossary``: a bilingual term list learned from the aligned pairs."""

from __future__ import annotations

import argparse
from pathlib import Path

SUFFIX_FORMATS = {".tsv": "tsv", ".txt": "tsv", ".csv": "csv", ".tbx": "tbx", ".xml": "tbx"}


def add_parser(sub: argparse._SubParsersAction) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser(
        "glossary",
        help="learn a Korean–English glossary from the aligned pairs (TSV, CSV, TBX or Anki)",
        description="Pair Korean noun compounds with the English noun phrases used for them, scored by "
        "how consistently they occur in the same aligned pairs and by their embedding similarity, and "
        "ranked by how term-like they are (specific to the document rather than everyday words; whole "
        "terms rather than their parts). Each entry is a term, a proper name or a general word (the "
        "kind column).",
    )
    add_pair_args(p, optional=True)
    p.add_argument(
        "--format",
        choices=["tsv", "csv", "tbx", "anki"],
        help="default: from -o's extension (.tsv .csv .tbx), else tsv",
    )
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of stdout")
    p.add_argument("-n", "--limit", type=int, default=None, metavar="N", help="only the N best pairs")
    p.add_argument("--header", action="store_true", help="TSV/CSV: start with a header line")
    p.add_argument(
        "--min-confidence", type=float, default=None, metavar="X", help="leave out pairs below confidence X (0-1)"
    )
    p.add_argument(
        "--kind",
        action="append",
        choices=["term", "name", "general"],
        help="only entries of this kind (repeatable; default: all — terms, proper names and general words)",
    )
    p.add_argument("--tbx-version", type=int, choices=[2, 3], default=2, help="TBX-Basic v2 (martif) or v3")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import check_output, open_workspace, progress_bar, workspace_owned, write_output
    from aligner.core.errors import AlignerError
    from aligner.export.tbx import render_glossary
    from aligner.glossary.build import build_glossary

    if args.limit is not None and args.limit < 1:
        raise AlignerError("-n must be at least 1")
    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise AlignerError("--min-confidence must be between 0 and 1")
    fmt = args.format or (SUFFIX_FORMATS.get(args.output.suffix.lower(), "tsv") if args.output else "tsv")
    check_output(args)
    ws = open_workspace(args)
    with progress_bar() as progress:
        pairs = build_glossary(ws.alignment, ws.encoder, progress=progress)
    if args.min_confidence is not None:
        pairs = [p for p in pairs if p.confidence >= args.min_confidence]
    if args.kind:
        pairs = [p for p in pairs if p.kind.value in args.kind]
    if args.limit is not None:
        pairs = pairs[: args.limit]
    title = f"Glossary: {ws.ko.path or 'Korean'} / {ws.en.path or 'English'}"
    text = render_glossary(pairs, ws.alignment, fmt, header=args.header, tbx_version=args.tbx_version, title=title)
    return write_output(text, args.output, f"{len(pairs)} term pairs ({fmt})", workspace_owned(ws))
