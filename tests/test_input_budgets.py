"""Every input has a budget: hostile documents made here, run through the real CLI in a subprocess
whose address space is limited; each ends in one clear line (or succeeds) within ~1 GiB of memory.

The peak memory is the child's own ``ru_maxrss`` (from ``wait4``; it covers the PDF extractor the
CLI starts in turn).  Bombs: zip members of DOCX/ODT/EPUB/HWPX that inflate to 300 MB (the budget is
128 MB a member), HWP sections that inflate to 512 MB (plain and distribution documents), one HWP
record of 40 million characters, a PDF whose content stream inflates to 1 GB; FIFOs and devices as
documents; 1,500 nested elements; a TMX unit of a million characters.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.core.budgets import MAX_ENCODED_CHARS, PDF_ADDRESS_SPACE, MiB
from aligner.ingest.hwp import para_text

from . import hostile
from .conftest import ROOT

ADDRESS_SPACE = 2 << 30  # what the CLI under test may map: a bomb read whole would need several times more
EN = ROOT / "data" / "kiep_brief_en.txt"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def run_cli(args: list[str], tmp_path: Path, *, timeout: float = 300) -> Run:
    """``python -m aligner ARGS`` under RLIMIT_AS = 2 GiB; its exit status, output and peak RSS."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    out, err = tmp_path / "stdout", tmp_path / "stderr"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ALIGNER_STATE_DIR": str(tmp_path / "state"),
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen([sys.executable, "-m", "aligner", *args], cwd=ROOT, env=env, stdout=fo, stderr=fe,
                                stdin=subprocess.DEVNULL, preexec_fn=limit)  # fmt: skip
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        # wait() reaped it; its rusage (children included) is the difference in ours
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(proc.returncode, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"),
               usage.ru_maxrss / 1024)  # fmt: skip


