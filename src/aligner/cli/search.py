"""``aligner search``: cross-lingual search over an aligned pair, as text or JSON."""

from __future__ import annotations

import argparse
import json

from rich.text import Text


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from aligner.cli.common import add_pair_args, positive_int

    p = sub.add_parser("search", help="cross-lingual search: print the best matching pairs")
    p.add_argument("query")
    add_pair_args(p, optional=True)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-k", type=positive_int, default=5, help="number of results (default 5)")
    p.add_argument("--no-terms", action="store_true",
                   help="do not look the query up among the document's terms (no glossary is learned: faster)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aligner.cli.common import open_workspace, stderr, stdout, write_stdout

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
