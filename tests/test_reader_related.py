"""The reader's related pane, driven by Textual's Pilot with the real model, faiss and documents."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from aligner.cli.main import build_parser
from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app
from aligner.tui.passage_screen import PassageScreen

from .conftest import DATA, FIXTURES
from .test_tui import settle
from .test_tui_snapshots import fixed_workspace  # noqa: F401 - the snapshots' fixed pairs (a fixture)
from .test_tui_snapshots import settle as snapshot_settle

LIBRARY = FIXTURES / "library"


def _bead_with(ws: Workspace, words: str) -> int:
    return next(i for i in range(len(ws.alignment.beads)) if words in ws.alignment.texts(i)[1])


async def _answered(pilot, app: AlignerApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(0.3)  # the pane looks a pair up a moment after the cursor rests
    await settle(pilot)


def _screen_text(app: AlignerApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.slow  # the real model, faiss and the pair's glossary learned in the background
async def test_related_pane_follows_the_cursor_and_opens_a_passage(kiep_workspace: Workspace, tmp_path: Path) -> None:
    ws = kiep_workspace
    own = DATA / "kiep_en.txt"  # the pair's own English document, given in the library too: never offered
    app = create_app(workspace=ws, project_path=tmp_path / "pair.aligner.json", library=[LIBRARY, own])
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        await settle(pilot)
        pane = app.related
        assert pane.display and pane.library is not None
        assert len(pane.library.documents) == 5

        fintech = _bead_with(ws, "FinTech")
        app.reader.move_cursor(fintech, force=True, center=True)
        await _answered(pilot, app)
        finance = pane.passages
        assert finance and all(Path(p.path) != own for p in finance)
        assert any("Internet + Finance" in p.text or "인터넷 금융" in p.text for p in finance)
        assert Path(finance[0].path).name in _screen_text(app)  # labelled by its document on screen

        factories = _bead_with(ws, "Made in China 2025")
        app.reader.move_cursor(factories, force=True, center=True)
        await _answered(pilot, app)
        assert pane.passages != finance
        assert any("manufactur" in p.text.lower() or "제조" in p.text for p in pane.passages)

        app.reader.move_cursor(fintech, force=True, center=True)  # back: answered from the pane's memory
        await pilot.pause()
        assert pane.passages == finance

        await pilot.press("o")
        assert app.focused is pane.options
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PassageScreen)
        shown = app.screen.passage
        assert shown == finance[0]
        text = " ".join(_screen_text(app).split())
        assert " ".join(shown.matched.split()[:6]) in text and Path(shown.path).name in text
        await pilot.press("escape")
        assert not isinstance(app.screen, PassageScreen)
        await pilot.press("escape")  # out of the pane, back to the pairs
        assert app.focused is app.reader


async def test_without_a_library_there_is_no_pane(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = create_app(workspace=kiep_workspace, project_path=tmp_path / "pair.aligner.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app.related.display
        await pilot.press("o")
        await pilot.pause()
        assert any("--docs" in n.message for n in app._notifications)


async def test_a_library_that_cannot_be_read_says_so_in_one_line(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = create_app(workspace=kiep_workspace, project_path=tmp_path / "p.aligner.json", library=[tmp_path / "nope"])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.related.library is None
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and "no such file or folder" in errors[0] and "\n" not in errors[0]
        assert app.workspace is not None  # the pair itself reads on


def test_read_takes_docs() -> None:
    args = build_parser().parse_args(["read", "ko.txt", "en.txt", "--docs", "a.pdf", "folder"])
    assert [str(p) for p in args.docs] == ["a.pdf", "folder"]


@pytest.mark.slow  # the real model, faiss and the pair's glossary learned in the background
async def test_the_library_is_remembered_per_pair(
    kiep_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALIGNER_STATE_DIR", str(tmp_path / "state"))
    project = tmp_path / "pair.aligner.json"
    first = create_app(workspace=kiep_workspace, project_path=project, remember=True, library=[LIBRARY])
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert first.related.library is not None
    again = create_app(workspace=kiep_workspace, project_path=project, remember=True)  # no --docs this time
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert again.related.display and again.related.library is not None
        assert {Path(d.path or "").parent for d in again.related.library.documents} == {LIBRARY.resolve()}


def _related_app(workspace: Workspace, tmp_path: Path) -> AlignerApp:
    return create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json", library=[LIBRARY])


def _at_pair(bead: int, *keys: str):  # type: ignore[no-untyped-def]
    """Wait for the library, put the cursor on ``bead``, wait for its passages, press ``keys``."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await snapshot_settle(pilot)
        await snapshot_settle(pilot)
        pilot.app.reader.move_cursor(bead, force=True, center=True)
        await pilot.pause(0.3)
        await snapshot_settle(pilot)  # the passages by meaning, and the glossary learned meanwhile
        await snapshot_settle(pilot)  # the passages asked again with the pair's terms
        if keys:
            await pilot.press(*keys)
            await snapshot_settle(pilot)

    return run


