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
from typing import Any

import psutil
import pytest

from aligner.core.values import Bead
from tests.conftest import GOLD, TMX_DTD

pytestmark = pytest.mark.slow  # real CLI subprocesses with the real model (and a kill -9)

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("corpus.tmx", "corpus.jsonl", "report.tsv", "unpaired.tsv")


def gold_beads() -> list[Bead]:
    return [Bead.parse(line) for line in (GOLD / "gold.align").read_text(encoding="utf-8").splitlines() if line]


def make_corpus(folder: Path, n_docs: int, beads_per_doc: int, stride: int | None = None,
                en_formats: Sequence[str] = ("txt", "md")) -> list[str]:
    """Pairs ``docNNN.ko.txt``/``docNNN.en.{txt,md}`` cut from the KIEP gold at bead boundaries.

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
        ext = {"ko": "txt", "en": en_formats[d % len(en_formats)]}
        if ext["en"] == "md":
            paragraphs["en"].insert(0, f"# Summary, part {d + 1}")
        for lang in ("ko", "en"):
            (folder / f"{name}.{lang}.{ext[lang]}").write_text("\n\n".join(paragraphs[lang]) + "\n", encoding="utf-8")
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


def jsonl(out: Path) -> list[dict[str, Any]]:
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


def check_units(out: Path) -> list[dict[str, str]]:
    """Every document's units cover its sentences exactly once, in order; counts match the report."""
    rows = report_rows(out)
    units = jsonl(out)
    assert len(units) == sum(int(r["units"]) for r in rows)
    for r in rows:
        mine = [u for u in units if u["doc"] == r["id"]]
        assert len(mine) == int(r["units"])
        if r["status"] == "ok" and int(r["units"]) == int(r["beads"]):
            assert [i for u in mine for i in u["ko_ids"]] == list(range(int(r["ko_sentences"])))
            assert [j for u in mine for j in u["en_ids"]] == list(range(int(r["en_sentences"])))
    assert assert_valid_tmx(out / "corpus.tmx") == sum(int(r["tm_units"]) for r in rows)
    return rows


