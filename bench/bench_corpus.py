#!/usr/bin/env python3
"""Corpus-mode throughput: 1 worker, 2 local worker processes, Dask with 2 workers.

    python bench/bench_corpus.py [--docs 35] [--formats 15] [--beads 10] [--stride 7]

A mixed-format corpus: ``--formats`` pairs made of the committed format fixtures
(tests/data/formats: the KIEP report as LibreOffice PDF/DOCX/ODT, pandoc
HTML/EPUB and a two-column PDF, every pair a Korean and an English file of two
different formats, named by both folder rules), plus ``--docs`` plain-text pairs
cut from the KIEP dev gold (tests/test_corpus.py ``make_corpus``: ``--beads``
consecutive gold beads, one window every ``--stride`` beads, English alternately
.txt and .md), plus what an archive also holds: a pair whose English side is a
scan (image-only PDF: reported as failed) and a Korean-only HWPX (unpaired). Every configuration runs the
real CLI (``python -m aligner corpus``) in a fresh process with a fresh cache and
a fresh copy of the inputs, so the wall time includes start-up, model loads
and, for Dask, starting a local cluster (``--engine dask`` without
``--address``). The 86 gold beads repeat across 50 documents: after the first
pass over the text most sentence embeddings come from the cache, as when an
archive holds overlapping texts; the breakdown table measures each stage cold.
Prints Markdown on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

CONFIGS = (
    ("1 worker (in-process)", ("--workers", "1")),
    ("2 local worker processes", ("--workers", "2")),
    ("Dask, local cluster of 2 workers", ("--engine", "dask", "--workers", "2")),
)


def _run(corpus: Path, work: Path, name: str, extra: tuple[str, ...]) -> dict[str, float]:
    inputs = work / f"in-{name}"
    shutil.copytree(corpus, inputs)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ALIGNER_CACHE_DIR=str(work / f"cache-{name}"))
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "aligner", "corpus", str(inputs), "-o", str(work / f"out-{name}"),
                          "-q", "--no-projects", *extra], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if res.returncode not in (0, 3):  # 3: done, with the scan reported as failed
        raise SystemExit(f"corpus run {name} failed: {res.stderr}")
    lines = (work / f"out-{name}" / "report.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    parts = [json.loads(p.read_text(encoding="utf-8")) for p in (work / f"out-{name}" / "parts").glob("*.json")]
    return {
        "wall": wall,
        "docs": sum(1 for r in rows if r["status"] == "ok"),
        "failed": sum(1 for r in rows if r["status"] != "ok"),
        "sentences": sum(int(r["ko_sentences"]) + int(r["en_sentences"]) for r in rows),
        "pairs": sum(int(r["tm_units"]) for r in rows),
        "job_seconds": sum(p["result"]["seconds"] for p in parts),
        "format_seconds": sum(p["result"]["seconds"] for p in parts if "fmt" in p["id"]),
        "format_sentences": sum(int(r["ko_sentences"]) + int(r["en_sentences"]) for r in rows if "fmt" in r["id"]),
        "tmx": (work / f"out-{name}" / "corpus.tmx").read_bytes(),  # type: ignore[dict-item]
    }


def _stages(corpus: Path, work: Path) -> dict[str, float]:
    """One pass over the corpus in this process, as a job does it: where a document's time goes."""
    os.environ["ALIGNER_CACHE_DIR"] = str(work / "cache-stages")
    from aligner.align.documents import align_documents
    from aligner.core.errors import InputError
    from aligner.corpus.job import document_encoder
    from aligner.corpus.manifest import load_corpus
    from aligner.embed.vector_cache import cached_encoder
    from aligner.session.workspace import load_pair

    t = time.perf_counter()
    cached_encoder().load()
    out = {"model load": time.perf_counter() - t, "read + segment": 0.0, "embed": 0.0, "align": 0.0}
    for entry in load_corpus(corpus).entries:
        t = time.perf_counter()
        try:
            ko, en = load_pair(entry.ko, entry.en)
        except InputError:
            continue  # the scan
        finally:
            out["read + segment"] += time.perf_counter() - t
        with document_encoder(None) as encoder:  # each document embedded on its own, as in a job
            t = time.perf_counter()
            encoder.encode(ko.texts)
            encoder.encode(en.texts)
            out["embed"] += time.perf_counter() - t
            t = time.perf_counter()
            align_documents(ko, en, encoder)  # sentence vectors cached: the DP, scoring, merged-sentence vectors
            out["align"] += time.perf_counter() - t
    return out


FORMATS = ROOT / "tests" / "data" / "formats"
KO_FILES = ("kiep_ko.pdf", "kiep_ko.docx", "kiep_ko.odt", "kiep_ko.html", "kiep_ko.epub", "twocol_ko.pdf")
EN_FILES = ("kiep_en.pdf", "kiep_en.docx", "kiep_en.odt", "kiep_en.html", "kiep_en.epub", "twocol_en.pdf")


