"""Bad input through the real command line: one clear line, a non-zero exit, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import DATA
from .test_cli import run

pytestmark = pytest.mark.slow  # real subprocesses / large inputs: `make test-fast` leaves them out

KO = "중국은 스마트시티 정책을 추진하고 있다. 항저우시는 데이터자원 관리국을 신설했다.\n"
EN = "China is pursuing smart city policies. Hangzhou created a data resource bureau.\n"


def _error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith("aligner: error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n\t\n  \n", "is empty"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe" * 50, "binary"),
        (bytes(range(256)) * 20, ""),
    ],
    ids=["empty", "whitespace", "binary", "random-bytes"],
)
def test_unreadable_korean_file(tmp_path: Path, content: bytes, expected: str) -> None:
    bad = tmp_path / "bad_ko.txt"
    bad.write_bytes(content)
    en = tmp_path / "en.txt"
    en.write_text(EN, encoding="utf-8")
    res = run("align", str(bad), str(en))
    assert res.returncode != 0
    line = _error_line(res.stderr)
    assert "bad_ko.txt" in line and expected in line


def test_one_side_empty(tmp_path: Path) -> None:
    ko = tmp_path / "ko.txt"
    ko.write_text(KO, encoding="utf-8")
    en = tmp_path / "empty_en.txt"
    en.write_text("\n\n", encoding="utf-8")
    res = run("align", str(ko), str(en))
    assert res.returncode != 0
    assert "empty_en.txt" in _error_line(res.stderr)


def test_cp949_korean_is_decoded_and_reported(tmp_path: Path) -> None:
    ko = tmp_path / "windows_ko.txt"
    ko.write_bytes(KO.encode("cp949"))
    en = tmp_path / "en.txt"
    en.write_text(EN, encoding="utf-8")
    res = run("align", str(ko), str(en), "--format", "tsv")
    assert res.returncode == 0, res.stderr
    assert "cp949" in res.stderr.lower()
    assert "스마트시티" in res.stdout and "Hangzhou" in res.stdout


def test_bom_crlf_nbsp_zero_width_fullwidth_are_normalised(tmp_path: Path) -> None:
    ko = tmp_path / "ko.txt"
    text = "\ufeff중국은\u00a0스마트시티\u200b 정책을 추진하고 있다．\r\n항저우시는 데이터자원 관리국을 신설했다！\r\n"
    ko.write_bytes(text.encode())
    en = tmp_path / "en.txt"
    en.write_text(EN, encoding="utf-8")
    res = run("align", str(ko), str(en), "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    assert "\ufeff" not in res.stdout and "\u200b" not in res.stdout and "\u00a0" not in res.stdout
    assert res.stdout.count('"type": "1-1"') == 2


def test_swapped_files_are_reported_and_aligned(tmp_path: Path) -> None:
    res = run("align", str(DATA / "kiep_en.txt"), str(DATA / "kiep_ko.txt"), "--format", "beads")
    assert res.returncode == 0, res.stderr
    assert "swapped" in res.stderr
    assert len(res.stdout.splitlines()) > 60


def test_both_files_in_one_language_is_an_error() -> None:
    res = run("align", str(DATA / "kiep_en.txt"), str(DATA / "kiep_brief_en.txt"))
    assert res.returncode != 0
    assert "both English" in _error_line(res.stderr)


def test_unrelated_documents_warn(tmp_path: Path) -> None:
    ko = tmp_path / "diary.txt"
    ko.write_text("오늘은 날씨가 맑았다. 공원에서 산책을 했다. 저녁에 친구와 영화를 보았다. 영화가 재미있었다.\n")
    res = run("align", str(ko), str(DATA / "kiep_en.txt"), "--format", "beads")
    assert res.returncode == 0, res.stderr
    assert "low confidence" in res.stderr


def test_ansi_escapes_and_markup_are_not_interpreted(tmp_path: Path) -> None:
    ko = tmp_path / "ko.txt"
    en = tmp_path / "en.txt"
    ko.write_text("색이 \x1b[31m빨간\x1b[0m 문장이다. [bold]굵은[/] 문장이다.\n", encoding="utf-8")
    en.write_text("This is a \x1b[31mred\x1b[0m sentence. This is a [bold]bold[/] sentence.\n", encoding="utf-8")
    res = run("search", "red sentence", str(ko), str(en), "-k", "2")
    assert res.returncode == 0, res.stderr
    assert "\x1b[31m" not in res.stdout
    assert "[bold]bold[/]" in res.stdout or "[bold]굵은[/]" in res.stdout
