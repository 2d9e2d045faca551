"""The Textual reader and translator's workbench.

``create_app`` builds the app for the CLI (``aligner read [KO EN]``) and the
tests.  Everything slow (model load, embedding, alignment, search,
realignment) runs in thread workers that report back with messages, so the
interface never freezes.  The app owns the workspace and hands it down to its
widgets; widgets report up with messages.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from aligner import edit
from aligner.errors import AlignerError
from aligner.model import Bead, Lang
from aligner.pipeline import Workspace, open_pair, sample_paths
from aligner.search import SearchHit

from .bead_view import BeadView
from .dialogs import PickSentenceDialog, SplitDialog
from .export_screen import ExportScreen
from .header import PaneHeader
from .help_screen import HelpScreen
from .messages import RealignDone, SearchDone, WorkFailed, WorkProgress, WorkspaceReady
from .review_screen import ReviewScreen
from .rows import Highlight
from .search_panel import HistoryInput, SearchPanel
from .status_bar import StatusBar
from .workbench import Workbench, project_path_for, restore_corrections, review_order

SEARCH_K = 20
EDIT_ACTIONS = frozenset(
    {
        "merge_next", "merge_previous", "split", "ko_to_previous", "ko_to_next", "en_to_previous",
        "en_to_next", "no_counterpart", "confirm", "confirm_high", "undo", "redo", "next_suspicious",
        "previous_suspicious", "review", "export", "realign", "search", "clear_highlight",
    }
)  # fmt: skip


class ReaderPane(Vertical):
    """Column titles over the bead list; holds the reading and workbench keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.next_suspicious", "Next suspicious"),
        Binding("N,p", "app.previous_suspicious", "Previous suspicious", show=False),
        Binding("c", "app.confirm", "Confirm"),
        Binding("C", "app.confirm_high", "Confirm all high-confidence", show=False),
        Binding("m", "app.merge_next", "Merge with next", show=False),
        Binding("M", "app.merge_previous", "Merge with previous", show=False),
        Binding("s", "app.split", "Split pair…", show=False),
        Binding("left_square_bracket", "app.ko_to_previous", "Korean sentence to previous pair", show=False),
        Binding("right_square_bracket", "app.ko_to_next", "Korean sentence to next pair", show=False),
        Binding("left_curly_bracket", "app.en_to_previous", "English sentence to previous pair", show=False),
        Binding("right_curly_bracket", "app.en_to_next", "English sentence to next pair", show=False),
        Binding("x", "app.no_counterpart", "Mark no counterpart…", show=False),
        Binding("u,ctrl+z", "app.undo", "Undo"),
        Binding("ctrl+r,ctrl+y", "app.redo", "Redo", show=False),
        Binding("v", "app.review", "Review", show=False),
        Binding("e", "app.export", "Export…", show=False),
        Binding("R", "app.realign", "Realign (keep confirmed)", show=False),
        Binding("escape", "app.clear_highlight", "Clear search highlight", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield PaneHeader(id="titles")
        yield BeadView(id="reader")


# (action, palette title, palette help) — every action is also in the command palette.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("search", "Search", "Search Korean or English text (semantic, literal, morpheme)"),
    ("next_suspicious", "Next suspicious pair", "Jump to the next low-confidence or omission pair"),
    ("previous_suspicious", "Previous suspicious pair", "Jump to the previous low-confidence or omission pair"),
    ("review", "Review list", "All pairs, most suspicious first"),
    ("confirm", "Confirm pair", "Mark the selected pair as checked (or unmark it)"),
    ("confirm_high", "Confirm all high-confidence pairs", "Confirm every pair the aligner is sure about"),
    ("merge_next", "Merge with next pair", "Join the selected pair with the one below"),
    ("merge_previous", "Merge with previous pair", "Join the selected pair with the one above"),
    ("split", "Split pair…", "Split the selected pair in two"),
    ("ko_to_previous", "Move Korean sentence to previous pair", "First Korean sentence joins the pair above"),
    ("ko_to_next", "Move Korean sentence to next pair", "Last Korean sentence joins the pair below"),
    ("en_to_previous", "Move English sentence to previous pair", "First English sentence joins the pair above"),
    ("en_to_next", "Move English sentence to next pair", "Last English sentence joins the pair below"),
    ("no_counterpart", "Mark sentence with no counterpart…", "Detach a sentence into its own pair"),
    ("undo", "Undo", "Undo the last correction"),
    ("redo", "Redo", "Redo the last undone correction"),
    ("realign", "Realign keeping confirmed pairs", "Align again around the confirmed pairs"),
    ("export", "Export…", "Write the alignment as TMX, TSV, JSON Lines, Markdown or bead ids"),
    ("toggle_theme", "Toggle light/dark theme", "Switch between the light and dark themes"),
    ("help", "Keys", "Show every key"),
)


