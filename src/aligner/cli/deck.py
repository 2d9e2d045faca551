"""``aligner deck``: where the learner's deck is, and what it holds."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("deck", help="where your learning deck (Anki import file) is, and how many notes it holds")
    p.add_argument("--path", action="store_true", help="print only the Anki package's path")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import stdout, write_stdout
    from aligner.session.learner_deck import DECK_NAME, WORD_TAG, deck_path, package_path, read_notes

    path, package = deck_path(), package_path()
    if args.path:
        write_stdout(f"{package}\n")
        return 0
    notes = read_notes(path)
    words = sum(1 for n in notes if WORD_TAG in n[4].split())
    stdout.print(f"deck “{DECK_NAME}”: {package}  (Anki: File → Import)", markup=False, highlight=False)
    stdout.print(f"the notes as text (tab-separated): {path}", markup=False, highlight=False)
    if not path.exists():
        stdout.print("no notes yet: in the reader, H (learner mode) then d saves a pair, D a word", markup=False)
    else:
        stdout.print(f"{len(notes) - words} pairs, {words} words", markup=False)
    return 0
