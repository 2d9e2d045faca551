"""``aligner search``: cross-lingual search over an aligned pair, or over a library of
documents (``--docs``), as text or JSON."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from aligner.search.hits import Passage


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args, path_arg, positive_int

    p = sub.add_parser("search", help="cross-lingual search: print the best matching pairs")
    p.add_argument("query")
    add_pair_args(p, optional=True)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-k", type=positive_int, default=5, help="number of results (default 5)")
    p.add_argument(
        "--docs", nargs="+", type=path_arg, metavar="FILE|FOLDER",
        help="search these documents (any format, Korean or English; a folder: every file in it) as passages",
    )  # fmt: skip
    p.add_argument("--no-terms", action="store_true",
                   help="do not look the query up among the document's terms (no glossary is learned: faster)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import open_workspace, stderr, stdout, write_stdout

    if args.docs:
        return run_library(args)

    ws = open_workspace(args, quiet=args.json)
    if not args.no_terms:
        from aligner.session.concept_search import with_concepts
        from aligner.session.glossary_cache import GlossaryCache

        with_concepts(ws, GlossaryCache())
    hits = ws.search(args.query, k=args.k)
    if args.json:
        rows = []
        for h in hits:
            ko, en = ws.alignment.texts(h.bead)
            rows.append({
                "lang": h.lang.value, "sentence": h.sentence, "bead": h.bead, "score": round(h.score, 4),
                "kinds": list(h.kinds), "why": h.why, "terms": list(h.terms), "text": h.text,
                "ko": ko, "en": en,
            })  # fmt: skip
        write_stdout(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not hits:
        stderr.print("no match")
        return 1
    for rank, h in enumerate(hits, 1):
        bead = ws.alignment.beads[h.bead]
        ko = " ".join(ws.ko.sentences[i].text for i in bead.src) or "—"
        en = " ".join(ws.en.sentences[j].text for j in bead.tgt) or "—"
        head = Text(f"{rank:>2}. {h.score:.3f} bead {h.bead}: {h.why}", style="bold")
        stdout.print(head)
        stdout.print(Text("    KO ", style="cyan") + Text(ko))
        stdout.print(Text("    EN ", style="green") + Text(en))
    return 0


def run_library(args: argparse.Namespace) -> int:
    """``--docs``: the best passages of the library (with KO and EN, if given, among its documents)."""
    from aligner.cli.common import progress_bar, stderr, stdout, write_stdout
    from aligner.session.library import open_library

    paths = [*(p for p in (args.ko, args.en) if p is not None), *args.docs]
    translations: list[tuple[str, str]] = []
    if args.ko is not None and args.en is not None:  # a pair: its glossary carries the query across languages
        translations = pair_translations(args)
    with progress_bar(not args.json) as progress:
        opened = open_library(paths, model=args.model, progress=progress)
    for notice in opened.notices:
        stderr.print(Text(f"warning: {notice}", style="yellow"))
    passages = opened.library.search(args.query, k=args.k, translations=translations)
    if args.json:
        write_stdout(json.dumps([p.as_json() for p in passages], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not passages:
        stderr.print("no match")
        return 1
    by_source: dict[str, list[tuple[int, Passage]]] = {}
    for rank, passage in enumerate(passages, 1):
        by_source.setdefault(passage.path, []).append((rank, passage))
    for path, found in by_source.items():  # grouped by document, in the order of each one's best passage
        stdout.print(Text(path, style="bold underline"))
        for rank, passage in found:
            head = Text(f"{rank:>2}. {passage.score:.3f} {passage.label:<18} {passage.location}", style="bold")
            stdout.print(head)
            stdout.print(Text(f"    {passage.lang.value.upper()} ", style="cyan") + Text(passage.text))
    return 0


def pair_translations(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The glossary entries of the pair KO EN that the query names (``session.library.glossary_translations``)."""
    from aligner.cli.common import open_workspace, progress_bar, stderr
    from aligner.glossary.build import build_glossary
    from aligner.session.library import glossary_translations

    ws = open_workspace(args, quiet=args.json)
    with progress_bar(not args.json) as progress:
        pairs = build_glossary(ws.alignment, ws.encoder, progress=progress)
    found = glossary_translations(args.query, pairs)
    if found and not args.json:
        stderr.print(Text("glossary: " + "; ".join(f"{t} → {tr}" for t, tr in found), style="dim"))
    return found
