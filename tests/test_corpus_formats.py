"""Corpus mode on real mixed formats: the committed PDF/DOCX/ODT/HTML/EPUB/HWP/HWPX fixtures
(tests/data/formats/README.md), paired by both folder rules and by a manifest, through the real CLI."""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest

from aligner.core.errors import InputError
from tests.conftest import FIXTURES
from tests.test_corpus import check_units, jsonl, kill_after_the_first_part, outputs, report_rows, run_corpus

pytestmark = pytest.mark.slow  # real CLI subprocesses with the real model (and a kill -9)

FORMATS = FIXTURES / "formats"


def place(root: Path, layout: dict[str, str]) -> Path:
    """Copy fixtures (``formats/``-relative) to the given names below ``root``."""
    for name, fixture in layout.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes((FORMATS / fixture).read_bytes())
    return root


ARCHIVE = {
    "kiep.ko.pdf": "kiep_ko.pdf",  # tag rule, two different extensions
    "kiep.en.docx": "kiep_en.docx",
    "web/ko/kiep.odt": "kiep_ko.odt",  # folder rule, ODT with HTML
    "web/en/kiep.html": "kiep_en.html",
    "book_ko.epub": "kiep_ko.epub",  # EPUB with a two-column PDF
    "book_en.pdf": "twocol_en.pdf",
    "scan.ko.docx": "kiep_ko.docx",  # the English side is a scan: no text layer
    "scan.en.pdf": "bad/image-only.pdf",
    "broken.ko.pdf": "bad/truncated.pdf",  # a truncated download
    "broken.en.odt": "kiep_en.odt",
    "hancom/ko/press.hwpx": "hwpx/press-release-mcst-2024.hwpx",  # Korean only: no English counterpart
    "hancom/ko/note.hwp": "hwp/changing-paragraph-text.hwp",
}


def reader_error(path: Path, root: Path) -> str:
    """The one-line error the reader itself gives for ``path`` (named relative to the corpus)."""
    from aligner.ingest.text import read_document

    with pytest.raises(InputError) as err:
        read_document(path)
    return str(err.value).replace(f"{root}{os.sep}", "")


def test_mixed_format_folder_tmx_report_provenance_unreadable_and_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIGNER_OCR", "off")  # the scan stays unreadable (it is read by OCR otherwise: test_ocr)
    src = place(tmp_path / "archive", ARCHIVE)
    out = tmp_path / "tm"
    res = run_corpus(str(src), "-o", str(out), "--workers", "2", cache=tmp_path / "cache")
    assert res.returncode == 3, res.stderr  # done, with failed documents
    rows = {r["id"]: r for r in check_units(out)}  # DTD-valid TMX, units == report
    assert list(rows) == ["book", "broken", "kiep", "scan", "web/kiep"]
    assert (rows["kiep"]["ko"], rows["kiep"]["en"]) == ("kiep.ko.pdf", "kiep.en.docx")
    assert (rows["web/kiep"]["ko"], rows["web/kiep"]["en"]) == ("web/ko/kiep.odt", "web/en/kiep.html")
    ok = ("book", "kiep", "web/kiep")
    for doc in ok:
        r = rows[doc]
        assert r["status"] == "ok" and r["warnings"] == "", r
        assert int(r["ko_sentences"]) > 80 and int(r["en_sentences"]) > 80
        assert float(r["mean_confidence"]) > 0.85 and int(r["tm_units"]) > 60
    # an unreadable file is reported with the reader's own one-line error, and skipped
    for doc, bad in (("scan", "scan.en.pdf"), ("broken", "broken.ko.pdf")):
        assert rows[doc]["status"] == "failed" and rows[doc]["units"] == "0"
        assert rows[doc]["warnings"] == reader_error(src / bad, src), rows[doc]
        assert f"failed: {doc}: {bad}" in res.stderr
    assert "no text layer" in rows["scan"]["warnings"] and "truncated" in rows["broken"]["warnings"]
    unpaired = dict(line.split("\t") for line in (out / "unpaired.tsv").read_text(encoding="utf-8").splitlines())
    assert unpaired == {
        "file": "reason",
        "hancom/ko/note.hwp": "no English counterpart named 'hancom/note'",
        "hancom/ko/press.hwpx": "no English counterpart named 'hancom/press'",
    }

    units = jsonl(out)
    assert {u["doc"] for u in units} == set(ok)
    by_doc = {doc: [u for u in units if u["doc"] == doc] for doc in ok}
    # page provenance for the PDF sides, paragraph labels for the others, in reading order
    for doc, side in (("kiep", "ko"), ("book", "en")):
        pages = [u[f"{side}_pages"] for u in by_doc[doc] if u[f"{side}_ids"]]
        assert all(pages), doc  # every unit with a sentence on the PDF side knows its page
        flat = [p for ps in pages for p in ps]
        assert flat == sorted(flat) and flat[0] == 1 and flat[-1] >= 6, (doc, flat)
    for doc, side in (("kiep", "en"), ("web/kiep", "ko"), ("web/kiep", "en")):
        labels = [u[f"{side}_locations"] for u in by_doc[doc] if u[f"{side}_ids"]]
        assert all(labels) and all(lab.startswith("¶ ") for ls in labels for lab in ls), doc
        assert not any(u.get(f"{side}_pages") for u in by_doc[doc])
    assert all(u["ko_paragraphs"] or not u["ko_ids"] for u in units)

    # every aligned pair has a project file where the reader finds it
    from aligner.session.project_file import find_project

    for doc in ok:
        assert find_project(src / rows[doc]["ko"], src / rows[doc]["en"]) is not None, doc
    for doc in ("scan", "broken"):
        assert find_project(src / rows[doc]["ko"], src / rows[doc]["en"]) is None


