"""``aligner review KO EN``: the beads to check first: suspicious, then check, then confident
(the bands of ``aligner.session.review``), lowest confidence first within a band."""

from __future__ import annotations

import argparse
import sys

from aligner.core.terminal import safe_line


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser("review", help="list alignment beads most-suspicious first (omissions included)")
    add_pair_args(p, optional=True)
    p.add_argument("-n", type=int, default=20, metavar="N", help="how many beads to list (default 20, 0 = all)")
    p.set_defaults(func=run)


def _side(ids: tuple[int, ...], texts: list[str]) -> str:
    if not ids:
        return "—"
    return safe_line(" ".join(texts[i] for i in ids))  # human-readable: always filtered


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import open_workspace
    from aligner.core.errors import AlignerError
    from aligner.session.review import review_order, status_label

    if args.n < 0:
        raise AlignerError("-n must be 0 or more")
    ws = open_workspace(args, quiet=True)
    ko, en = ws.ko.texts, ws.en.texts
    out = sys.stdout
    items = review_order(ws.alignment.beads, args.n or None)
    if not items:
        beads = ws.alignment.beads
        out.write(f"nothing to review: all {len(beads)} pairs are confirmed\n")
        return 0
    for item in items:
        b = item.bead
        label = {"1-0": "untranslated", "0-1": "no source"}.get(b.kind.value, b.shape)
        out.write(f"{item.position + 1:>5}  {status_label(b):<16} {label:<12} {b.vecalign()}\n")
        out.write(f"       ko: {_side(b.src, ko)}\n       en: {_side(b.tgt, en)}\n\n")
    return 0
