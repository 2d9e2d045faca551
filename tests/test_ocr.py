"""Scanned documents read by OCR (issue 24): Tesseract through tesserocr, the real model.

The scans are made here from the KIEP PDF fixtures (``tests/scans.py``): pages rendered
at 300 dpi, turned a little, with noise, written as image-only PDFs by Pillow.  OCR is
slow on a shared machine, so the tests that read the whole scans are marked slow and
share one reading (the OCR cache makes the second reading of a file instant).
"""

from __future__ import annotations

import bisect
import difflib
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.align.confidence import OCR_DOUBT_CAP, ConfidenceBand
from aligner.align.documents import align_documents
from aligner.align.metrics import score
from aligner.core.errors import InputError
from aligner.core.values import Bead, Document, Lang
from aligner.ingest.extracted import doubtful_sentences, location_of
from aligner.ingest.ocr import OCR_ENV, OcrMode, OcrNotCached
from aligner.ingest.text import read_document
from aligner.segment.sentences import load_document
from aligner.session.workspace import load_pair
from tests.conftest import DATA, FIXTURES, ROOT
from tests.scans import mixed_pdf, scan_pages, write_scan

FORMATS = FIXTURES / "formats"
IMAGE_ONLY = FORMATS / "bad" / "image-only.pdf"  # page 1 of kiep_en.pdf by poppler's pdftoppm, as an image
HEADER_FOOTER = ("KIEP 연구보고서", "KIEP Research Paper", "연구보고서 18-26", "Research Paper 18-26")
PAGE_NUMBER = r"(?:^|\s)[-–—]\s?\d{1,2}\s?[-–—](?:\s|$)"

pytestmark = pytest.mark.skipif(
    not os.environ.get("TESSDATA_PREFIX") and not Path("/usr/share/tesseract-ocr").exists(),
    reason="Tesseract's language data is not installed (apt-get install tesseract-ocr-kor tesseract-ocr-eng)",
)


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[Lang, Path]:
    folder = tmp_path_factory.mktemp("scans")
    return {lang: write_scan(FORMATS / f"kiep_{lang.value}.pdf", folder / f"kiep_{lang.value}.pdf") for lang in Lang}


@pytest.fixture(scope="module")
def reference() -> dict[Lang, Document]:
    return {lang: load_document(DATA / f"kiep_{lang.value}.txt", lang) for lang in Lang}


@pytest.fixture(scope="module")
def scanned_pair(scans: dict[Lang, Path]) -> tuple[Document, Document, list[tuple[str, int, int]]]:
    heard: list[tuple[str, int, int]] = []
    ko, en = load_pair(scans[Lang.KO], scans[Lang.EN], progress=lambda *event: heard.append(event))
    return ko, en, heard


def _to_reference(doc: Document, ref: Document) -> dict[int, int]:
    """Each body sentence of ``doc`` → the reference sentence most of its characters match."""
    starts, pos = [], 0
    for text in ref.texts:
        starts.append(pos)
        pos += len(text)
    body = [s for s in doc.sentences if not s.heading]
    ours = "".join(s.text for s in body)
    owner: list[int | None] = [None] * len(ours)
    matcher = difflib.SequenceMatcher(None, "".join(ref.texts), ours, autojunk=False)
    for i, j, n in matcher.get_matching_blocks():
        for k in range(n):
            owner[j + k] = bisect.bisect_right(starts, i + k) - 1
    out: dict[int, int] = {}
    pos = 0
    for s in body:
        votes = [o for o in owner[pos : pos + len(s.text)] if o is not None]
        pos += len(s.text)
        if votes:
            out[s.index] = max(set(votes), key=votes.count)
    return out


def _in_reference_ids(beads: tuple[Bead, ...], ko: dict[int, int], en: dict[int, int]) -> list[Bead]:
    """The beads over the reference's sentence ids (a sentence OCR split in two, both parts in
    one bead, is the reference's one sentence; parts in two beads make two wrong beads)."""
    out: list[Bead] = []
    for b in beads:
        src = {ko[i] for i in b.src if i in ko}
        tgt = {en[j] for j in b.tgt if j in en}
        if out and (src & set(out[-1].src) or tgt & set(out[-1].tgt)):
            last = out.pop()
            src, tgt = src | set(last.src), tgt | set(last.tgt)
        if src or tgt:
            out.append(Bead(tuple(sorted(src)), tuple(sorted(tgt))))
    return out


