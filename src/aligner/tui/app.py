"""The Textual reader and translator's workbench.

``create_app`` builds the app for the CLI (``aligner read [KO EN]``) and the
tests.  Everything slow (model load, embedding, alignment, search,
realignment) runs in thread workers that report back with messages, so the
interface never freezes.  The app owns the workspace and hands it down to its
widgets; widgets report up with messages.

The app is built in halves, one module each: ``session_app`` (the session,
status, saving) → ``editing`` (the workbench) → ``learning`` (learner mode, the
deck, term look-up) → ``searching`` → this module (opening a pair, the first
screen, the reading view, remembered state, help and the palette).  A pair seen
before shows its pairs in the first screen: ``aligner.session.opening`` reads
them without numpy (the CLI starts that before Textual loads); the vectors and
the search index follow on the opening worker.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from aligner.core.errors import AlignerError
from aligner.core.paths import sample_paths
from aligner.core.values import Alignment
from aligner.session.reader_state import ReaderState, load_state, save_state
from aligner.tui.bead_view import BeadView
from aligner.tui.commands import COMMANDS
from aligner.tui.editing import EDIT_ACTIONS, ReaderPane
from aligner.tui.header import PaneHeader
from aligner.tui.help_screen import HelpScreen
from aligner.tui.messages import (
    PairsReady,
    WorkFailed,
    WorkProgress,
    WorkspaceReady,
    WorkTask,
)
from aligner.tui.reading_view import ReadingView
from aligner.tui.related_pane import RelatedPane
from aligner.tui.search_panel import HistoryInput, SearchPanel
from aligner.tui.searching import SearchingApp
from aligner.tui.session_app import WorkCancelled
from aligner.tui.status_bar import StatusBar

if TYPE_CHECKING:  # loaded by the worker, after the pairs are on screen (they bring numpy)
    from aligner.session.opening import OpenedPair, PairReading
    from aligner.session.pair_session import PairSession
    from aligner.session.workspace import Workspace
    from aligner.tui.export_screen import ExportChoice

REMEMBER_AFTER_S = 1.0
LOADING_VECTORS = "loading the vectors: editing and search in a moment…"
"""The status line between the first screen of a pair seen before and its workspace."""
FIRST_PAINT_WAIT_S = 2.0
"""The opening worker waits this long at most for the pairs to be painted before it loads the vectors."""


NEEDS_DOCUMENT = EDIT_ACTIONS | {"look_up_term", "save_word_to_deck"}
"""Hidden from the palette until a document is open."""


class AlignerApp(SearchingApp):
    """Side-by-side Korean–English reader with search and alignment correction."""

    CSS_PATH = Path(__file__).with_name("aligner.tcss")
    TITLE = "aligner"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("question_mark,f1", "help", "Help"),
        Binding("r", "toggle_reading", "Reading view"),
        Binding("H", "toggle_learner", "Learner mode (hide translations)", show=False),
        Binding("enter", "reveal", "Reveal", key_display="enter"),
        Binding("d", "save_to_deck", "Save pair to deck"),
        Binding("D", "save_word_to_deck", "Save word to deck…"),
        Binding("t", "toggle_theme", "Light/dark theme", show=False),
        Binding("l", "look_up_term", "Look up a term of this pair…", show=False),
        Binding("o", "related", "Related reading: the passages of other documents (--docs)", show=False),
        Binding("full_stop", "next_result", "Next search result", show=False),
        Binding("comma", "previous_result", "Previous search result", show=False),
        Binding("ctrl+o", "toggle_result_order", "Search results best first / in document order", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        ko_path: str | os.PathLike[str] | None = None,
        en_path: str | os.PathLike[str] | None = None,
        *,
        model: str | None = None,
        presplit: bool | None = None,
        workspace: Workspace | None = None,
        project_path: str | os.PathLike[str] | None = None,
        autosave: bool = True,
        remember: bool = False,
        reading: PairReading | None = None,
        quit_on_open_error: bool = False,
        library: Sequence[str | os.PathLike[str]] = (),
    ) -> None:
        super().__init__()
        self.quit_on_open_error = quit_on_open_error
        """A pair that cannot be opened ends the app (exit code 1, ``load_error`` says why): the CLI's reader."""
        if (ko_path is None) != (en_path is None):
            raise AlignerError("give both a Korean and an English document, or neither for the sample")
        if ko_path is None or en_path is None:
            ko_path, en_path = sample_paths() if workspace is None else (ko_path, en_path)
        self.ko_path = Path(ko_path) if ko_path is not None else None
        self.en_path = Path(en_path) if en_path is not None else None
        self.model = model
        self.presplit = presplit
        self.workspace: Workspace | None = workspace
        self.session: PairSession | None = None
        self.project_path = Path(project_path) if project_path is not None else None
        self.autosave = autosave
        self.remember = remember
        """Restore and keep this pair's position, view, theme and search history (user state directory)."""
        self._remember_timer: Timer | None = None
        self._state = ReaderState()
        """What is remembered, kept up to date as the user reads (written without asking widgets)."""
        self.load_error: str | None = None
        self._given = workspace
        self._reading = reading
        """The two documents being read already (the CLI starts that before Textual loads)."""
        self._shown: Alignment | None = None
        """The pairs on screen before the workspace was ready (a pair seen before opens with them)."""
        self._painted = threading.Event()
        self.library_paths = [Path(p) for p in library]
        """Documents searched for the related pane (``--docs``); none: no pane."""
        self._search_lock = threading.Lock()
        self.theme = "textual-dark"

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield ReaderPane(id="pane")
        yield ReadingView(id="reading")
        yield SearchPanel(id="search")
        yield RelatedPane(id="related")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        names = [p.name if p else "" for p in (self.ko_path, self.en_path)]
        if self._given is not None:
            names = [Path(d.path).name if d.path else "(text)" for d in (self._given.ko, self._given.en)]
        self.query_one("#titles", PaneHeader).set_titles(f"한국어 · {names[0]}", f"English · {names[1]}")
        self.reader.show_placeholder("  Reading, embedding and aligning…")
        self.reader.focus()
        if self._reading is not None and self._reading.done() and self._given is None:
            read = self._pre_read()
            if read is not None and read.alignment is not None:  # read while Textual loaded: in the first screen
                self._show_known_pairs(read.alignment)
        self.load_workspace()

    def _pre_read(self) -> OpenedPair | None:
        """What the CLI's reading found (waiting for it); None: the worker reads the pair (and reports errors)."""
        assert self._reading is not None
        try:
            return self._reading.result()
        except Exception:  # noqa: BLE001 - read again by the worker, where the error is reported as for any pair
            return None

    # ------------------------------------------------------------------ workers

    @work(exclusive=True, thread=True, group="load", exit_on_error=False)
    def load_workspace(self) -> None:
        progress = self._progress()
        try:
            if self._given is not None:
                from aligner.session.workspace import with_saved_corrections

                workspace = self._given
                if self.project_path is not None:
                    workspace = with_saved_corrections(workspace, self.project_path, progress)
                project_path = self.project_path
            else:
                workspace = self._open_pair(progress)
                project_path = workspace.project_path
        except WorkCancelled:
            return
        except AlignerError as err:
            self.post_message(WorkFailed(WorkTask.OPEN, str(err)))
            return
        except Exception as err:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(WorkFailed(WorkTask.OPEN, f"{type(err).__name__}: {err}"))
            return
        notices = (*workspace.notices, *workspace.alignment.warnings)
        self.post_message(WorkspaceReady(workspace, project_path, notices))

    def _open_pair(self, progress: Callable[[str, int, int], None]) -> Workspace:
        """Read the pair; show its pairs at once when they are known (project file or alignment
        cache), and only then load numpy, the vectors and the search index (on this worker)."""
        from aligner.session.opening import read_pair

        assert self.ko_path is not None and self.en_path is not None
        opened = self._pre_read() if self._reading is not None else None  # None: read here, with progress
        if opened is None:
            opened = read_pair(
                self.ko_path, self.en_path, model=self.model, presplit=self.presplit, progress=progress,
                project_path=self.project_path,  # None: the pair's default project file
            )  # fmt: skip
        alignment = opened.alignment
        if alignment is not None:
            if self._shown is None:  # (on_mount shows them when they were read by then)
                self.post_message(PairsReady(alignment))
            self._painted.wait(FIRST_PAINT_WAIT_S)  # the first screen is drawn without competing with numpy
        from aligner.session.workspace import workspace_for

        return workspace_for(opened, progress=progress)

    # ------------------------------------------------------------------ worker messages

    def on_work_progress(self, message: WorkProgress) -> None:
        self.status.progress(message.stage, message.done, message.total)

    def on_pairs_ready(self, message: PairsReady) -> None:
        self._show_known_pairs(message.alignment)

    def _show_known_pairs(self, alignment: Alignment) -> None:
        """A pair seen before: its pairs show now; editing and search follow with the workspace,
        whose worker waits for this paint."""
        self._show_pairs(alignment)
        self.status.show(Text(LOADING_VECTORS, style="dim"))
        self.call_after_refresh(self._painted.set)

    def _show_pairs(self, alignment: Alignment) -> None:
        """Show the pairs at the remembered place, in the remembered view and theme."""
        self._shown = alignment
        state = self._remembered(alignment)
        beads = alignment.beads
        cursor = min(state.cursor, len(beads) - 1) if state is not None and beads else 0
        self.reader.show_alignment(alignment, cursor=cursor)
        if state is None:
            return
        self._state = replace(state, cursor=cursor)
        if self.library_paths:  # given with --docs: remembered for this pair
            self._state = replace(self._state, library=tuple(str(p.expanduser().resolve()) for p in self.library_paths))
        elif state.library:  # opened without --docs: the library this pair was read with last time
            self.library_paths = [Path(p) for p in state.library]
        if state.theme in self.available_themes:
            self.theme = state.theme
        self.search_panel.input.history = list(state.history)
        if state.learner != self.reader.learner:
            self.set_learner(state.learner)
        if cursor:
            self.call_after_refresh(self.reader.move_cursor, cursor, force=True, center=True)
        if state.view == "reading" and not self.reading_mode:
            self.call_after_refresh(self.action_toggle_reading)

    def on_workspace_ready(self, message: WorkspaceReady) -> None:
        from aligner.session.pair_session import PairSession

        self.workspace = message.workspace
        self.project_path = message.project_path
        self.session = PairSession(
            message.workspace, self.project_path if self.autosave else None, on_saved=self.saved_in_background
        )
        self.load_error = None
        self.status.idle()
        shown, alignment = self._shown, message.workspace.alignment
        same = shown is not None and (shown.beads, shown.source, shown.target) == (
            alignment.beads, alignment.source, alignment.target
        )  # fmt: skip
        if not same:
            self._show_pairs(alignment)
        else:
            self.reader.show_alignment(alignment, cursor=self.reader.cursor)  # the same pairs: cursor kept
        self.refresh_status()
        self.announce_session()
        for notice in message.notices:
            self.notify(notice.splitlines()[0] if notice else notice, severity="warning", timeout=8)
        for line in message.workspace.info:  # what was restored: information, not a warning
            self.notify(line, timeout=4)
        self.refresh_bindings()
        if self.library_paths and self.related.library is None and not self.related.display:
            self.related.open_library(self.library_paths, self.model)
        self.related.follow(message.workspace, self.reader.cursor, self._glossary())
        # faiss, Korean word forms and Kiwi, in the background once the pairs are on screen (Kiwi is
        # not started on its own earlier: kiwipiepy holds the GIL while it loads, and under load that
        # froze the first search typed into a browser tab for seconds)
        self.call_after_refresh(self.prepare_search, message.workspace)
        if self.glossary_pending:  # asked for while the pair was loading
            self.call_after_refresh(self.action_glossary)

    def on_work_failed(self, message: WorkFailed) -> None:
        self.status.idle()
        error = message.error.splitlines()[0] if message.error else "failed"
        if message.task is WorkTask.OPEN:  # said once, where the pairs would be; never a dead reader
            self.load_error = error
            if self.quit_on_open_error:
                self.exit(return_code=1)
                return
            self.reader.show_placeholder(Text.assemble(("  Cannot open: ", "bold"), error, "\n\n  q quits"))
            self.status.show(Text.assemble(("nothing to show", "bold red"), " · q quits"))
            return
        self.refresh_status()
        self.notify(error, title=f"{message.task} failed", severity="error", timeout=10)

    # ------------------------------------------------------------------ status

    @on(BeadView.CursorMoved)
    def _cursor_moved(self) -> None:
        if not self.query("#reader"):
            return  # handled while the app was closing: the reader that moved is gone
        self.refresh_status()
        self._state = replace(self._state, cursor=self.reader.cursor)
        if self.workspace is not None:
            self.related.follow(self.workspace, self.reader.cursor, self._glossary())
        if self.remember and self.session is not None:  # remembered a moment after the cursor rests
            if self._remember_timer is not None:
                self._remember_timer.stop()
            self._remember_timer = self.set_timer(REMEMBER_AFTER_S, self.remember_state)

    # ------------------------------------------------------------------ remembered state

    def _remembered(self, alignment: Alignment) -> ReaderState | None:
        ko, en = alignment.source.path, alignment.target.path
        return load_state(ko, en) if self.remember and ko and en else None

    def _remember_learner(self, on: bool) -> None:
        self._state = replace(self._state, learner=on)
        self.remember_state()

    def remember_state(self) -> None:
        paths = self._pair_paths() if self.remember and self.session is not None else None
        if paths is None:
            return
        save_state(*paths, replace(self._state, theme=self.theme))

    def export_choice(self) -> ExportChoice:
        from aligner.tui.export_screen import ExportChoice

        state = self._state
        return ExportChoice(state.export_format, state.export_confirmed_only, state.export_min_confidence)

    def export_chosen(self, choice: ExportChoice) -> None:
        self._state = replace(
            self._state, export_format=choice.fmt, export_confirmed_only=choice.confirmed_only,
            export_min_confidence=choice.min_confidence,
        )  # fmt: skip
        self.remember_state()

    # ------------------------------------------------------------------ search

    @on(SearchPanel.HitChosen)
    def _hit(self, message: SearchPanel.HitChosen) -> None:
        hits = self.search_panel.hits
        self._result_at = hits.index(message.hit) if message.hit in hits else None
        self.jump_to_hit(message.hit, message.query)
        self._state = self._state.with_query(message.query)
        self.remember_state()

    # ------------------------------------------------------------------ related reading

    @property
    def related(self) -> RelatedPane:
        return self.query_one("#related", RelatedPane)

    def action_related(self) -> None:
        """Into the related pane (its passages: Enter opens one in its document)."""
        if not self.related.display:
            self.notify("no library: open the reader with --docs FILE|FOLDER… to read related passages", timeout=6)
            return
        self.related.options.focus()

    @on(RelatedPane.Left)
    def _related_left(self) -> None:
        (self.reading if self.reading_mode else self.reader).focus()

    # ------------------------------------------------------------------ reading view

    def action_toggle_reading(self) -> None:
        """Side-by-side pairs ⇄ one language as paragraphs with the counterpart under it."""
        alignment = self.workspace.alignment if self.workspace is not None else self._shown
        if alignment is None or not alignment.beads:  # (the pairs shown before the vectors load will do)
            return
        pane, reading = self.query_one("#pane", ReaderPane), self.reading
        if not self.reading_mode:
            reading.display, pane.display = True, False
            reading.show(alignment, self.reader.cursor)
            reading.focus()
        else:
            reading.display, pane.display = False, True
            self.reader.move_cursor(reading.cursor, force=True, center=True)
            self.reader.focus()
        self._state = replace(self._state, view="reading" if self.reading_mode else "pairs")
        self.remember_state()

    @on(ReadingView.Moved)
    def _reading_moved(self, message: ReadingView.Moved) -> None:
        self.reader.move_cursor(message.bead)  # the status line and the remembered place follow

    # ------------------------------------------------------------------ app

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"
        self.remember_state()

    def help_sections(self) -> list[tuple[str, list[BindingType]]]:
        return [
            ("Reading", list(BeadView.BINDINGS)),
            ("Reading view (r)", list(ReadingView.BINDINGS)),
            ("Workbench", list(ReaderPane.BINDINGS)),
            ("Related reading (--docs)", [Binding("o", "", "Into the related passages"),
                                          Binding("enter", "", "Open the passage in its document"),
                                          *RelatedPane.BINDINGS]),
            ("Search", [*HistoryInput.BINDINGS, *SearchPanel.BINDINGS,
                        Binding("enter", "", "Jump to the highlighted result"),
                        Binding("tab", "", "Move between the query and the results")]),
            ("Application", [*self.BINDINGS, Binding("ctrl+p", "command_palette", "Command palette"),
                             Binding("ctrl+q", "quit", "Quit")]),
        ]  # fmt: skip

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's own key panel: our help (below) lists every key
                yield command
        for action, title, help_text in COMMANDS:
            if action in NEEDS_DOCUMENT and self.session is None:
                continue
            method = getattr(self, f"action_{action}")
            yield SystemCommand(title, help_text, method)


def create_app(
    ko_path: str | os.PathLike[str] | None = None,
    en_path: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    presplit: bool | None = None,
    workspace: Workspace | None = None,
    project_path: str | os.PathLike[str] | None = None,
    autosave: bool = True,
    remember: bool = False,
    reading: PairReading | None = None,
    quit_on_open_error: bool = False,
    library: Sequence[str | os.PathLike[str]] = (),
) -> AlignerApp:
    """The reader app for two documents (the bundled sample when none are given) or a ready workspace;
    ``remember``: restore and keep the pair's position, theme and search history (the CLI's reader does);
    ``reading``: the two documents' reading, already started (``PairReading``), so the first screen has the pairs;
    ``library``: documents (or folders) whose passages the related pane offers for the focused pair."""
    return AlignerApp(
        ko_path, en_path, model=model, presplit=presplit, workspace=workspace,
        project_path=project_path, autosave=autosave, remember=remember, reading=reading,
        quit_on_open_error=quit_on_open_error, library=library,
    )  # fmt: skip
