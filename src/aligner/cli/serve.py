"""``aligner serve [KO EN]``: the same reader in a web browser (textual-serve), on 127.0.0.1.

Each browser tab that connects gets its own ``aligner read`` process for the
pair, so corrections, the remembered position and the caches are the same as
in the terminal.  Only the local machine can connect (``--host`` is 127.0.0.1
unless changed on purpose).
"""

from __future__ import annotations

import argparse
import shlex
import sys

DEFAULT_PORT = 8765


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args

    p = sub.add_parser("serve", help="serve the reader to a web browser on this machine (textual-serve)")
    add_pair_args(p, optional=True)
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
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
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    from aligner.core.errors import AlignerError

    if not 0 < args.port < 65536:
        raise AlignerError(f"--port must be between 1 and 65535, not {args.port}")
    ko, en = (args.ko, args.en)
    for path in (ko, en):
        if path is not None and not path.is_file():
            raise AlignerError(f"{path} does not exist or is not a file")
    from aligner.tui.browser import serve_in_browser

    command = read_command(args)
    print(f"serving the reader on http://{args.host}:{args.port} (ctrl+c stops)", file=sys.stderr, flush=True)
    serve_in_browser(command, args.host, args.port)
    return 0
