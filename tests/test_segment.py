"""Segmentation with real kiwipiepy: gold sentence lists, offsets, repairs, edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.core.errors import InputError
from aligner.core.values import Document, Lang
from aligner.ingest.mapped_text import normalize_chars, repair_markdown
from aligner.segment.english import split_en
from aligner.segment.sentences import MAX_SENTENCE_CHARS, load_document, segment
from tests.conftest import GOLD

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def ws(s: str) -> str:
    return " ".join(s.split())


def gold_lines(name: str) -> list[str]:
    return [ws(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def source_text(doc: Document, i: int) -> str:
    """The sentence's source span, normalised the way the segmenter cleans text."""
    s = doc.sentences[i]
    piece = repair_markdown(normalize_chars(doc.source[s.start : s.end])).text
    if s.heading:
        piece = re.sub(r"^#+\s+", "", piece.strip())
    return ws(piece)


@pytest.fixture(scope="module")
def ko_doc() -> Document:
    return load_document(DATA / "kiep_ko.txt", Lang.KO)


@pytest.fixture(scope="module")
def en_doc() -> Document:
    return load_document(DATA / "kiep_en.txt", Lang.EN)


@pytest.fixture(scope="module")
def brief_doc() -> Document:
    return load_document(DATA / "kiep_brief_en.txt", Lang.EN)


# --------------------------------------------------------------------------- gold


def test_korean_abstract_matches_gold(ko_doc: Document) -> None:
    gold = gold_lines("ko.txt")
    assert len(gold) == 87
    assert [ws(t) for t in ko_doc.texts] == gold


def test_english_summary_matches_gold(en_doc: Document) -> None:
    gold = gold_lines("en.txt")
    assert len(gold) == 84
    assert [ws(t) for t in en_doc.texts] == gold


def test_paragraph_numbers(ko_doc: Document, en_doc: Document) -> None:
    assert ko_doc.sentences[-1].paragraph == 22
    assert en_doc.sentences[-1].paragraph == 9
    assert all(not s.heading for s in ko_doc.sentences + en_doc.sentences)
    assert [s.index for s in ko_doc.sentences] == list(range(len(ko_doc)))


@pytest.mark.parametrize("name", ["kiep_ko.txt", "kiep_en.txt", "kiep_brief_en.txt"])
def test_offsets_round_trip(name: str) -> None:
    lang = Lang.KO if name.endswith("ko.txt") else Lang.EN
    doc = load_document(DATA / name, lang)
    prev_end = 0
    for i, s in enumerate(doc.sentences):
        assert prev_end <= s.start < s.end <= len(doc.source)
        assert source_text(doc, i) == s.text
        assert s.text == ws(s.text)
        prev_end = s.end


# --------------------------------------------------------------------------- the policy brief


def test_brief_page_break_repairs(brief_doc: Document) -> None:
    texts = brief_doc.texts
    joined = [t for t in texts if t.startswith("In light of these developments, it is necessary")]
    assert len(joined) == 1
    assert any("under the supervision of the National Health and Health Commission" in t for t in texts)
    assert any("by implementing systematic measures and pilot projects" in t for t in texts)
    assert any("when it comes to the smart healthcare industry, the cases" in t for t in texts)
    assert not any("\\$" in t for t in texts)
    assert any("a $2 trillion market in 2025" in t for t in texts)
    assert not any(
        t.startswith(("developments", "Health and Health", "measures,", "smart healthcare industry")) for t in texts
    )
    # the sentence repaired across the page break spans the gap in the source
    s = brief_doc.sentences[texts.index(joined[0])]
    assert "\n\n" in brief_doc.source[s.start : s.end]


def test_brief_headings(brief_doc: Document) -> None:
    heads = [s.text for s in brief_doc.sentences if s.heading]
    assert heads == [
        "China's Internet Plus Strategy: Characteristics and Regional Case Study",
        "I. Introduction",
        "II. Main Contents of China's Internet Plus Strategy",
        "(1) Artificial Intelligence (AI) Development Policy and the Case of Beijing",
        "(2) Smart City Promotion Policy and the Case of Zhejiang Province",
        "(3) Smart Healthcare Development Policy and the Case of Guangdong Province",
        "III. Evaluation and Implications for Korea",
    ]
    assert not any(t.startswith("#") or "**" in t for t in brief_doc.texts)


def test_brief_english_edge_cases(brief_doc: Document) -> None:
    texts = brief_doc.texts
    assert any(t.startswith("In November 2017 the Korean government announced I-KOREA 4.0, its plan") for t in texts)
    assert any(
        t.startswith("Currently, the global smart healthcare market is developing in the U.S., Germany") for t in texts
    )
    # the four author lines (markdown hard breaks) stay separate
    assert sum(t.startswith(("Sanghun Lee", "Hongwon Kim", "Joohe Kim", "Jaehee Choi")) for t in texts) == 4


