"""Concept search: a query reaches the document's terms and, through the pair's glossary,
the sentences of the other language that use their translation (issue 22, finding 1)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from aligner.core.values import Lang
from aligner.search.concepts import Concept, ConceptIndex, TermHow, occurrences, squeeze
from aligner.search.hits import HitKind
from aligner.search.searcher import english_stem_sequence
from aligner.session.concept_search import concepts_of, with_concepts
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace

from .conftest import DATA, ROOT


@pytest.fixture(scope="module")
def concept_workspace(kiep_workspace: Workspace) -> Workspace:
    """The sample with its glossary's terms handed to the searcher (a copy: other tests keep theirs)."""
    from dataclasses import replace

    ws = replace(kiep_workspace)
    return with_concepts(ws, GlossaryCache())


def _beads_with(ws: Workspace, term: str, lang: Lang) -> set[int]:
    from aligner.glossary.concordance import concordance

    return {line.bead for line in concordance(ws.alignment, term, lang)}


def test_an_english_term_reaches_the_korean_sentences_of_its_rendering(concept_workspace: Workspace) -> None:
    hits = concept_workspace.search("information and communication technology", k=20)
    wanted = _beads_with(concept_workspace, "정보통신기술", Lang.KO)
    assert wanted
    found = {h.bead: h for h in hits}
    assert wanted <= found.keys()
    for b in wanted:  # and they say why: the term and its translation
        assert HitKind.CONCEPT in found[b].kinds
        assert any("정보통신기술" in t for t in found[b].terms)
        assert "정보통신기술" in found[b].why


def test_another_korean_word_for_the_concept_finds_it(concept_workspace: Workspace) -> None:
    """"원격의료" is not in the text; "원격진료" is."""
    hits = concept_workspace.search("원격의료", k=20)
    assert any("원격진료" in h.ko for h in hits)
    hit = next(h for h in hits if "원격진료" in h.ko)
    assert hit.terms == ("원격진료",) and hit.why == "term (원격진료)"
    assert "원격진료" in hit.marks  # highlighted in the reader


def test_telemedicine_reaches_the_sentence_about_원격진료(concept_workspace: Workspace) -> None:
    hits = concept_workspace.search("telemedicine", k=20)
    assert any("원격진료" in h.ko for h in hits)


def test_without_the_glossary_the_same_queries_miss(kiep_workspace: Workspace) -> None:
    """The searcher alone (today's search) misses them: the glossary is what finds them."""
    assert not any("원격진료" in h.ko for h in kiep_workspace.search("원격의료", k=20))
    plain = {h.bead for h in kiep_workspace.search("information and communication technology", k=20)}
    assert not _beads_with(kiep_workspace, "정보통신기술", Lang.KO) <= plain


def test_a_korean_term_reaches_english_sentences_using_its_translation(concept_workspace: Workspace) -> None:
    hits = concept_workspace.search("온라인 진료", k=20)
    english = [h for h in hits if "online medical treatment" in h.en]
    assert english and all(HitKind.CONCEPT in h.kinds for h in english)


def test_term_matching_rules() -> None:
    """Exact (spaces and case ignored), English word forms, meaning; one entry once."""
    entries = ConceptIndex.entries([Concept("스마트시티", "smart city"), Concept("원격진료", "")])
    assert ("smart city", Lang.EN, "스마트시티") in entries and ("원격진료", Lang.KO, "") in entries
    vecs = np.eye(len(entries), 4, dtype=np.float32)
    index = ConceptIndex(entries, vecs, english_stem_sequence)
    far = np.zeros(4, np.float32)
    assert [m.how for m in index.match("스마트 시티", far)] == [TermHow.EXACT]
    match = index.match("Smart Cities", far)
    assert [(m.label, m.how) for m in match] == [("스마트시티 ⇄ smart city", TermHow.WORD_FORM)]
    near = vecs[entries.index(("원격진료", Lang.KO, ""))]
    assert [(m.term, m.how) for m in index.match("telemedicine", near)] == [("원격진료", TermHow.MEANING)]
    assert squeeze("Smart-City") == "smartcity"
    texts = ["Internet hospitals opened.", "The Internet has hospitals."]
    seqs = [english_stem_sequence(t) for t in texts]
    assert occurrences("Internet hospital", Lang.EN, [], seqs, english_stem_sequence) == {0}
    assert occurrences("온라인 진료", Lang.KO, [squeeze("온라인진료 확대")], [], english_stem_sequence) == {0}


def test_concepts_keep_unpaired_terms() -> None:
    from aligner.glossary.build import LearnedGlossary, TermPair

    pair = TermPair("규제 완화", "deregulation", 1, 0.5, 0)
    learned = LearnedGlossary((pair,), ("규제 완화", "원격진료"), ("pilot",))
    assert concepts_of(learned) == [Concept("규제 완화", "deregulation"), Concept("원격진료", ""), Concept("", "pilot")]


@pytest.mark.slow
def test_cli_search_says_why(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [sys.executable, "-m", "aligner", "search", "원격의료", str(DATA / "kiep_ko.txt"), str(DATA / "kiep_en.txt"),
         "--json", "-k", "10"],
        capture_output=True, text=True, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )  # fmt: skip
    rows = json.loads(out.stdout)
    row = next(r for r in rows if "원격진료" in r["ko"])
    assert "concept" in row["kinds"] and row["terms"] == ["원격진료"]
