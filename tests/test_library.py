"""Related reading, headless: a library of Korean and English documents searched as passages.

The library is tests/data/library (the Wikipedia article on Internet Plus, CC BY-SA, and three
short documents written for these tests, none a translation of another) plus real-format files
made by LibreOffice (tests/data/formats).  Everything runs with the real model, kiwipiepy and faiss.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.cli.main import main
from aligner.core import cache_dir
from aligner.core.errors import InputError
from aligner.core.values import Lang
from aligner.embed.encoders import Encoder, load_encoder
from aligner.embed.vector_cache import cached_encoder
from aligner.glossary.build import TermPair
from aligner.glossary.termhood import TermKind
from aligner.search import library as search_library
from aligner.search import library_index
from aligner.search.hits import HitKind, Passage
from aligner.search.library import Library
from aligner.search.library_index import IndexKind, VectorIndex
from aligner.search.passages import one_per_place, passage_spans
from aligner.search.text_index import TextIndex
from aligner.session.library import glossary_translations, library_files, open_library

from .conftest import DATA, FIXTURES

LIBRARY = FIXTURES / "library"
WIKI = LIBRARY / "internet_plus_wikipedia_en.txt"
KOREAN = LIBRARY / "internet_plus_ko.txt"
NOTE = LIBRARY / "policy_note_en.txt"
BLOG = LIBRARY / "digital_blog_en.txt"
KO_PDF = FIXTURES / "formats" / "kiep_ko.pdf"


@pytest.fixture(scope="module")
def library() -> Library:
    return open_library([LIBRARY, KO_PDF]).library


def _first(passages: list[Passage], lang: Lang) -> Passage:
    found = [p for p in passages if p.lang is lang]
    assert found, f"no {lang} passage in {[p.path for p in passages]}"
    return found[0]


def test_a_korean_query_reaches_the_english_passage(library: Library) -> None:
    passages = library.search("텐센트 창업자가 2013년에 제안한 아이디어", k=8)
    english = _first(passages, Lang.EN)
    assert "Tencent" in english.text  # the policy note's Pony Ma or the article's Ma Huateng
    video = _first(library.search("화상으로 진찰하는 원격 진료", k=8), Lang.EN)
    assert Path(video.path) == NOTE and "video" in video.text


def test_an_english_query_reaches_the_korean_passage(library: Library) -> None:
    korean = _first(library.search("mobile payments used even by street vendors", k=8), Lang.KO)
    assert Path(korean.path) == KOREAN and "알리페이" in korean.text
    smart_city = _first(library.search("smart city projects in Hangzhou", k=8), Lang.KO)
    assert Path(smart_city.path) == KO_PDF and smart_city.location.startswith("p. ")  # the real PDF, its page


def test_hits_carry_document_location_passage_and_how(library: Library) -> None:
    passages = library.search("e-commerce", k=10)
    assert passages
    top = passages[0]
    assert HitKind.LITERAL in top.kinds and "e-commerce" in top.matched.lower()
    assert top.matched in top.text
    middle = library.search("customs clearance for parcels was simplified", k=3)[0]
    assert middle.matched.startswith("Pilot zones") and middle.first < middle.sentence < middle.last
    assert middle.text.startswith("Cross-border e-commerce was one of") and "Exporters could sell" in middle.text
    assert top.location.startswith("¶ ")
    korean = KOREAN.read_text(encoding="utf-8")
    assert any(p.path == str(KOREAN) for p in passages) and "전자상거래" in korean  # by meaning, across languages
    word_forms = library.search("smart factories", k=10)
    assert any((HitKind.MORPHEME in p.kinds and "factory" not in p.text.lower()) or "factor" in p.text.lower()
               for p in word_forms)  # fmt: skip


def test_one_passage_per_place_and_no_source_crowds_out_the_others(library: Library) -> None:
    passages = library.search("Internet Plus", k=10)
    places = [(p.path, p.first, p.last) for p in passages]
    assert len(set(places)) == len(places)
    paragraphs = {(p.path, _paragraph_of(library, p)) for p in passages}
    assert len(paragraphs) == len(passages)  # the article says it five times in a paragraph: one passage
    sources = [p.path for p in passages]
    assert len(set(sources)) >= 3
    first_five = sources[:5]
    assert max(first_five.count(s) for s in first_five) <= 3


def _paragraph_of(library: Library, passage: Passage) -> int:
    doc = library.document_of(passage.path)
    assert doc is not None
    return doc.sentences[passage.sentence].paragraph


def test_unrelated_questions_find_nothing_or_the_right_place(library: Library) -> None:
    recipe = library.search("how to make kimchi with cabbage and chilli", k=5)
    assert recipe and Path(recipe[0].path) == BLOG and "cabbage" in recipe[0].text
    assert library.search("quantum chromodynamics lattice gauge", k=5) == [] or all(
        p.semantic < 0.5 for p in library.search("quantum chromodynamics lattice gauge", k=5)
    )


def test_related_excludes_the_pairs_own_documents(library: Library, kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    ws = kiep_workspace
    b = next(i for i, bead in enumerate(ws.alignment.beads) if "FinTech" in ws.alignment.texts(i)[1])
    bead = ws.alignment.beads[b]
    vec = np.vstack([ws.ko_vecs[list(bead.src)], ws.en_vecs[list(bead.tgt)]]).mean(axis=0)
    with_pdf = library.related(vec, 5)
    assert any(Path(p.path) == KO_PDF for p in with_pdf)  # the KIEP report's own PDF is the closest…
    without = library.related(vec, 5, exclude=[KO_PDF])
    assert without and all(Path(p.path) != KO_PDF for p in without)  # …unless it is the pair's own document
    assert any("Internet + Finance" in p.text or "인터넷 금융" in p.text for p in without)  # Korean and English
    own = frozenset(ws.ko.texts)  # the report's PDF holds the pair's Korean sentences word for word
    assert any(p.matched in own for p in with_pdf)
    copies_left_out = library.related(vec, 5, own_texts=own)
    assert copies_left_out and not any(p.matched in own for p in copies_left_out)


class _Counting:
    """The real encoder, counting the sentences it is asked to embed."""

    def __init__(self, inner: Encoder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], progress: object = None) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_adding_a_document_embeds_only_that_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir.forget()
    encoder = cached_encoder()  # a new cache directory: a new, empty cache
    counting = _Counting(load_encoder())
    monkeypatch.setattr(encoder, "_inner", counting)
    folder = tmp_path / "lib"
    folder.mkdir()
    for f in (WIKI, KOREAN):
        shutil.copy(f, folder / f.name)
    first = open_library([folder])
    every = [t for d in first.library.documents for t in d.texts]
    assert first.embedded == 2 and sorted(counting.seen) == sorted(set(every))  # each distinct sentence once
    counting.seen.clear()
    again = open_library([folder])
    assert again.embedded == 0 and counting.seen == []
    shutil.copy(NOTE, folder / NOTE.name)
    grown = open_library([folder])
    assert grown.embedded == 1 and len(grown.library.documents) == 3
    note = grown.library.document_of(str(folder / NOTE.name))
    assert note is not None and counting.seen == note.texts  # only the new document's sentences
    assert grown.library.search("Pony Ma", k=3)[0].path == str(folder / NOTE.name)


def test_a_large_librarys_built_index_is_kept_and_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library big enough for IVF (made so here: exact only up to 10 sentences) writes its built
    index to the cache; the same documents opened again load it (no build, same answers); another
    document set builds and keeps its own; a damaged file is built again."""
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir.forget()
    monkeypatch.setattr(library_index, "EXACT_UP_TO", 10)
    builds: list[int] = []

    class Counted(VectorIndex):
        def __init__(self, vectors: np.ndarray, kind: IndexKind | None = None, *, seed: int = 0) -> None:
            builds.append(len(vectors))
            super().__init__(vectors, kind, seed=seed)

    monkeypatch.setattr(search_library, "VectorIndex", Counted)
    folder = tmp_path / "lib"
    folder.mkdir()
    for f in (WIKI, KOREAN):
        shutil.copy(f, folder / f.name)
    kept = tmp_path / "cache" / "library"

    def indexes() -> list[Path]:
        return sorted(kept.glob("index-*.faiss"))

    def answers(lib: Library) -> list[tuple[str, int, float]]:
        found = [*lib.search("Internet Plus", k=6), *lib.search("원격 진료", k=6)]
        return [(p.path, p.sentence, round(p.score, 4)) for p in found]

    first = open_library([folder])
    assert first.library.index.kind is IndexKind.IVF and len(builds) == 1
    assert len(indexes()) == 1 and not list(kept.glob("*.tmp")) and not list(kept.glob(".*"))
    again = open_library([folder])
    assert len(builds) == 1 and again.embedded == 0  # loaded: nothing built, nothing embedded
    assert again.library.index.kind is IndexKind.IVF and len(again.library.index) == len(first.library)
    assert answers(again.library) == answers(first.library)
    for vectors in kept.glob("*.npy"):  # the kept index holds the vectors: the per-document files are not read
        vectors.unlink()
    assert open_library([folder]).embedded == 0 and len(builds) == 1

    shutil.copy(NOTE, folder / NOTE.name)  # another document set: another index, built once
    grown = open_library([folder])
    assert len(builds) == 2 and len(indexes()) == 2 and len(grown.library) > len(first.library)
    assert grown.library.search("Pony Ma", k=3)[0].path == str(folder / NOTE.name)
    open_library([folder])
    assert len(builds) == 2
    (folder / NOTE.name).unlink()  # back to the first set: its index is still there
    open_library([folder])
    assert len(builds) == 2

    for index in indexes():  # a damaged index is ignored and written again
        index.write_bytes(b"not a faiss index")
    repaired = open_library([folder])
    assert len(builds) == 3 and answers(repaired.library) == answers(first.library)
    assert open_library([folder]).embedded == 0 and len(builds) == 3