def _copy(fixture: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FORMATS / fixture, dest)


def make_format_pairs(folder: Path, n: int) -> list[str]:
    """``n`` pairs of format fixtures, Korean and English in two different formats (pdf-docx,
    docx-odt, ...), alternately named ``fmtNN.ko.X``/``fmtNN.en.Y`` and ``ko/fmtNN.X``/``en/fmtNN.Y``;
    plus ``scan.ko.docx``/``scan.en.pdf`` (image-only) and ``hancom/press.ko.hwpx`` (no English)."""
    combos = [(KO_FILES[i], EN_FILES[(i + shift) % len(EN_FILES)]) for shift in range(1, 6) for i in range(6)]
    names = []
    for k in range(n):
        ko, en = combos[k % len(combos)]
        name = f"fmt{k:02d}"
        kx, ex = Path(ko).suffix, Path(en).suffix
        if k % 2:
            _copy(ko, folder / "ko" / f"{name}{kx}")
            _copy(en, folder / "en" / f"{name}{ex}")
        else:
            _copy(ko, folder / f"{name}.ko{kx}")
            _copy(en, folder / f"{name}.en{ex}")
        names.append(f"{Path(ko).name}-{Path(en).name}")
    _copy("kiep_ko.docx", folder / "scan.ko.docx")
    _copy("bad/image-only.pdf", folder / "scan.en.pdf")
    _copy("hwpx/press-release-mcst-2024.hwpx", folder / "hancom" / "press.ko.hwpx")
    return names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=35, help="plain-text pairs cut from the gold")
    ap.add_argument("--formats", type=int, default=15, help="pairs of format fixtures (PDF, DOCX, ODT, HTML, EPUB)")
    ap.add_argument("--beads", type=int, default=10)
    ap.add_argument("--stride", type=int, default=7)
    args = ap.parse_args()
    from tests.test_corpus import make_corpus

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        work = Path(tmp)
        make_corpus(work / "corpus", args.docs, args.beads, args.stride)
        combos = make_format_pairs(work / "corpus", args.formats)
        results = []
        for label, extra in CONFIGS:
            print(f"== corpus: {label}", file=sys.stderr, flush=True)
            results.append((label, _run(work / "corpus", work, str(len(results)), extra)))
        stages = _stages(work / "corpus", work)
    same = all(r["tmx"] == results[0][1]["tmx"] for _, r in results)
    first = results[0][1]
    lines = [
        "## Corpus mode",
        "",
        f"{int(first['docs'])} document pairs aligned in mixed formats: {len(combos)} pairs of the format fixtures "
        f"(the KIEP report as PDF, DOCX, ODT, HTML, EPUB and two-column PDF, Korean and English always in two "
        f"different formats, paired by both folder rules: {', '.join(sorted(set(combos)))}) and "
        f"{int(first['docs']) - len(combos)} plain-text pairs cut from the KIEP gold (Korean .txt, English "
        f".txt/.md); {int(first['failed'])} more pair (an image-only PDF) reported as failed and a Korean-only "
        f"HWPX as unpaired. {int(first['sentences'])} sentences, "
        f"{int(first['pairs'])} TM units; `aligner corpus` end to end in a fresh process and cache "
        f"(start-up, model load per worker and, for Dask, starting the cluster included). "
        f"Identical TMX from every configuration: {'yes' if same else 'NO'}.",
        "",
        "| configuration | wall s | sentence pairs/s | sentences/s | documents/s | sum of job s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in results:
        lines.append(
            f"| {label} | {r['wall']:.1f} | {r['pairs'] / r['wall']:.1f} | {r['sentences'] / r['wall']:.0f} "
            f"| {r['docs'] / r['wall']:.2f} | {r['job_seconds']:.1f} |"
        )
    one = results[0][1]
    text_s = max(one["job_seconds"] - one["format_seconds"], 1e-9)
    lines += ["", f"In the 1-worker run the {len(combos)} format pairs ({int(one['format_sentences'])} sentences) took "
              f"{one['format_seconds']:.1f} s of the {one['job_seconds']:.1f} s of job time "
              f"({one['format_sentences'] / max(one['format_seconds'], 1e-9):.0f} sentences/s against "
              f"{(one['sentences'] - one['format_sentences']) / text_s:.0f}"
              " for the plain-text pairs)."]
    total = sum(stages.values())
    lines += ["", "Where one worker's time goes (same corpus, one process, each document embedded on its own, "
              "as in a job):", "",
              "| stage | seconds | share |", "| --- | ---: | ---: |"]
    lines += [f"| {k} | {v:.2f} | {v / total:.0%} |" for k, v in stages.items()]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