# --------------------------------------------------------------------------- English rules

EN_CASES = [
    (
        "Mr. Smith went to Washington. He arrived at 5 p.m. on Monday.",
        ["Mr. Smith went to Washington.", "He arrived at 5 p.m. on Monday."],
    ),
    ("The U.S. economy grew 2.5% in 2017. Exports rose.", ["The U.S. economy grew 2.5% in 2017.", "Exports rose."]),
    ("He moved to the U.S. The move was hard.", ["He moved to the U.S.", "The move was hard."]),
    (
        "The government announced I-KOREA 4.0, its plan. It was new.",
        ["The government announced I-KOREA 4.0, its plan.", "It was new."],
    ),
    (
        "The market will reach $2 trillion in 2025. China leads.",
        ["The market will reach $2 trillion in 2025.", "China leads."],
    ),
    (
        "Some sectors, e.g. Finance and retail, grew. Others fell.",
        ["Some sectors, e.g. Finance and retail, grew.", "Others fell."],
    ),
    ('He said, "We will win." Then he left.', ['He said, "We will win."', "Then he left."]),
    ("She asked \u201cWhy now?\u201d Nobody answered.", ["She asked \u201cWhy now?\u201d", "Nobody answered."]),
    ("See Fig. 3 for details. Table 2 shows more.", ["See Fig. 3 for details.", "Table 2 shows more."]),
    ("J. K. Rowling wrote it. It sold well.", ["J. K. Rowling wrote it.", "It sold well."]),
    ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
    ("They sell apples, pears, etc. The shop is small.", ["They sell apples, pears, etc.", "The shop is small."]),
    ("They sell apples, pears, etc. and more.", ["They sell apples, pears, etc. and more."]),
    ("Smith et al. found this. Jones disagreed.", ["Smith et al. found this.", "Jones disagreed."]),
    (
        "Visit www.kiep.go.kr now. Email shlee@kiep.go.kr today.",
        ["Visit www.kiep.go.kr now.", "Email shlee@kiep.go.kr today."],
    ),
    ("Growth was 3%. (See the appendix.) Then it fell.", ["Growth was 3%.", "(See the appendix.)", "Then it fell."]),
    ("1. Background of the study. 2. Method follows.", ["1. Background of the study.", "2. Method follows."]),
    ("Korea ranks No. 1 in broadband. It is fast.", ["Korea ranks No. 1 in broadband.", "It is fast."]),
    ("The rate is 1.5. The next is 2.0.", ["The rate is 1.5.", "The next is 2.0."]),
    ("Apple Inc. rose 5%. iPhone demand grew.", ["Apple Inc. rose 5%.", "iPhone demand grew."]),
    ("Figure 1. Internet users in China", ["Figure 1. Internet users in China"]),
    ("As shown in Table 2. The results hold.", ["As shown in Table 2.", "The results hold."]),
    ("It grew in 2017. 20 firms joined.", ["It grew in 2017.", "20 firms joined."]),
]


@pytest.mark.parametrize(("text", "expected"), EN_CASES)
def test_english_rules(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_en(text)] == expected


# --------------------------------------------------------------------------- structure


def test_headings_and_list_items() -> None:
    src = (
        "제1장 서론\n\n중국은 전략을 추진 중이다. 이는 중요하다.\n\n"
        "1. 연구의 배경\n2. 연구의 내용 및 방법\n\n"
        "# 요약\n\n결론이다.\n"
    )
    doc = segment(src, Lang.KO)
    assert [(s.text, s.heading) for s in doc.sentences] == [
        ("제1장 서론", True),
        ("중국은 전략을 추진 중이다.", False),
        ("이는 중요하다.", False),
        ("1. 연구의 배경", True),
        ("2. 연구의 내용 및 방법", True),
        ("요약", True),
        ("결론이다.", False),
    ]


def test_english_short_line_heading_and_chapter() -> None:
    src = "Chapter 3 Results\n\nBackground and Motivation\n\nThe study grew. It ended.\n"
    doc = segment(src, Lang.EN)
    assert [(s.text, s.heading) for s in doc.sentences] == [
        ("Chapter 3 Results", True),
        ("Background and Motivation", True),
        ("The study grew.", False),
        ("It ended.", False),
    ]


def test_soft_wrapped_lines_are_joined() -> None:
    src = "This sentence is wrapped\nacross two lines. And this\none too.\n"
    assert segment(src, Lang.EN).texts == ["This sentence is wrapped across two lines.", "And this one too."]


def test_no_repair_after_complete_paragraph() -> None:
    src = "It ended well.\n\nthe lowercase start stays separate? no: it follows a full stop.\n"
    doc = segment(src, Lang.EN)
    assert doc.sentences[0].paragraph != doc.sentences[-1].paragraph


