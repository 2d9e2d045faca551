"""The pipeline end to end on the bundled sample and on bad pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.core.errors import InputError
from aligner.core.paths import sample_paths
from aligner.core.values import Lang
from aligner.session.workspace import load_pair, open_pair


def test_sample_aligns_every_sentence_once(kiep_workspace) -> None:  # type: ignore[no-untyped-def]
    ws = kiep_workspace
    assert len(ws.ko) == 87 and len(ws.en) == 84
    ws.alignment.check()
    assert all(0.0 <= b.confidence <= 1.0 for b in ws.alignment.beads)
    assert ws.alignment.model == "use-m3"
    assert not ws.alignment.warnings
    assert ws.ko_vecs.shape == (87, 512) and ws.en_vecs.shape == (84, 512)


def test_sample_paths_exist() -> None:
    ko, en = sample_paths()
    assert ko.is_file() and en.is_file()


def test_swapped_files_are_swapped_with_a_notice(kiep_paths) -> None:  # type: ignore[no-untyped-def]
    notices: list[str] = []
    ko, en = load_pair(kiep_paths[1], kiep_paths[0], notices=notices)
    assert ko.lang is Lang.KO and len(ko) == 87 and len(en) == 84
    assert notices and "swapped" in notices[0]


def test_same_language_twice_is_refused(kiep_paths) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="both English"):
        load_pair(kiep_paths[1], kiep_paths[1])
    with pytest.raises(InputError, match="both Korean"):
        load_pair(kiep_paths[0], kiep_paths[0])


def test_unrelated_documents_get_a_low_confidence_warning(tmp_path: Path, kiep_paths) -> None:  # type: ignore[no-untyped-def]
    ko = tmp_path / "diary_ko.txt"
    ko.write_text(
        "오늘은 날씨가 맑고 바람이 분다. 나는 공원에서 산책을 했다. 점심으로 김치찌개를 먹었다.\n\n"
        "저녁에는 친구와 영화를 보았다. 영화는 아주 재미있었다. 집에 와서 일찍 잠들었다.\n",
        encoding="utf-8",
    )
    ws = open_pair(ko, kiep_paths[1])
    ws.alignment.check()
    assert ws.alignment.warnings and "low confidence" in ws.alignment.warnings[0]
    assert all(b.confidence < 0.5 for b in ws.alignment.beads if b.src and b.tgt)  # no confident-looking pair


def test_an_excerpt_against_its_whole_translation_is_not_unrelated(tmp_path: Path, kiep_paths) -> None:  # type: ignore[no-untyped-def]
    excerpt = tmp_path / "excerpt_ko.txt"
    paragraphs = kiep_paths[0].read_text("utf-8").split("\n\n")
    excerpt.write_text("\n\n".join(paragraphs[:2]), encoding="utf-8")
    ws = open_pair(excerpt, kiep_paths[1], use_project=False)
    assert not ws.alignment.warnings
    matched = [b for b in ws.alignment.beads if b.src and b.tgt]
    assert sum(b.confidence >= 0.8 for b in matched) >= 0.8 * len(matched)
