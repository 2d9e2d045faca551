"""The term picker: look up a term or name of the selected pair in the glossary.

``TermPicker`` lists the pair's whole glossary terms and names (headless:
``aligner.glossary.pair_terms``; the glossary is computed first if the
glossary screen has not done so yet) under an input that filters them as the
user types (spaces and case ignored, either side of the entry); the typed text
itself is always a choice too, so any phrase can be looked up, not only the
listed ones. It closes with the chosen term (``dismiss(str)``) or ``None``
(Escape); the app then opens the glossary screen on exactly that term.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from aligner.core.values import Alignment, Lang
from aligner.embed.encoders import Encoder
from aligner.glossary.build import term_lang
from aligner.glossary.pair_terms import TermChoice, filter_terms, norm, pair_terms
from aligner.glossary.termhood import TermKind
from aligner.session.glossary_cache import GlossaryCache
from aligner.tui.rows import display_text

__all__ = ["TermChoice", "TermPicker", "filter_terms", "norm", "pair_terms"]

LANG_STYLES = {Lang.KO: "cyan", Lang.EN: "green"}


def choice_prompt(choice: TermChoice, *, learner: bool = False) -> Text:
    """One line: the side, the term (bold if a phrase), its glossary translation with the glossary's
    confidence, "name" for a name; ``learner``: the translation hidden (the answer is not given away)."""
    line = Text(no_wrap=True)
    line.append(f"{choice.lang.value.upper()}  ", style=LANG_STYLES[choice.lang])
    line.append(display_text(choice.text), style="bold" if choice.phrase else "")
    if not learner:
        line.append("  ⇄ ", style="dim")
        line.append(display_text(choice.counterpart), style="dim")
    line.append(f"  {choice.confidence:.2f}", style="dim italic")
    if not choice.trusted:
        line.append(" unsure", style="italic yellow")
    if choice.kind is TermKind.NAME:
        line.append("  name", style="italic magenta")
    return line


def typed_prompt(query: str) -> Text:
    """The first line while the user types: look the typed text up as it is."""
    return Text.assemble(
        (f"{term_lang(query).value.upper()}  ", LANG_STYLES[term_lang(query)]),
        ("look up “", "italic"), Text(display_text(query), style="bold"), ("” as typed", "italic"),
        no_wrap=True,
    )  # fmt: skip


class TermPicker(ModalScreen[str | None]):
    """Pick (or type) a term or name of one pair; closes with it, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next term", show=False),
        Binding("up", "move(-1)", "Previous term", show=False),
        Binding("pagedown", "move(10)", "Ten terms down", show=False),
        Binding("pageup", "move(-10)", "Ten terms up", show=False),
    ]

    def __init__(
        self,
        alignment: Alignment,
        index: int,
        initial: str = "",
        encoder: Encoder | None = None,
        glossary: GlossaryCache | None = None,
        *,
        title: str | None = None,
        help_line: str = "↑↓ choose · Enter shows its concordance · Tab to the list · Escape cancels",
        learner: bool = False,
    ) -> None:
        super().__init__()
        self.learner = learner
        """Learner mode: only Korean terms whose translation the glossary is sure of
        (``TermPair.trusted``), their translations hidden."""
        self.title_text = title
        """What the pick is for (default: looking the term up in the glossary)."""
        self.help_line = help_line
        self.glossary = glossary if glossary is not None else GlossaryCache()
        self.alignment = alignment
        self.index = index
        self.initial = " ".join(initial.split())
        self.encoder = encoder
        self.choices: list[TermChoice] = []
        self.shown: list[str] = []  # the terms of the listed options, in order
        self.ready = False

    def compose(self) -> ComposeResult:
        bead = self.alignment.beads[self.index]
        with Vertical(classes="dialog"):
            title = self.title_text or f"Look up a term of pair {self.index + 1} ({bead.shape}) in the glossary"
            yield Static(Text(title), classes="dialog-title")
            yield Input(
                self.initial, placeholder="Type a word or phrase, or filter this pair's terms…", id="term-input"
            )
            yield Static(Text("Finding the pair's terms…"), id="term-count")
            yield OptionList(id="term-list")
            yield Static(self.help_line, classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#term-input", Input).focus()
        self.refresh_list()
        self.find_terms()

    @work(thread=True, exclusive=True, group="term-picker", exit_on_error=False)
    def find_terms(self) -> None:
        try:
            glossary = self.glossary.cached(self.alignment)
            if glossary is None:
                if self.encoder is None:
                    raise RuntimeError("no glossary yet (open it with g first)")
                glossary = self.glossary.learn(self.alignment, self.encoder, self._report)
            if self.learner:
                choices = pair_terms(self.alignment, self.index, glossary, trusted_only=True)
                choices = [c for c in choices if c.lang is Lang.KO]
            else:
                choices = pair_terms(self.alignment, self.index, glossary)
        except Exception as err:  # noqa: BLE001 — typing a phrase still works
            message = " ".join(str(err).split()) or type(err).__name__
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._terms_ready, choices)

    def _report(self, stage: str, done: int, total: int) -> None:
        self.app.call_from_thread(self._progress, f"Learning the glossary first: {stage} {done}/{total}…")

    def _progress(self, message: str) -> None:
        if self.is_attached and not self.ready:
            self.query_one("#term-count", Static).update(Text(message, style="dim"))

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#term-count", Static).update(Text(f"Cannot list the pair's terms: {message}", style="red"))

    def _terms_ready(self, choices: list[TermChoice]) -> None:
        if not self.is_attached:
            return
        self.choices = choices
        self.ready = True
        self.refresh_list()

    @property
    def query_text(self) -> str:
        return " ".join(self.query_one("#term-input", Input).value.split())

    def refresh_list(self) -> None:
        query = self.query_text
        matching = filter_terms(self.choices, query)
        options: list[Option] = []
        self.shown = []
        if query and not any(norm(c.text) == norm(query) for c in matching):
            options.append(Option(typed_prompt(query)))
            self.shown.append(query)
        for choice in matching:
            options.append(Option(choice_prompt(choice, learner=self.learner)))
            self.shown.append(choice.text)
        listing = self.query_one("#term-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0
        if self.ready:
            count = f"{len(matching)} of {len(self.choices)} terms and names of this pair"
            self.query_one("#term-count", Static).update(Text(count, style="dim"))

    @on(Input.Changed, "#term-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_list()

    @on(Input.Submitted, "#term-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.choose(self.query_one("#term-list", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#term-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option_index)

    def choose(self, index: int | None) -> None:
        """Close with the listed term at ``index``, else with the typed text (if any)."""
        if index is not None and 0 <= index < len(self.shown):
            self.dismiss(self.shown[index])
        elif self.query_text:
            self.dismiss(self.query_text)

    def action_move(self, step: int) -> None:
        listing = self.query_one("#term-list", OptionList)
        if not listing.option_count:
            return
        current = listing.highlighted if listing.highlighted is not None else -1 if step > 0 else 0
        listing.highlighted = max(0, min(listing.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "term-picker")
        self.dismiss(None)
