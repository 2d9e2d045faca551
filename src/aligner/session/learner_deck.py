"""The learner's deck: pairs saved with one key, as a file Anki imports directly.

One tab-separated file per document pair under the user state directory
(``decks/<pair>.tsv``): the Korean sentence(s), the English, and a tag, with
Anki's ``#separator``/``#html``/``#tags column`` header lines so that
File → Import reads it without questions.  Saving the same pair twice keeps
one note.  Written atomically.
"""

from __future__ import annotations

from pathlib import Path

from aligner.core.atomic import atomic_write_text
from aligner.core.paths import user_state_dir
from aligner.session.reader_state import pair_key

HEADER = "#separator:tab\n#html:false\n#tags column:3\n"
TAG = "aligner"


def deck_path(ko_path: str | Path, en_path: str | Path) -> Path:
    return user_state_dir() / "decks" / f"{pair_key(ko_path, en_path)}.tsv"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def read_deck(path: Path) -> list[tuple[str, str]]:
    """The (Korean, English) notes of a deck file (none if it does not exist)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    notes = []
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 2:
            notes.append((parts[0], parts[1]))
    return notes


def add_note(ko_path: str | Path, en_path: str | Path, korean: str, english: str) -> tuple[Path, bool]:
    """Add one pair to the pair's deck; returns the file and whether it was new (AlignerError if unwritable)."""
    path = deck_path(ko_path, en_path)
    notes = read_deck(path)
    note = (_clean(korean), _clean(english))
    added = note not in notes
    if added:
        notes.append(note)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{k}\t{e}\t{TAG}\n" for k, e in notes)
    atomic_write_text(path, HEADER + body)
    return path, added
