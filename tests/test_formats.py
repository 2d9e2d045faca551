"""Documents in the formats people have: PDF, DOCX, ODT, HTML, EPUB (made from the KIEP
texts by LibreOffice and pandoc, see tests/data/formats/make_fixtures.sh), HWP and HWPX
(written by Hancom Office), and the bad files each format can come as."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from aligner.align.documents import align_documents
from aligner.align.metrics import score
from aligner.core.errors import InputError
from aligner.core.values import Bead, Document, Lang
from aligner.ingest.extracted import location_of
from aligner.ingest.sniff import Format, sniff
from aligner.ingest.text import read_document
from aligner.segment.sentences import load_document
from aligner.session.workspace import load_pair
from tests.conftest import DATA, FIXTURES, TMX_DTD

FORMATS_DIR = FIXTURES / "formats"
EXTRACTED = ("pdf", "docx", "odt", "html", "epub")
HEADER_FOOTER = re.compile(r"KIEP 연구보고서 18-26 ·|KIEP Research Paper 18-26 ·|(?:^|\s)-\s?\d{1,2}\s?-(?:\s|$)")
SITE_FURNITURE = ("KIEP Home", "Research Reports", "Privacy policy", "All rights reserved")


@pytest.fixture(scope="module")
def reference() -> dict[Lang, Document]:
    return {lang: load_document(DATA / f"kiep_{lang.value}.txt", lang) for lang in (Lang.KO, Lang.EN)}


def _body(doc: Document) -> list[str]:
    return [s.text for s in doc.sentences if not s.heading]


@pytest.mark.parametrize("ext", EXTRACTED)
@pytest.mark.parametrize("lang", [Lang.KO, Lang.EN])
def test_kiep_in_each_format_reads_to_the_text_files_sentences(ext: str, lang: Lang, reference) -> None:  # type: ignore[no-untyped-def]
    doc = load_document(FORMATS_DIR / f"kiep_{lang.value}.{ext}", lang)
    body, ref = _body(doc), reference[lang].texts
    assert len(body) == len(ref)  # 87 Korean / 84 English
    exact = sum(a == b for a, b in zip(body, ref, strict=True))
    # PDF: the producer dropped Chinese glyphs its Korean font lacks (益民服务 → 益民服)
    # from two sentences: near, not equal.
    assert exact >= len(ref) - (2 if ext == "pdf" else 0)
    for a, b in zip(body, ref, strict=True):
        assert difflib.SequenceMatcher(None, a, b).ratio() > 0.97, (a, b)
    for s in doc.sentences:
        assert not HEADER_FOOTER.search(s.text), s.text
        assert not any(f in s.text for f in SITE_FURNITURE), s.text
    assert doc.encoding == ext


@pytest.mark.parametrize("ext", ("pdf", "docx", "odt", "epub"))
def test_title_is_kept_as_a_heading(ext: str) -> None:
    doc = load_document(FORMATS_DIR / f"kiep_ko.{ext}", Lang.KO)
    assert "중국 인터넷융합 전략의 특징과 지역 사례 연구" in [s.text for s in doc.sentences if s.heading]


def test_pdf_repairs_extraction_damage() -> None:
    text = read_document(FORMATS_DIR / "kiep_ko.pdf").text
    # LibreOffice's Asian/Western autospacing shows up as spaces in other extractors.
    assert "ICT를 접목한" in text and "ICT 를" not in text
    assert "4차 산업혁명" in text and "4 차" not in text
    assert "제2장에서는" in text
    en = read_document(FORMATS_DIR / "kiep_en.pdf").text
    assert "in-depth analysis" in en and "self-driving related" in en


def _mapping(doc: Document) -> dict[int, int]:
    body = [s.index for s in doc.sentences if not s.heading]
    return {i: k for k, i in enumerate(body)}


def _to_text_ids(beads: tuple[Bead, ...], ko: Document, en: Document) -> list[Bead]:
    mk, me = _mapping(ko), _mapping(en)
    out = []
    for b in beads:
        src = tuple(mk[i] for i in b.src if i in mk)
        tgt = tuple(me[j] for j in b.tgt if j in me)
        if src or tgt:
            out.append(Bead(src, tgt))
    return out


@pytest.mark.parametrize("ext", ("pdf", "docx"))
def test_converted_pair_aligns_like_the_text_files(ext: str, reference, encoder) -> None:  # type: ignore[no-untyped-def]
    ko, en = load_pair(FORMATS_DIR / f"kiep_ko.{ext}", FORMATS_DIR / f"kiep_en.{ext}")
    text_beads = align_documents(reference[Lang.KO], reference[Lang.EN], encoder)
    beads = align_documents(ko, en, encoder)
    scores = score([text_beads], [_to_text_ids(beads, ko, en)])
    assert scores.f1_strict >= 0.98


def test_pdf_sentences_know_their_page() -> None:
    ko, en = load_pair(FORMATS_DIR / "kiep_ko.pdf", FORMATS_DIR / "kiep_en.pdf")
    for doc in (ko, en):
        pages = [int(str(location_of(doc, s)).removeprefix("p. ")) for s in doc.sentences]
        assert pages[0] == 1 and pages[-1] == 8  # the fixtures have 8 pages
        assert pages == sorted(pages)
    # A sentence the PDF prints on page 3 (`pdftotext -f 3 -l 3 kiep_en.pdf -`).
    on_p3 = next(s for s in en.sentences if s.text.startswith("In China, a large number of start-ups"))
    assert location_of(en, on_p3) == "p. 3"
    docx = load_document(FORMATS_DIR / "kiep_en.docx", Lang.EN)
    assert location_of(docx, docx.sentences[0]) == "¶ 1"
    assert location_of(docx, docx.sentences[-1]) == "¶ 11"


def test_plain_text_has_no_locations(reference) -> None:  # type: ignore[no-untyped-def]
    doc = reference[Lang.EN]
    assert doc.locations == () and location_of(doc, doc.sentences[0]) is None


@pytest.mark.parametrize("ext", ("pdf", "docx", "odt"))
def test_footnotes_go_to_the_end_and_table_cells_stand_alone(ext: str) -> None:
    doc = load_document(FORMATS_DIR / f"structure_en.{ext}", Lang.EN)
    texts = doc.texts
    assert "The government expects the trend to continue next year." in texts  # no note mark glued on
    assert texts[-1] == "[Note 1] Ministry of Trade, quarterly outlook, October 2018."
    for cell in ("Item", "Share of exports", "Semiconductors", "21 percent", "Automobiles", "11 percent"):
        assert cell in texts
    assert texts.index("11 percent") < texts.index("Further work will examine services trade.")


def test_format_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    for ext in ("docx", "pdf", "odt", "epub", "html"):
        disguised = tmp_path / f"kiep_en_{ext}.txt"
        shutil.copy(FORMATS_DIR / f"kiep_en.{ext}", disguised)
        assert read_document(disguised).format == ext
    assert sniff((FORMATS_DIR / "hwpx" / "note_example.hwpx").read_bytes()) is Format.HWPX
    assert sniff((FORMATS_DIR / "hwp" / "finding-all-field.hwp").read_bytes()) is Format.HWP
    assert sniff((DATA / "kiep_en.txt").read_bytes()) is Format.TEXT


def test_hwp_paragraphs_in_order() -> None:
    doc = load_document(FORMATS_DIR / "hwp" / "changing-paragraph-text.hwp", None)
    assert doc.lang is Lang.KO and doc.texts == ["안녕하세요.", "이것은 샘플입니다."]
    prose = load_document(FORMATS_DIR / "hwp" / "finding-all-field.hwp", None)
    assert prose.lang is Lang.KO
    assert prose.texts[0].startswith("또 다른 유력한 지리적 위치 가설을 개진한 인물은")
    assert location_of(prose, prose.sentences[0]) == "§ 1 ¶ 1"


def test_hwp_distribution_document_is_decrypted() -> None:
    """A Hancom 배포용 (distribution) document: its body is AES-encrypted in ViewText."""
    doc = load_document(FORMATS_DIR / "hwp" / "distribution.hwp", None)
    texts = doc.texts
    assert doc.lang is Lang.KO and texts[0] == "강남세움복지관 공고 제 2024-08호"
    assert texts.index("1. 입찰에 부치는 사항") < texts.index("6. 낙찰자 결정방법")


def test_hwpx_press_release_in_order() -> None:
    doc = load_document(FORMATS_DIR / "hwpx" / "press-release-mcst-2024.hwpx", None)
    texts = doc.texts
    assert doc.lang is Lang.KO and texts[:2] == ["문화체육관광부", "보도자료"]
    title = texts.index("2024 파리 올림픽·패럴림픽 준비하는 우리 선수단 격려한다")
    opening = "문화체육관광부(장관 유인촌, 이하 문체부) 장미란 제2차관은"
    lead = next(k for k, t in enumerate(texts) if t.startswith(opening))
    assert 2 < title < lead
    # The contact table at the end: one cell per block, never glued into a sentence.
    assert "체육정책과" in texts and "(044-203-3129)" in texts


def test_hwpx_table_cells_are_blocks() -> None:
    doc = load_document(FORMATS_DIR / "hwpx" / "note_example.hwpx", None)
    texts = doc.texts
    assert texts[0] == "2025년 동아리 체험전시회 참가 신청서"
    assert texts.index("동아리명") + 1 == texts.index("21C 가우디")


BAD = {
    "bad/truncated.pdf": "damaged or truncated PDF",
    "bad/password.pdf": "password-protected",
    "bad/password.odt": "password-protected",
    "bad/password.docx": "password-protected Office document",
    "bad/image-only.pdf": "no text layer (a scan) and OCR is off (--no-ocr)",  # read by OCR otherwise (test_ocr)
    "bad/unknown.zip": "ZIP archive that is not a document",
    "bad/truncated.hwp": "truncated HWP file",
    "bad/truncated.docx": "damaged or truncated DOCX",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_get_one_line_errors_naming_the_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_OCR", "off")  # what --no-ocr sets
    path = FORMATS_DIR / name
    with pytest.raises(InputError) as err:
        load_document(path, None)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path)) and BAD[name] in message


def test_tmx_carries_locations() -> None:
    from lxml import etree

    from aligner.core.values import Alignment
    from aligner.export.formats import export

    ko = load_document(FORMATS_DIR / "structure_en.docx", Lang.EN)
    beads = tuple(Bead((i,), (i,)) for i in range(len(ko)))
    tmx = export(Alignment(ko, ko, beads), "tmx")
    root = etree.fromstring(tmx.encode("utf-8"))
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    props = [p.text for p in root.iter("prop") if p.get("type") == "x-location"]
    assert props[:2] == ["¶ 1", "¶ 1"] and "¶ 2" in props


async def test_reader_shows_where_the_focused_pair_came_from(tmp_path: Path) -> None:
    from aligner.session.workspace import open_pair
    from aligner.tui.app import create_app

    ws = open_pair(FORMATS_DIR / "kiep_ko.pdf", FORMATS_DIR / "kiep_en.docx", use_project=False)
    app = create_app(workspace=ws, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ko p. 1 · en ¶ 1" in app.status.text
        await pilot.press("G")  # the last pair
        await pilot.pause()
        assert "ko p. 8 · en ¶ 11" in app.status.text


# ---------------------------------------------------------------------- TMX / XLIFF

BILINGUAL = FORMATS_DIR / "bilingual"


@pytest.mark.parametrize("name", ["kiep.aligner.tmx", "kiep.ttk.tmx", "kiep.ttk.xlf", "kiep.xliff2.xlf"])
def test_bilingual_files_read_as_paired_documents(name: str, reference) -> None:  # type: ignore[no-untyped-def]
    from aligner.ingest.bilingual import bilingual_documents, bilingual_kind

    path = BILINGUAL / name
    assert bilingual_kind(path) == ("tmx" if name.endswith(".tmx") else "xliff")
    ko, en, beads = bilingual_documents(path)
    assert len(ko) == len(en) == len(beads) == 76  # the 1-1..n-m matches of the KIEP alignment
    assert all(len(b.src) == len(b.tgt) == 1 for b in beads)
    assert ko.lang is Lang.KO and en.lang is Lang.EN
    ref_ko = " ".join(reference[Lang.KO].texts)
    assert all(s.text in ref_ko for s in ko.sentences)  # every unit is KIEP Korean text, in order
    positions = [ref_ko.index(s.text) for s in ko.sentences]
    assert positions == sorted(positions)
    assert en.texts[0].startswith("China is pursuing the 'Internet Plus'")
    assert str(location_of(ko, ko.sentences[0])).startswith("unit ")


def test_bilingual_file_opens_as_pairs_and_flags_a_wrong_pairing(tmp_path: Path) -> None:
    from aligner.session.workspace import open_bilingual

    text = (BILINGUAL / "kiep.ttk.tmx").read_text(encoding="utf-8")
    segs = re.findall(r'<tuv xml:lang="en">\s*<seg>(.*?)</seg>', text, re.S)
    swapped = text.replace(segs[3], "\0").replace(segs[4], segs[3]).replace("\0", segs[4])
    path = tmp_path / "memory.tmx"
    path.write_text(swapped, encoding="utf-8")
    ws = open_bilingual(path, use_project=False)
    beads = ws.alignment.beads
    assert [(b.src, b.tgt) for b in beads] == [((i,), (i,)) for i in range(76)]  # the file's own pairing
    assert beads[3].confidence == 0.0 and beads[4].confidence == 0.0
    assert sum(b.confidence >= 0.5 for b in beads) >= 60
    assert any("pair 2 of 76 units differently" in n for n in ws.notices)


def test_bilingual_errors_are_one_line(tmp_path: Path) -> None:
    from aligner.ingest.bilingual import bilingual_documents

    cut = tmp_path / "cut.tmx"
    cut.write_bytes((BILINGUAL / "kiep.ttk.tmx").read_bytes()[:3000])
    french = tmp_path / "fr.xlf"
    french.write_text(
        '<xliff version="1.2"><file source-language="fr" target-language="en"><body>'
        "<trans-unit id='1'><source>Bonjour le monde</source><target>Hello world</target></trans-unit>"
        "</body></file></xliff>",
        encoding="utf-8",
    )
    for path, what in ((cut, "not well-formed XML"), (french, "needs a Korean and an English side")):
        with pytest.raises(InputError) as err:
            bilingual_documents(path)
        assert str(err.value).startswith(str(path)) and what in str(err.value) and "\n" not in str(err.value)


def test_cli_export_takes_a_tmx_alone(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    out = tmp_path / "pairs.tsv"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    cmd = [sys.executable, "-m", "aligner", "export", str(BILINGUAL / "kiep.xliff2.xlf"), "-o", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 77 and rows[1].startswith("중국은 인터넷 플랫폼과")


async def test_reader_opens_a_tmx_as_pairs(tmp_path: Path) -> None:
    from aligner.session.workspace import open_bilingual
    from aligner.tui.app import create_app

    ws = open_bilingual(BILINGUAL / "kiep.aligner.tmx", use_project=False)
    app = create_app(workspace=ws, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.reader.rows) == 76
        assert "kiep.aligner.tmx" in app.status.text and "ko unit 0 · en unit 0" in app.status.text


@pytest.mark.parametrize("lang", [Lang.KO, Lang.EN])
def test_two_column_pdf_reads_in_order(lang: Lang, reference) -> None:  # type: ignore[no-untyped-def]
    """Narrow justified columns: stretched spaces are not table cells, a paragraph runs on
    into the next column, numbers broken at a line end ("2|025") are joined back."""
    doc = load_document(FORMATS_DIR / f"twocol_{lang.value}.pdf", lang)
    body, ref = _body(doc), reference[lang].texts
    assert len(body) == len(ref)
    assert sum(a == b for a, b in zip(body, ref, strict=True)) >= len(ref) - 3
    assert not any(s.heading for s in doc.sentences[1:])
