"""Cross-lingual search over the KIEP sample: real model, real faiss, real kiwipiepy."""

from __future__ import annotations

import numpy as np

from aligner.index import SentenceIndex
from aligner.model import Lang


def _bead_text(ws, bead_index: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    bead = ws.alignment.beads[bead_index]
    return (
        " ".join(ws.ko.sentences[i].text for i in bead.src),
        " ".join(ws.en.sentences[j].text for j in bead.tgt),
    )


def test_index_returns_nearest_of_both_languages() -> None:
    rng = np.random.default_rng(0)
    ko = rng.normal(size=(5, 8)).astype(np.float32)
    en = rng.normal(size=(3, 8)).astype(np.float32)
    ko /= np.linalg.norm(ko, axis=1, keepdims=True)
    en /= np.linalg.norm(en, axis=1, keepdims=True)
    index = SentenceIndex(ko, en)
    assert len(index) == 8
    top = index.search(en[2], k=1)[0]
    assert (top.lang, top.sentence) == (Lang.EN, 2)
    assert abs(top.score - 1.0) < 1e-5
    ko_scores, en_scores = index.scores(ko[4])
    assert ko_scores.shape == (5,) and en_scores.shape == (3,)
    assert np.isclose(ko_scores[4], 1.0, atol=1e-5)
    assert np.allclose(en_scores, en @ ko[4], atol=1e-5)


def test_smart_city_in_both_languages_reaches_hangzhou(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    for query in ("smart city", "스마트시티"):
        hits = kiep_workspace.search(query, k=10)
        assert hits, query
        texts = [_bead_text(kiep_workspace, h.bead) for h in hits]
        assert any("항저우" in ko and "Hangzhou" in en for ko, en in texts), query


def test_english_translation_ranks_its_korean_source_first(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    ws = kiep_workspace
    checked = 0
    for bead in ws.alignment.beads:
        if len(bead.src) == 1 and len(bead.tgt) == 1 and bead.confidence > 0.9:
            query = ws.en.sentences[bead.tgt[0]].text
            ko_hits = [h for h in ws.search(query, k=20) if h.lang is Lang.KO]
            assert ko_hits[0].sentence == bead.src[0], query
            checked += 1
        if checked == 8:
            break
    assert checked == 8


def test_korean_query_finds_english(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    hits = kiep_workspace.search("인공지능 개방형 플랫폼", k=10)
    en_hits = [h for h in hits if h.lang is Lang.EN]
    assert en_hits and "semantic" in en_hits[0].kinds
    assert "artificial intelligence" in en_hits[0].text.lower() or "AI" in en_hits[0].text


def test_literal_and_morpheme_matches_are_labelled(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    hits = kiep_workspace.search("추진하다", k=50)
    morph = [h for h in hits if "morpheme" in h.kinds]
    assert morph, "morpheme-aware search found nothing"
    assert all(h.lang is Lang.KO and "추진" in h.text for h in morph)
    forms = {h.text[h.text.index("추진") : h.text.index("추진") + 4] for h in morph}
    assert len(forms) > 1  # different inflections, e.g. "추진 중이", "추진하고"
    literal = kiep_workspace.search("Hangzhou", k=5)
    assert literal and all("literal" in h.kinds and "Hangzhou" in h.text for h in literal[:3])


def test_empty_query_returns_nothing(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    assert kiep_workspace.search("   ") == []