MANIFEST_LAYOUT = {
    "in/a.pdf": "kiep_ko.pdf",
    "in/a.epub": "kiep_en.epub",
    "in/b.docx": "kiep_ko.docx",
    "in/b.odt": "kiep_en.odt",
    "in/c.html": "kiep_ko.html",
    "in/c.pdf": "twocol_en.pdf",
    "in/d.hwp": "bad/truncated.hwp",
    "in/e.epub": "kiep_ko.epub",
    "in/e.docx": "bad/password.docx",
}
MANIFEST = (
    "ko\ten\tid\n"
    "in/a.pdf\tin/a.epub\tpdf-epub\n"
    "in/b.docx\tin/b.odt\tdocx-odt\n"
    "in/c.html\tin/c.pdf\thtml-pdf\n"
    "in/d.hwp\tin/b.odt\ttruncated-hwp\n"
    "in/e.epub\tin/e.docx\tpassword-docx\n"
)


def test_mixed_format_manifest_kill_9_then_rerun_is_identical(tmp_path: Path) -> None:

    for name in ("a", "b"):
        place(tmp_path / name, MANIFEST_LAYOUT)
        (tmp_path / name / "pairs.tsv").write_text(MANIFEST, encoding="utf-8")
    res = run_corpus(str(tmp_path / "a" / "pairs.tsv"), "-o", str(tmp_path / "out-a"), "-q",
                     cache=tmp_path / "cache-a")
    assert res.returncode == 3, res.stderr
    expected = outputs(tmp_path / "out-a")
    rows = {r["id"]: r for r in check_units(tmp_path / "out-a")}
    assert [r for r, v in rows.items() if v["status"] == "ok"] == ["pdf-epub", "docx-odt", "html-pdf"]
    assert "HWP" in rows["truncated-hwp"]["warnings"] and "password" in rows["password-docx"]["warnings"]

    out = tmp_path / "out-b"
    workers = kill_after_the_first_part(str(tmp_path / "b" / "pairs.tsv"), out, tmp_path / "cache-b")
    done = len(list((out / "parts").glob("*.json")))
    assert 1 <= done < len(rows)
    assert not (out / "corpus.tmx").exists()
    _, alive = psutil.wait_procs(workers, timeout=20)
    assert not alive

    res = run_corpus(str(tmp_path / "b" / "pairs.tsv"), "-o", str(out), cache=tmp_path / "cache-b")
    assert res.returncode == 3, res.stderr
    assert "documents reused" in res.stderr
    assert outputs(out) == expected
    assert report_rows(out) == list(rows.values())
