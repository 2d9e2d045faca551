"""Corpus mode stays inside what the user named, and the misleading one-liners say what is wrong.

A folder (as an archive from elsewhere unpacks) holds a symlink to a private file outside it:
the run skips it and says so, and the private text reaches neither corpus.jsonl nor corpus.tmx
unless ``--follow-links`` is given.  A manifest naming documents outside its folder gets their
project files written beside them, and the run says where.  Every manifest error names its line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.core.errors import InputError
from aligner.corpus.manifest import load_corpus
from aligner.ingest.bilingual import bilingual_kind

from .conftest import ROOT

DATA = ROOT / "data"
SECRET = "PRIVATE-KEY-7f3a9c do not share this line."


def _cli(args: list[str], tmp_path: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ALIGNER_STATE_DIR": str(tmp_path / "state"),
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "aligner", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def _archive(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with one real pair and one pair whose English is a link to a private file outside it."""
    folder, private = tmp_path / "archive", tmp_path / "home" / "notes.txt"
    folder.mkdir()
    private.parent.mkdir()
    private.write_text(f"{SECRET}\n" * 3, "utf-8")
    shutil.copy(DATA / "kiep_ko.txt", folder / "kiep.ko.txt")
    shutil.copy(DATA / "kiep_en.txt", folder / "kiep.en.txt")
    (folder / "notes.ko.txt").write_text("이 줄은 비밀 열쇠를 가리킨다. 공유하지 마라.\n" * 3, "utf-8")
    (folder / "notes.en.txt").symlink_to(private)
    (folder / "inside.en.txt").symlink_to(folder / "kiep.en.txt")  # a link that stays inside is read as usual
    return folder, private


def test_a_link_out_of_the_folder_is_skipped_with_where_it_leads(tmp_path: Path) -> None:
    folder, private = _archive(tmp_path)
    corpus = load_corpus(folder)
    skipped = [u for u in corpus.unpaired if u.skipped]
    assert [u.path.name for u in skipped] == ["notes.en.txt"] and str(private) in skipped[0].reason
    assert all(private not in (e.ko.resolve(), e.en.resolve()) for e in corpus.entries)
    followed = load_corpus(folder, follow_links=True)
    assert any(e.en.resolve() == private for e in followed.entries)


@pytest.mark.slow
def test_the_private_text_reaches_the_outputs_only_with_follow_links(tmp_path: Path) -> None:
    folder, _ = _archive(tmp_path)
    run = _cli(["corpus", str(folder), "-o", str(tmp_path / "out"), "--workers", "1", "--no-projects"], tmp_path)
    assert run.returncode in (0, 3), run.stderr[-3000:]
    assert "skipped: notes.en.txt: a symlink leading out of the folder" in run.stderr
    for name in ("corpus.jsonl", "corpus.tmx"):
        assert SECRET not in (tmp_path / "out" / name).read_text("utf-8")
    run = _cli(["corpus", str(folder), "-o", str(tmp_path / "out2"), "--workers", "1", "--no-projects",
                "--follow-links"], tmp_path)  # fmt: skip
    assert run.returncode in (0, 3), run.stderr[-3000:]
    assert SECRET in (tmp_path / "out2" / "corpus.jsonl").read_text("utf-8")


@pytest.mark.slow
def test_project_files_of_documents_outside_a_manifests_folder_are_announced(tmp_path: Path) -> None:
    docs, corpus_dir = tmp_path / "docs", tmp_path / "corpus"
    docs.mkdir()
    corpus_dir.mkdir()
    shutil.copy(DATA / "kiep_ko.txt", docs / "k.txt")
    shutil.copy(DATA / "kiep_en.txt", docs / "e.txt")
    manifest = corpus_dir / "pairs.tsv"
    manifest.write_text("../docs/k.txt\t../docs/e.txt\tkiep\n", "utf-8")
    run = _cli(["corpus", str(manifest), "-o", str(corpus_dir / "out"), "--workers", "1"], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    written = list(docs.glob("*.aligner.json"))
    assert written, "the project file goes beside its documents"
    note = [line for line in run.stderr.splitlines() if line.startswith("note: project files")]
    assert note and str(docs) in " ".join(run.stderr.split())


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ko.txt\ten\x00.txt\n", "line 2: a NUL byte in a path"),
        ("only-one-field\n", "line 2: expected"),
    ],
)
def test_every_manifest_error_names_its_line(line: str, expected: str, tmp_path: Path) -> None:
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("# pairs\n" + line, "utf-8")
    with pytest.raises(InputError, match=expected):
        load_corpus(manifest)
    run = _cli(["corpus", str(manifest), "-o", str(tmp_path / "out")], tmp_path, timeout=120)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1 and expected in lines[0] and "unexpected" not in lines[0]


def test_corpus_into_its_own_folder_says_so(tmp_path: Path) -> None:
    shutil.copy(DATA / "kiep_ko.txt", tmp_path / "kiep.ko.txt")
    shutil.copy(DATA / "kiep_en.txt", tmp_path / "kiep.en.txt")
    run = _cli(["corpus", str(tmp_path), "-o", str(tmp_path)], tmp_path, timeout=120)
    assert run.returncode == 1 and "is the corpus input itself" in run.stderr
    assert "found no document pairs" not in run.stderr


def test_export_to_a_kernel_file_says_what_it_is(tmp_path: Path) -> None:
    run = _cli(["export", "-o", "/proc/self/mem", "--format", "tmx"], tmp_path, timeout=120)
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1, run.stderr
    assert "kernel file" in lines[0] and "does not exist" not in lines[0]


def test_a_tmx_whose_dtd_pushes_the_root_past_4kb_is_a_tmx(tmp_path: Path) -> None:
    dtd = "".join(f'<!ENTITY e{k} "entity number {k}">\n' for k in range(300))
    tu = ('<tu><tuv xml:lang="ko"><seg>한국과 중국은 협력한다.</seg></tuv>'
          '<tuv xml:lang="en"><seg>Korea and China cooperate.</seg></tuv></tu>')  # fmt: skip
    tmx = tmp_path / "long-dtd.tmx"
    tmx.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n{dtd}]>\n<tmx version="1.4"><header srclang="ko"/>'
                   f"<body>{tu}</body></tmx>", "utf-8")  # fmt: skip
    assert tmx.read_bytes().find(b"<tmx") > 4096
    assert bilingual_kind(tmx) == "tmx"
    out = tmp_path / "out.tsv"
    run = _cli(["export", str(tmx), "-o", str(out)], tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Korea and China cooperate." in out.read_text("utf-8")
