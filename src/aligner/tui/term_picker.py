"""The term picker: look up any word or phrase of the selected pair in the glossary.

``pair_terms(alignment, bead)`` lists the candidate terms of one aligned pair:
Korean noun compounds and English noun phrases from ``aligner.glossary.candidates`` (each
sub-compound too) and the single content words of both sides (Korean verbs
and adjectives as their dictionary form, "빠르다") — Korean first, each side in
text order, a phrase before the words inside it, each spelling once.

``TermPicker`` shows them in a modal under an input that filters them as the
user types (spaces and case ignored); the typed text itself is always the
first choice, so any phrase can be looked up, not only the listed ones. It
closes with the chosen term (``dismiss(str)``) or ``None`` (Escape); the app
then opens the glossary screen on that term's concordance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
from aligner.glossary.build import term_lang
from aligner.glossary.candidates import (
    EN_STOPWORDS,
    KO_STOP_NOUNS,
    english_mentions,
    english_words,
    korean_mentions,
    korean_tokens,
)
from aligner.tui.glossary_screen import cached_glossary
from aligner.tui.rows import display_text

LANG_STYLES = {Lang.KO: "cyan", Lang.EN: "green"}
_KO_WORD_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
_KO_PREDICATE_TAGS = frozenset({"VV", "VA"})
# Light verbs and auxiliaries: words of every sentence, never worth a concordance.
_KO_LIGHT_PREDICATES = frozenset({"하", "되", "있", "없", "않", "같", "이", "아니", "말", "보", "주", "지"})


@dataclass(frozen=True)
class TermChoice:
    """One word or phrase of a pair: ``lang`` is the side its concordance searches."""

    text: str
    lang: Lang
    phrase: bool  # a compound or phrase of several parts, else a single word


def norm(text: str) -> str:
    """Spaces and case ignored: "스마트 시티" is "스마트시티", "Smart City" is "smart city" less the space."""
    return "".join(text.split()).casefold()


Found = tuple[int, int, str, bool]  # (start, end, text, phrase) in one sentence


def korean_candidates(text: str) -> list[Found]:
    """Noun compounds (and their parts) and content words of one Korean sentence."""
    out: list[Found] = [(m.start, m.end, m.surface, m.size > 1) for m in korean_mentions(text)]
    for tok in korean_tokens(text):
        if tok.tag in _KO_WORD_TAGS and text[tok.start : tok.end] == tok.form:
            if len(tok.form) >= 2 and tok.form not in KO_STOP_NOUNS:
                out.append((tok.start, tok.end, tok.form, False))
        elif tok.tag in _KO_PREDICATE_TAGS and tok.form not in _KO_LIGHT_PREDICATES:
            out.append((tok.start, tok.end, tok.form + "다", False))
    return out


def english_candidates(text: str) -> list[Found]:
    """Noun phrases (every n-gram of a chunk) and content words of one English sentence."""
    out: list[Found] = [(m.start, m.end, m.surface, m.size > 1) for m in english_mentions(text)]
    for start, end, word in english_words(text):
        if len(word) >= 2 and any(ch.isalpha() for ch in word) and word.lower() not in EN_STOPWORDS:
            out.append((start, end, word, False))
    return out


def pair_terms(alignment: Alignment, index: int) -> list[TermChoice]:
    """The words and terms of bead ``index``: Korean side, then English, each in text order."""
    bead = alignment.beads[index]
    sides = (
        ([alignment.source.sentences[i].text for i in bead.src], korean_candidates),
        ([alignment.target.sentences[j].text for j in bead.tgt], english_candidates),
    )
    seen: set[str] = set()
    out: list[TermChoice] = []
    for texts, extract in sides:
        for text in texts:
            for _start, _end, term, phrase in sorted(extract(text), key=lambda f: (f[0], -f[1])):
                term = " ".join(term.split())
                key = norm(term)
                if key and key not in seen:
                    seen.add(key)
                    out.append(TermChoice(term, term_lang(term), phrase))
    return out


def filter_terms(choices: Sequence[TermChoice], query: str) -> list[TermChoice]:
    """The choices containing ``query`` (spaces and case ignored): the exact match first, then in order."""
    q = norm(query)
    matching = [c for c in choices if q in norm(c.text)]
    return sorted(matching, key=lambda c: norm(c.text) != q)  # stable: the rest keep their order


def choice_prompt(choice: TermChoice, counterpart: str | None = None) -> Text:
    """One line: the side, the term (bold if a phrase) and its glossary translation if known."""
    line = Text(no_wrap=True)
    line.append(f"{choice.lang.value.upper()}  ", style=LANG_STYLES[choice.lang])
    line.append(display_text(choice.text), style="bold" if choice.phrase else "")
    if counterpart:
        line.append("  ⇄ ", style="dim")
        line.append(display_text(counterpart), style="dim")
    return line


def typed_prompt(query: str) -> Text:
    """The first line while the user types: look the typed text up as it is."""
    return Text.assemble(
        (f"{term_lang(query).value.upper()}  ", LANG_STYLES[term_lang(query)]),
        ("look up “", "italic"), Text(display_text(query), style="bold"), ("” as typed", "italic"),
        no_wrap=True,
    )  # fmt: skip


class TermPicker(ModalScreen[str | None]):
    """Pick (or type) a word or phrase of one pair; closes with it, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next term", show=False),
        Binding("up", "move(-1)", "Previous term", show=False),
        Binding("pagedown", "move(10)", "Ten terms down", show=False),
        Binding("pageup", "move(-10)", "Ten terms up", show=False),
    ]

    def __init__(self, alignment: Alignment, index: int, initial: str = "") -> None:
        super().__init__()
        self.alignment = alignment
        self.index = index
        self.initial = " ".join(initial.split())
        self.choices: list[TermChoice] = []
        self.shown: list[str] = []  # the terms of the listed options, in order
        self.ready = False
        glossary = cached_glossary(alignment) or []
        self.counterparts: dict[str, str] = {}
        for pair in glossary:
            self.counterparts.setdefault(norm(pair.ko), pair.en)
            self.counterparts.setdefault(norm(pair.en), pair.ko)

    def compose(self) -> ComposeResult:
        bead = self.alignment.beads[self.index]
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Look up a term of pair {self.index + 1} ({bead.shape}) in the glossary"),
                classes="dialog-title",
            )
            yield Input(
                self.initial, placeholder="Type a word or phrase, or filter this pair's terms…", id="term-input"
            )
            yield Static(Text("Finding the pair's words…"), id="term-count")
            yield OptionList(id="term-list")
            yield Static(
                "↑↓ choose · Enter shows its concordance · Tab to the list · Escape cancels", classes="dialog-help"
            )

    def on_mount(self) -> None:
        self.query_one("#term-input", Input).focus()
        self.refresh_list()
        self.find_terms()

    @work(thread=True, exclusive=True, group="term-picker", exit_on_error=False)
    def find_terms(self) -> None:
        try:
            choices = pair_terms(self.alignment, self.index)
        except Exception as err:  # noqa: BLE001 — typing a phrase still works
            message = " ".join(str(err).split()) or type(err).__name__
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._terms_ready, choices)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#term-count", Static).update(Text(f"Cannot list the pair's words: {message}", style="red"))

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
            options.append(Option(choice_prompt(choice, self.counterparts.get(norm(choice.text)))))
            self.shown.append(choice.text)
        listing = self.query_one("#term-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0
        if self.ready:
            count = f"{len(matching)} of {len(self.choices)} words and terms of this pair"
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