class AlignerApp(App[int]):
    """Side-by-side Korean–English reader with search and alignment correction."""

    CSS_PATH = Path(__file__).with_name("aligner.tcss")
    TITLE = "aligner"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("question_mark,f1", "help", "Help"),
        Binding("t", "toggle_theme", "Light/dark theme", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        ko_path: str | os.PathLike[str] | None = None,
        en_path: str | os.PathLike[str] | None = None,
        *,
        model: str | None = None,
        presplit: bool = False,
        workspace: Workspace | None = None,
        project_path: str | os.PathLike[str] | None = None,
        autosave: bool = True,
    ) -> None:
        super().__init__()
        if (ko_path is None) != (en_path is None):
            raise AlignerError("give both a Korean and an English document, or neither for the sample")
        if ko_path is None or en_path is None:
            ko_path, en_path = sample_paths() if workspace is None else (ko_path, en_path)
        self.ko_path = Path(ko_path) if ko_path is not None else None
        self.en_path = Path(en_path) if en_path is not None else None
        self.model = model
        self.presplit = presplit
        self.workspace: Workspace | None = workspace
        self.workbench: Workbench | None = None
        self.project_path = Path(project_path) if project_path is not None else None
        self.autosave = autosave
        self.load_error: str | None = None
        self._given = workspace
        self._search_lock = threading.Lock()
        self._busy = ""
        self.theme = "textual-dark"

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield ReaderPane(id="pane")
        yield SearchPanel(id="search")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def reader(self) -> BeadView:
        return self.query_one("#reader", BeadView)

    @property
    def search_panel(self) -> SearchPanel:
        return self.query_one("#search", SearchPanel)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        names = [p.name if p else "" for p in (self.ko_path, self.en_path)]
        if self._given is not None:
            names = [Path(d.path).name if d.path else "(text)" for d in (self._given.ko, self._given.en)]
        self.query_one("#titles", PaneHeader).set_titles(f"한국어 · {names[0]}", f"English · {names[1]}")
        self.reader.show_placeholder("  Reading, embedding and aligning…")
        self.reader.focus()
        self.load_workspace()

    # ------------------------------------------------------------------ workers

    def _progress(self) -> Callable[[str, int, int], None]:
        worker = get_current_worker()

        def report(stage: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.post_message(WorkProgress(stage, done, total))

        return report

    @work(exclusive=True, thread=True, group="load", exit_on_error=False)
    def load_workspace(self) -> None:
        progress = self._progress()
        try:
            explicit = self.project_path
            if self._given is not None:
                workspace = self._given
            else:
                assert self.ko_path is not None and self.en_path is not None
                workspace = open_pair(
                    self.ko_path,
                    self.en_path,
                    model=self.model,
                    presplit=self.presplit,
                    progress=progress,
                    use_project=explicit is None,  # open_pair restores from the default project file
                )
            notice = ""
            if explicit is not None:
                restored = restore_corrections(workspace, explicit, progress)
                workspace, notice = restored.workspace, restored.notice
            else:
                self.project_path = workspace.project_path or project_path_for(workspace)
            progress("preparing search", 0, 1)
            with self._search_lock:
                workspace.searcher.prepare()
        except AlignerError as err:
            self.post_message(WorkFailed("open", str(err)))
            return
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed("open", f"{type(err).__name__}: {err}"))
            return
        notices = [*workspace.notices, *workspace.alignment.warnings]
        if notice:
            notices.append(notice)
        self.post_message(WorkspaceReady(workspace, notices))

    @work(exclusive=True, thread=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        try:
            with self._search_lock:
                if get_current_worker().is_cancelled:
                    return
                hits = workspace.search(query, SEARCH_K)
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed("search", f"search failed: {err}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(query, hits))

    @work(exclusive=True, thread=True, group="prepare", exit_on_error=False)
    def prepare_search(self, workspace: Workspace) -> None:
        try:
            with self._search_lock:
                workspace.searcher.prepare()
        except Exception:  # noqa: BLE001 - the next search reports any real problem
            return

    @work(exclusive=True, thread=True, group="align", exit_on_error=False)
    def run_realign(self, workspace: Workspace) -> None:
        progress = self._progress()
        try:
            realigned = workspace.realign(progress)
        except AlignerError as err:
            self.post_message(WorkFailed("realign", str(err)))
            return
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed("realign", f"realign failed: {err}"))
            return
        self.post_message(RealignDone(realigned.alignment.beads))

    # ------------------------------------------------------------------ worker messages

    def on_work_progress(self, message: WorkProgress) -> None:
        self._busy = message.stage
        self.status.progress(message.stage, message.done, message.total)

    def on_workspace_ready(self, message: WorkspaceReady) -> None:
        self.workspace = message.workspace
        self.workbench = Workbench(message.workspace, self.project_path if self.autosave else None)
        self.load_error = None
        self._busy = ""
        self.status.idle()
        self.reader.show_alignment(message.workspace.alignment, cursor=0)
        self.refresh_status()
        for notice in message.notices:
            self.notify(notice.splitlines()[0] if notice else notice, severity="warning", timeout=8)
        self.refresh_bindings()

    def on_work_failed(self, message: WorkFailed) -> None:
        self._busy = ""
        self.status.idle()
        error = message.error.splitlines()[0] if message.error else "failed"
        if message.task == "open":
            self.load_error = error
            self.reader.show_placeholder(Text.assemble(("  Cannot open: ", "bold"), error))
            self.status.show(Text.assemble(("error: ", "bold red"), error))
        else:
            self.refresh_status()
        self.notify(error, title=f"{message.task} failed", severity="error", timeout=10)

    def on_search_done(self, message: SearchDone) -> None:
        self.search_panel.show_results(message.query, message.hits)

    def on_realign_done(self, message: RealignDone) -> None:
        self._busy = ""
        self.status.idle()
        if self.workbench is None:
            return
        before = self.workbench.beads
        changed = self.workbench.replace_beads(message.beads)
        self._after_edit(self.reader.cursor)
        kept = sum(1 for b in before if b.confirmed)
        if changed:
            self.notify(f"realigned around {kept} confirmed pairs: now {len(message.beads)} pairs")
        else:
            self.notify("realigned: nothing changed")

    # ------------------------------------------------------------------ status

    def refresh_status(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        beads = ws.alignment.beads
        names = [Path(d.path).name if d.path else "(text)" for d in (ws.ko, ws.en)]
        confirmed = sum(1 for b in beads if b.confirmed)
        text = Text.assemble(
            (names[0], "bold"), " ⇄ ", (names[1], "bold"),
            f" · {len(beads)} pairs · {ws.alignment.model or '?'} · ✓ {confirmed}/{len(beads)}",
        )  # fmt: skip
        if beads:
            i = min(self.reader.cursor, len(beads) - 1)
            b = beads[i]
            text.append(f" · #{i + 1} {b.shape} {b.confidence:.2f}")
            if b.confirmed:
                text.append(" ✓", style="bold green")
        self.status.show(text)

    @on(BeadView.CursorMoved)
    def _cursor_moved(self) -> None:
        self.refresh_status()

    # ------------------------------------------------------------------ search

    def action_search(self) -> None:
        self.search_panel.open()

    @on(SearchPanel.QueryChanged)
    def _query(self, message: SearchPanel.QueryChanged) -> None:
        if not message.query:
            self.search_panel.show_results("", [])
        else:
            self.run_search(message.query)

    @on(SearchPanel.HitChosen)
    def _hit(self, message: SearchPanel.HitChosen) -> None:
        self.jump_to_hit(message.hit, message.query)

    @on(SearchPanel.Closed)
    def _search_closed(self) -> None:
        self.search_panel.close()
        self.reader.focus()

    def jump_to_hit(self, hit: SearchHit, query: str) -> None:
        ws = self.workspace
        if ws is None or not 0 <= hit.bead < len(ws.alignment.beads):
            return
        bead = ws.alignment.beads[hit.bead]
        if hit.lang is Lang.KO:
            highlight = Highlight(hit.bead, frozenset({hit.sentence}), frozenset(bead.tgt), query)
        else:
            highlight = Highlight(hit.bead, frozenset(bead.src), frozenset({hit.sentence}), query)
        self.reader.set_highlight(highlight)
        self.reader.move_cursor(hit.bead, force=True, center=True)
        self.reader.focus()

    def action_clear_highlight(self) -> None:
        self.reader.set_highlight(None)
        if self.search_panel.is_open:
            self.search_panel.close()

    # ------------------------------------------------------------------ workbench

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDIT_ACTIONS and self.workbench is None:
            return None
        return True

    def _after_edit(self, cursor: int) -> None:
        assert self.workbench is not None
        self.workspace = self.workbench.workspace
        self.reader.set_highlight(None)
        self.reader.show_alignment(self.workspace.alignment, cursor=cursor)
        self.refresh_status()
        if self.autosave:
            try:
                self.workbench.save()
            except AlignerError as err:
                self.notify(f"corrections not saved: {err}", severity="error", timeout=10)
        self.prepare_search(self.workspace)

    def _edit(self, op: Callable[[tuple[Bead, ...]], tuple[Bead, ...]], cursor: int | None = None) -> bool:
        bench = self.workbench
        if bench is None:
            return False
        i = self.reader.cursor
        try:
            changed = bench.apply(op)
        except AlignerError as err:
            self.notify(str(err), severity="error", timeout=6)
            return False
        if changed:
            self._after_edit(i if cursor is None else cursor)
        return changed

    def action_merge_next(self) -> None:
        i = self.reader.cursor
        self._edit(lambda b: edit.merge_with_next(b, i), i)

    def action_merge_previous(self) -> None:
        i = self.reader.cursor
        self._edit(lambda b: edit.merge_with_previous(b, i), i - 1)

    def _move(self, fn: Callable[[tuple[Bead, ...], int], tuple[Bead, ...]], towards: int) -> None:
        i = self.reader.cursor
        before = len(self.workbench.beads) if self.workbench else 0
        bench = self.workbench
        if self._edit(lambda b: fn(b, i), i) and bench is not None and len(bench.beads) < before and towards < 0:
            self.reader.move_cursor(i - 1)

    def action_ko_to_previous(self) -> None:
        self._move(edit.move_source_to_previous, -1)

    def action_ko_to_next(self) -> None:
        self._move(edit.move_source_to_next, 1)

    def action_en_to_previous(self) -> None:
        self._move(edit.move_target_to_previous, -1)

    def action_en_to_next(self) -> None:
        self._move(edit.move_target_to_next, 1)

    def action_confirm(self) -> None:
        if self.workbench is None or not self.workbench.beads:
            return
        i = self.reader.cursor
        value = not self.workbench.beads[i].confirmed
        if self._edit(lambda b: edit.confirm(b, i, value), i):
            self.notify("pair confirmed" if value else "pair unconfirmed", timeout=2)

    def action_confirm_high(self) -> None:
        if self.workbench is None:
            return
        count = self.workbench.confirm_high()
        if count:
            self._after_edit(self.reader.cursor)
        self.notify(f"confirmed {count} high-confidence pairs", timeout=4)

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def _history(self, *, undo: bool) -> None:
        if self.workbench is None:
            return
        try:
            self.workbench.undo() if undo else self.workbench.redo()
        except AlignerError as err:
            self.notify(str(err), severity="warning", timeout=3)
            return
        self._after_edit(self.reader.cursor)

    def action_split(self) -> None:
        ws = self.workspace
        if ws is None or not ws.alignment.beads:
            return
        i = self.reader.cursor
        bead = ws.alignment.beads[i]
        if len(bead.src) + len(bead.tgt) < 2:
            self.notify("cannot split: this pair has a single sentence", severity="error", timeout=4)
            return

        def done(cuts: tuple[int, int] | None) -> None:
            if cuts is not None:
                self._edit(lambda b: edit.split(b, i, *cuts), i)

        self.push_screen(SplitDialog(ws.alignment, i), done)

    def action_no_counterpart(self) -> None:
        ws = self.workspace
        if ws is None or not ws.alignment.beads:
            return
        i = self.reader.cursor

        def done(choice: tuple[str, int] | None) -> None:
            if choice is not None:
                side, sentence = choice
                self._edit(lambda b: edit.mark_no_counterpart(b, i, side, sentence), i)

        self.push_screen(PickSentenceDialog(ws.alignment, i), done)

    def _jump_suspicious(self, step: int) -> None:
        if self.workbench is None:
            return
        try:
            target = self.workbench.next_suspicious(self.reader.cursor, step)
        except AlignerError as err:
            self.notify(str(err), timeout=4)
            return
        self.reader.move_cursor(target, center=True)

    def action_next_suspicious(self) -> None:
        self._jump_suspicious(1)

    def action_previous_suspicious(self) -> None:
        self._jump_suspicious(-1)

    def action_review(self) -> None:
        ws = self.workspace
        if ws is None or self.workbench is None:
            return
        order = review_order(ws.alignment.beads)

        def done(index: int | None) -> None:
            if index is not None:
                self.reader.move_cursor(index, center=True)
                self.reader.focus()

        self.push_screen(ReviewScreen(ws.alignment, order, self.workbench.threshold), done)

    def action_export(self) -> None:
        ws = self.workspace
        if ws is None:
            return

        def done(message: str | None) -> None:
            if message:
                self.notify(message, timeout=6)

        self.push_screen(ExportScreen(ws.alignment), done)

    def action_realign(self) -> None:
        if self.workspace is None:
            return
        self.status.progress("realigning", 0, 0)
        self.run_realign(self.workspace)

    # ------------------------------------------------------------------ app

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def help_sections(self) -> list[tuple[str, list[BindingType]]]:
        return [
            ("Reading", list(BeadView.BINDINGS)),
            ("Workbench", list(ReaderPane.BINDINGS)),
            ("Search", [*HistoryInput.BINDINGS, *SearchPanel.BINDINGS,
                        Binding("enter", "", "Jump to the highlighted result"),
                        Binding("tab", "", "Move between the query and the results")]),
            ("Application", [*self.BINDINGS, Binding("ctrl+p", "command_palette", "Command palette"),
                             Binding("ctrl+q", "quit", "Quit")]),
        ]  # fmt: skip

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action, title, help_text in COMMANDS:
            if action in EDIT_ACTIONS and self.workbench is None:
                continue
            method = getattr(self, f"action_{action}")
            yield SystemCommand(title, help_text, method)


def create_app(
    ko_path: str | os.PathLike[str] | None = None,
    en_path: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    presplit: bool = False,
    workspace: Workspace | None = None,
    project_path: str | os.PathLike[str] | None = None,
    autosave: bool = True,
) -> AlignerApp:
    """The reader app for two documents (the bundled sample when none are given) or a ready workspace."""
    return AlignerApp(
        ko_path, en_path, model=model, presplit=presplit, workspace=workspace,
        project_path=project_path, autosave=autosave,
    )  # fmt: skip
