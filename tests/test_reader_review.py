"""The translator's review (issue 21): what goes into the translation memory is exactly what was checked.

Pilot runs of the reader on the bundled KIEP sample (a real report), the CLI as a subprocess and the
reader in tmux, each item tried the way a translator coming from memoQ or Trados works.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from aligner.export.formats import export
from aligner.session.pair_session import open_session
from aligner.session.review import Band, band, needs_review
from aligner.session.workspace import Workspace, open_pair
from aligner.tui.app import AlignerApp, create_app
from aligner.tui.export_screen import ExportScreen
from tests.conftest import DATA, FIXTURES

pytestmark = pytest.mark.slow  # Pilot, tmux and subprocess runs

ROOT = Path(__file__).resolve().parents[1]
SIZE = (100, 30)


def make_app(workspace: Workspace, tmp_path: Path, **kwargs: Any) -> AlignerApp:
    return create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json", **kwargs)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    session = getattr(pilot.app, "session", None)
    if session is not None:
        session.flush()
    await pilot.pause()


def said(app: AlignerApp) -> list[str]:
    return [n.message for n in app._notifications]


def beads_of(app: AlignerApp) -> tuple[Any, ...]:
    assert app.workspace is not None
    return app.workspace.alignment.beads


# ---------------------------------------------------------------------- 1. realign keeps real scores


async def test_realign_keeps_each_confirmed_pairs_real_score(kiep_workspace: Workspace, tmp_path: Path) -> None:
    beads = kiep_workspace.alignment.beads
    low = next(i for i, b in enumerate(beads) if b.src and b.tgt and b.confidence < 0.8)
    score = beads[low].confidence
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(low)
        await pilot.press("c", "R")
        await settle(pilot)
        kept = next(b for b in beads_of(app) if (b.src, b.tgt) == (beads[low].src, beads[low].tgt))
        assert kept.confirmed and kept.confidence == score  # not 1.00
        app.reader.move_cursor(low)
        await pilot.pause()
        assert f"confirmed {score:.2f}" in app.status.text
        assert not any(b.confirmed and not b.edited and b.confidence == 1.0 for b in beads_of(app))
        assert app.workspace is not None
        tmx = export(app.workspace.alignment, "tmx")
        assert f'<prop type="x-confidence">{score:.4f}</prop>' in tmx  # the real score goes into the memory


# ---------------------------------------------------------------------- 2. explicit confirm, U unconfirms


async def test_c_only_confirms_and_u_unconfirms(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "c")  # once too often: still confirmed
        assert beads_of(app)[0].confirmed
        assert any("already confirmed" in m for m in said(app)), said(app)
        await pilot.press("U")
        assert not beads_of(app)[0].confirmed
        assert any("unconfirmed" in m for m in said(app))
        await pilot.press("U")  # and U never confirms
        assert not beads_of(app)[0].confirmed


# ---------------------------------------------------------------------- 3. an edit confirms only what was edited


async def test_an_edit_confirms_only_the_pair_the_user_made(kiep_workspace: Workspace, tmp_path: Path) -> None:
    beads = kiep_workspace.alignment.beads
    multi = next(i for i, b in enumerate(beads) if len(b.tgt) > 1 and b.src)
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(multi)
        await pilot.press("x", "enter")  # the first sentence offered has no counterpart
        after = beads_of(app)
        assert len(after) == len(beads) + 1
        assert sum(1 for b in after if b.confirmed) == 1  # the detached sentence, not the rest of the pair
        rest = next(b for b in after if b not in beads and not b.confirmed)  # what is left of the pair
        assert rest.edited and not rest.confirmed and needs_review(rest)
        await pilot.press("u")
        two = next(i for i, b in enumerate(beads) if len(b.src) > 1 and i + 1 < len(beads))
        app.reader.move_cursor(two)
        await pilot.press("right_square_bracket")  # the last Korean sentence joins the next pair
        after = beads_of(app)
        assert after[two].confirmed and not after[two + 1].confirmed and after[two + 1].edited
        await pilot.press("j")
        assert "edited, check" in app.status.text


# ---------------------------------------------------------------------- 4. export follows the review


async def test_export_dialog_offers_confirmed_only_and_a_minimum_and_remembers(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    beads = kiep_workspace.alignment.beads
    matches = [b for b in beads if b.src and b.tgt]
    to_check = sum(1 for b in matches if needs_review(b))
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", "j", "c")  # two pairs checked
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        count = str(screen.query_one("#export-count", Static).render())
        assert (
            f"{len(matches)} pairs go out: {len(matches) - 2} of them unconfirmed, {to_check} still to check" in count
        )
        screen.query_one("#export-confirmed", Checkbox).value = True
        await pilot.pause()
        assert "2 pairs go out, all confirmed" in str(screen.query_one("#export-count", Static).render())
        target = tmp_path / "checked.tmx"
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        assert not isinstance(app.screen, ExportScreen)
        assert target.read_text("utf-8").count("<tu ") == 2
        await pilot.press("e")  # the choice is remembered
        screen = app.screen
        assert isinstance(screen, ExportScreen) and screen.query_one("#export-confirmed", Checkbox).value
        screen.query_one("#export-confirmed", Checkbox).value = False
        screen.query_one("#export-min", Input).value = "2"
        await pilot.pause()
        assert "outside" in str(screen.query_one("#export-count", Static).render())
        screen.query_one("#export-min", Input).value = "0.8"
        await pilot.pause()
        confident = [b for b in matches if b.confidence >= 0.8 or b is beads[0] or b is beads[1]]
        assert f"{len(confident)} pairs go out" in str(screen.query_one("#export-count", Static).render())
        await pilot.press("escape")
    assert app.export_choice().confirmed_only  # cancelled: the last export's choice stays


# ---------------------------------------------------------------------- 6. bulk-accept no-counterpart pairs


async def test_x_accepts_every_no_counterpart_pair_at_once(kiep_workspace: Workspace, tmp_path: Path) -> None:
    beads = kiep_workspace.alignment.beads
    alone = [i for i, b in enumerate(beads) if not b.src or not b.tgt]
    assert len(alone) >= 5, "the KIEP summary leaves Korean sentences untranslated"
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        assert not any(beads_of(app)[i].confirmed for i in alone)  # C never takes them
        await pilot.press("X")
        assert all(beads_of(app)[i].confirmed for i in alone)
        assert all(beads_of(app)[i].confidence == beads[i].confidence for i in alone)
        assert any(f"accepted {len(alone)} pairs with no counterpart" in m for m in said(app)), said(app)
        await pilot.press("u")
        assert not any(beads_of(app)[i].confirmed for i in alone)


# ---------------------------------------------------------------------- 7. wrap-around announced


async def test_next_to_check_says_when_it_wraps(kiep_workspace: Workspace, tmp_path: Path) -> None:
    beads = kiep_workspace.alignment.beads
    to_check = [i for i, b in enumerate(beads) if band(b) is not Band.CONFIDENT]
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(to_check[-1])
        await pilot.press("n")
        assert app.reader.cursor == to_check[0]
        assert any("passed the last pair" in m and "continuing from the top" in m for m in said(app)), said(app)
        await pilot.press("N")
        assert any("passed the first pair" in m for m in said(app))


# ---------------------------------------------------------------------- 8. undo says what; history reopens


async def test_undo_says_what_it_undid_and_the_history_survives_reopening(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    original = kiep_workspace.alignment.beads
    first = make_app(kiep_workspace, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "j", "c")
        await pilot.press("u")
        assert "undid: confirm pair #2" in said(first)
        await pilot.press("ctrl+r")
        assert "redid: confirm pair #2" in said(first)
        await settle(pilot)
        edited = beads_of(first)
    second = make_app(kiep_workspace, tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert beads_of(second) == edited
        await pilot.press("u")
        assert "undid: confirm pair #2" in said(second), said(second)
        await pilot.press("u")
        assert "undid: merge pairs #1 and #2" in said(second)
        assert beads_of(second) == original
        await pilot.press("u")
        assert "nothing to undo" in said(second)


# ---------------------------------------------------------------------- 10. unreadable file: no dead reader


async def test_an_unreadable_file_says_so_once_and_q_quits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_OCR", "off")  # the scan is unreadable without OCR (--no-ocr)
    scan = FIXTURES / "formats" / "bad" / "image-only.pdf"
    app = create_app(scan, DATA / "kiep_en.txt", project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.load_error and "OCR" in app.load_error
        screen = "\n".join(app.reader.render_line(y).text for y in range(20))
        shown = [screen, app.status.text, *said(app)]
        assert sum(text.count("no text layer") for text in shown) == 1, shown  # once, not three times
        assert "q quits" in screen
        await pilot.press("q")
    assert not app.is_running


TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_aligner_read_on_a_scan_exits_with_one_line_in_tmux(tmp_path: Path) -> None:
    from tests.test_smoke_tmux import Terminal

    term = Terminal(f"aligner-review-{os.getpid()}", 100, 30)
    try:
        env = {"PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "ALIGNER_STATE_DIR": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
               "ALIGNER_OCR": "off",
               "ALIGNER_CACHE_DIR": os.environ.get("ALIGNER_CACHE_DIR", str(tmp_path / "cache"))}  # fmt: skip
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        scan = FIXTURES / "formats" / "bad" / "image-only.pdf"
        program = f"env -u COLUMNS -u LINES {assignments} {shlex.quote(sys.executable)} -m aligner read"
        term.start(f"{program} {shlex.quote(str(scan))} {shlex.quote(str(DATA / 'kiep_en.txt'))}; "
                   "echo ALIGNER-EXIT=$?; sleep 60")  # fmt: skip
        screen = term.wait_for(lambda s: "ALIGNER-EXIT=" in s, "the reader to give up on the scan", timeout=60)
        assert "ALIGNER-EXIT=1" in screen
        errors = [line for line in screen.splitlines() if line.startswith("aligner: error:")]
        assert len(errors) == 1 and "image-only.pdf" in errors[0], screen
        assert "Traceback" not in screen
    finally:
        term.close()


# ---------------------------------------------------------------------- 11. --presplit stored


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)  # fmt: skip


def test_presplit_is_stored_with_the_corrections(kiep_workspace: Workspace, tmp_path: Path) -> None:
    """Two sample sentences per line: --presplit keeps each line one unit; the segmenter would split them."""
    ws = kiep_workspace
    ko, en = tmp_path / "ko.txt", tmp_path / "en.txt"
    for path, doc in ((ko, ws.ko), (en, ws.en)):
        texts = doc.texts[:24]
        path.write_text("\n".join(" ".join(texts[k : k + 2]) for k in range(0, len(texts), 2)) + "\n", "utf-8")
    session = open_session(ko, en, presplit=True)
    try:
        session.apply(lambda beads: (replace(beads[0], confirmed=True), *beads[1:]))
        session.save()
        saved = session.beads
    finally:
        session.close()
    again = open_pair(ko, en)  # no flag: as the corrections were made
    assert len(again.ko) == 12 and again.alignment.beads == saved
    assert not any("changed" in n for n in again.notices), again.notices
    assert any("as when the corrections were saved" in line for line in again.info)
    res = run_cli("review", str(ko), str(en))
    assert res.returncode == 0 and "changed since" not in res.stderr and "dropped" not in res.stderr, res.stderr
    assert "note: read one sentence per line (--presplit), as when the corrections were saved" in res.stderr


# ---------------------------------------------------------------------- 12. review: empty said, no warning


def test_review_with_nothing_left_says_so_and_information_is_no_warning(tmp_path: Path) -> None:
    ko, en = tmp_path / "kiep_ko.txt", tmp_path / "kiep_en.txt"
    shutil.copyfile(DATA / "kiep_ko.txt", ko)
    shutil.copyfile(DATA / "kiep_en.txt", en)
    session = open_session(ko, en)
    try:
        session.apply(lambda beads: tuple(replace(b, confirmed=True) for b in beads))  # every pair checked
        session.save()
        total = len(session.beads)
    finally:
        session.close()
    res = run_cli("review", str(ko), str(en))
    assert res.returncode == 0, res.stderr
    assert f"nothing to review: all {total} pairs are confirmed" in res.stdout
    assert "warning:" not in res.stderr, res.stderr
    assert f"note: restored {total} beads ({total} confirmed)" in res.stderr


# ---------------------------------------------------------------------- 5. sentences inside a pair


async def test_sentences_inside_a_pair_are_visibly_separated(kiep_workspace: Workspace, tmp_path: Path) -> None:
    from aligner.tui.rows import SENTENCE_MARK

    beads = kiep_workspace.alignment.beads
    multi = next(i for i, b in enumerate(beads) if len(b.src) + len(b.tgt) > 2)
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(multi, center=True)
        await pilot.pause()
        row = app.reader.rows[multi]
        left = "".join(line.plain for line in row.left)
        right = "".join(line.plain for line in row.right)
        assert left.count(SENTENCE_MARK) == len(beads[multi].src) - 1
        assert right.count(SENTENCE_MARK) == len(beads[multi].tgt) - 1
        single = next(i for i, b in enumerate(beads) if len(b.src) == len(b.tgt) == 1)
        assert SENTENCE_MARK not in "".join(line.plain for line in app.reader.rows[single].left)


# ---------------------------------------------------------------------- 9. the place survives views and resizes


async def test_the_place_is_kept_across_views_and_resizes(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(16)
        await pilot.press("r")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        view = app.reader
        assert view.cursor == 16 and "#17 " in app.status.text
        top, height = view.scroll_offset.y, view.scrollable_content_region.height
        row = view.rows[16]
        assert top <= row.body_top < top + height  # the selected pair is on screen
        await pilot.press("j", "c")
        assert view.cursor == 17 and beads_of(app)[17].confirmed
        await pilot.resize_terminal(120, 35)
        await settle(pilot)
        top, height = view.scroll_offset.y, view.scrollable_content_region.height
        assert view.cursor == 17 and top <= view.rows[17].body_top < top + height