@pytest.mark.slow
def test_scanned_kiep_pair_aligns_like_the_text_files(scanned_pair, reference, encoder) -> None:  # type: ignore[no-untyped-def]
    import re

    ko, en, _ = scanned_pair
    for doc in (ko, en):
        assert doc.encoding == "pdf"
        for s in doc.sentences:
            assert not any(h in s.text for h in HEADER_FOOTER), s.text
            assert not re.search(PAGE_NUMBER, s.text), s.text
    text_beads = align_documents(reference[Lang.KO], reference[Lang.EN], encoder)
    beads = align_documents(ko, en, encoder)
    mapped = _in_reference_ids(beads, _to_reference(ko, reference[Lang.KO]), _to_reference(en, reference[Lang.EN]))
    assert score([text_beads], [mapped]).f1_strict >= 0.95


@pytest.mark.slow
def test_ocr_reports_every_page_and_keeps_page_locations(scanned_pair) -> None:  # type: ignore[no-untyped-def]
    ko, en, heard = scanned_pair
    for name in ("OCR kiep_ko.pdf", "OCR kiep_en.pdf"):
        assert [(done, total) for stage, done, total in heard if stage == name] == [(k, 8) for k in range(9)]
    for doc in (ko, en):
        pages = [int(str(location_of(doc, s)).removeprefix("p. ")) for s in doc.sentences]
        assert pages[0] == 1 and pages[-1] == 8 and pages == sorted(pages)
    on_p3 = next(s for s in en.sentences if s.text.startswith("In China, a large number of start-ups"))
    assert location_of(en, on_p3) == "p. 3"


@pytest.mark.slow
def test_low_confidence_ocr_is_marked_for_review(scanned_pair, reference, encoder) -> None:  # type: ignore[no-untyped-def]
    ko, en, _ = scanned_pair
    doubtful = doubtful_sentences(ko)
    assert 0 < len(doubtful) < len(ko)
    # The sentences OCR was unsure of are the ones it got wrong: further from the text file's.
    mapping, ref = _to_reference(ko, reference[Lang.KO]), reference[Lang.KO]

    def similarity(k: int) -> float:
        return difflib.SequenceMatcher(None, ko.sentences[k].text, ref.sentences[mapping[k]].text).ratio()

    unsure = [similarity(k) for k in doubtful if k in mapping]
    sure = [similarity(s.index) for s in ko.sentences if s.index in mapping and s.index not in doubtful]
    assert sum(unsure) / len(unsure) < sum(sure) / len(sure)
    assert sum(x == 1.0 for x in sure) / len(sure) > sum(x == 1.0 for x in unsure) / len(unsure)
    beads = align_documents(ko, en, encoder)
    flagged = [b for b in beads if doubtful & set(b.src)]
    assert flagged and all(b.confidence <= OCR_DOUBT_CAP for b in flagged)
    assert all(ConfidenceBand.of(b.confidence) is not ConfidenceBand.HIGH for b in flagged)
    assert any(ConfidenceBand.of(b.confidence) is ConfidenceBand.HIGH for b in beads if not doubtful & set(b.src))


