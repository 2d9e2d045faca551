"""``aligner eval GOLD TEST [GOLD TEST ...]``: score alignments, print JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import path_arg

    p = sub.add_parser(
        "eval",
        help="score test alignments against gold (Vecalign strict/lax P/R/F1 and omission P/R/F1)",
        description="Pairs of GOLD TEST files in Vecalign format ([0,1]:[2] per line); scores are pooled.",
    )
    p.add_argument("files", nargs="+", type=path_arg, metavar="GOLD TEST", help="gold file, test file, ...")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.align.metrics import read_alignment, score
    from aligner.core.errors import AlignerError

    files: list[Path] = args.files
    if len(files) % 2:
        raise AlignerError("eval needs GOLD TEST pairs (an even number of files)")
    golds = [read_alignment(f) for f in files[0::2]]
    tests = [read_alignment(f) for f in files[1::2]]
    sys.stdout.write(json.dumps(score(golds, tests).as_dict(), indent=2) + "\n")
    return 0
