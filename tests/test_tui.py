"""The Textual reader and workbench, driven with Pilot over the real pipeline on the bundled sample."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioButton, Static

from aligner.core.values import Bead, Lang
from aligner.session.review import Band, band, band_counts
from aligner.session.workspace import Workspace, open_pair
from aligner.tui.app import AlignerApp, create_app
from aligner.tui.bead_view import BeadView
from aligner.tui.commands import COMMANDS
from aligner.tui.dialogs import PickSentenceDialog, SplitDialog, default_cut, detachable
from aligner.tui.export_screen import ExportScreen
from aligner.tui.help_screen import HelpScreen, key_rows
from aligner.tui.messages import WorkProgress
from aligner.tui.review_screen import ReviewScreen
from aligner.tui.rows import ABSENT, DIVIDER, GUTTER, Columns, display_text

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

SIZE = (100, 30)


def make_app(workspace: Workspace, tmp_path: Path, **kwargs: object) -> AlignerApp:
    return create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json", **kwargs)  # type: ignore[arg-type]


async def settle(pilot: Pilot[Any]) -> None:
    """Let debounce timers fire, every worker finish, a pending autosave be written and the screen refresh."""
    await pilot.pause(0.1)
    await pilot.app.workers.wait_for_complete()
    session = getattr(pilot.app, "session", None)
    if session is not None:
        session.flush()
    await pilot.pause()


def plain(renderable: object, width: int = 100) -> str:
    """A rich renderable (an option's prompt) as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def reader_lines(app: AlignerApp) -> list[str]:
    view = app.reader
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def bead_text(app: AlignerApp, index: int) -> tuple[str, str]:
    ws = app.workspace
    assert ws is not None
    bead = ws.alignment.beads[index]
    return (
        " ".join(ws.ko.sentences[i].text for i in bead.src),
        " ".join(ws.en.sentences[j].text for j in bead.tgt),
    )


def pair_ids(beads: tuple[Bead, ...]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


# ---------------------------------------------------------------------- reader


async def test_reader_shows_the_sample_one_row_per_bead(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.reader
        beads = kiep_workspace.alignment.beads
        assert len(view.rows) == len(beads)
        assert all(row.body == max(len(row.left), len(row.right)) for row in view.rows)
        text = "\n".join(reader_lines(app))
        assert "중국은 인터넷 플랫폼과" in text
        assert "China is pursuing" in text
        titles = app.query_one("#titles").titles  # type: ignore[attr-defined]
        assert titles == ("한국어 · kiep_ko.txt", "English · kiep_en.txt")
        status = app.status.text
        assert "kiep_ko.txt" in status and "kiep_en.txt" in status
        assert f"{len(beads)} pairs" in status and "use-m3" in status and f"0/{len(beads)}" in status
        assert app.focused is view


async def test_wrapped_korean_and_english_lines_stay_level(kiep_workspace: Workspace, tmp_path: Path) -> None:
    """Every drawn line has the divider in the same cell, whatever wide characters precede it."""
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        columns = Columns.for_width(app.reader.scrollable_content_region.width)
        divider_cell = GUTTER + columns.left + DIVIDER.index("│")
        for _ in range(4):
            for line in reader_lines(app):
                assert "│" in line
                assert cell_len(line[: line.index("│")]) == divider_cell
            await pilot.press("pagedown")
            await pilot.pause()
        # a row is as tall as its taller side; the shorter side is padded, never shifted
        row = max(app.reader.rows, key=lambda r: abs(len(r.left) - len(r.right)))
        assert row.body == max(len(row.left), len(row.right)) > min(len(row.left), len(row.right))


async def test_keyboard_navigation(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    last = len(kiep_workspace.alignment.beads) - 1
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.reader
        await pilot.press("down", "j", "down")
        assert view.cursor == 3
        assert "#4 " in app.status.text
        await pilot.press("up", "k")
        assert view.cursor == 1
        await pilot.press("pagedown")
        assert view.cursor > 2
        top_after_page = view.cursor
        await pilot.press("pageup")
        assert view.cursor < top_after_page
        await pilot.press("end")
        assert view.cursor == last
        await pilot.pause()
        assert view.scroll_offset.y > 0
        ko, en = bead_text(app, last)
        visible = "\n".join(reader_lines(app))
        assert (ko or en)[:8] in visible
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("G")
        assert view.cursor == last
        await pilot.press("g")
        assert view.cursor == 0


async def test_click_selects_the_pair_under_the_mouse(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = app.reader.rows[2]
        await pilot.click(BeadView, offset=(10, row.body_top))
        assert app.reader.cursor == 2
        assert app.focused is app.reader


async def test_paragraph_breaks_and_omissions_are_visible(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.reader
        separated = [row for row in view.rows if row.separator]
        assert separated, "the sample has several paragraphs"
        row = separated[0]
        view.move_cursor(row.bead)
        await pilot.pause()
        lines = reader_lines(app)
        y = row.top - view.scroll_offset.y
        assert "¶" in lines[y] and lines[y].replace("¶", "").replace("│", "").strip() == ""
        # an omission shows the marker and the dimmed placeholder on its empty side
        beads = kiep_workspace.alignment.beads
        omitted = [i for i, b in enumerate(beads) if not b.src or not b.tgt]
        if not omitted:
            pytest.skip("the current aligner finds no omission in the sample")
        view.move_cursor(omitted[0])
        await pilot.pause()
        row = view.rows[omitted[0]]
        line = reader_lines(app)[row.body_top - view.scroll_offset.y]
        assert line[1] == "!"
        assert ABSENT in line


async def test_user_text_is_never_markup(tmp_path: Path) -> None:
    ko = tmp_path / "ko.txt"
    en = tmp_path / "en.txt"
    ko.write_text("표시 테스트 [bold]x[/] 그리고 [link=http://x]y 입니다.\n\n두 번째 문단의 문장입니다.\n", "utf-8")
    en.write_text("A display test with [bold]x[/] and [link=http://x]y in it.\n\nA second paragraph.\n", "utf-8")
    workspace = open_pair(ko, en)
    app = make_app(workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = "\n".join(reader_lines(app))
        assert text.count("[bold]x[/]") == 2
        assert text.count("[link=http://x]y") == 2
        await pilot.press("slash", *"bold")
        await settle(pilot)
        prompts = [
            plain(app.search_panel.results.get_option_at_index(i).prompt)
            for i in range(app.search_panel.results.option_count)
        ]
        assert any("[bold]x[/]" in p for p in prompts)
        await pilot.press("enter")
        await pilot.pause()
        assert "[bold]x[/]" in "\n".join(reader_lines(app))


def test_display_text_removes_control_characters() -> None:
    assert display_text("a\tb\nc\x1b[31md") == "a b c\ufffd[31md"


# ---------------------------------------------------------------------- search


async def test_search_jumps_to_the_pair_and_highlights_it(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        panel = app.search_panel
        assert panel.is_open and app.focused is panel.input
        await pilot.press(*"스마트시티")
        await settle(pilot)
        hits = panel.hits
        assert hits and panel.results_query == "스마트시티"
        assert panel.results.option_count == len(hits)
        assert all(set(h.kinds) <= {"semantic", "literal", "morpheme", "concept"} for h in hits)
        assert "literal" in hits[0].kinds
        first_prompt = plain(panel.results.get_option_at_index(0).prompt)
        assert f"{hits[0].score:4.2f}" in first_prompt and hits[0].label in first_prompt
        await pilot.press("enter")
        await pilot.pause()
        view = app.reader
        assert view.cursor == hits[0].bead
        assert app.focused is view
        ko, en = bead_text(app, view.cursor)
        assert "스마트시티" in ko
        assert "항저우" in ko or "Hangzhou" in en or "smart cit" in en.lower()
        highlight = view.highlight
        assert highlight is not None and highlight.bead == view.cursor and highlight.needle == "스마트시티"
        bead = app.workspace.alignment.beads[view.cursor]  # type: ignore[union-attr]
        assert highlight.ko == {hits[0].sentence} if hits[0].lang.value == "ko" else highlight.en == {hits[0].sentence}
        assert highlight.ko | highlight.en >= set(bead.src) | set(bead.tgt)  # the match and its counterpart
        visible = "\n".join(reader_lines(app))
        assert "스마트시티" in visible
        await pilot.press("escape")
        assert view.highlight is None and not panel.is_open


async def test_search_in_english_finds_hangzhou(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Hangzhou", "enter")  # Enter before the results: jumps when they arrive
        await settle(pilot)
        ko, en = bead_text(app, app.reader.cursor)
        assert "Hangzhou" in en or "항저우" in ko


async def test_search_results_update_click_and_history(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.search_panel
        await pilot.press("slash", *"smart city")
        await settle(pilot)
        first = panel.hits
        assert first
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"AI")
        await settle(pilot)
        assert panel.results_query == "smart AI"
        await pilot.press(*["backspace"] * 8, *"인공지능")
        await settle(pilot)
        hits = panel.hits
        assert panel.results_query == "인공지능" and hits
        # clicking a result jumps to it
        second = f"{hits[1].score:4.2f} "
        row = next(y for y in range(panel.results.size.height) if second in panel.results.render_line(y).text)
        await pilot.click(OptionList, offset=(8, row))
        await pilot.pause()
        assert app.reader.cursor == hits[1].bead
        # Escape closes, / reopens with the query; up/down walk the history
        await pilot.press("slash")
        assert panel.input.value == "인공지능"
        panel.input.value = ""
        await pilot.press(*"항저우", "enter")
        await settle(pilot)
        await pilot.press("slash")
        panel.input.value = ""
        await pilot.press("up")
        assert panel.input.value == "항저우"
        await pilot.press("up")
        assert panel.input.value == "인공지능"
        await pilot.press("down")
        assert panel.input.value == "항저우"
        await pilot.press("down")
        assert panel.input.value == ""
        await pilot.press("escape")
        assert not panel.is_open and app.focused is app.reader


async def test_clearing_the_query_clears_the_results(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"China")
        await settle(pilot)
        assert app.search_panel.hits
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        assert app.search_panel.hits == [] and app.search_panel.results.option_count == 0


async def test_a_hit_is_found_again_after_an_edit(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Hangzhou")
        await settle(pilot)
        hit = app.search_panel.hits[0]
        app.action_merge_next()  # pairs shift by one under the shown results
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        bead = beads[app.reader.cursor]
        assert hit.sentence in (bead.src if hit.lang.value == "ko" else bead.tgt)


async def test_a_query_without_match_says_so(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qqqxzzv", "enter")
        await settle(pilot)
        panel = app.search_panel
        assert panel.hits == []
        assert "no match" in str(panel.query_one("#search-count", Static).render())
        assert app.reader.cursor == 0 and app.focused is panel.input


# ---------------------------------------------------------------------- workbench


async def test_merge_undo_redo_and_autosave(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    original = kiep_workspace.alignment.beads
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        assert len(beads) == len(original) - 1
        assert beads[0].src == original[0].src + original[1].src and beads[0].confirmed
        assert len(app.reader.rows) == len(beads)
        await settle(pilot)  # the autosave is debounced and runs off the UI thread
        saved = json.loads((tmp_path / "pair.aligner.json").read_text("utf-8"))
        assert saved["payload"]["beads"][0]["src"] == list(beads[0].src)
        await pilot.press("u")
        assert app.workspace.alignment.beads == original  # type: ignore[union-attr]
        await pilot.press("ctrl+r")
        assert app.workspace.alignment.beads == beads  # type: ignore[union-attr]
        await pilot.press("u", "j", "M")
        assert app.workspace.alignment.beads == beads  # type: ignore[union-attr]
        assert app.reader.cursor == 0
        await pilot.press("u", "u")  # one too many: a warning, not a crash
        assert app.workspace.alignment.beads == original  # type: ignore[union-attr]


async def test_moving_sentences_between_pairs(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    original = kiep_workspace.alignment.beads
    multi = next(i for i, b in enumerate(original) if len(b.tgt) > 1 and i + 1 < len(original))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(multi)
        await pilot.press("right_curly_bracket")  # last English sentence to the next pair
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        assert beads[multi].tgt == original[multi].tgt[:-1]
        assert beads[multi + 1].tgt == original[multi].tgt[-1:] + original[multi + 1].tgt
        await pilot.press("j", "left_curly_bracket")  # and back
        assert pair_ids(app.workspace.alignment.beads) == pair_ids(original)  # type: ignore[union-attr]
        await pilot.press("right_square_bracket")  # Korean sentence of pair multi+1 to the next pair
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        assert (
            original[multi + 1].src[-1] in beads[multi + 1].src or original[multi + 1].src[-1] in beads[multi + 2].src
        )
        await pilot.press("u", "u", "u")
        assert app.workspace.alignment.beads == original  # type: ignore[union-attr]
        await pilot.press("home", "left_square_bracket")  # refused at the first pair: one-line error, no change
        assert app.workspace.alignment.beads == original  # type: ignore[union-attr]


async def test_split_dialog(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    original = kiep_workspace.alignment.beads
    multi = next(i for i, b in enumerate(original) if len(b.src) + len(b.tgt) > 2)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(multi)
        await pilot.press("s")
        assert isinstance(app.screen, SplitDialog)
        src_cut, tgt_cut = default_cut(original[multi])
        preview = str(app.screen.query_one("#split-preview", Static).render())
        assert "first part" in preview and "second part" in preview
        await pilot.press("escape")
        assert not isinstance(app.screen, SplitDialog)
        assert app.workspace.alignment.beads == original
        await pilot.press("s", "enter")
        beads = app.workspace.alignment.beads
        bead = original[multi]
        assert (beads[multi].src, beads[multi].tgt) == (bead.src[:src_cut], bead.tgt[:tgt_cut])
        assert (beads[multi + 1].src, beads[multi + 1].tgt) == (bead.src[src_cut:], bead.tgt[tgt_cut:])
        # an impossible cut is explained in the dialog and not applied
        await pilot.press("u", "s")
        dialog = app.screen
        dialog.query_one("#split-src", Input).value = "0"
        dialog.query_one("#split-tgt", Input).value = "0"
        await pilot.pause()
        assert "empty" in str(dialog.query_one("#split-error", Static).render())
        await pilot.press("enter")
        assert app.screen is dialog
        await pilot.press("escape")
        assert app.workspace.alignment.beads == original


async def test_mark_no_counterpart_and_confirm(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    original = kiep_workspace.alignment.beads
    multi = next(i for i, b in enumerate(original) if len(b.tgt) > 1 and b.src)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.reader.move_cursor(multi)
        await pilot.press("x")
        assert isinstance(app.screen, PickSentenceDialog)
        choices = detachable(original[multi])
        await pilot.press("enter")
        side, sentence = choices[0]
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        alone = [b for b in beads if (b.src, b.tgt) == (((sentence,), ()) if side is Lang.KO else ((), (sentence,)))]
        assert alone and alone[0].confirmed
        assert len(beads) == len(original) + 1
        line = "\n".join(reader_lines(app))
        assert ABSENT in line
        # c confirms, U unconfirms, and the status bar counts it
        await pilot.press("u")
        app.reader.move_cursor(0)
        await pilot.press("c")
        assert app.workspace.alignment.beads[0].confirmed  # type: ignore[union-attr]
        assert f"1/{len(original)}" in app.status.text
        assert reader_lines(app)[0][1] == "✓"
        await pilot.press("U")
        assert not app.workspace.alignment.beads[0].confirmed  # type: ignore[union-attr]
        await pilot.press("C")
        confirmed = [b for b in app.workspace.alignment.beads if b.confirmed]  # type: ignore[union-attr]
        assert confirmed and all(b.confidence >= 0.8 and b.src and b.tgt for b in confirmed)


async def test_suspicious_navigation_and_review_list(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    beads = kiep_workspace.alignment.beads
    to_check = [i for i, b in enumerate(beads) if band(b) is not Band.CONFIDENT]
    checks = [i for i in to_check if band(beads[i]) is Band.CHECK]
    assert checks, "the sample has pairs in the check band (0.5-0.8)"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        visited = []
        for _ in to_check:
            await pilot.press("n")
            visited.append(app.reader.cursor)
        assert visited == to_check  # n visits the suspicious and the check band, in document order
        await pilot.press("n")
        assert app.reader.cursor == to_check[0]  # and wraps
        await pilot.press("N")
        assert app.reader.cursor == to_check[-1]
        assert str(band(beads[to_check[-1]])) in app.status.text
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        order = screen.order
        assert sorted(order) == [i for i, b in enumerate(beads) if not b.confirmed]
        ranks = [(-[Band.CONFIDENT, Band.CHECK, Band.SUSPICIOUS].index(band(beads[i])), beads[i].confidence)
                 for i in order]  # fmt: skip
        assert ranks == sorted(ranks)  # by the band, then the score the list shows
        listing = screen.query_one("#review-list", OptionList)
        first = plain(listing.get_option_at_index(0).prompt)
        b0 = beads[order[0]]
        assert f"{band(b0)} {b0.confidence:.2f}" in first
        ko, en = bead_text(app, order[0])
        assert "KO " in first and "EN " in first
        assert (ko[:10] in first or not ko) and (en[:10] in first or not en)  # both sides
        await pilot.press("down", "enter")
        assert not isinstance(app.screen, ReviewScreen)
        assert app.reader.cursor == order[1]


async def test_confirm_confident_says_what_it_left_and_edits_show_as_edited(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    app = make_app(kiep_workspace, tmp_path)
    beads = kiep_workspace.alignment.beads
    confident = sum(1 for b in beads if band(b) is Band.CONFIDENT and b.src and b.tgt)
    counts = band_counts(beads)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any(f"confirmed {confident} confident pairs" in n and f"left {counts.to_review} unconfirmed" in n
                   and f"{counts.check} to check" in n for n in notes), notes  # fmt: skip
        assert app.session is not None and app.session.confirmed == confident
        app.reader.move_cursor(0)
        await pilot.press("m")  # merge the first two pairs: a manual edit
        await settle(pilot)
        merged = app.session.beads[0]
        assert merged.edited and merged.confirmed
        assert "edited" in app.status.text and "1.00" not in app.status.text
        assert reader_lines(app)[0].lstrip("▌ ").startswith("✎") or "✎" in reader_lines(app)[0][:3]


async def test_export_dialog_writes_files_and_reports_errors(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        path_input = screen.query_one("#export-path", Input)
        assert path_input.value.endswith(".tmx")
        target = tmp_path / "out.tmx"
        path_input.value = str(target)
        await pilot.press("enter")
        assert not isinstance(app.screen, ExportScreen)
        assert "<tmx" in target.read_text("utf-8")
        for fmt, check in (("TSV", "ko\ten"), ("JSON Lines", '"ko_ids"'), ("Markdown", "| Korean | English |")):
            await pilot.press("e")
            screen = app.screen
            button = next(b for b in screen.query(RadioButton) if str(b.label) == fmt)
            await pilot.click(button)
            await pilot.pause()
            path_input = screen.query_one("#export-path", Input)
            suffix = Path(path_input.value).suffix
            out = tmp_path / f"out{suffix}"
            path_input.value = str(out)
            await pilot.click("#export-ok")
            await pilot.pause()
            assert check in out.read_text("utf-8")
        await pilot.press("e")
        screen = app.screen
        screen.query_one("#export-path", Input).value = str(tmp_path / "missing-dir" / "sub" / "x.tmx")
        (tmp_path / "missing-dir").write_text("a file, not a directory", "utf-8")
        await pilot.press("enter")
        assert app.screen is screen
        error = str(screen.query_one("#export-error", Static).render())
        assert error and "\n" not in error
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)


async def test_corrections_are_restored_on_reopen(kiep_workspace: Workspace, tmp_path: Path) -> None:
    first = make_app(kiep_workspace, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "j", "c")
        edited = first.workspace.alignment.beads  # type: ignore[union-attr]
    assert (tmp_path / "pair.aligner.json").exists()
    second = make_app(kiep_workspace, tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert second.workspace.alignment.beads == edited  # type: ignore[union-attr]
        assert len(second.reader.rows) == len(edited)
        assert "2/" in second.status.text


async def test_realign_keeps_confirmed_pairs(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "j", "j", "x", "enter")
        confirmed = [b for b in app.workspace.alignment.beads if b.confirmed]  # type: ignore[union-attr]
        await pilot.press("R")
        await settle(pilot)
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        kept = {(b.src, b.tgt) for b in beads}
        assert all((b.src, b.tgt) in kept for b in confirmed)
        assert len(app.reader.rows) == len(beads)
        assert not app.status.has_class("-busy")


async def test_glossary_opens_from_the_reader(kiep_workspace: Workspace, tmp_path: Path) -> None:
    from aligner.tui.glossary_screen import GlossaryScreen

    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"스마트시티", "enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        assert screen.initial_term == "스마트시티"  # the shown search match seeds the glossary filter
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GlossaryScreen)
        assert app.focused is app.reader


# ---------------------------------------------------------------------- app


async def test_bad_input_shows_one_line_error(tmp_path: Path) -> None:
    app = create_app(tmp_path / "nope_ko.txt", tmp_path / "nope_en.txt", project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.load_error and "\n" not in app.load_error
        assert app.workspace is None
        assert "Cannot open" in "\n".join(reader_lines(app))
        await pilot.press("m", "slash", "n", "e")  # workbench keys do nothing without a document
        assert app.is_running


async def test_missing_model_shows_one_line_error(kiep_paths: tuple[Path, Path], tmp_path: Path) -> None:
    app = create_app(*kiep_paths, model="no-such-model", project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.load_error and "\n" not in app.load_error
        assert "no-such-model" in app.load_error


class ProgressSpy(AlignerApp):
    """The app, recording every progress stage its workers report."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.stages: list[str] = []

    def on_work_progress(self, message: WorkProgress) -> None:
        self.stages.append(message.stage)
        super().on_work_progress(message)


async def test_loading_from_paths_reports_progress(kiep_paths: tuple[Path, Path], tmp_path: Path) -> None:
    app = ProgressSpy(*kiep_paths, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.workspace is not None
        assert len(app.reader.rows) == len(app.workspace.alignment.beads)
        assert not app.status.has_class("-busy")
        assert "segmenting" in app.stages and "embedding" in app.stages
        assert "preparing search" not in app.stages  # word forms are prepared after the first paint


async def test_help_lists_every_key_and_palette_has_every_action(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", Static)
        assert table is not None
        described = {desc for _, bindings in app.help_sections() for _, desc in key_rows(bindings, app)}
        for _, bindings in app.help_sections():
            for binding in bindings:
                assert getattr(binding, "description", ""), f"binding without description: {binding}"
        assert {"Merge with next", "Undo", "Redo", "Split pair…", "Export…", "Search"} <= described
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {title for _, title, _ in COMMANDS} <= titles
        # and they run from the palette
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Confirm pair")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.workspace.alignment.beads[0].confirmed


async def test_theme_toggle(kiep_workspace: Workspace, tmp_path: Path) -> None:
    app = make_app(kiep_workspace, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_theme.dark
        await pilot.press("t")
        assert not app.current_theme.dark
        assert len(app.reader.rows) == len(kiep_workspace.alignment.beads)
        await pilot.press("t")
        assert app.current_theme.dark