@pytest.mark.slow
def test_a_reopened_scan_is_read_from_the_cache(scanned_pair, scans, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = read_document(scans[Lang.EN])  # read by the fixture: cached
    again = read_document(scans[Lang.EN], ocr=OcrMode.CACHED)  # would raise if it needed Tesseract
    assert again == first
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(scans[Lang.EN].read_bytes() + b"\n% another file\n")  # same pages, other content
    with pytest.raises(OcrNotCached):
        read_document(changed, ocr=OcrMode.CACHED)


def test_mixed_pdf_reads_its_text_pages_without_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    text_pdf = FORMATS / "kiep_en.pdf"
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(_scan_of(text_pdf, pages=[0, 1, 2]))
    mixed = mixed_pdf(text_pdf, scanned, [2], tmp_path / "mixed.pdf")  # page 3 scanned, the rest text
    heard: list[tuple[str, int, int]] = []
    doc = load_document(mixed, Lang.EN, progress=lambda *event: heard.append(event))
    assert [(d, t) for stage, d, t in heard if stage.startswith("OCR")] == [(0, 1), (1, 1)]  # one page OCR'd
    text = load_document(text_pdf, Lang.EN)
    on_text_pages = [s.text for s in text.sentences if location_of(text, s) != "p. 3"]
    ours = set(doc.texts)
    assert sum(t in ours for t in on_text_pages) >= len(on_text_pages) - 2  # the two sentences across p. 3's edges
    on_p3 = next(s for s in doc.sentences if s.text.startswith("In China, a large number of start-ups"))
    assert location_of(doc, on_p3) == "p. 3"

    monkeypatch.setenv(OCR_ENV, "off")  # --no-ocr: the text pages, and a warning naming the page left out
    with caplog.at_level(logging.WARNING):
        without = load_document(mixed, Lang.EN)
    assert "page(s) 3 are scans" in caplog.text
    assert not any(t.startswith("In China, a large number of start-ups") for t in without.texts)
    assert sum(t in set(without.texts) for t in on_text_pages) >= len(on_text_pages) - 2


def _scan_of(pdf: Path, pages: list[int]) -> bytes:
    from tests.scans import image_pdf

    return image_pdf(scan_pages(pdf, pages=pages))


def test_page_images_are_read_by_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    tiff = tmp_path / "pages.tif"  # a scanner's multi-page TIFF: each frame a page
    first, second = scan_pages(FORMATS / "kiep_en.pdf", pages=[0, 1])
    first.save(tiff, save_all=True, append_images=[second], dpi=(300, 300), compression="tiff_lzw")
    got = read_document(tiff)
    assert got.format == "image"
    text = " ".join(got.text.split())
    assert "China's Internet Plus Strategy" in text or "China’s Internet Plus Strategy" in text
    assert "In Chapter 2, we analyze the background" in text  # page 2
    assert "KIEP Research Paper" not in text and "18-26" not in text  # the running header is furniture here too
    assert {label for _, label in got.locations} == {"p. 1", "p. 2"}


def _aligner(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = [p for p in (env.pop("EXTRA_PATH", ""), str(ROOT / "src")) if p]
    full = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], capture_output=True, text=True, env=full, cwd=ROOT, timeout=600
    )


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("aligner: error: "), result.stderr
    return lines[0]


def test_missing_language_data_names_the_packages(tmp_path: Path) -> None:
    empty = tmp_path / "tessdata"
    empty.mkdir()
    result = _aligner("align", str(DATA / "kiep_ko.txt"), str(IMAGE_ONLY), TESSDATA_PREFIX=str(empty),
                      ALIGNER_CACHE_DIR=str(tmp_path / "cache"))  # fmt: skip
    line = _one_error_line(result)
    assert str(IMAGE_ONLY) in line and "Korean and English language data is missing" in line
    assert "tesseract-ocr-kor tesseract-ocr-eng" in line and "--no-ocr" in line


def test_missing_engine_names_what_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    (blocker / "tesserocr.py").write_text("raise ImportError('no tesserocr here')\n")
    result = _aligner("align", str(DATA / "kiep_ko.txt"), str(IMAGE_ONLY), EXTRA_PATH=str(blocker),
                      ALIGNER_CACHE_DIR=str(tmp_path / "cache"))  # fmt: skip
    line = _one_error_line(result)
    assert str(IMAGE_ONLY) in line and "pip install tesserocr" in line


def test_no_ocr_refuses_a_scan(tmp_path: Path) -> None:
    result = _aligner("align", str(DATA / "kiep_ko.txt"), str(IMAGE_ONLY), "--no-ocr",
                      ALIGNER_CACHE_DIR=str(tmp_path / "cache"))  # fmt: skip
    line = _one_error_line(result)
    assert str(IMAGE_ONLY) in line and "OCR is off (--no-ocr)" in line


def test_no_ocr_refuses_an_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    png = tmp_path / "page.png"
    scan_pages(FORMATS / "kiep_en.pdf", pages=[0])[0].save(png)
    monkeypatch.setenv(OCR_ENV, "off")
    with pytest.raises(InputError, match=r"is an image .* OCR is off"):
        read_document(png)


