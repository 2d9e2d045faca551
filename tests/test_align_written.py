"""Texts written for the tests, with their gold: a subtitled talk (audience cues on both sides are
pairs of their own, and prose splits around them) and a wire story (a weak lead behind its dateline
stays a pair of its own).

Real model and kiwipiepy on ``tests/data/talk`` and ``tests/data/news``; the bead rule alone on ids.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.align.documents import align_documents
from aligner.align.metrics import read_alignment
from aligner.align.units import split_notes
from aligner.core.values import Bead, Lang
from aligner.segment.sentences import segment

TALK = Path(__file__).parent / "data" / "talk"
NEWS = Path(__file__).parent / "data" / "news"


def _gold(folder: Path = TALK) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(b.src, b.tgt) for b in read_alignment(folder / "gold.align")}


def _prose(name: str) -> str:
    """The file's sentences as running paragraphs, the way a transcript is published."""
    paragraphs = (TALK / name).read_text(encoding="utf-8").split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")).strip() for p in paragraphs) + "\n"


def test_a_cue_between_sentences_is_a_sentence_of_its_own() -> None:
    en = segment("It was a long month. (Laughter) Yeah, you can laugh. (Applause) Thank you.", Lang.EN)
    assert en.texts == ["It was a long month.", "(Laughter)", "Yeah, you can laugh.", "(Applause)", "Thank you."]
    ko = segment("한 달 동안 살아 보기로 한 거죠. (웃음) 네, 웃으실 만하죠. (박수) 감사합니다.", Lang.KO)
    assert ko.texts == ["한 달 동안 살아 보기로 한 거죠.", "(웃음)", "네, 웃으실 만하죠.", "(박수)", "감사합니다."]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("It was fun (Laughter) and then we left.", Lang.EN),  # inside a sentence
        ("The rate rose (see Table 3). It fell.", Lang.EN),
        ("(서울=연합뉴스) 김철수 기자 = 정부는 오늘 발표했다.", Lang.KO),  # a news dateline
        ("(2) 둘째, 규제를 완화한다.", Lang.KO),  # a list item
        ("The aims are set out first. (1.2) Background of the study.", Lang.EN),  # a numbered section
    ],
)
def test_brackets_that_are_not_cues_stay_in_their_sentence(text: str, lang: Lang) -> None:
    assert not any(s.startswith("(") and s.endswith(")") for s in segment(text, lang).texts)


def test_notes_at_the_end_of_a_bead_on_both_sides_are_split_off_unless_the_user_made_it() -> None:
    src = ["네, 웃으실 만하죠.", "(웃음)", "감사합니다."]
    tgt = ["Yeah, you can laugh.", "(Laughter)", "Thank you."]
    beads = (Bead((0, 1), (0, 1), 0.9), Bead((2,), (2,)))
    assert [b.vecalign() for b in split_notes(beads, src, tgt)] == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    mine = (Bead((0, 1), (0, 1), confirmed=True), Bead((2,), (2,)))
    assert split_notes(mine, src, tgt) == mine
    one_sided = (Bead((0, 1), (0,)), Bead((2,), (1, 2)))
    assert split_notes(one_sided, src, tgt) == one_sided


@pytest.mark.parametrize("prose", [False, True], ids=["one-sentence-a-line", "running-transcript"])
def test_the_talk_aligns_as_its_gold_with_every_cue_paired(encoder, prose: bool) -> None:  # type: ignore[no-untyped-def]
    if prose:
        ko, en = segment(_prose("ko.txt"), Lang.KO), segment(_prose("en.txt"), Lang.EN)
    else:
        ko = segment((TALK / "ko.txt").read_text(encoding="utf-8"), Lang.KO, presplit=True)
        en = segment((TALK / "en.txt").read_text(encoding="utf-8"), Lang.EN, presplit=True)
    lines = [x for x in (TALK / "ko.txt").read_text(encoding="utf-8").splitlines() if x]
    assert list(ko.texts) == lines  # the splitters find the talk's own sentences
    beads = align_documents(ko, en, encoder)
    cues = [b for b in beads if any(ko.texts[i].startswith("(") for i in b.src)]
    assert len(cues) == 6 and all(len(b.src) == len(b.tgt) == 1 for b in cues)
    assert not [b.vecalign() for b in beads if not (b.src and b.tgt)]
    assert {(b.src, b.tgt) for b in beads} == _gold()


def test_a_weak_lead_behind_its_dateline_is_not_merged_with_the_next_pair(encoder) -> None:  # type: ignore[no-untyped-def]
    """The lead matches its English at cosine 0.53 (the datelines differ), the next pair at 0.64, the
    crossed pairs at 0.13 and 0.23: two 1-1 beads, not one 2-2 that matches like the strong pair."""
    ko = segment((NEWS / "ko.txt").read_text(encoding="utf-8"), Lang.KO, presplit=True)
    en = segment((NEWS / "en.txt").read_text(encoding="utf-8"), Lang.EN, presplit=True)
    beads = align_documents(ko, en, encoder)
    assert [b.vecalign() for b in beads[1:3]] == ["[1]:[1]", "[2]:[2]"]
    assert {(b.src, b.tgt) for b in beads} == _gold(NEWS)  # the e-mail line is the one 1-0
