"""``aligner read``: the side-by-side reader (the bundled KIEP sample without arguments)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args, path_arg

    p = sub.add_parser("read", help="open the side-by-side reader (default: the bundled KIEP sample)")
    add_pair_args(p, optional=True)
    p.add_argument(
        "--docs", nargs="+", type=path_arg, default=[], metavar="FILE|FOLDER",
        help="other documents (any format; a folder: every file in it) whose passages the related pane offers",
    )  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import bilingual_arg, open_workspace, resolve_pair
    from aligner.core.errors import AlignerError

    if bilingual_arg(args) is not None:  # a TMX/XLIFF file: its units are the pairs
        ws = open_workspace(args)
        from aligner.tui.app import create_app

        app = create_app(workspace=ws, project_path=ws.project_path, library=args.docs)
    else:
        from aligner.session.opening import PairReading

        ko, en = resolve_pair(args)
        reading = PairReading(ko, en, model=args.model, presplit=args.presplit)  # while Textual loads
        from aligner.tui.app import create_app

        app = create_app(
            ko, en, model=args.model, presplit=args.presplit, remember=True, reading=reading,
            quit_on_open_error=True, library=args.docs,
        )
    app.run()
    code = int(getattr(app, "return_code", 0) or 0)
    if code and app.load_error:  # a file that cannot be read: one line, as every command says it
        raise AlignerError(app.load_error)
    return code
