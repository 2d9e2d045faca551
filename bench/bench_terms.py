"""Term search across languages on the KIEP sample: before and after concept search.

For each term pair below (chosen by hand from the report; the English is how the
summary renders the Korean term, or, for 원격진료, the usual English word the
summary never uses), the pairs "using the term" on one side are those whose
Korean (resp. English) side contains it (``aligner.glossary.concordance``: Korean
morpheme-aware, English whole words with plurals). A search for the term in the
*other* language (top 20, as the reader asks) should return them. The share it
returns is printed for the plain searcher (meaning, exact, word form) and for the
searcher that also looks the query up among the document's terms and their
glossary translations (``aligner.session.concept_search``), in the same run.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TERM_PAIRS = [
    ("인공지능", "artificial intelligence"),
    ("스마트시티", "smart city"),
    ("스마트 헬스케어", "smart healthcare"),
    ("생태계", "ecosystem"),
    ("지방정부", "local government"),
    ("테스트베드", "test bed"),
    ("4차 산업혁명", "4th Industrial Revolution"),
    ("인터넷융합", "Internet convergence"),
    ("정보통신기술", "ICT"),
    ("규제 완화", "deregulation"),
    ("온라인 진료", "online medical treatment"),
    ("인터넷 병원", "Internet hospital"),
    ("의료서비스", "medical service"),
    ("공공서비스", "public services"),
    ("산업고도화", "industrial advancement"),
    ("자율주행", "autonomous driving"),
    ("빅데이터", "big data"),
    ("원격진료", "telemedicine"),
]
K = 20


def main() -> int:
    from aligner.core.paths import sample_paths
    from aligner.core.values import Lang
    from aligner.glossary.concordance import concordance
    from aligner.session.concept_search import with_concepts
    from aligner.session.glossary_cache import GlossaryCache
    from aligner.session.workspace import open_pair

    ws = open_pair(*sample_paths(), use_project=False)
    ws.searcher.prepare()
    plain = replace(ws)
    t = time.perf_counter()
    terms = with_concepts(replace(ws), GlossaryCache())
    learned_s = time.perf_counter() - t
    rows = []
    totals = {"before": [0, 0], "after": [0, 0]}
    for ko, en in TERM_PAIRS:
        cells = []
        for gold_term, gold_lang, query in ((ko, Lang.KO, en), (en, Lang.EN, ko)):
            gold = {line.bead for line in concordance(ws.alignment, gold_term, gold_lang)}
            for name, searcher_ws in (("before", plain), ("after", terms)):
                found = {h.bead for h in searcher_ws.search(query, K)} & gold
                totals[name][0] += len(found)
                totals[name][1] += len(gold)
                cells.append(f"{len(found)}/{len(gold)}" if gold else "–")
        rows.append(f"| {ko} | {en} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
    print("## Term search across languages (KIEP sample)\n")
    print(f"A search in one language for a term of the report: how many of the pairs whose *other* side uses "
          f"the term are in the top {K}. Before = meaning + exact + word form; after = also through the "
          f"document's terms and the pair's glossary (learned in {learned_s:.1f} s, embeddings warm).\n")
    print("| Korean term | English term | EN query → KO pairs, before | after | KO query → EN pairs, before | after |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    b, a = totals["before"], totals["after"]
    print(f"| **all** | | **{b[0]}/{b[1]} = {b[0] / max(1, b[1]):.2f}** (both directions) | "
          f"**{a[0]}/{a[1]} = {a[0] / max(1, a[1]):.2f}** | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
