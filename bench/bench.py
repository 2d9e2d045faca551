"""`make bench`: every benchmark in one run, written to BENCHMARKS.md.

Runs, in this order: English sentence splitting vs pysbd (bench_segment.py),
document extraction per format against pdftotext (bench_formats.py), OCR of
scanned pages with tesserocr against pytesseract (bench_ocr.py), the
embedding models (bench_models.py), sentence alignment against Bertalign on the
KIEP dev gold, the development sets and the 10k and 100k scale tests
(bench_align.py), the free literary translation of ../shared/dev/grimm and book length
(bench_grimm.py), search latency headless (bench_search.py), term search across languages
before and after concept search (bench_terms.py), key-term recall of the glossary and the
reader's first glossary (bench_glossary_recall.py) and search latency in the real
reader (bench_tui_search.py), launch to first pair in a real terminal beside a
minimal Textual app (bench_first_paint.py), corpus throughput (bench_corpus.py), what
hostile documents cost against an ordinary one (bench_budgets.py), the EPUB writer against
ebooklib (bench_book.py) and the related-reading library: faiss index types, the whole query at
1M sentences, indexing (bench_related.py).
Numbers are from this machine, this run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> str:
    print(f"== {script} {' '.join(args)}", file=sys.stderr, flush=True)
    res = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True, cwd=HERE)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit(f"{script} failed")
    return res.stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=HERE.parent / "BENCHMARKS.md")
    ap.add_argument("--repeat", default="3")
    args = ap.parse_args()
    segment = run("bench_segment.py")
    formats = run("bench_formats.py", "--repeat", args.repeat)
    ocr = run("bench_ocr.py")
    models = run("bench_models.py")
    align = run("bench_align.py", "--repeat", args.repeat)
    grimm = run("bench_grimm.py")
    search = run("bench_search.py")
    terms = run("bench_terms.py")
    glossary = run("bench_glossary_recall.py", "--reader")
    tui = run("bench_tui_search.py")
    first_paint = run("bench_first_paint.py")
    corpus = run("bench_corpus.py")
    budgets = run("bench_budgets.py")
    book = run("bench_book.py", "--repeat", args.repeat)
    related = run("bench_related.py", "--sentences", "1000000", "--docs", "1000")
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# Benchmarks

Produced by `make bench` (`python bench/bench.py --out BENCHMARKS.md`) on {when}:
{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, no GPU.
Benchmarks are not tests: nothing here is asserted in the test suite. Peers are measured in the
same run; compare ratios, not absolute seconds.

## English sentence splitting

The edge cases are those of `tests/test_segment.py`; the summary is split paragraph by paragraph
and compared with the 84 gold sentences. (Korean is split by kiwipiepy; the Korean abstract gives
exactly the 87 gold sentences, a test asserts it.)

{segment}

{formats}

{ocr}

## Embedding models that ship inside a pip package

Load = model load + first call; bulk = KIEP gold sentences (long policy prose) per second;
one query = one short search query, median of 50; top-1 = gold 1-1 pairs retrieved among all
sentences of the other side. The default model is the best row here and in the alignment table.

{models}

{align}

{grimm}

## Search latency on the KIEP sample

Every prefix of 10 realistic queries (Korean and English), as typed.
Headless = `Workspace.search` (query embedding, faiss, literal and morpheme matching):

{search}

In the reader (Textual, driven by its Pilot at ~8 keys/s): from the keystroke to the first paint
of the screen that shows the results for the text typed so far (includes the 25 ms debounce):

{tui}

{terms}

{glossary}

## Reader: launch to first pair

Through a real terminal (tmux 100x30), polled with `tmux capture-pane`; the minimal app is
a header, an 85-row DataTable and a footer. Warm = every cache filled; cold = an empty
`ALIGNER_CACHE_DIR`. Goal: warm ≤ 2x the minimal app; cold ≤ cold `aligner align` + the app.

{first_paint}

{corpus}

## Input budgets: hostile documents

`aligner align HOSTILE data/kiep_brief_en.txt` under a 2 GiB address-space limit, against the
KIEP pair in the same run (bench_budgets.py; the files are made by tests/hostile.py). Peak RSS
includes the PDF extractor's child process.

{budgets}

{book}

{related}
"""
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
