"""The reader's commands as the command palette lists them: every action is also there."""

from __future__ import annotations

from typing import NamedTuple


class PaletteCommand(NamedTuple):
    action: str
    title: str
    help: str


COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("search", "Search", "Search Korean or English text (by meaning, exact text and word form)"),
    PaletteCommand("next_result", "Next search result", "Jump to the next result of the last search (.)"),
    PaletteCommand("previous_result", "Previous search result", "Jump to the previous result of the last search (,)"),
    PaletteCommand(
        "toggle_result_order",
        "Search results in document order",
        "Show the search results in document order, or best first again (ctrl+o)",
    ),
    PaletteCommand("next_suspicious", "Next pair to check", "Jump to the next suspicious or check pair"),
    PaletteCommand("previous_suspicious", "Previous pair to check", "Jump to the previous suspicious or check pair"),
    PaletteCommand(
        "review",
        "Review list",
        "Unconfirmed pairs: suspicious, then check, then confident; lowest confidence first",
    ),
    PaletteCommand("confirm", "Confirm pair", "Mark the selected pair as checked (never unmarks it)"),
    PaletteCommand("unconfirm", "Unconfirm pair", "Put the selected pair back in review"),
    PaletteCommand(
        "confirm_omissions",
        "Accept every no-counterpart pair",
        "Confirm every sentence marked as having no counterpart, in one step (u undoes it)",
    ),
    PaletteCommand(
        "confirm_high",
        "Confirm all confident pairs",
        "Confirm every pair in the confident band; says what is left",
    ),
    PaletteCommand("merge_next", "Merge with next pair", "Join the selected pair with the one below"),
    PaletteCommand("merge_previous", "Merge with previous pair", "Join the selected pair with the one above"),
    PaletteCommand("split", "Split pair…", "Split the selected pair in two"),
    PaletteCommand(
        "ko_to_previous",
        "Move Korean sentence to previous pair",
        "First Korean sentence joins the pair above",
    ),
    PaletteCommand("ko_to_next", "Move Korean sentence to next pair", "Last Korean sentence joins the pair below"),
    PaletteCommand(
        "en_to_previous",
        "Move English sentence to previous pair",
        "First English sentence joins the pair above",
    ),
    PaletteCommand("en_to_next", "Move English sentence to next pair", "Last English sentence joins the pair below"),
    PaletteCommand("no_counterpart", "Mark sentence with no counterpart…", "Detach a sentence into its own pair"),
    PaletteCommand("undo", "Undo", "Undo the last correction"),
    PaletteCommand("redo", "Redo", "Redo the last undone correction"),
    PaletteCommand("realign", "Realign keeping confirmed pairs", "Align again around the confirmed pairs"),
    PaletteCommand(
        "save",
        "Save corrections now",
        "Write the corrections to the project file (retry after a failed save)",
    ),
    PaletteCommand("glossary", "Glossary", "Term pairs learned from the aligned text, with a concordance"),
    PaletteCommand(
        "look_up_term",
        "Look up a term…",
        "A word or phrase of the selected pair (or any typed one) in the glossary",
    ),
    PaletteCommand(
        "related",
        "Related reading",
        "The focused pair's best passages in the other documents (--docs); Enter opens one in its document",
    ),
    PaletteCommand(
        "export", "Export…", "Write the alignment as TMX, TSV, JSON Lines, Markdown, bead ids or a bilingual book"
    ),
    PaletteCommand(
        "toggle_reading",
        "Reading view",
        "One language as paragraphs, the focused pair's counterpart under it",
    ),
    PaletteCommand(
        "toggle_learner",
        "Learner mode",
        "Hide every translation until revealed (enter); d saves a pair, D a word of it, to your deck",
    ),
    PaletteCommand(
        "save_to_deck",
        "Save pair to learning deck",
        "Add the selected pair to an Anki-importable deck file",
    ),
    PaletteCommand(
        "save_word_to_deck",
        "Save a word to learning deck…",
        "Pick or type a word of the selected pair: it is saved with its translation and the pair as example",
    ),
    PaletteCommand(
        "show_deck",
        "Learning deck: where is it?",
        "Show the deck file's location and how many pairs and words it holds (also: aligner deck)",
    ),
    PaletteCommand("toggle_theme", "Toggle light/dark theme", "Switch between the light and dark themes"),
    PaletteCommand("help", "Help: keys and marks", "Every key of the reader and what the margin marks mean"),
)
