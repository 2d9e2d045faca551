"""SVG snapshots of the glossary pane and the term picker (pytest-textual-snapshot).

The workspace is the one of ``tests/test_tui_snapshots.py``: the real pipeline
for the bundled sample with the gold beads, so the glossary (real model, real
kiwipiepy) changes only when the glossary does. After an intended change,
review the diff and refresh with
``pytest tests/test_glossary_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app
from tests.test_tui_snapshots import fixed_workspace as fixed_workspace  # the shared fixture
from tests.test_tui_snapshots import steps

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out


@pytest.fixture
def make_app(fixed_workspace: Workspace, tmp_path: Path) -> Callable[[], AlignerApp]:
    def make() -> AlignerApp:
        return create_app(workspace=fixed_workspace, project_path=tmp_path / "pair.aligner.json")

    return make


def test_glossary_pane(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    """The pane in its one ranking, a kind column, the first entry's concordance."""
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=steps("w"))


def test_glossary_pane_names_only(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=steps("w", then=["k", "k"]))


def test_term_picker(snap_compare: Any, make_app: Callable[[], AlignerApp]) -> None:
    """``l`` on the second pair: its whole terms and names with their translations."""
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps("j", "l"))
