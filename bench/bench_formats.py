"""Document extraction: speed per format, PDF readers compared, a 500-page PDF.

1. PDF: our reader (pypdfium2 + layout pass) against raw pypdfium2, pypdf,
   pdfplumber and poppler's ``pdftotext``, in the same run, on the KIEP fixtures
   (tests/data/formats/kiep_{ko,en}.pdf, 8 pages each, made by LibreOffice):
   pages per second, and how many of the text file's sentences each one's text
   gives back when segmented (headers, page numbers, broken lines and spurious
   spaces all cost sentences).
2. Every format: pages per second (the KIEP text is 8 pages when LibreOffice prints
   it, so DOCX/ODT/HTML/EPUB are counted as 8 pages; HWP/HWPX files by their size).
3. A 500-page PDF (the English fixture concatenated): time and peak memory of our
   reader against pdftotext.

Prints markdown.  Optional readers that are not installed are skipped.
Usage: python bench/bench_formats.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
FORMATS = ROOT / "tests" / "data" / "formats"
KIEP_PAGES = 8


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def ours(path: Path) -> str:
    from aligner.ingest.text import read_document

    return read_document(path).text


def raw_pdfium(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    try:
        return "\n\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def pypdf_text(path: Path) -> str:
    import pypdf

    return "\n\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n\n".join(page.extract_text() or "" for page in pdf.pages)


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _available() -> dict[str, Callable[[Path], str]]:
    readers: dict[str, Callable[[Path], str]] = {"aligner (pypdfium2 + layout)": ours, "pypdfium2 raw text": raw_pdfium}
    for label, module, fn in (("pypdf", "pypdf", pypdf_text), ("pdfplumber", "pdfplumber", pdfplumber_text)):
        try:
            __import__(module)
        except ImportError:
            continue
        readers[label] = fn
    if shutil.which("pdftotext"):
        readers["pdftotext (poppler)"] = pdftotext
    return readers


def _kept(text: str, lang: str, reference: list[str], extracted: bool) -> int:
    """How many of the reference sentences come back exactly, in order (LCS length)."""
    from difflib import SequenceMatcher

    from aligner.core.values import Lang
    from aligner.segment.sentences import segment

    doc = segment(text, Lang(lang), encoding="pdf" if extracted else "utf-8")
    got = [s.text for s in doc.sentences]
    return sum(m.size for m in SequenceMatcher(None, reference, got, autojunk=False).get_matching_blocks())


def pdf_table(repeat: int) -> list[str]:
    from aligner.core.values import Lang
    from aligner.segment.sentences import load_document

    refs = {lang: load_document(ROOT / "data" / f"kiep_{lang}.txt", Lang(lang)).texts for lang in ("ko", "en")}
    lines = [
        "| PDF reader | pages/s (ko) | pages/s (en) | Korean sentences kept | English sentences kept |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, fn in _available().items():
        cells = []
        kept = []
        for lang in ("ko", "en"):
            path = FORMATS / f"kiep_{lang}.pdf"
            cells.append(f"{KIEP_PAGES / best(lambda p=path, f=fn: f(p), repeat):.0f}")
            kept.append(f"{_kept(fn(path), lang, refs[lang], fn is ours)}/{len(refs[lang])}")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {kept[0]} | {kept[1]} |")
    return lines


def format_table(repeat: int) -> list[str]:
    lines = ["| format | file | KB | pages/s | ms/file |", "|---|---|---:|---:|---:|"]
    cases = [
        (ext, FORMATS / f"kiep_{lang}.{ext}", KIEP_PAGES)
        for ext in ("pdf", "docx", "odt", "html", "epub")
        for lang in ("ko", "en")
    ]
    cases += [
        ("hwp", FORMATS / "hwp" / "finding-all-field.hwp", 1),
        ("hwpx", FORMATS / "hwpx" / "press-release-mcst-2024.hwpx", 2),
    ]
    for ext, path, pages in cases:
        t = best(lambda p=path: ours(p), repeat)
        size = path.stat().st_size / 1024
        lines.append(f"| {ext} | {path.name} | {size:.0f} | {pages / t:.0f} | {t * 1000:.1f} |")
    return lines


# Peak memory from /proc (VmHWM, reset at exec): getrusage's ru_maxrss would carry over
# the benchmark process's own peak into the child.
_PEAK = """
import re, sys, time
sys.path.insert(0, {src!r})
from aligner.ingest.text import read_document
t0 = time.perf_counter(); text = read_document({path!r}).text; t = time.perf_counter() - t0
hwm = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)
print(t, len(text), hwm)
"""


def big_pdf() -> list[str]:
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.pdf"
        src = pdfium.PdfDocument(FORMATS / "kiep_en.pdf")
        out = pdfium.PdfDocument.new()
        while len(out) < 500:
            out.import_pages(src)
        out.save(path)
        pages = len(out)
        res = subprocess.run(
            [sys.executable, "-c", _PEAK.format(src=str(ROOT / "src"), path=str(path))],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        seconds, _chars, rss_kb = res.stdout.split()
        lines = [
            f"{pages}-page PDF ({path.stat().st_size / 1e6:.1f} MB):",
            "",
            "| reader | seconds | pages/s | peak RSS |",
            "|---|---:|---:|---:|",
            f"| aligner (pypdfium2 + layout) | {float(seconds):.1f} | {pages / float(seconds):.0f}"
            f" | {int(rss_kb) / 1024:.0f} MB |",
        ]
        if shutil.which("pdftotext"):
            cmd = ["pdftotext", str(path), str(Path(tmp) / "big.txt")]
            gnu_time = Path("/usr/bin/time")  # GNU time reports the child's peak RSS (%M, KB)
            if gnu_time.exists():
                cmd = [str(gnu_time), "-f", "%M", *cmd]
            t0 = time.perf_counter()
            res = subprocess.run(cmd, check=True, capture_output=True, text=True)
            t = time.perf_counter() - t0
            last = res.stderr.strip().splitlines()[-1:] if gnu_time.exists() else []
            peak = f"{int(last[0]) / 1024:.0f} MB" if last and last[0].isdigit() else "(not measured)"
            lines.append(f"| pdftotext (poppler) | {t:.1f} | {pages / t:.0f} | {peak} |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("## Document extraction\n")
    print("PDF readers on the KIEP fixtures (same run; sentences kept = the text file's sentences")
    print("recovered exactly, in order, after segmenting each reader's text):\n")
    print("\n".join(pdf_table(args.repeat)))
    print("\nEvery format through `read_document` (best of", args.repeat, "runs):\n")
    print("\n".join(format_table(args.repeat)))
    print()
    print("\n".join(big_pdf()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
