"""Reopening an unchanged pair takes its alignment from the cache; any change aligns again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from aligner.session import alignment_cache
from aligner.session.workspace import Workspace, align_pair


def test_an_unchanged_pair_reuses_its_alignment(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(alignment_cache, "cache_dir", lambda: tmp_path)  # only this cache starts empty
    ko, en = kiep_workspace.ko, kiep_workspace.en
    calls: list[int] = []
    real = alignment_cache.cached_alignment

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        align = args[4]

        def counted():  # type: ignore[no-untyped-def]
            calls.append(1)
            return align()

        return real(*args[:4], counted)

    monkeypatch.setattr(alignment_cache, "cached_alignment", counting)
    first = align_pair(ko, en)
    assert calls == [1] and first.alignment.beads == kiep_workspace.alignment.beads
    assert list((tmp_path / "alignments").glob("*.json"))
    again = align_pair(ko, en)
    assert calls == [1] and again.alignment.beads == first.alignment.beads  # from the cache, identical
    # one sentence changed: a different key, aligned again
    s0 = ko.sentences[0]
    changed = replace(ko, sentences=(replace(s0, text=s0.text + " 추가"), *ko.sentences[1:]))
    align_pair(changed, en)
    assert calls == [1, 1]


def test_a_damaged_alignment_cache_is_ignored(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(alignment_cache, "cache_dir", lambda: tmp_path)  # only this cache starts empty
    ko, en = kiep_workspace.ko, kiep_workspace.en
    first = align_pair(ko, en)
    for f in (tmp_path / "alignments").glob("*.json"):
        f.write_text('{"key": "x", "beads": [[[0], [0], 0.5, false]]}', encoding="utf-8")
    again = align_pair(ko, en)
    assert again.alignment.beads == first.alignment.beads
