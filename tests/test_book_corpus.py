"""``aligner corpus … --books``: one parallel-text book per aligned pair, through the real CLI and model."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import html

from .test_book import epubcheck, needs_epubcheck
from .test_corpus import make_corpus, run_corpus

pytestmark = pytest.mark.slow  # real CLI subprocesses with the real model


def _report(out: Path) -> dict[str, dict[str, str]]:
    with (out / "report.tsv").open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}


@needs_epubcheck
def test_corpus_writes_one_book_per_aligned_pair(tmp_path: Path) -> None:
    src = tmp_path / "archive"
    ids = make_corpus(src, 3, 9)
    (src / "empty.ko.txt").write_text(" \n", encoding="utf-8")  # fails: no book, the others go on
    (src / "empty.en.txt").write_text("An English text alone.\n", encoding="utf-8")
    out = tmp_path / "tm"
    res = run_corpus(str(src), "-o", str(out), "--workers", "1", "--books", "--book-format", "html",
                     "--book-layout", "side-by-side", cache=tmp_path / "cache")  # fmt: skip
    assert res.returncode == 3, res.stderr  # "empty" failed to align
    report = _report(out)
    books = sorted(p.name for p in (out / "books").iterdir())
    assert books == [f"{i}.html" for i in ids]
    assert f"3 books in {out / 'books'}" in " ".join(res.stderr.split())
    for doc_id in ids:
        page = html.fromstring((out / "books" / f"{doc_id}.html").read_text(encoding="utf-8"))
        assert page.get("lang") == "ko" and page.xpath("//table[contains(@class, 'side-by-side')]")
        ko_ids = [int(i) for el in page.xpath("//*[@lang='ko'][@data-ids]") for i in el.get("data-ids").split(",") if i]
        assert ko_ids == list(range(int(report[doc_id]["ko_sentences"])))
        assert len(page.xpath("//*[@data-bead][contains(@class, 'pair')]")) == int(report[doc_id]["beads"])

    # a rerun reuses the alignments and writes EPUBs that pass EPUBCheck
    res = run_corpus(str(src), "-o", str(out), "--workers", "1", "--books", "--book-layout", "learner",
                     "--book-lead", "en", cache=tmp_path / "cache")  # fmt: skip
    assert res.returncode == 3 and "3 documents reused" in res.stderr, res.stderr
    epub = out / "books" / f"{ids[0]}.epub"
    done = epubcheck(epub)
    assert done.returncode == 0 and "0 errors / 0 warnings" in done.stdout, done.stdout