def test_bad_files_are_left_out_with_a_line_and_the_rest_is_searched(tmp_path: Path) -> None:
    shutil.copy(NOTE, tmp_path / NOTE.name)
    shutil.copy(FIXTURES / "formats" / "bad" / "password.pdf", tmp_path / "locked.pdf")
    (tmp_path / ".hidden.txt").write_text("Internet Plus", encoding="utf-8")
    opened = open_library([tmp_path])
    assert [Path(d.path or "").name for d in opened.library.documents] == [NOTE.name]
    assert len(opened.notices) == 1 and "locked.pdf" in opened.notices[0] and "\n" not in opened.notices[0]
    with pytest.raises(InputError, match="no such file"):
        library_files([tmp_path / "missing"])
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    shutil.copy(FIXTURES / "formats" / "bad" / "truncated.pdf", only_bad / "t.pdf")
    with pytest.raises(InputError, match="no document of the library"):
        open_library([only_bad])


def test_cli_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "원격 진료", "--docs", str(LIBRARY), str(FIXTURES / "formats" / "kiep_en.docx"), "--json",
                 "-k", "6"]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"path", "passage", "location", "kinds", "how", "lang", "matched"} <= set(rows[0])
    assert any(r["lang"] == "en" and "video" in r["passage"] for r in rows)
    docx = [r for r in rows if r["path"].endswith("kiep_en.docx")]
    assert all(r["location"].startswith("¶ ") for r in docx)
    assert main(["search", "Tencent", "--docs", str(LIBRARY)]) == 0
    out = capsys.readouterr().out
    assert str(NOTE) in out and "exact" in out


