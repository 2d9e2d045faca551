"""SVG snapshots of the reader's main screens (pytest-textual-snapshot).

Deterministic: fixed terminal sizes, every worker awaited, no blinking cursor,
and a fixed alignment.  The workspace is the real pipeline's for the bundled
sample (segmentation, embeddings, search), but its beads are the gold
alignment of the sample with fixed confidences, so that tuning the aligner
does not change these pictures.  After an intended change to the look,
review the diff and refresh with ``pytest tests/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from aligner.core.values import Bead
from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app
from tests.conftest import DATA, GOLD

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

Before = Callable[[Pilot[Any]], Awaitable[None]]


LOW = {4: 0.41, 9: 0.38, 6: 0.64}  # two 1-1 pairs shown as suspicious, one to check


def _norm(texts: Sequence[str]) -> list[str]:
    return [" ".join(t.split()) for t in texts]


@pytest.fixture(scope="module")
def fixed_workspace(kiep_workspace: Workspace) -> Workspace:
    """The sample's real workspace with the gold beads and fixed confidences (no toasts either)."""
    ko = (GOLD / "ko.txt").read_text("utf-8").splitlines()
    en = (GOLD / "en.txt").read_text("utf-8").splitlines()
    if _norm(kiep_workspace.ko.texts) != _norm(ko) or _norm(kiep_workspace.en.texts) != _norm(en):
        pytest.fail("the bundled sample's sentences no longer match the gold sentences; update this fixture")
    beads = [Bead.parse(line) for line in (GOLD / "gold.align").read_text("utf-8").splitlines() if line.strip()]
    beads = [replace(b, confidence=LOW.get(i, 0.97)) for i, b in enumerate(beads)]
    return replace(kiep_workspace.with_beads(beads), notices=[])


@pytest.fixture
def make_app(fixed_workspace: Workspace, tmp_path: Path) -> Callable[[], AlignerApp]:
    def make() -> AlignerApp:
        return create_app(workspace=fixed_workspace, project_path=tmp_path / "pair.aligner.json")

    return make


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    for screen in pilot.app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
    await pilot.pause()


def steps(*keys: str, then: Sequence[str] = ()) -> Before:
    """Wait for loading, press ``keys``, let searches settle, press ``then``."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        if then:
            await pilot.press(*then)
            await settle(pilot)

    return run


def test_reader(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps())


def test_reader_small_terminal(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps())


def test_reader_wide_terminal(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(160, 40), run_before=steps("end"))


def test_reader_light_theme(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps("t", "n"))


def test_search_results(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps("slash", *"스마트시티"))


def test_search_jump_highlights_the_pair(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    before = steps("slash", *"스마트시티", then=["enter"])
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=before)


def test_help_screen(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps("question_mark"))


def test_review_screen(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps("v"))


def test_split_dialog(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps("j", "s"))


async def open_export_dialog(pilot: Pilot[Any]) -> None:
    await steps("e")(pilot)
    # The dialog shows the full path of the documents' folder, which depends on the checkout.
    path = pilot.app.screen.query_one("#export-path", Input)
    assert Path(path.value).parent == Path(DATA).absolute()
    path.value = "/documents/kiep_ko.kiep_en.tmx"
    await settle(pilot)


def test_export_dialog(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=open_export_dialog)


def test_edited_pairs(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    """A merged pair (edits are confirmed), then a sentence marked as having no counterpart."""
    before = steps("m", "j", "j", "x", then=["enter"])
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=before)


VIEWS: dict[str, Before] = {
    "reader": steps("j", "j"),
    "search": steps("slash", *"smart cities"),
    "review": steps("v"),
    "help": steps("question_mark"),
    "reading": steps("r", "down", "down"),
    "reading_english": steps("r", "down", "L"),
    "export": open_export_dialog,
    "split": steps("j", "s"),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 35)], ids=["80x24", "120x35"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view(snap_compare: Any, make_app: Callable[[], AlignerApp], view: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=VIEWS[view])
