"""``aligner export``: the aligned pairs, with the user's corrections, as TMX/TSV/JSONL/MD."""

from __future__ import annotations

import argparse
from pathlib import Path

from aligner.export.formats import ExportFormat


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser("export", help="export the aligned pairs (corrections included) for CAT tools")
    add_pair_args(p, optional=True)
    p.add_argument("--format", choices=list(ExportFormat), help="default: from -o's extension, else tmx")
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of stdout")
    p.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="leave out unconfirmed pairs below confidence X (0-1)")
    p.add_argument("--confirmed-only", action="store_true", help="only the pairs a user confirmed")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import check_output, open_workspace, workspace_owned, write_output
    from aligner.core.errors import AlignerError
    from aligner.export.formats import export, format_for_path

    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise AlignerError("--min-confidence must be between 0 and 1")
    check_output(args)
    fmt = args.format or (format_for_path(args.output) if args.output else "tmx")
    ws = open_workspace(args)
    text = export(ws.alignment, fmt, min_confidence=args.min_confidence, confirmed_only=args.confirmed_only)
    return write_output(text, args.output, fmt, workspace_owned(ws))
