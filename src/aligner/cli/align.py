"""``aligner align``: align two documents and print (or write) the pairs."""

from __future__ import annotations

import argparse
from pathlib import Path

from aligner.export.formats import ExportFormat


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser("align", help="align two documents and print the pairs")
    add_pair_args(p)
    p.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    p.add_argument("--format", default=ExportFormat.BEADS.value, choices=list(ExportFormat))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import check_output, open_workspace, workspace_owned, write_output
    from aligner.export.formats import export

    check_output(args)
    ws = open_workspace(args)
    text = export(ws.alignment, args.format)
    return write_output(text, args.output, f"{len(ws.alignment.beads)} beads", workspace_owned(ws))
