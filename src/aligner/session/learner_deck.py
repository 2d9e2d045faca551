"""The learner's deck: pairs and words saved with one key, in one file Anki imports directly.

One deck per user, ``aligner.tsv`` under the user state directory's ``decks/``
(``deck_path``; ``aligner deck`` and the palette say where), whatever pair it was
learned from, and beside it the same notes as an Anki package, ``aligner.apkg``
(``aligner.session.anki_package``: it brings the note type of the four fields).
Each note has four fields and its tags: the front, the back, the example
(Korean) and the example's translation (English); the text file has Anki's header
lines (``#separator``, ``#html``, ``#deck``, ``#columns``, ``#tags column``) so
that File → Import reads it without questions and names the fields.

- A pair's note: the Korean sentence(s) on the front, the English on the back,
  no example (tags ``aligner``).
- A word's note: the word alone on the front, the glossary's translation on the
  back, the Korean pair it was saved from as its example and the English as the
  example's translation (tags ``aligner word``).

Saving the same note twice keeps one.  Notes saved before into the old per-pair
deck files (``decks/<hash>.tsv``, left in place) are carried over whenever that
pair saves again.  Written atomically.
"""

from __future__ import annotations

from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.errors import AlignerError
from aligner.core.paths import user_state_dir
from aligner.session.anki_package import write_package
from aligner.session.reader_state import pair_key

DECK_NAME = "aligner"
"""The Anki deck the notes go to, and the file's name."""
COLUMNS = ("Front", "Back", "Example", "Example translation", "Tags")
HEADER = (
    "#separator:tab\n#html:false\n"
    f"#deck:{DECK_NAME}\n#columns:{chr(9).join(COLUMNS)}\n#tags column:{len(COLUMNS)}\n"
)
TAG = "aligner"
WORD_TAG = "word"
LEGACY_SEPARATOR = " · "
"""Between a word and its example on one side, in decks written before the example had its own field."""

Note = tuple[str, str, str, str, str]
"""front, back, example, example translation, tags."""


def deck_path() -> Path:
    """The user's deck file (the notes, tab-separated)."""
    return user_state_dir() / "decks" / f"{DECK_NAME}.tsv"


def package_path() -> Path:
    """The same deck as an Anki package, with the note type of its four fields: what to import."""
    return deck_path().with_suffix(".apkg")


def legacy_deck_path(ko_path: str | Path, en_path: str | Path) -> Path:
    """Where a pair's deck used to be (one file per pair, named by a hash)."""
    return user_state_dir() / "decks" / f"{pair_key(ko_path, en_path)}.tsv"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def read_notes(path: Path) -> list[Note]:
    """Every note of a deck file (none if it does not exist); an old two-field note's word and
    example, joined by " · ", are split into their fields."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    notes: list[Note] = []
    for line in lines:
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 2:
            continue
        if len(parts) >= len(COLUMNS):
            front, back, example, translation, tags = parts[: len(COLUMNS)]
            notes.append((front, back, example, translation, tags.strip() or TAG))
            continue
        front, back = parts[0], parts[1]
        tags = parts[2].strip() if len(parts) > 2 and parts[2].strip() else TAG
        if WORD_TAG in tags.split() and LEGACY_SEPARATOR in front:
            word, example = front.split(LEGACY_SEPARATOR, 1)
            meaning, _, translation = back.partition(LEGACY_SEPARATOR) if LEGACY_SEPARATOR in back else ("", "", back)
            notes.append((word, meaning, example, translation, tags))
        else:
            notes.append((front, back, "", "", tags))
    return notes


def read_deck(path: Path) -> list[tuple[str, str]]:
    """The (front, back) of every note of a deck file."""
    return [(n[0], n[1]) for n in read_notes(path)]


def add_note(ko_path: str | Path, en_path: str | Path, korean: str, english: str) -> tuple[Path, bool]:
    """Add one pair to the deck; returns the file and whether it was new (AlignerError if unwritable).
    ``ko_path``/``en_path``: the pair it comes from (its old deck's notes are carried over)."""
    return _add((_clean(korean), _clean(english), "", "", TAG), (ko_path, en_path))


def add_word(
    ko_path: str | Path, en_path: str | Path, word: str, translation: str, korean: str, english: str
) -> tuple[Path, bool]:
    """Add one word (or phrase): the word alone on the front, its translation on the back, the
    pair it comes from as the example (Korean) and the example's translation (English)."""
    note = (_clean(word), _clean(translation), _clean(korean), _clean(english), f"{TAG} {WORD_TAG}")
    return _add(note, (ko_path, en_path))


def _add(note: Note, pair: tuple[str | Path, str | Path]) -> tuple[Path, bool]:
    path = deck_path()
    notes = read_notes(path)
    legacy = legacy_deck_path(*pair)
    for old in read_notes(legacy) if legacy.exists() else []:
        if all(n[:4] != old[:4] for n in notes):
            notes.append(old)
    added = all(n[:4] != note[:4] for n in notes)
    if added:
        notes.append(note)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join("\t".join(n) + "\n" for n in notes)
    atomic_write_text(path, HEADER + body)  # the old file is left as it was (never deleted unasked)
    try:
        write_package(package_path(), notes, DECK_NAME)
    except OSError as err:
        raise AlignerError(f"cannot write the Anki package {package_path()}: {err}") from err
    return path, added