@pytest.mark.slow
def test_cli_shows_ocr_progress_and_aligns_a_scan(tmp_path: Path) -> None:
    result = _aligner("align", str(DATA / "kiep_ko.txt"), str(IMAGE_ONLY), "--format", "beads",
                      ALIGNER_CACHE_DIR=str(tmp_path / "cache"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "OCR image-only.pdf" in result.stderr
    beads = [Bead.parse(line) for line in result.stdout.splitlines()]
    assert sum(1 for b in beads if b.src and b.tgt) >= 5  # page 1's sentences found their Korean


def test_the_pre_reading_thread_never_runs_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan not read before is left to the reader's worker, which shows OCR's progress."""
    from aligner.session.opening import PairReading

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    assert PairReading(DATA / "kiep_ko.txt", IMAGE_ONLY).result(timeout=60) is None
    assert not list((tmp_path / "cache").glob("ocr/*.json"))  # nothing was recognised


@pytest.mark.slow
async def test_the_reader_shows_ocr_progress_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner.tui.app import create_app
    from aligner.tui.status_bar import StatusBar

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scan_of(FORMATS / "kiep_en.pdf", pages=[0, 1]))
    shown: list[tuple[str, int, int]] = []
    real = StatusBar.progress

    def progress(self: StatusBar, stage: str, done: int, total: int) -> None:
        shown.append((stage, done, total))
        real(self, stage, done, total)

    monkeypatch.setattr(StatusBar, "progress", progress)
    app = create_app(DATA / "kiep_ko.txt", scan)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1200):
            await pilot.pause(0.1)
            if app.session is not None:
                break
        assert app.session is not None
        assert [(d, t) for stage, d, t in shown if stage == "OCR scan.pdf"] == [(0, 2), (1, 2), (2, 2)]
        workspace = app.workspace
        assert workspace is not None
        assert any(workspace.en.sentences[j].text.startswith("China") for b in app.session.beads for j in b.tgt)


def test_a_two_column_page_is_read_column_by_column() -> None:
    import numpy as np

    from aligner.ingest.columns import gutter, reading_regions

    one = np.asarray(scan_pages(FORMATS / "kiep_ko.pdf", pages=[1])[0])
    assert gutter(one) is None and reading_regions(one) == [(0, 0, one.shape[1], one.shape[0])]
    for pdf in ("twocol_ko.pdf", "twocol_en.pdf"):  # the same text, LibreOffice in two columns
        page = np.asarray(scan_pages(FORMATS / pdf, pages=[1], angle=1.2)[0])
        height, width = page.shape
        found = gutter(page)
        assert found is not None and 0.4 * width < found[0] < 0.6 * width
        regions = reading_regions(page)
        assert sum(h for _, _, w, h in regions if w == width) + sum(h for x, _, _, h in regions if x > 0) == height
        body = max(regions, key=lambda r: r[3])  # the columns: left first, then right, over the same rows
        right = regions[regions.index(body) + 1]
        assert body[0] == 0 and right[0] == body[2] and right[1] == body[1] and right[3] == body[3]
        assert body[3] > 0.6 * height
        header = next(r for r in regions if r[2] == width and r[1] < body[1])  # the running header, whole
        assert header[1] < 0.15 * height


def test_the_cache_key_follows_the_engine_and_the_language_data(tmp_path: Path) -> None:
    import shutil

    from aligner.ingest.ocr import OCR_LANGS, check_engine, engine_key, tessdata_dir

    installed = tessdata_dir()
    assert installed is not None
    module, _ = check_engine("x")
    copy = tmp_path / "tessdata"
    copy.mkdir()
    for lang in OCR_LANGS:
        shutil.copy(installed / f"{lang}.traineddata", copy)
    key = engine_key(module, copy)
    assert key == engine_key(module, installed)  # the same data elsewhere: the same results
    assert str(module.tesseract_version()).split()[1] in key  # the engine's version
    with (copy / "kor.traineddata").open("ab") as f:
        f.write(b"\0")  # other Korean data
    assert engine_key(module, copy) != key