def test_page_number_inside_broken_sentence_is_dropped() -> None:
    src = "It is long. In light of these\n\n- 12 -\n\ndevelopments, it is fine. Yes.\n\n13\n\nNew para.\n"
    doc = segment(src, Lang.EN)
    assert doc.texts == ["It is long.", "In light of these developments, it is fine.", "Yes.", "13", "New para."]
    s = doc.sentences[1]
    assert "- 12 -" in src[s.start : s.end]


def test_korean_sentence_over_page_break() -> None:
    src = "이것은 문장이다. 중국은 여러 가지 정책을\n\n12\n\n추진하고 있다.\n\n중국의 인터넷 전략\n\n본문이다.\n"
    doc = segment(src, Lang.KO)
    assert [(s.text, s.heading) for s in doc.sentences] == [
        ("이것은 문장이다.", False),
        ("중국은 여러 가지 정책을 추진하고 있다.", False),
        ("중국의 인터넷 전략", True),
        ("본문이다.", False),
    ]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 2]


def test_presplit_is_verbatim_one_per_line() -> None:
    src = "첫 줄. 둘째 문장.\n## 제목이 아님\n\n  셋째 줄 \\$  \r\n"
    doc = segment(src, Lang.KO, presplit=True)
    assert doc.texts == ["첫 줄. 둘째 문장.", "## 제목이 아님", "셋째 줄 \\$"]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1]
    assert not any(s.heading for s in doc.sentences)
    for s in doc.sentences:
        assert doc.source[s.start : s.end] == s.text


# --------------------------------------------------------------------------- mixed script


def test_korean_document_with_english_sentences() -> None:
    src = "중국은 성장했다. This is Mr. Smith. He went to the U.S. today! 그리고 돌아왔다.\n"
    assert segment(src, Lang.KO).texts == [
        "중국은 성장했다.",
        "This is Mr. Smith.",
        "He went to the U.S. today!",
        "그리고 돌아왔다.",
    ]


def test_english_document_with_korean_paragraph() -> None:
    src = "The report was published. It is long.\n\n중국은 인터넷 전략을 추진 중이다. 이는 중요하다.\n"
    assert segment(src, Lang.EN).texts == [
        "The report was published.",
        "It is long.",
        "중국은 인터넷 전략을 추진 중이다.",
        "이는 중요하다.",
    ]


def test_language_guessed_when_none() -> None:
    assert segment("중국은 성장했다. 이는 중요하다.", None).lang is Lang.KO
    with pytest.raises(InputError, match="language"):
        segment("12345 ... 678", None)


# --------------------------------------------------------------------------- size


@pytest.mark.parametrize("lang", [Lang.EN, Lang.KO])
def test_long_unpunctuated_line_is_capped(lang: Lang) -> None:
    word = "한국어" if lang is Lang.KO else "word"
    src = " ".join([word] * 60_000)
    doc = segment(src, lang)
    assert len(doc) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in doc.sentences)
    assert ws(" ".join(doc.texts)) == ws(src)


def test_megabyte_without_spaces_is_capped() -> None:
    src = "가" * 1_000_000
    doc = segment(src, Lang.KO)
    assert len(doc) == 500
    assert doc.sentences[-1].end == len(src)


def test_many_sentences_with_progress() -> None:
    src = "\n\n".join(f"Sentence number {i} is here. It has a twin {i}." for i in range(10_000))
    calls: list[tuple[str, int, int]] = []
    doc = segment(src, Lang.EN, progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert len(doc) == 20_000
    assert calls and calls[-1][1] == calls[-1][2] == 10_000
    assert len(calls) <= 200


# --------------------------------------------------------------------------- fuzz

_ALPHABET = st.sampled_from(
    [*"가나다라 한국어.?!\"'“”()#*\\$-_\n\n\r\t\u00a0\u200b\uff0e\uff01abcXYZ123 ", "**", "## ", "  \n", "U.S."]
)


@settings(max_examples=150, deadline=5_000)
@given(parts=st.lists(_ALPHABET, max_size=400), lang=st.sampled_from([Lang.KO, Lang.EN]), presplit=st.booleans())
def test_fuzz_segment_text(parts: list[str], lang: Lang, presplit: bool) -> None:
    src = "".join(parts)
    try:
        doc = segment(src, lang, presplit=presplit)
    except InputError:
        return
    prev = 0
    for s in doc.sentences:
        assert prev <= s.start < s.end <= len(src)
        assert s.text and s.text == s.text.strip()
        prev = s.end


def test_concurrent_segmentation_is_consistent() -> None:
    from concurrent.futures import ThreadPoolExecutor

    src = (DATA / "kiep_ko.txt").read_text(encoding="utf-8")
    expected = segment(src, Lang.KO).texts
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: segment(src, Lang.KO).texts, range(4)))
    assert all(r == expected for r in results)
