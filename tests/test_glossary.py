"""The bilingual glossary and concordance, on the bundled KIEP sample with the real model and kiwipiepy."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from lxml import etree

from aligner.cli.main import main
from aligner.core.values import Alignment, Bead, Document, Lang, Sentence
from aligner.export.tbx import glossary_rows, render_glossary, to_anki, to_tbx
from aligner.glossary.build import TermPair, build_glossary
from aligner.glossary.candidates import english_key, english_mentions, korean_key, korean_mentions, singular
from aligner.glossary.concordance import concordance, english_spans, korean_spans, term_lang
from aligner.glossary.termhood import TermKind, general_zipf, parts_zipf
from aligner.glossary.transliteration import sound_similarity
from aligner.session.workspace import Workspace

# The report's key policy terms with the English the summary uses for them.
NAMED = {
    "인공지능": "artificial intelligence",
    "스마트시티": "smart city",
    "인터넷융합": "Internet convergence",
    "스마트 헬스케어": "smart healthcare",
    "항저우시": "Hangzhou City",
    "4차 산업혁명": "4th Industrial Revolution",
    "국가위생건강위원회": "National Health and Health Commission",
}

# Correct pairings of this report's terms and names (Korean -> acceptable English): the checklist
# expected near the top of the list.
CORRECT: dict[str, set[str]] = {
    **{k: {v} for k, v in NAMED.items()},
    "중국": {"China"},
    "생태계": {"ecosystem"},
    "항저우": {"Hangzhou"},
    "베이징": {"Beijing"},
    "베이징시": {"Beijing"},
    "ICT": {"ICT"},
    "테스트베드": {"test bed"},
    "비즈니스 모델": {"business model"},
    "광둥성": {"Guangdong Province", "Guangdong"},
    "저장성": {"Zhejiang Province", "Zhejiang"},
    "알리바바": {"Alibaba"},
    "텐센트": {"Tencent"},
    "바이두": {"Baidu"},
    "핑안": {"Ping An"},
    "중앙정부": {"central government"},
    "지방정부": {"local government"},
    "인터넷융합 전략": {"Internet convergence strategy"},
    "인터넷 플러스": {"Internet Plus"},
    "인터넷경제": {"Internet economy"},
    "공공서비스": {"public service"},
    "장기적": {"long-term"},
    "IT기업": {"IT company"},
    "산업 생태계": {"industrial ecosystem"},
    "스타트업": {"startup"},
    "중국시장": {"Chinese market"},
    "시장규모": {"market size"},
    "의료서비스": {"medical service"},
}

# Test data, not production code: everyday words a student needs no glossary for. The first eleven
# are the general words that filled the top 30 before entries were ranked by termhood (issue #15);
# the rest are as common. Correct pairings where they occur (Korean -> acceptable English).
GENERAL_WORDS: dict[str, set[str]] = {
    "서비스": {"service"},
    "정부": {"government"},
    "시장": {"market"},
    "데이터": {"data"},
    "전략": {"strategy"},
    "글로벌": {"global"},
    "온라인": {"online"},
    "스마트": {"smart"},
    "모델": {"model"},
    "플랫폼": {"platform"},
    "인터넷": {"Internet"},
    "정책": {"policy"},
    "기업": {"company", "enterprise", "firm"},
    "혁신": {"innovation"},
    "비즈니스": {"business"},
    "기술": {"technology"},
    "산업": {"industry", "industrial"},
    "발전": {"development"},
    "경제": {"economy", "economic"},
    "지역": {"region", "regional", "local"},
    "병원": {"hospital"},
    "국가": {"national"},
    "프로젝트": {"project"},
    "테스트": {"test"},
    "건강": {"health"},
}

# Names, and terms that are not names, of this report.
NAMES = ("중국", "항저우", "베이징시", "알리바바", "텐센트", "바이두", "광둥성")
TERMS = ("인공지능", "스마트시티", "테스트베드", "4차 산업혁명", "생태계", "시범사업", "규제 완화", "스마트 설비")
# Policy terms that used to rank 245-410 of 428, behind everyday words, with their English.
RISING = {"시범사업": "pilot projects", "규제 완화": "deregulation", "스마트 설비": "smart facilities"}


def same_term(a: str, b: str, lang: Lang) -> bool:
    if lang is Lang.KO:
        return korean_key(a) == korean_key(b)
    return english_key(a.split()) == english_key(b.split())


def is_correct(pair: TermPair) -> bool:
    for ko, ens in {**CORRECT, **GENERAL_WORDS}.items():
        if same_term(pair.ko, ko, Lang.KO):
            return any(same_term(pair.en, en, Lang.EN) for en in ens)
    return False


@pytest.fixture(scope="module")
def glossary(kiep_workspace: Workspace) -> list[TermPair]:
    stages: list[str] = []
    pairs = build_glossary(kiep_workspace.alignment, kiep_workspace.encoder, progress=lambda s, d, t: stages.append(s))
    assert {"Korean terms", "English terms", "embedding terms"} <= set(stages)
    return pairs


# ---------------------------------------------------------------------- candidates


def test_korean_candidates_are_noun_compounds_with_their_surface() -> None:
    text = "한국도 4차 산업혁명에 대응하고, 국가위생건강위원회와 ICT 기업은 스마트시티와 인공지능을 추진하고 있다."
    surfaces = {m.surface for m in korean_mentions(text)}
    assert {"4차 산업혁명", "국가위생건강위원회", "ICT", "ICT 기업", "스마트시티", "인공지능"} <= surfaces
    assert not any(s.endswith(("에", "와", "을", "하고")) for s in surfaces)
    for m in korean_mentions(text):
        assert text[m.start : m.end] == m.surface
    assert {m.key for m in korean_mentions("스마트헬스케어와 스마트 헬스케어")} >= {"스마트헬스케어"}


def test_english_candidates_are_noun_phrases_as_used() -> None:
    text = (
        "China is pursuing the Internet convergence strategy and smart healthcare in Hangzhou City, "
        "with the National Health and Health Commission and artificial intelligence startups."
    )
    mentions = english_mentions(text)
    surfaces = {m.surface for m in mentions}
    assert {
        "Internet convergence",
        "smart healthcare",
        "Hangzhou City",
        "artificial intelligence",
        "National Health and Health Commission",
    } <= surfaces
    assert not any(w in s.split() for s in surfaces for w in ("is", "pursuing", "the", "with", "and startups"))
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert english_key(["Smart", "Cities"]) == english_key(["smart", "city"]) == "smart city"
    assert english_key(["start-ups"]) == english_key(["startups"])
    # "-ses" is mostly "-se" + s ("pilot operation bases" was keyed "pilot operation bas", apart from "base")
    assert [singular(w) for w in ("bases", "cases", "purchases", "analyses", "gases", "businesses")] == [
        "base", "case", "purchase", "analysis", "gas", "business"
    ]
    assert english_key(["operation", "bases"]) == english_key(["operation", "base"])
    assert [singular(w) for w in ("policies", "analysis", "services", "data", "ICT")] == [
        "policy",
        "analysis",
        "service",
        "data",
        "ICT",
    ]


def test_sound_similarity_finds_transliterated_names() -> None:
    assert sound_similarity("광둥성", "Guangdong Province") > 0.9
    assert sound_similarity("알리바바", "Alibaba") > 0.95
    assert sound_similarity("항저우시", "Hangzhou City") > sound_similarity("항저우시", "Hangzhou")
    assert sound_similarity("정부", "government") < 0.5
    assert sound_similarity("스마트", "smart healthcare") < 0.75


# ---------------------------------------------------------------------- quality


def test_named_policy_terms_are_in_the_top_150_with_the_english_used(glossary: list[TermPair]) -> None:
    top = glossary[:150]
    for ko, en in NAMED.items():
        found = [p for p in top if same_term(p.ko, ko, Lang.KO)]
        assert found, f"{ko} not in the top 150"
        assert any(p.en == en for p in found), f"{ko}: {[p.en for p in found]} instead of {en!r}"


def test_the_top_of_the_glossary_is_precise(glossary: list[TermPair]) -> None:
    top = glossary[:20]
    wrong = [(p.ko, p.en) for p in top if not is_correct(p)]
    assert len(wrong) <= 2, wrong
    checklist_hits = sum(
        1 for ko in CORRECT if any(same_term(p.ko, ko, Lang.KO) and is_correct(p) for p in glossary[:150])
    )
    assert checklist_hits >= 0.9 * len(CORRECT)


def test_the_top_30_has_few_general_words(glossary: list[TermPair]) -> None:
    general = [p.ko for p in glossary[:30] if any(same_term(p.ko, w, Lang.KO) for w in GENERAL_WORDS)]
    assert len(general) <= 3, general
    present = [p for p in glossary if any(same_term(p.ko, w, Lang.KO) for w in GENERAL_WORDS)]
    assert len(present) >= 8  # still in the glossary, lower down, and mostly marked as general words
    assert sum(p.kind is TermKind.GENERAL for p in present) >= 0.75 * len(present)


def _count(texts: list[str], term: str, korean: bool) -> int:
    """Occurrences of ``term`` in the texts (Korean: spaces ignored; English: words, case ignored)."""
    if korean:
        key = "".join(term.split())
        return sum("".join(t.split()).count(key) for t in texts)
    pattern = re.compile(r"(?<![\w-])" + r"[\s-]+".join(map(re.escape, term.lower().split())), re.IGNORECASE)
    return sum(len(pattern.findall(t)) for t in texts)


def fragments_in_top_30(glossary: list[TermPair], alignment: Alignment) -> tuple[list[tuple[str, str]], int]:
    """Entries of the top 30 that occur only inside one longer entry (counted in the text itself),
    and how many (entry, longer entry) couples were checked."""
    ko_texts, en_texts = list(alignment.source.texts), list(alignment.target.texts)
    found: list[tuple[str, str]] = []
    checked = 0
    for p in glossary[:30]:
        for q in glossary:
            pk, qk = p.ko.replace(" ", ""), q.ko.replace(" ", "")
            if len(qk) > len(pk) and pk in qk:
                checked += 1
                if _count(ko_texts, p.ko, True) <= _count(ko_texts, q.ko, True):
                    found.append((p.ko, q.ko))
            pe, qe = f" {p.en.lower()} ", f" {q.en.lower()} "
            if len(qe) > len(pe) and pe in qe:
                checked += 1
                if _count(en_texts, p.en, False) <= _count(en_texts, q.en, False):
                    found.append((p.en, q.en))
    return found, checked


def test_the_top_30_has_no_fragments(glossary: list[TermPair], kiep_workspace: Workspace) -> None:
    """No entry of the top 30 occurs only inside one longer entry (counted in the text itself)."""
    found, checked = fragments_in_top_30(glossary, kiep_workspace.alignment)
    assert not found and checked >= 10
    assert not any(p.ko in ("테스트", "건강") for p in glossary)  # the fragments seen before


def test_the_brief_pair_is_ranked_the_same_way(kiep_paths: tuple[Path, Path]) -> None:
    """The Korean abstract with the PDF-extracted English policy brief: another translation."""
    from aligner.session.workspace import open_pair

    ws = open_pair(kiep_paths[0], kiep_paths[1].with_name("kiep_brief_en.txt"), use_project=False)
    brief = build_glossary(ws.alignment, ws.encoder)
    general = [p.ko for p in brief[:30] if any(same_term(p.ko, w, Lang.KO) for w in GENERAL_WORDS)]
    assert len(general) <= 3, general
    found, _ = fragments_in_top_30(brief, ws.alignment)
    assert not found
    kinds = {p.ko: p.kind for p in brief}
    assert all(kinds.get(ko) is TermKind.NAME for ko in ("중국", "항저우", "알리바바")), kinds


def test_names_are_listed_as_names(glossary: list[TermPair]) -> None:
    kinds = {p.ko: p.kind for p in glossary}
    assert all(kinds.get(ko) is TermKind.NAME for ko in NAMES), {ko: kinds.get(ko) for ko in NAMES}
    assert all(kinds.get(ko) is TermKind.TERM for ko in TERMS), {ko: kinds.get(ko) for ko in TERMS}
    names = [p for p in glossary if p.kind is TermKind.NAME]
    assert all(p.en[0].isupper() for p in names)


def test_policy_terms_rise_above_everyday_words(glossary: list[TermPair]) -> None:
    rank = {(p.ko, p.en): i for i, p in enumerate(glossary)}
    general = sorted(i for (ko, _), i in rank.items() if ko in GENERAL_WORDS)
    median_general = general[len(general) // 2]
    for ko, en in RISING.items():
        found = [i for (k, e), i in rank.items() if k == ko and same_term(e, en, Lang.EN)]
        assert found and min(found) < median_general, (ko, found, median_general)
    assert rank[("인공지능", "artificial intelligence")] < 10 and rank[("스마트시티", "smart city")] < 15


def test_general_language_frequencies_are_wordfreqs_offline() -> None:
    assert parts_zipf(["정부"], "ko") > 5 > parts_zipf(["규제", "완화"], "ko")
    assert parts_zipf(["government"], "en") > 5 > parts_zipf(["pilot", "projects"], "en")
    assert parts_zipf(["핑안"], "ko") == parts_zipf(["iFLYTEK"], "en") == 1.0  # unknown to wordfreq
    assert general_zipf(["서비스"], ["service"]) > general_zipf(["생태계"], ["ecosystem"])


def test_pairs_are_well_formed_and_ranked(glossary: list[TermPair], kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    assert len(glossary) > 100
    assert [p.rank_score for p in glossary] == sorted((p.rank_score for p in glossary), reverse=True)
    assert len({(p.ko, p.en) for p in glossary}) == len(glossary)
    per_korean: dict[str, int] = {}
    for p in glossary:
        assert 0.0 <= p.confidence <= 1.0
        assert 1 <= p.frequency <= min(p.ko_beads, p.en_beads)
        ko, en = alignment.texts(p.example)
        assert korean_spans(ko, p.ko), (p, ko)
        assert english_spans(en, p.en), (p, en)
        per_korean[p.ko] = per_korean.get(p.ko, 0) + 1
    assert max(per_korean.values()) <= 2
    assert build_glossary(alignment, kiep_workspace.encoder, limit=5) == glossary[:5]


def test_an_alignment_without_shared_terms_gives_an_empty_glossary(kiep_workspace: Workspace) -> None:
    ko = Document(Lang.KO, "그리고", (Sentence(0, "그리고", 0, 3, 0),))
    en = Document(Lang.EN, "And so.", (Sentence(0, "And so.", 0, 7, 0),))
    alignment = Alignment(ko, en, (Bead((0,), (0,)),))
    assert build_glossary(alignment, kiep_workspace.encoder) == []
    omitted = Alignment(ko, en, (Bead((0,), ()), Bead((), (0,))))
    assert build_glossary(omitted, kiep_workspace.encoder) == []


# ---------------------------------------------------------------------- concordance


def brute_force_korean(alignment: Alignment, term: str) -> set[int]:
    key = re.sub(r"\s+", "", term)
    return {b for b in range(len(alignment.beads)) if key in re.sub(r"\s+", "", alignment.texts(b)[0])}


def brute_force_english(alignment: Alignment, term: str) -> set[int]:
    words = term.lower().replace("-", "").split()
    head = singular(words[-1]).lower()
    plurals = {head, head + "s", head + "es", head[:-1] + "ies" if head.endswith("y") else head}
    beads = set()
    for b in range(len(alignment.beads)):
        text = alignment.texts(b)[1].lower()
        for variant in (text.replace("-", ""), text.replace("-", " ")):  # "start-ups", "Internet-related"
            for last in plurals:
                phrase = " ".join([*words[:-1], last])
                if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", variant):
                    beads.add(b)
    return beads


def test_concordance_finds_every_bead_with_the_term(glossary: list[TermPair], kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    checked = 0
    for p in glossary[:60]:
        if len(korean_key(p.ko)) >= 3:
            lines = concordance(alignment, p.ko, Lang.KO, counterpart=p.en)
            assert {line.bead for line in lines} == brute_force_korean(alignment, p.ko), p.ko
            checked += 1
        lines = concordance(alignment, p.en, Lang.EN)
        assert {line.bead for line in lines} == brute_force_english(alignment, p.en), p.en
    assert checked >= 20


def test_concordance_lines_carry_highlight_spans_on_both_sides(kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    lines = concordance(alignment, "인공지능", counterpart="artificial intelligence")
    assert term_lang("인공지능") is Lang.KO and len(lines) >= 15
    for line in lines:
        assert line.ko_spans and all(line.ko[a:b] == "인공지능" for a, b in line.ko_spans)
        assert all(line.en[a:b].lower() == "artificial intelligence" for a, b in line.en_spans)
        left, keyword, right = line.kwic(Lang.KO, width=10)
        assert keyword == "인공지능" and len(left) <= 10 and len(right) <= 10
    assert sum(1 for line in lines if line.en_spans) >= 12
    smart = concordance(alignment, "smart cities", Lang.EN)
    words = {line.en[a:b].lower() for line in smart for a, b in line.en_spans}
    assert words == {"smart city", "smart cities"}


def test_korean_matching_is_morpheme_aware() -> None:
    text = "시정부는 시장규모와 중국시장, 그리고 추진하고 있는 빅데이터 사업을 본다."
    found = {text[a:b] for a, b in korean_spans(text, "시장")}
    assert found == {"시장"} and len(korean_spans(text, "시장")) == 2
    assert [text[a:b] for a, b in korean_spans(text, "추진하다")] == ["추진"]
    assert [text[a:b] for a, b in korean_spans(text, "데이터")] == ["데이터"]
    assert korean_spans("스마트헬스케어 산업", "스마트 헬스케어") == ((0, 7),)
    assert korean_spans(text, "") == ()


# ---------------------------------------------------------------------- outputs


def test_tsv_and_csv_have_one_pair_a_line(glossary: list[TermPair], kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    pairs = glossary[:30]
    tsv = render_glossary(pairs, alignment, "tsv", header=True)
    lines = tsv.splitlines()
    assert lines[0].split("\t") == ["ko", "en", "kind", "frequency", "confidence", "example_ko", "example_en"]
    assert len(lines) == 31
    for p, line in zip(pairs, lines[1:], strict=True):
        cells = line.split("\t")
        assert cells[:4] == [p.ko, p.en, p.kind.value, str(p.frequency)]
        assert float(cells[4]) == pytest.approx(p.confidence, abs=1e-3)
        assert p.ko.replace(" ", "") in cells[5].replace(" ", "") and len(cells) == 7
    assert {line.split("\t")[2] for line in lines[1:]} == {"term", "name"}
    assert len(render_glossary(pairs, alignment, "tsv").splitlines()) == 30
    rows = list(csv.reader(io.StringIO(render_glossary(pairs, alignment, "csv", header=True))))
    assert rows[0][0] == "ko" and rows[0][2] == "kind" and len(rows) == 31
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(p.ko, p.en, p.kind.value) for p in pairs]


def tricky_rows() -> list[TermPair]:
    return [TermPair('가 & <나> "다"', "it's <b>&amp;</b>\x01, ok", 2, 0.5, 0), TermPair("라", "d", 1, 0.25, 0)]


def test_tbx_is_well_formed_with_one_entry_per_pair(glossary: list[TermPair], kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    pairs = glossary[:25]
    root = etree.fromstring(render_glossary(pairs, alignment, "tbx").encode("utf-8"))
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entries = root.findall("./text/body/termEntry")
    assert len(entries) == len(pairs)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for entry, p in zip(entries, pairs, strict=True):
        sets = {ls.get(xml_lang): ls for ls in entry.findall("langSet")}
        assert set(sets) == {"ko", "en"}
        assert sets["ko"].findtext("tig/term") == p.ko and sets["en"].findtext("tig/term") == p.en
        assert sets["ko"].find("tig/descrip[@type='context']") is not None
        pos = "properNoun" if p.kind is TermKind.NAME else "noun"
        assert sets["en"].findtext("tig/termNote[@type='partOfSpeech']") == pos
        assert entry.findtext("note").startswith(f"kind {p.kind.value};")
    tricky = to_tbx(glossary_rows(tricky_rows(), alignment))
    terms = [t.text for t in etree.fromstring(tricky.encode()).iter("term")]
    assert terms == ['가 & <나> "다"', "it's <b>&amp;</b>, ok", "라", "d"]
    v3 = etree.fromstring(render_glossary(pairs, alignment, "tbx", tbx_version=3).encode())
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert v3.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert len(v3.findall("./t:text/t:body/t:conceptEntry", ns)) == len(pairs)


def test_anki_is_an_importable_csv(glossary: list[TermPair], kiep_workspace: Workspace) -> None:
    alignment = kiep_workspace.alignment
    pairs = glossary[:10]
    text = render_glossary(pairs, alignment, "anki")
    head = text.splitlines()[:3]
    assert head == ["#separator:comma", "#html:false", "#columns:Front,Back,Tags"]
    assert text.splitlines()[3] == "#tags column:3"
    body = "".join(text.splitlines(keepends=True)[4:])
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == len(pairs)
    for row, p in zip(rows, pairs, strict=True):
        ko, en = alignment.texts(p.example)
        assert len(row) == 3 and row[0] == p.ko and row[2] == p.kind.value
        back = row[1].split("\n")
        assert back[0] == p.en and back[2] == " ".join(ko.split()) and back[3] == " ".join(en.split())
    tricky = list(
        csv.reader(io.StringIO("".join(to_anki(glossary_rows(tricky_rows(), alignment)).splitlines(True)[4:])))
    )
    assert tricky[0][0] == '가 & <나> "다"'


def test_cli_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "-n", "7", "--header"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ko\ten\tkind") and len(out) == 8
    assert all(len(line.split("\t")) == 7 for line in out)
    target = tmp_path / "terms.tbx"
    assert main(["glossary", "-n", "12", "-o", str(target)]) == 0
    root = etree.parse(str(target)).getroot()
    assert len(root.findall("./text/body/termEntry")) == 12
    anki = tmp_path / "cards.txt"
    assert main(["glossary", "--format", "anki", "-n", "3", "-o", str(anki)]) == 0
    assert anki.read_text(encoding="utf-8").startswith("#separator:comma\n")
    capsys.readouterr()
    assert main(["glossary", "--kind", "name", "-n", "5"]) == 0
    names = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert len(names) == 5 and all(cells[2] == "name" for cells in names)
    assert main(["glossary", "-n", "0"]) == 1
    assert "error" in capsys.readouterr().err


def test_the_same_latin_spelling_counts_alike_whatever_its_spaces_and_hyphens() -> None:
    from aligner.glossary.build import _spelled_alike

    assert _spelled_alike("I-KOREA 4.0", "I-KOREA 4.0")  # identical: once not alike (one side kept its space)
    assert _spelled_alike("I-KOREA4.0", "I-KOREA 4.0") and _spelled_alike("ICT", "ICT")
    assert not _spelled_alike("ICT", "IT")
