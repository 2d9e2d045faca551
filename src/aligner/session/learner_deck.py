"""The learner's deck: pairs and words saved with one key, as a file Anki imports directly.

One tab-separated file per document pair under the user state directory
(``decks/<pair>.tsv``): the front (Korean), the back (English) and the tags,
with Anki's ``#separator``/``#html``/``#tags column`` header lines so that
File → Import reads it without questions.  A pair's note is its two sides; a
word's note is the word and its translation, each followed by the example
pair it was saved from (tagged ``word``).  Saving the same note twice keeps
one.  Written atomically.
"""

from __future__ import annotations

from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.paths import user_state_dir
from aligner.session.reader_state import pair_key

HEADER = "#separator:tab\n#html:false\n#tags column:3\n"
TAG = "aligner"
WORD_TAG = "word"
EXAMPLE_SEPARATOR = " · "
"""Between a word and its example sentence on a card side."""


def deck_path(ko_path: str | Path, en_path: str | Path) -> Path:
    return user_state_dir() / "decks" / f"{pair_key(ko_path, en_path)}.tsv"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def read_deck(path: Path) -> list[tuple[str, str]]:
    """The (front, back) notes of a deck file (none if it does not exist)."""
    return [(front, back) for front, back, _ in _read_notes(path)]


def add_note(ko_path: str | Path, en_path: str | Path, korean: str, english: str) -> tuple[Path, bool]:
    """Add one pair to the pair's deck; returns the file and whether it was new (AlignerError if unwritable)."""
    return _add(deck_path(ko_path, en_path), (_clean(korean), _clean(english)), TAG)


def add_word(
    ko_path: str | Path, en_path: str | Path, word: str, translation: str, korean: str, english: str
) -> tuple[Path, bool]:
    """Add one word (or phrase) with its translation and the example pair it comes from:
    front "word · Korean example", back "translation · English example"."""
    front = f"{_clean(word)}{EXAMPLE_SEPARATOR}{_clean(korean)}"
    back = f"{_clean(translation)}{EXAMPLE_SEPARATOR}{_clean(english)}" if translation.strip() else _clean(english)
    return _add(deck_path(ko_path, en_path), (front, back), f"{TAG} {WORD_TAG}")


def _add(path: Path, note: tuple[str, str], tags: str) -> tuple[Path, bool]:
    notes = _read_notes(path)
    added = all(n[:2] != note for n in notes)
    if added:
        notes.append((*note, tags))
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{front}\t{back}\t{tag}\n" for front, back, tag in notes)
    atomic_write_text(path, HEADER + body)
    return path, added


def _read_notes(path: Path) -> list[tuple[str, str, str]]:
    """Every note with its tags (an older deck's notes are tagged ``aligner``)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    notes = []
    for line in lines:
        parts = line.split("\t")
        if not line.startswith("#") and len(parts) >= 2:
            notes.append((parts[0], parts[1], parts[2] if len(parts) > 2 and parts[2].strip() else TAG))
    return notes
