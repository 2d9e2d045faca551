"""``aligner read``: the side-by-side reader (the bundled KIEP sample without arguments)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser("read", help="open the side-by-side reader (default: the bundled KIEP sample)")
    add_pair_args(p, optional=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import bilingual_arg, open_workspace, resolve_pair
    from aligner.tui.app import create_app

    if bilingual_arg(args) is not None:  # a TMX/XLIFF file: its units are the pairs
        ws = open_workspace(args)
        app = create_app(workspace=ws, project_path=ws.project_path)
    else:
        ko, en = resolve_pair(args)
        app = create_app(ko, en, model=args.model, presplit=args.presplit, remember=True)
    app.run()
    return int(getattr(app, "return_code", 0) or 0)
