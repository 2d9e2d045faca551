"""Cross-lingual search over the KIEP sample: real model, real faiss, real kiwipiepy."""

from __future__ import annotations

import numpy as np

from aligner.core.values import Lang
from aligner.search.index import SentenceIndex

from .conftest import GOLD


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


def test_a_translation_ranks_its_source_first(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    """Over every gold 1-1 pair: the English sentence as query finds its Korean source, and back."""
    from aligner.core.values import Bead

    ws = kiep_workspace
    gold = [Bead.parse(line) for line in (GOLD / "gold.align").read_text().splitlines() if line.strip()]
    pairs = [(b.src[0], b.tgt[0]) for b in gold if len(b.src) == 1 and len(b.tgt) == 1]
    en_to_ko = ko_to_en = 0
    for i, j in pairs:
        top = ws.search(ws.en.sentences[j].text, k=3)[0]
        en_to_ko += i in ws.alignment.beads[top.bead].src
        # the Korean source is the best Korean sentence, not merely in the best pair
        ko_scores, en_scores = ws.searcher.index.scores(ws.encoder.encode_query(ws.en.sentences[j].text))
        en_to_ko += int(ko_scores.argmax()) == i
        top = ws.search(ws.ko.sentences[i].text, k=3)[0]
        ko_to_en += j in ws.alignment.beads[top.bead].tgt
        ko_scores, en_scores = ws.searcher.index.scores(ws.encoder.encode_query(ws.ko.sentences[i].text))
        ko_to_en += int(en_scores.argmax()) == j
    assert len(pairs) == 67
    assert en_to_ko / (2 * len(pairs)) >= 0.95 and ko_to_en / (2 * len(pairs)) >= 0.95, (en_to_ko, ko_to_en)


def test_korean_query_finds_english(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    ws = kiep_workspace
    hits = ws.search("인공지능 개방형 플랫폼", k=3)
    assert len({h.bead for h in hits}) == 3  # one hit per pair
    english = [_bead_text(ws, h.bead)[1].lower() for h in hits]
    assert all("artificial intelligence" in en and "platform" in en for en in english[:2])


def test_literal_and_morpheme_matches_are_labelled(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    hits = kiep_workspace.search("추진하다", k=50)
    morph = [_bead_text(kiep_workspace, h.bead)[0] for h in hits if "morpheme" in h.kinds]
    assert morph, "morpheme-aware search found nothing"
    assert all("추진" in ko for ko in morph)
    forms = {ko[ko.index("추진") : ko.index("추진") + 4] for ko in morph}
    assert len(forms) > 1  # different inflections, e.g. "추진 중이", "추진하고"
    literal = kiep_workspace.search("Hangzhou", k=5)
    assert literal and all("literal" in h.kinds and "Hangzhou" in _bead_text(kiep_workspace, h.bead)[1]
                           for h in literal[:3])


def test_empty_query_returns_nothing(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    assert kiep_workspace.search("   ") == []