@pytest.mark.slow
def test_related_pane_snapshot(snap_compare: Any, fixed_workspace: Workspace, tmp_path: Path) -> None:  # noqa: F811
    bead = _bead_with(fixed_workspace, "FinTech")
    assert snap_compare(_related_app(fixed_workspace, tmp_path), terminal_size=(110, 36), run_before=_at_pair(bead))


@pytest.mark.slow
def test_passage_in_context_snapshot(
    snap_compare: Any,
    fixed_workspace: Workspace,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    bead = _bead_with(fixed_workspace, "FinTech")
    before = _at_pair(bead, "o", "down", "enter")
    assert snap_compare(_related_app(fixed_workspace, tmp_path), terminal_size=(110, 36), run_before=before)


@pytest.mark.slow  # the real model, faiss and the pair's glossary learned in the background
async def test_related_pane_looks_for_the_pairs_glossary_terms(kiep_workspace: Workspace, tmp_path: Path) -> None:
    ws = kiep_workspace
    app = create_app(workspace=ws, project_path=tmp_path / "pair.aligner.json", library=[LIBRARY])
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        await settle(pilot)
        tencent = _bead_with(ws, "Tencent, an IT company")
        app.reader.move_cursor(tencent, force=True, center=True)
        await _answered(pilot, app)  # by meaning first, while the pair's glossary is learned…
        await settle(pilot)  # …then asked again with its terms
        named = [p for p in app.related.passages if p.via == "Tencent"]
        assert {Path(p.path).name for p in named} == {"internet_plus_wikipedia_en.txt", "policy_note_en.txt"}
        assert all("Tencent" in p.matched for p in named)
        assert "glossary: Tencent" in " ".join(_screen_text(app).split())


def test_serve_gives_each_tabs_reader_the_library(
    kiep_paths: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``aligner serve KO EN --docs …``: every browser tab runs ``aligner read KO EN --docs …`` (the same
    related pane), with the paths made absolute; a library path that is not there is said once, before serving."""
    from aligner.cli import serve as serve_cli
    from aligner.cli.main import main
    from aligner.tui import browser

    ko, en = (str(p) for p in kiep_paths)
    note = LIBRARY / "policy_note_en.txt"
    args = build_parser("serve").parse_args(["serve", ko, en, "--docs", str(LIBRARY), str(note)])
    command = shlex.split(serve_cli.read_command(args))
    assert command[1:4] == ["-m", "aligner", "read"]
    read = build_parser("read").parse_args(command[3:])
    assert read.docs == [LIBRARY.resolve(), note.resolve()] and read.ko == Path(ko).resolve()
    assert "--docs" not in serve_cli.read_command(build_parser("serve").parse_args(["serve", ko, en]))

    served: list[str] = []
    monkeypatch.setattr(browser, "serve_in_browser", lambda command, *_: served.append(command))
    assert main(["serve", ko, en, "--docs", str(LIBRARY)]) == 0
    assert served and shlex.split(served[0])[-2:] == ["--docs", str(LIBRARY.resolve())]
    missing = tmp_path / "notes"
    assert main(["serve", ko, en, "--docs", str(missing)]) == 1 and len(served) == 1
    err = capsys.readouterr().err
    assert "notes" in err and len(err.strip().splitlines()) == 1
