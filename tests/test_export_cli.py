"""`aligner export` end to end: corrections from the project file, filters, a valid TMX."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from aligner.session.edits import confirm, merge_with_next
from aligner.session.pair_session import PairSession
from aligner.session.workspace import open_pair

from .conftest import DATA, TMX_DTD
from .test_cli import run

pytestmark = pytest.mark.slow  # real subprocesses / large inputs: `make test-fast` leaves them out


def test_tmx_export_of_the_sample_is_valid_and_readable(tmp_path: Path) -> None:
    out = tmp_path / "kiep.tmx"
    res = run("export", "-o", str(out))
    assert res.returncode == 0, res.stderr
    dtd = etree.DTD(str(TMX_DTD))
    doc = etree.parse(str(out))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    from translate.storage.tmx import tmxfile

    store = tmxfile(out.read_bytes())
    units = [u for u in store.units if u.source]
    assert len(units) >= 70
    assert any("항저우" in u.source and "Hangzhou" in u.target for u in units)


def test_confirmed_only_and_min_confidence_use_saved_corrections(tmp_path: Path) -> None:
    ko, en = tmp_path / "ko.txt", tmp_path / "en.txt"
    shutil.copy(DATA / "kiep_ko.txt", ko)
    shutil.copy(DATA / "kiep_en.txt", en)
    ws = open_pair(ko, en)
    beads = confirm(merge_with_next(ws.alignment.beads, 0), 5)
    session = PairSession(ws.with_beads(beads), ws.project_path)
    saved = session.save()
    assert saved is not None
    assert saved.parent == tmp_path

    res = run("export", str(ko), str(en), "--format", "jsonl", "--confirmed-only")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 2  # the merged bead and the confirmed one
    assert all('"confirmed": true' in line for line in lines)

    res = run("export", str(ko), str(en), "--format", "tsv", "--min-confidence", "0.99")
    rows = res.stdout.splitlines()[1:]
    every = run("export", str(ko), str(en), "--format", "tsv").stdout.splitlines()[1:]
    assert 2 <= len(rows) < len(every)

    reopened = open_pair(ko, en)
    assert reopened.alignment.beads == beads


def test_bad_min_confidence_is_refused() -> None:
    res = run("export", "--min-confidence", "3")
    assert res.returncode != 0 and "between 0 and 1" in res.stderr