def kill_after_the_first_part(source: str, out: Path, cache: Path) -> list[psutil.Process]:
    """Start a 2-worker corpus run and ``kill -9`` it once its first part is written; its workers."""
    proc = subprocess.Popen(corpus_cmd(source, "-o", str(out), "--workers", "2"), env=cli_env(cache), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            workers = psutil.Process(proc.pid).children(recursive=True) or workers
            if (out / "parts").is_dir() and any((out / "parts").glob("*.json")):
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return workers


def test_folder_corpus_tmx_jsonl_report_unpaired_and_failure(tmp_path: Path) -> None:
    src = tmp_path / "archive"
    ids = make_corpus(src, 6, 14)
    (src / "notes.txt").write_text("not part of any pair\n", encoding="utf-8")
    (src / "lonely.ko.txt").write_text("짝이 없는 문서입니다.\n", encoding="utf-8")
    (src / "empty.ko.txt").write_text(" \n\n", encoding="utf-8")
    (src / "empty.en.txt").write_text("An English text whose Korean side is empty.\n", encoding="utf-8")
    legacy = src / "doc001.ko.txt"  # a Korean file saved in the old Windows code page
    legacy.write_bytes(legacy.read_text(encoding="utf-8").encode("cp949", errors="replace"))
    (src / "mismatch.ko.txt").write_bytes((src / "doc000.ko.txt").read_bytes())  # not translations
    (src / "mismatch.en.txt").write_bytes((src / "doc004.en.txt").read_bytes())
    ids.append("mismatch")
    out = tmp_path / "tm"
    res = run_corpus(str(src), "-o", str(out), cache=tmp_path / "cache")
    assert res.returncode == 3, res.stderr  # done, with a failed document
    rows = check_units(out)
    assert [r["id"] for r in rows] == sorted([*ids, "empty"])
    failed = [r for r in rows if r["status"] != "ok"]
    assert [r["id"] for r in failed] == ["empty"] and "empty" in failed[0]["warnings"]
    ok = [r for r in rows if r["status"] == "ok"]
    assert all(int(r["beads"]) > 0 for r in ok)
    warned = {r["id"]: r["warnings"] for r in ok if r["warnings"]}
    assert set(warned) == {"doc001", "mismatch"}, warned
    assert "decoded as cp949" in warned["doc001"] and "not be translations" in warned["mismatch"]
    assert sum(int(r["omissions"]) for r in ok) > 0  # the gold has Korean sentences the summary leaves out
    unpaired = (out / "unpaired.tsv").read_text(encoding="utf-8")
    assert "notes.txt\t" in unpaired and "lonely.ko.txt\t" in unpaired and "doc000" not in unpaired
    assert "unpaired: lonely.ko.txt" in res.stderr and "failed: empty" in res.stderr
    units = jsonl(out)
    assert {"doc", "bead", "ko_ids", "en_ids", "confidence", "confirmed", "ko_paragraphs"} <= set(units[0])
    # project files where the reader finds them, one per aligned pair
    from aligner.session.project_file import find_project

    en_files = sorted(p for p in src.glob("doc*.en.*") if not p.name.endswith(".aligner.json"))
    assert {p.suffix for p in en_files} == {".txt", ".md"}
    assert all(find_project(src / f"{p.name.split('.')[0]}.ko.txt", p) is not None for p in en_files)

    # filters apply at assembly: the rerun reuses every aligned document
    res = run_corpus(str(src), "-o", str(out), "--min-confidence", "0.9", "--drop-omissions", cache=tmp_path / "cache")
    assert res.returncode == 3, res.stderr
    assert f"{len(ids)} documents reused" in res.stderr
    filtered = check_units(out)
    units = jsonl(out)
    assert units and all(u["type"] not in ("1-0", "0-1") for u in units)
    assert all(u["confidence"] >= 0.9 or u["confirmed"] for u in units)
    assert sum(int(r["units"]) for r in filtered) < sum(int(r["units"]) for r in rows)


def test_kill_9_mid_run_then_rerun_gives_the_uninterrupted_output(tmp_path: Path) -> None:

    ids = make_corpus(tmp_path / "a", 8, 10)
    copy_tree(tmp_path / "a", tmp_path / "b")
    res = run_corpus(str(tmp_path / "a"), "-o", str(tmp_path / "out-a"), "-q", cache=tmp_path / "cache-a")
    assert res.returncode == 0, res.stderr
    expected = outputs(tmp_path / "out-a")

    out = tmp_path / "out-b"
    workers = kill_after_the_first_part(str(tmp_path / "b"), out, tmp_path / "cache-b")
    done = len(list((out / "parts").glob("*.json")))
    assert 1 <= done < len(ids)
    assert not (out / "corpus.jsonl").exists()
    _, alive = psutil.wait_procs(workers, timeout=20)  # the pool's workers do not outlive the run
    assert not alive

    res = run_corpus(str(tmp_path / "b"), "-o", str(out), cache=tmp_path / "cache-b")
    assert res.returncode == 0, res.stderr
    assert "documents reused" in res.stderr
    assert outputs(out) == expected
    check_units(out)


def test_manifest_and_confirmed_beads_in_project_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from aligner.session.project_file import ProjectFile, save_project
    from aligner.session.workspace import open_pair

    docs = tmp_path / "docs"
    make_corpus(docs, 2, 12)
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(
        "ko\ten\tid\n# two reports and one whose English file is missing\n"
        "docs/doc000.ko.txt\tdocs/doc000.en.txt\tfirst\n"
        "docs/doc001.ko.txt\tdocs/doc001.en.md\n"
        "docs/doc001.ko.txt\tdocs/missing.en.txt\tbroken\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    cache = tmp_path / "cache"
    res = run_corpus(str(manifest), "-o", str(out), "-q", cache=cache)
    assert res.returncode == 3, res.stderr
    rows = {r["id"]: r for r in check_units(out)}
    assert list(rows) == ["first", "docs/doc001.ko", "broken"]
    assert rows["broken"]["status"] == "failed" and "missing.en.txt" in rows["broken"]["warnings"]
    assert rows["first"]["confirmed"] == "0"

    # the user corrects the first pair in the reader: confirms bead 0, which the project file keeps
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(cache))
    ws = open_pair(docs / "doc000.ko.txt", docs / "doc000.en.txt")  # as the reader opens it
    assert ws.project_path is not None and ws.project_path.exists()  # the one the corpus run wrote
    beads = list(ws.alignment.beads)
    beads[0] = replace(beads[0], confirmed=True, confidence=1.0)
    save_project(ws.project_path, ProjectFile.from_documents(ws.ko, ws.en, beads, model=ws.alignment.model))

    res = run_corpus(str(manifest), "-o", str(out), "-q", cache=cache)
    assert res.returncode == 3, res.stderr
    rows = {r["id"]: r for r in check_units(out)}
    assert rows["first"]["confirmed"] == "1"
    first = [u for u in jsonl(out) if u["doc"] == "first"]
    assert first[0]["confirmed"] is True and first[0]["confidence"] == 1.0


def test_refuses_an_output_that_is_an_input_or_holds_other_files(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make_corpus(src, 1, 6)
    before = {p: p.read_bytes() for p in src.iterdir()}
    manifest = tmp_path / "m.tsv"
    manifest.write_text("in/doc000.ko.txt\tin/doc000.en.txt\n", encoding="utf-8")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.docx").write_bytes(b"precious")
    for args in ((str(src), "-o", str(src)), (str(manifest), "-o", str(manifest)),
                 (str(src), "-o", str(src / "doc000.en.txt")), (str(src), "-o", str(other))):
        res = run_corpus(*args, cache=tmp_path / "cache")
        assert res.returncode == 1, (args, res.stderr)
        assert res.stderr.startswith("aligner: error: ") and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert {p: p.read_bytes() for p in src.iterdir()} == before
    assert manifest.read_text(encoding="utf-8").startswith("in/doc000")
    assert [p.name for p in other.iterdir()] == ["thesis.docx"]


def test_a_second_run_on_the_same_output_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    import fcntl

    src = tmp_path / "in"
    make_corpus(src, 1, 6)
    out = tmp_path / "out"
    out.mkdir()
    (out / "aligner-corpus.json").write_text("{}\n", encoding="utf-8")  # an earlier run's folder
    with (out / ".aligner-corpus.lock").open("a+b") as held:  # the first run holds the lock
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        res = run_corpus(str(src), "-o", str(out), cache=tmp_path / "cache")
    assert res.returncode == 1 and "another aligner corpus run is writing to" in res.stderr, res.stderr
    assert not (out / "parts").exists() or not any((out / "parts").iterdir())
