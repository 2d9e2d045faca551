"""Size: a 50,000-sentence pair and a 1 MB line without punctuation finish in bounded memory.

The 50,000-sentence pair runs the real headless pieces (reading, segmenting,
the on-disk embedding cache, both alignment passes) with a cheap deterministic
encoder instead of 100,000 real embeddings.  Nothing here asserts a time: the
memory bound is what fails when anything grows with N x M (a dense 50k x 50k
float32 matrix is 10 GB; a band whose width grows with N is several GB).
"""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from aligner.align.documents import align_documents
from aligner.core.values import Alignment, Progress, check_beads
from aligner.embed.vector_cache import CachedEncoder
from aligner.segment.sentences import MAX_SENTENCE_CHARS
from aligner.session.workspace import load_pair, unrelated_warning

from .test_cli import run

pytestmark = pytest.mark.slow  # real subprocesses / large inputs: `make test-fast` leaves them out

N = 50_000
PEAK_LIMIT = 1 << 30  # 1 GiB of traced allocations for 2 x 50,000 sentences


class NumberEncoder:
    """Deterministic embeddings: the sum of one fixed random vector per number in the text.

    Sentence ``i`` of both sides mentions the number ``i``, so translations get
    the same vector and concatenated spans the sum of their sentences' vectors.
    """

    name = "numbers-test"
    dim = 32
    _number = re.compile(r"\d+")

    def __init__(self, size: int) -> None:
        self.table = np.random.default_rng(7).standard_normal((size + 1, self.dim)).astype(np.float32)
        self.encoded = 0

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.full((len(texts), self.dim), 0.01, dtype=np.float32)
        for k, text in enumerate(texts):
            for number in self._number.findall(text):
                out[k] += self.table[int(number) % self.table.shape[0]]
            if progress is not None and (k + 1) % 10_000 == 0:
                progress("embedding", k + 1, len(texts))
        if progress is not None:
            progress("embedding", len(texts), len(texts))
        self.encoded += len(texts)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def write_pair(folder: Path, n: int) -> tuple[Path, Path]:
    ko, en = folder / "big_ko.txt", folder / "big_en.txt"
    topics_ko = ("무역", "투자", "금융", "산업", "기술")
    topics_en = ("trade", "investment", "finance", "industry", "technology")
    ko.write_text(
        "\n".join(f"{i}번 문장은 {topics_ko[i % 5]} 정책의 변화를 다룬다." for i in range(1, n + 1)) + "\n", "utf-8"
    )
    en.write_text(
        "\n".join(f"Sentence {i} is about changes in {topics_en[i % 5]} policy." for i in range(1, n + 1)) + "\n",
        "utf-8",
    )
    return ko, en


def test_fifty_thousand_sentences_align_in_bounded_memory(tmp_path: Path) -> None:
    ko_path, en_path = write_pair(tmp_path, N)
    calls: list[tuple[str, int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        calls.append((stage, done, total))

    inner = NumberEncoder(N)
    encoder = CachedEncoder(inner, tmp_path / "cache")
    tracemalloc.start()
    try:
        ko, en = load_pair(ko_path, en_path, presplit=True, progress=progress)
        beads = align_documents(ko, en, encoder, progress=progress)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(ko) == len(en) == N
    check_beads(beads, N, N)  # every sentence of both sides exactly once, in order
    Alignment(ko, en, beads).check()
    right = sum(1 for b in beads if b.src == b.tgt and len(b.src) == 1)
    assert right >= 0.99 * N, f"only {right} of {N} sentences found their translation"
    assert not unrelated_warning(beads)
    assert peak < PEAK_LIMIT, f"peak traced memory {peak / 2**20:.0f} MiB"

    # progress is shown for every stage, with counts that only go up and reach the total
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages[:1] == ["segmenting"] and {"embedding", "aligning"} <= set(stages)
    assert stages.index("embedding") < stages.index("aligning")
    for stage in stages:
        done = [d for s, d, _ in calls if s == stage]
        totals = {t for s, _, t in calls if s == stage}
        assert done == sorted(done), stage
        assert len(totals) == 1 and done[-1] == totals.pop(), stage
    aligning = [d for s, d, _ in calls if s == "aligning"]
    assert len(set(aligning)) >= 4  # reported between the passes, not only at the end
    assert inner.encoded >= 2 * N


def test_megabyte_line_without_punctuation_through_the_cli(tmp_path: Path) -> None:
    words = ("데이터", "플랫폼", "정책", "도시", "혁신", "기업", "시장", "정부")
    line = " ".join(words[i % len(words)] + str(i % 97) for i in range(200_000))
    line = line.encode("utf-8")[:1_000_000].decode("utf-8", errors="ignore").rstrip()
    assert len(line.encode("utf-8")) > 990_000 and not re.search(r"[.!?。]", line)
    ko = tmp_path / "line_ko.txt"
    ko.write_text(line + "\n", encoding="utf-8")
    en = tmp_path / "en.txt"
    en.write_text("The data platform policy supports city innovation. Companies enter the market.\n", "utf-8")
    out = tmp_path / "out.jsonl"

    res = run("align", str(ko), str(en), "--format", "jsonl", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    for stage in ("segmenting", "embedding", "aligning"):  # progress, even without a terminal
        assert stage in res.stderr, res.stderr
    rows = [json.loads(row) for row in out.read_text(encoding="utf-8").splitlines()]
    ko_ids = [i for r in rows for i in r["ko_ids"]]
    en_ids = [j for r in rows for j in r["en_ids"]]
    assert ko_ids == list(range(len(ko_ids))) and en_ids == list(range(len(en_ids)))
    assert len(ko_ids) >= len(line) // MAX_SENTENCE_CHARS
    pieces = [r["ko"] for r in rows if r["ko"]]
    assert all(len(r["ko"]) <= MAX_SENTENCE_CHARS for r in rows if len(r["ko_ids"]) == 1)
    assert "".join("".join(pieces).split()) == "".join(line.split())  # nothing lost, nothing repeated
