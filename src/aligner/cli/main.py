"""Command-line interface: a thin shell over the headless session.

Each subcommand is a module of ``aligner.cli`` listed in ``SUBCOMMAND_MODULES``
that adds itself with ``add_parser(subparsers)``; what they share is
``aligner.cli.common``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from rich.text import Text

import aligner
from aligner.cli.common import ConsoleLogHandler, OneLineParser, one_line, stderr
from aligner.core.errors import AlignerError

SUBCOMMAND_MODULES = (
    "read", "serve", "align", "search", "models", "export", "book", "review", "glossary", "evaluate", "corpus",
    "deck",
)
"""The subcommands, in the order ``aligner --help`` lists them."""


class VersionAction(argparse.Action):
    """``--version``: print ``aligner X.Y.Z`` (the installed package's metadata) and exit.

    argparse's own version action wants the string when the parser is built, which would read the
    package metadata on every run; this one reads it only when ``--version`` is given."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0,
                         help="show aligner's version and exit")

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
        values: object, option_string: str | None = None,
    ) -> None:
        parser._print_message(f"{parser.prog} {aligner.version()}\n", sys.stdout)
        parser.exit()


def build_parser(only: str | None = None) -> OneLineParser:
    """The whole command line; with ``only`` (a subcommand's name), just that subcommand, so
    running one does not import the others (``aligner read`` opens sooner)."""
    parser = OneLineParser(
        prog="aligner", description="A bilingual Korean–English aligned-text reader: align, read, search, export."
    )
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only in SUBCOMMAND_MODULES else SUBCOMMAND_MODULES:
        importlib.import_module(f"aligner.cli.{name}").add_parser(sub)
    return parser


def _log_to_console() -> None:
    logger = logging.getLogger("aligner")
    if not any(isinstance(h, ConsoleLogHandler) for h in logger.handlers):
        logger.addHandler(ConsoleLogHandler())  # and so Python's unfiltered last-resort handler is not used


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)  # help and errors for the rest still list every command
    _log_to_console()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except AlignerError as err:
        stderr.print(Text(f"aligner: error: {one_line(str(err))}", style="red"))
        return 1
    except KeyboardInterrupt:
        stderr.print("aligner: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        detail = f"unexpected {type(err).__name__}: {one_line(str(err))} (ALIGNER_DEBUG=1 shows details)"
        stderr.print(Text(f"aligner: error: {detail}", style="red"))
        return 1


if __name__ == "__main__":
    sys.exit(main())
