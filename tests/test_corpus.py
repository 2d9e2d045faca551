"""Corpus mode through the real CLI: a real corpus cut from the KIEP gold, the real model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from aligner.core.values import Bead
from tests.conftest import GOLD, TMX_DTD

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("corpus.tmx", "corpus.jsonl", "report.tsv", "unpaired.tsv")


def gold_beads() -> list[Bead]:
    return [Bead.parse(line) for line in (GOLD / "gold.align").read_text(encoding="utf-8").splitlines() if line]


def make_corpus(folder: Path, n_docs: int, beads_per_doc: int, stride: int | None = None) -> list[str]:
    """Pairs ``docNN.ko.txt``/``docNN.en.txt`` cut from the KIEP gold at bead boundaries.

    Each document holds ``beads_per_doc`` consecutive gold beads (windows start every
    ``stride`` beads, wrapping around), written as paragraphs of three beads, so the
    segmenter, not the gold's line breaks, finds the sentences again.
    """
    ko = (GOLD / "ko.txt").read_text(encoding="utf-8").splitlines()
    en = (GOLD / "en.txt").read_text(encoding="utf-8").splitlines()
    beads = gold_beads()
    stride = stride or beads_per_doc
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for d in range(n_docs):
        window = [beads[(d * stride + k) % len(beads)] for k in range(beads_per_doc)]
        paragraphs: dict[str, list[str]] = {"ko": [], "en": []}
        for start in range(0, len(window), 3):
            group = window[start : start + 3]
            for lang, lines, side in (("ko", ko, "src"), ("en", en, "tgt")):
                text = " ".join(lines[i] for b in group for i in getattr(b, side))
                if text:
                    paragraphs[lang].append(text)
        name = f"doc{d:03d}"
        for lang in ("ko", "en"):
            (folder / f"{name}.{lang}.txt").write_text("\n\n".join(paragraphs[lang]) + "\n", encoding="utf-8")
        ids.append(name)
    return ids


def cli_env(cache: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "src"), ALIGNER_CACHE_DIR=str(cache))


def corpus_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "aligner", "corpus", *args]


def run_corpus(*args: str, cache: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(corpus_cmd(*args), capture_output=True, text=True, env=cli_env(cache), cwd=ROOT,
                          timeout=timeout)


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def report_rows(out: Path) -> list[dict[str, str]]:
    lines = (out / "report.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def jsonl(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]


def assert_valid_tmx(path: Path) -> int:
    from lxml import etree

    dtd = etree.DTD(str(TMX_DTD))
    tree = etree.parse(str(path))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    return len(tree.findall(".//tu"))


def copy_tree(src: Path, dest: Path, names: Sequence[str] | None = None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.iterdir()):
        if f.is_file() and (names is None or f.name in names):
            (dest / f.name).write_bytes(f.read_bytes())
    return dest
