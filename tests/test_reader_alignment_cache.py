"""Reopening an unchanged pair takes its alignment from the cache; any change aligns again."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.core.cache_dir import usable_dir
from aligner.session import alignment_cache
from aligner.session.workspace import Workspace, align_pair


def test_an_unchanged_pair_reuses_its_alignment(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # only this cache starts empty
    monkeypatch.setattr(alignment_cache, "usable_cache_dir", lambda sub: usable_dir(tmp_path / sub))
    ko, en = kiep_workspace.ko, kiep_workspace.en
    calls: list[int] = []
    real = alignment_cache.cached_alignment

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        align = args[4]

        def counted():  # type: ignore[no-untyped-def]
            calls.append(1)
            return align()

        return real(args[0], args[1], args[2], args[3], counted)

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
    # only this cache starts empty
    monkeypatch.setattr(alignment_cache, "usable_cache_dir", lambda sub: usable_dir(tmp_path / sub))
    ko, en = kiep_workspace.ko, kiep_workspace.en
    first = align_pair(ko, en)
    for f in (tmp_path / "alignments").glob("*.json"):
        f.write_text('{"key": "x", "beads": [[[0], [0], 0.5, false]]}', encoding="utf-8")
    again = align_pair(ko, en)
    assert again.alignment.beads == first.alignment.beads


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.one_of(
    st.binary(max_size=400),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                 max_leaves=30).map(lambda v: json.dumps(v).encode()),
    st.just(b"[" * 100_000 + b"]" * 100_000),
))
def test_any_malformed_alignment_cache_entry_is_a_miss(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junk: bytes
) -> None:
    monkeypatch.setattr(alignment_cache, "usable_cache_dir", lambda sub: usable_dir(tmp_path / sub))
    ko, en = kiep_workspace.ko, kiep_workspace.en
    key = alignment_cache.alignment_key(ko, en, "use-m3", ())
    path = alignment_cache._path(key)
    assert path is not None
    path.write_bytes(junk)
    beads = alignment_cache.cached_alignment(ko, en, "use-m3", (), lambda: kiep_workspace.alignment.beads)
    assert beads == kiep_workspace.alignment.beads  # never raises, never serves the junk