def assert_one_line(run: Run, *words: str) -> None:
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1, run.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("aligner: error: "), run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _isolated(args: list[str], tmp_path: Path) -> Run:
    """Run the CLI from a fresh interpreter so the peak RSS measured is this case's alone."""
    import json

    code = (  # run from ROOT: "-c" puts it on sys.path, so the tests package imports
        "import json,sys;from tests.test_input_budgets import run_cli;from pathlib import Path;"
        "r=run_cli(json.loads(sys.argv[1]),Path(sys.argv[2]));print(json.dumps(r.__dict__))"
    )

    done = subprocess.run([sys.executable, "-c", code, json.dumps(args), str(tmp_path)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                          capture_output=True, text=True, timeout=600, check=True)  # fmt: skip
    return Run(**json.loads(done.stdout))


pytestmark = pytest.mark.slow


@pytest.mark.parametrize("fmt", ["docx", "odt", "epub", "hwpx"])
def test_a_zip_bomb_ends_in_one_line_within_budget(fmt: str, tmp_path: Path) -> None:
    bomb = hostile.zip_bomb(fmt, tmp_path / f"bomb.{fmt}", 300 * MiB)
    assert bomb.stat().st_size < 2 * MiB
    run = _isolated(["align", str(bomb), str(EN)], tmp_path)
    assert_one_line(run, str(bomb), "unpacks to", "compression bomb")
    assert run.peak_mb < 400


@pytest.mark.parametrize("kind", ["dense-docx", "dense-epub", "big-text", "big-html", "many-paragraphs-html"])
def test_a_document_too_big_to_parse_is_refused_before_parsing(kind: str, tmp_path: Path) -> None:
    """Within the unzip budget, but 64 MB of one-letter paragraphs: ~12 million tags would take ~2 GB and
    more than a minute to parse and walk; a 65 MB text or HTML file likewise."""
    if kind == "many-paragraphs-html":  # within every size budget: 290,000 paragraphs (trafilatura: minutes)
        path = tmp_path / "many.html"
        path.write_text("<html><body>" + "<p>경제</p>" * 290_000 + "</body></html>", "utf-8")
        words: tuple[str, ...] = ("paragraphs, more than aligner reads",)
    elif kind.startswith("dense"):
        fmt = kind.split("-")[1]
        path = hostile.zip_bomb(fmt, tmp_path / f"dense.{fmt}", 64 * MiB, dense=True)
        words = ("tags, more than aligner parses from one",)
    else:
        path = tmp_path / ("big.txt" if kind == "big-text" else "big.html")
        line = "경제 협력은 계속된다. " if kind == "big-text" else "<p>경제 협력은 계속된다.</p>"
        path.write_text(("<html><body>" if kind == "big-html" else "") + line * (65 * MiB // len(line.encode())))
        words = ("more than aligner reads",)
    run = _isolated(["align", str(path), str(EN)], tmp_path)
    assert_one_line(run, str(path), *words)
    assert run.peak_mb < 600


@pytest.mark.parametrize("kind", ["section", "distribution", "record", "many-records"])
def test_an_hwp_bomb_ends_in_one_line_within_budget(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.hwp"
    if kind == "section":
        hostile.hwp_section_bomb(path, 512 * MiB)
    elif kind == "distribution":
        hostile.hwp_distribution_bomb(path, 512 * MiB)
    elif kind == "record":
        hostile.hwp_record_bomb(path, 40_000_000)
    else:  # within the section budget, but 30 million records to walk (20 s): refused at the record budget
        hostile.hwp_many_records(path, 120 * MiB)
    run = _isolated(["align", str(path), str(EN)], tmp_path)
    expected = {"record": "record of", "many-records": "HWP records, more than"}.get(kind, "unpacks to more than")
    assert_one_line(run, str(path), expected)
    assert run.peak_mb < 600


def test_a_pdf_bomb_is_stopped_by_the_extractors_memory_limit(tmp_path: Path) -> None:
    bomb = hostile.pdf_bomb(tmp_path / "bomb.pdf", 1024 * MiB)
    assert bomb.stat().st_size < 4 * MiB
    run = _isolated(["align", str(bomb), str(EN)], tmp_path)
    assert_one_line(run, str(bomb), "needs more than", "memory")
    assert run.peak_mb < PDF_ADDRESS_SPACE / MiB


def test_a_real_pdf_is_still_read_in_the_child_process(tmp_path: Path) -> None:
    from aligner.ingest.text import read_document

    got = read_document(hostile.FORMATS / "kiep_en.pdf")
    assert got.format == "pdf" and "Internet Plus" in got.text


@pytest.mark.parametrize("fmt", ["odt", "hwpx", "tmx"])
def test_deep_nesting_ends_in_one_line(fmt: str, tmp_path: Path) -> None:
    path = hostile.deep_nesting(fmt, tmp_path / f"deep.{fmt}", 1500)
    args = ["export", str(path), "-o", str(tmp_path / "out.tsv")] if fmt == "tmx" else ["align", str(path), str(EN)]
    assert_one_line(run_cli(args, tmp_path, timeout=120), str(path), "nested")


def test_shallow_nesting_is_still_read(tmp_path: Path) -> None:
    from aligner.ingest.text import read_document

    got = read_document(hostile.deep_nesting("odt", tmp_path / "ok.odt", 50))
    assert "깊은 문장입니다." in got.text


@pytest.mark.parametrize("command", ["align", "export", "eval", "read", "corpus"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "link-to-dev-zero"])
def test_a_document_that_is_not_a_regular_file_is_refused_at_once(command: str, kind: str, tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    if kind == "fifo":
        os.mkfifo(path)  # nobody will ever write to it: reading it would block for ever
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    else:
        path.symlink_to("/dev/zero")
    args = {
        "align": ["align", str(path), str(EN)],
        "export": ["export", str(path), str(EN), "-o", str(tmp_path / "o.tmx")],
        "eval": ["eval", str(path), str(path)],
        "read": ["read", str(path), str(EN)],
        "corpus": ["corpus", str(path), "-o", str(tmp_path / "out")],
    }[command]
    run = run_cli(args, tmp_path, timeout=60)
    what = "a FIFO" if kind == "fifo" else "a device"
    assert_one_line(run, str(path), what, "not a regular file")


def test_a_million_character_tmx_unit_is_capped_for_the_encoder_and_exported_whole(tmp_path: Path) -> None:
    tmx = hostile.huge_tmx(tmp_path / "huge.tmx", 1_000_000)
    out = tmp_path / "out.tsv"
    run = _isolated(["export", str(tmx), "-o", str(out)], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.peak_mb < 1024
    rows = out.read_text("utf-8").splitlines()
    assert any(len(row) > 1_000_000 and "가" * 1_000_000 in row for row in rows)


def test_the_encoder_sees_at_most_the_cap() -> None:
    from aligner.embed.encoders import load_encoder

    encoder = load_encoder()
    head = "한국과 중국은 디지털 경제에서 협력한다. " * (MAX_ENCODED_CHARS // 10)
    long_text = head + "전혀 다른 이야기가 뒤에 길게 이어진다. " * 5000
    vecs = encoder.encode([long_text, head[:MAX_ENCODED_CHARS], head[: MAX_ENCODED_CHARS // 2]])
    assert float(vecs[0] @ vecs[1]) > 0.9999  # the tail past the cap changes nothing
    assert float(vecs[0] @ vecs[2]) < 0.9999  # and the cap is not shorter than it says


def _para_text_reference(payload: bytes) -> str:
    """The record format's rule, one code unit at a time (the reader's former loop)."""
    wide = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}
    units = struct.unpack(f"<{len(payload) // 2}H", payload[: len(payload) // 2 * 2])
    out: list[str] = []
    i = 0
    while i < len(units):
        c = units[i]
        if c < 32:
            if c in wide:
                out.append(" " if c == 9 else "")
                i += 8
                continue
            if c in (10, 24, 30, 31):
                out.append("-" if c == 24 else " ")
            i += 1
            continue
        out.append(chr(c))
        i += 1
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")


@given(st.lists(st.one_of(st.integers(0, 40), st.integers(0xAC00, 0xAC10), st.integers(0xD800, 0xDFFF)), max_size=80))
def test_para_text_as_an_array_matches_the_format_rule(units: list[int]) -> None:
    payload = struct.pack(f"<{len(units)}H", *units)
    assert para_text(payload) == _para_text_reference(payload)


def test_a_document_of_too_many_paragraphs_ends_in_one_line() -> None:
    from aligner.core.budgets import MAX_BLOCKS
    from aligner.core.errors import InputError
    from aligner.ingest.extracted import TextBuilder

    builder = TextBuilder("odt", "many.odt")
    for k in range(MAX_BLOCKS):
        builder.paragraph("가", f"¶ {k}")
    with pytest.raises(InputError, match=f"more than {MAX_BLOCKS:,} paragraphs"):
        builder.note("하나 더", "note")


def test_a_fifo_planted_as_the_project_file_never_blocks(tmp_path: Path) -> None:
    """An archive can carry a FIFO under the pair's project file name: it is set aside, not read."""
    import shutil

    from aligner.session.project_file import default_project_path, read_project

    ko, en = tmp_path / "kiep_ko.txt", tmp_path / "kiep_en.txt"
    shutil.copy(ROOT / "data" / "kiep_ko.txt", ko)
    shutil.copy(ROOT / "data" / "kiep_en.txt", en)
    project = default_project_path(ko, en)
    os.mkfifo(project)
    run = run_cli(["align", str(ko), str(en)], tmp_path, timeout=300)  # a blocking read would time out
    assert run.returncode == 0, run.stderr[-2000:]
    assert "not a regular file" in run.stderr and "Traceback" not in run.stderr
    if project.exists():  # the CLI set it aside; plant another for the library call
        project.unlink()
    os.mkfifo(project)
    read = read_project(project)
    assert read.project is None and project in read.unreadable


def test_a_zip_entry_naming_an_unknown_zip_version_is_one_line(tmp_path: Path) -> None:
    """Found by fuzzing: zipfile raises NotImplementedError for a "version needed" it does not know."""
    from aligner.core.errors import InputError
    from aligner.ingest.text import read_document

    data = bytearray((hostile.FORMATS / "kiep_en.docx").read_bytes())
    central = [i for i in range(len(data)) if data.startswith(b"PK\x01\x02", i)]  # central directory entries
    for i in central:
        name_len = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46 : i + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<H", data, i + 6, 177)  # "version needed to extract": 17.7
    path = tmp_path / "version.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        read_document(path)


def test_a_manifest_naming_a_device_fails_that_pair_in_one_line(tmp_path: Path) -> None:
    """The corpus fingerprints every document before the run: /dev/zero must not be hashed for ever."""
    import shutil

    shutil.copy(ROOT / "data" / "kiep_en.txt", tmp_path / "e.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text("/dev/zero\te.txt\tzero\nfifo.txt\te.txt\tfifo\n", "utf-8")
    run = run_cli(["corpus", str(manifest), "-o", str(tmp_path / "out"), "--workers", "1"], tmp_path, timeout=300)
    assert run.returncode == 3, run.stderr[-2000:]
    assert "failed: zero: /dev/zero: is a device, not a regular file" in run.stderr
    assert "failed: fifo: " in run.stderr and "is a FIFO" in run.stderr
    assert "Traceback" not in run.stderr and "note: project files" not in run.stderr


def test_the_tag_budget_is_for_the_whole_document_not_each_part(tmp_path: Path) -> None:
    """Two chapters of 2.5 million tags each: each passes alone, the second exceeds the document's budget."""
    import io
    import zipfile

    from aligner.core.budgets import MAX_MARKUP_TAGS
    from aligner.core.errors import InputError
    from aligner.ingest.unzip import BoundedZip

    part = b"<p/>" * (MAX_MARKUP_TAGS * 5 // 8)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("one.xhtml", part)
        z.writestr("two.xhtml", part)
    book = BoundedZip(buf.getvalue(), "book.epub")
    book.charge_tags(book.read_member("one.xhtml"), "one.xhtml")
    with pytest.raises(InputError, match=r"two.xhtml brings it to 5,000,000 tags, more than aligner parses"):
        book.charge_tags(book.read_member("two.xhtml"), "two.xhtml")
