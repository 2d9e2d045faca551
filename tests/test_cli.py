"""The command line, run as a user runs it (a real subprocess)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.core.values import Bead, check_beads
from tests.conftest import GOLD

pytestmark = pytest.mark.slow  # real subprocesses / large inputs: `make test-fast` leaves them out

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def test_align_beads_on_stdout_only(kiep_paths) -> None:  # type: ignore[no-untyped-def]
    res = run("align", str(kiep_paths[0]), str(kiep_paths[1]), "--format", "beads")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines and all(re.fullmatch(r"\[(\d+(,\d+)*)?\]:\[(\d+(,\d+)*)?\]", ln) for ln in lines)
    beads = [Bead.parse(ln) for ln in lines]
    check_beads(beads, 87, 84)


def test_align_presplit_gold_and_output_file(tmp_path: Path) -> None:
    gold = GOLD
    out = tmp_path / "out.jsonl"
    res = run("align", str(gold / "ko.txt"), str(gold / "en.txt"), "--presplit", "--format", "jsonl", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    check_beads([Bead(tuple(r["ko_ids"]), tuple(r["en_ids"])) for r in rows], 87, 84)


def test_search_json(kiep_paths) -> None:  # type: ignore[no-untyped-def]
    res = run("search", "스마트시티", "--json", "-k", "3")
    assert res.returncode == 0, res.stderr
    hits = json.loads(res.stdout)
    assert len(hits) == 3
    assert any("Hangzhou" in h["en"] or "smart city" in h["en"].lower() for h in hits)


def test_errors_are_one_line_without_traceback(tmp_path: Path, kiep_paths) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    for args in (
        ("align", str(empty), str(kiep_paths[1])),
        ("align", str(tmp_path / "missing.txt"), str(kiep_paths[1])),
        ("align", str(kiep_paths[0]), str(kiep_paths[0])),
        ("align", str(kiep_paths[0]), str(kiep_paths[1]), "--model", "nope"),
    ):
        res = run(*args)
        assert res.returncode != 0
        assert "Traceback" not in res.stderr
        errors = [ln for ln in res.stderr.splitlines() if ln.startswith("aligner: error:")]
        assert len(errors) == 1, res.stderr
    res = run("align", str(empty), str(kiep_paths[1]))
    assert "empty.txt" in res.stderr


def test_markup_in_input_is_printed_literally(tmp_path: Path) -> None:
    ko = tmp_path / "ko.txt"
    en = tmp_path / "en.txt"
    ko.write_text("[bold]굵게[/] 표시된 문장이다. 두 번째 [link=http://x]문장[/link]이다.\n", encoding="utf-8")
    en.write_text("This is a [bold]bold[/] sentence. A second [link=http://x]sentence[/link].\n", encoding="utf-8")
    res = run("search", "bold sentence", str(ko), str(en), "-k", "2")
    assert res.returncode == 0, res.stderr
    assert "[bold]bold[/]" in res.stdout
    assert "\x1b" not in res.stdout
