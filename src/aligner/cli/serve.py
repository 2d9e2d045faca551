"""``aligner serve [KO EN] [--docs …]``: the same reader in a web browser (textual-serve), on 127.0.0.1.

Each browser tab that connects gets its own ``aligner read`` process for the
pair (with ``--docs``, the same library and its related pane), so corrections,
the remembered position and the caches are the same as in the terminal.  Only
the holder of the printed link (its token is drawn anew at every start) can
open the reader, and only on this machine: an address that is not loopback is
refused unless ``--allow-remote`` is given, and then warned about.
"""

from __future__ import annotations

import argparse
import shlex
import sys

DEFAULT_PORT = 8765


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args, path_arg

    p = sub.add_parser("serve", help="serve the reader to a web browser on this machine (textual-serve)")
    add_pair_args(p, optional=True)
    p.add_argument(
        "--docs", nargs="+", type=path_arg, default=[], metavar="FILE|FOLDER",
        help="other documents (any format; a folder: every file in it) whose passages the related pane offers",
    )  # fmt: skip
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a --host other machines reach (anyone with the link may then edit and write files)")
    p.set_defaults(func=run)


def read_command(args: argparse.Namespace) -> str:
    """The shell command each browser session runs: this Python's ``aligner read`` for the pair."""
    from aligner.cli.common import resolve_pair

    ko, en = resolve_pair(args)
    parts = [sys.executable, "-m", "aligner", "read", str(ko.resolve()), str(en.resolve())]
    if args.presplit is not None:
        parts.append("--presplit" if args.presplit else "--no-presplit")
    if args.model:
        parts += ["--model", args.model]
    if args.docs:
        parts += ["--docs", *(str(p.resolve()) for p in args.docs)]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    from aligner.core.errors import AlignerError

    if not 0 < args.port < 65536:
        raise AlignerError(f"--port must be between 1 and 65535, not {args.port}")
    ko, en = (args.ko, args.en)
    for path in (ko, en):
        if path is not None and not path.is_file():
            raise AlignerError(f"{path} does not exist or is not a file")
    if args.docs:  # said here, once, rather than in every tab
        from aligner.session.library import library_files

        library_files(args.docs)
    from aligner.tui.browser import is_loopback, new_token, serve_in_browser

    if not is_loopback(args.host):
        if not args.allow_remote:
            raise AlignerError(
                f"refusing to serve on {args.host}: other machines could reach the reader; "
                "pass --allow-remote to mean it, or use --host 127.0.0.1"
            )
        print(
            f"WARNING: serving on {args.host}, which other machines can reach. Anyone who has the link can read "
            "the pair, edit it and write files as you; the link is not encrypted (plain HTTP).",
            file=sys.stderr,
            flush=True,
        )
    command = read_command(args)
    serve_in_browser(command, args.host, args.port, new_token())
    return 0
