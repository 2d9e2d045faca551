"""OCR of scanned pages: pages per second and text quality, two Tesseract bindings compared.

The scans are made from the KIEP PDF fixtures as the tests make them (``tests/scans.py``:
300 dpi, turned 0.4-0.6 degrees, sensor noise, JPEG in an image-only PDF).  On the same page
images, in the same run, with the same Tesseract settings (Korean + English, single-column
page segmentation, vertical text off):

* **tesserocr** (what aligner uses): the C++ API in process, the model loaded once;
* **pytesseract**: the ``tesseract`` command run per page on an image file (Debian's build
  uses OpenMP threads; also measured limited to one thread);
* **aligner (whole reader)**: ``read_document`` on the scanned PDF with an empty cache
  (rendering, OCR, the layout pass), then again from the OCR cache.

Quality: the similarity (difflib ratio, white space ignored) of each page's OCR text to the
text layer of the PDF it was scanned from, averaged over the pages.
Usage: python bench/bench_ocr.py [--pages N]   (N pages of each language, default 2)
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
FORMATS = ROOT / "tests" / "data" / "formats"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def reference(pdf: Path, pages: range) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [squeeze(doc[n].get_textpage().get_text_range()) for n in pages]
    finally:
        doc.close()


def similarity(got: list[str], ref: list[str]) -> float:
    return statistics.fmean(
        difflib.SequenceMatcher(None, r, squeeze(g), autojunk=False).ratio() for g, r in zip(got, ref, strict=True)
    )


def with_tesserocr(images: list, folder: Path) -> list[str]:  # type: ignore[type-arg]
    import tesserocr

    from aligner.ingest.ocr import OCR_DPI, OCR_LANGS

    out = []
    with tesserocr.PyTessBaseAPI(path=str(folder), lang="+".join(OCR_LANGS), psm=tesserocr.PSM.SINGLE_COLUMN) as api:
        api.SetVariable("textord_tabfind_vertical_text", "0")
        api.SetVariable("user_defined_dpi", str(OCR_DPI))
        for image in images:
            api.SetImage(image)
            out.append(api.GetUTF8Text())
    return out


def with_pytesseract(images: list, folder: Path) -> list[str]:  # type: ignore[type-arg]
    import pytesseract

    from aligner.ingest.ocr import OCR_DPI, OCR_LANGS

    config = f"--psm 4 --dpi {OCR_DPI} -c textord_tabfind_vertical_text=0 --tessdata-dir {folder}"
    return [pytesseract.image_to_string(image, lang="+".join(OCR_LANGS), config=config) for image in images]


def with_pytesseract_one_thread(images: list, folder: Path) -> list[str]:  # type: ignore[type-arg]
    """pytesseract with the ``tesseract`` command's OpenMP threads limited to one, as tesserocr's wheel runs."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        return with_pytesseract(images, folder)
    finally:
        del os.environ["OMP_THREAD_LIMIT"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=2)
    args = ap.parse_args()
    from aligner.ingest.ocr import tessdata_dir
    from tests.scans import image_pdf, scan_pages

    folder = tessdata_dir()
    if folder is None:
        print("## OCR\n\nskipped: no Tesseract language data (apt-get install tesseract-ocr-kor tesseract-ocr-eng)")
        return 0
    pages = range(args.pages)
    rows: list[tuple[str, str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ALIGNER_CACHE_DIR"] = str(Path(tmp) / "cache")
        from aligner.ingest.text import read_document

        for lang in ("ko", "en"):
            pdf = FORMATS / f"kiep_{lang}.pdf"
            images = scan_pages(pdf, pages=list(pages))
            ref = reference(pdf, pages)
            for name, fn in (
                ("tesserocr", with_tesserocr),
                ("pytesseract", with_pytesseract),
                ("pytesseract, OMP_THREAD_LIMIT=1", with_pytesseract_one_thread),
            ):
                try:
                    t0 = time.perf_counter()
                    got = fn(images, folder)
                    rows.append((lang, name, len(images) / (time.perf_counter() - t0), similarity(got, ref)))
                except ImportError:
                    rows.append((lang, f"{name} (not installed)", float("nan"), float("nan")))
            scan = Path(tmp) / f"scan_{lang}.pdf"
            scan.write_bytes(image_pdf(images))
            t0 = time.perf_counter()
            read_document(scan)
            cold = len(images) / (time.perf_counter() - t0)
            t0 = time.perf_counter()
            read_document(scan)
            warm = len(images) / (time.perf_counter() - t0)
            rows.append((lang, "aligner: scanned PDF read (render, OCR, layout)", cold, float("nan")))
            rows.append((lang, "aligner: the same PDF reopened (OCR cache)", warm, float("nan")))
    print("## OCR: scanned pages\n")
    print(
        f"{args.pages} page(s) per language of the KIEP scans (`tests/scans.py`: 300 dpi, turned, noisy, JPEG); "
        "Tesseract Korean + English, single-column segmentation, the same settings for both bindings. "
        "Quality = similarity of the page's OCR text to the text layer it was scanned from (1 = identical).\n"
    )
    print("| language | reader | pages/s | quality |")
    print("|---|---|---:|---:|")
    for lang, name, speed, quality in rows:
        q = "" if quality != quality else f"{quality:.3f}"
        s = "" if speed != speed else f"{speed:.2f}"
        print(f"| {lang} | {name} | {s} | {q} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