def test_passage_spans_stay_in_the_paragraph_and_headings_open_their_section() -> None:
    paragraph = np.array([0, 1, 1, 1, 2, 3, 3])
    heading = np.array([True, False, False, False, True, False, False])
    doc_end = np.full(7, 7)
    first, last = passage_spans(np.array([0, 1, 2, 5, 4]), paragraph, heading, doc_end)
    assert first.tolist() == [0, 1, 1, 5, 4]
    assert last.tolist() == [2, 2, 3, 6, 6]
    chosen = one_per_place(np.array([1, 2, 3, 5]), np.array([0.9, 0.8, 0.7, 0.1]), paragraph, np.zeros(7, int), 4, 3)
    assert chosen.tolist() == [0, 3]


@pytest.mark.parametrize("kind", [IndexKind.IVF, IndexKind.IVF_SQ8, IndexKind.FLAT_FP16])
def test_approximate_indexes_find_what_the_exact_one_finds(kind: IndexKind) -> None:
    rng = np.random.default_rng(0)
    topics = rng.standard_normal((40, 64)).astype(np.float32)
    vecs = topics[rng.integers(0, 40, 8000)] + 0.5 * rng.standard_normal((8000, 64)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    exact, approx = VectorIndex(vecs, IndexKind.FLAT), VectorIndex(vecs, kind)
    found = [len(set(exact.search(v, 10)[0].tolist()) & set(approx.search(v, 10)[0].tolist())) for v in vecs[:50]]
    assert sum(found) / 500 >= 0.9
    assert np.allclose(approx.vectors(np.array([3, 9])), vecs[[3, 9]], atol=0.02)


def _entry(ko: str, en: str, kind: TermKind = TermKind.NAME) -> TermPair:
    return TermPair(ko=ko, en=en, frequency=3, confidence=0.9, example=0, kind=kind)


def test_glossary_translations_take_the_terms_a_query_names() -> None:
    pairs = [
        _entry("항저우", "Hangzhou"), _entry("항저우 시티 브레인 프로젝트", "Hangzhou City Brain Project"),
        _entry("텐센트", "Tencent"), _entry("서비스", "services", TermKind.GENERAL),
        _entry("ICT", "ICT", TermKind.TERM),
    ]  # fmt: skip
    assert glossary_translations("텐센트 창업자", pairs) == [("텐센트", "Tencent")]
    assert glossary_translations("항저우 시티 브레인 프로젝트의 성과", pairs) == [
        ("항저우 시티 브레인 프로젝트", "Hangzhou City Brain Project")  # not its part 항저우 again
    ]
    assert glossary_translations("Tencent's hospitals", pairs) == [("Tencent", "텐센트")]
    assert glossary_translations("public services and ICT", pairs) == []  # general words, same on both sides
    assert glossary_translations("Tencentville", pairs) == []  # whole words only


def test_a_glossary_translation_finds_the_name_the_model_places_poorly(library: Library) -> None:
    plain = library.search("텐센트 창업자", k=10)
    assert not any("Tencent" in p.matched for p in plain if p.lang is Lang.EN)  # meaning alone misses it
    found = library.search("텐센트 창업자", k=10, translations=[("텐센트", "Tencent")])
    english = [p for p in found if p.lang is Lang.EN and "Tencent" in p.matched]
    assert {Path(p.path) for p in english} == {WIKI, NOTE}
    assert all(p.via == "텐센트 → Tencent" and HitKind.LITERAL in p.kinds for p in english)
    assert "glossary: 텐센트 → Tencent" in english[0].label and english[0].as_json()["glossary"] == "텐센트 → Tencent"


@pytest.mark.slow
def test_cli_searches_with_the_pairs_glossary(capsys: pytest.CaptureFixture[str]) -> None:
    ko, en = DATA / "kiep_ko.txt", DATA / "kiep_en.txt"
    assert main(["search", "텐센트 창업자", str(ko), str(en), "--docs", str(LIBRARY), "--json", "-k", "8"]) == 0
    rows = json.loads(capsys.readouterr().out)
    via = [r for r in rows if r["glossary"] == "텐센트 → Tencent"]
    assert any(r["path"] == str(NOTE) and "Pony Ma" in r["passage"] for r in via)
    assert any(r["path"] == str(en) for r in rows)  # the pair's own documents are in the library too


def test_text_index_exact_and_word_forms() -> None:
    texts = ["인터넷은 빠르게 성장하였다.", "Smart platforms grow.", "스마트시티 사업을 추진하고 있다.", "the platform"]
    index = TextIndex(texts, np.array([True, False, True, False]), spans=[(0, 1), (1, 2), (2, 3), (3, 4)])
    assert index.exact("인터넷").tolist() == [0]  # the word begins 인터넷은
    assert index.exact("platform").tolist() == [1, 3]
    assert index.exact("SMART Platforms").tolist() == [1]  # case-insensitive, the whole query as typed
    assert index.exact("platforms grow").tolist() == [1]
    assert index.exact("grow smart").tolist() == []  # every word there, not as typed
    assert index.exact("시티").tolist() == []  # inside a word: not an exact match here (docs/related.md)
    assert index.word_forms("platform", ready_only=True).tolist() == []  # not indexed yet: no waiting
    index.prepare([Lang.EN])
    assert index.word_forms("platform", ready_only=True).tolist() == [1, 3]
    assert index.word_forms("추진하다").tolist() == [2]  # kiwipiepy's lemma of 추진하고
