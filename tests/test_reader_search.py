"""Search that reads well: plain labels, English word forms, noise cut, results fitted to the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.core.values import Lang
from aligner.search.hits import HitKind
from aligner.search.searcher import NOISE_SPREAD, english_stems
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app

from .test_tui import settle


def test_kinds_have_plain_labels(kiep_workspace: Workspace) -> None:
    assert [k.label for k in HitKind] == ["meaning", "exact", "word form", "term"]
    hits = kiep_workspace.search("smart cities", k=20)
    assert hits[0].label == "meaning + exact"
    assert all("semantic" not in h.label and "literal" not in h.label for h in hits)


@pytest.mark.parametrize(("query", "form"), [("smart city", "smart cities"), ("developed", "develop"),
                                             ("policies", "policy")])  # fmt: skip
def test_english_inflections_match_as_word_forms(kiep_workspace: Workspace, query: str, form: str) -> None:
    hits = kiep_workspace.search(query, k=50)
    by_form = [h for h in hits if HitKind.MORPHEME in h.kinds]
    assert by_form, f"{query!r} found no other word form"
    texts = [h.en.lower() for h in by_form]
    assert any(form in t and query not in t for t in texts)  # found as another form, not as typed
    assert all(HitKind.LITERAL not in h.kinds for h in by_form)  # exact and word form are told apart
    assert english_stems(query) <= english_stems(form)


def test_meaning_only_noise_is_cut(kiep_workspace: Workspace) -> None:
    assert kiep_workspace.search("banana bread recipe", k=20) == []
    hits = kiep_workspace.search("smart city", k=50)
    best = max(h.semantic for h in hits)
    alone = [h for h in hits if h.kinds == (HitKind.SEMANTIC,)]
    assert all(h.semantic >= best - NOISE_SPREAD for h in alone)


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_results_fit_the_window_with_both_sides_wrapped(
    kiep_workspace: Workspace, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Both sides of each result, wrapped to the window; on a short screen (80×24) each side is
    cut to two lines and the panel keeps under half the window, so the text stays readable."""
    app = create_app(workspace=kiep_workspace, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"smart cities")
        await settle(pilot)
        panel = app.search_panel
        assert panel.hits
        visible = _screen_text(app)
        first = panel.hits[0]
        words = (first.en if first.lang is Lang.EN else first.ko).split()
        short = size[1] < 30
        if short:
            assert " ".join(words[:3]) in " ".join(visible.split()) and "…" in visible  # cut, and says so
        else:
            assert " ".join(words[-3:]) in " ".join(visible.split())  # the end of the sentence: wrapped, not cut
        other = (first.ko if first.lang is Lang.EN else first.en).split()
        assert other[0] in visible  # the other side too
        assert "meaning + exact" in visible
        shown = sum(1 for h in panel.hits if f"{h.score:4.2f} " in visible)
        assert shown >= (1 if short else 2)
        assert size[1] // 3 <= panel.region.height <= size[1] // 2  # results get room, the text keeps more


def _screen_text(app: object) -> str:
    """The composited screen (every layer, as the terminal gets it) as plain text lines."""
    from textual.app import App

    assert isinstance(app, App)
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
