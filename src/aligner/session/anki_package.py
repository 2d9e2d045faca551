"""The deck as an Anki package (``.apkg``): the notes with their own note type, in deck "aligner".

A tab-separated file imported into Anki's stock "Basic" note type keeps two fields
only, so the example would be lost; the package brings a note type with the deck's
four fields (Front, Back, Example, Example translation).  Its card shows the word
alone on the front with the Korean example beneath it, in its own field; the back
adds the translation and the example's English.  Built with ``genanki`` (the
package format without Anki itself), written atomically; the ids are fixed so a
re-import updates the same note type, deck and notes (a note's id is its front
and example).
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

MODEL_ID = 1_733_220_221
DECK_ID = 1_733_220_222
FIELDS = ("Front", "Back", "Example", "Example translation")
CSS = """.card { font-family: sans-serif; font-size: 22px; text-align: center; }
.example { font-size: 17px; margin-top: 0.8em; color: #555; }
.answer { margin-top: 0.6em; }"""
FRONT = '<div class="front">{{Front}}</div>{{#Example}}<div class="example">{{Example}}</div>{{/Example}}'
BACK = (
    '{{FrontSide}}<hr id="answer"><div class="answer">{{Back}}</div>'
    '{{#Example translation}}<div class="example">{{Example translation}}</div>{{/Example translation}}'
)


def write_package(path: Path, notes: Sequence[tuple[str, str, str, str, str]], deck_name: str) -> Path:
    """Write ``notes`` (front, back, example, example translation, tags) as an Anki package at ``path``."""
    import genanki

    model = genanki.Model(
        MODEL_ID, "aligner word or pair", fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Korean → English", "qfmt": FRONT, "afmt": BACK}], css=CSS,
    )  # fmt: skip
    deck = genanki.Deck(DECK_ID, deck_name)
    for front, back, example, translation, tags in notes:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[html.escape(f, quote=False) for f in (front, back, example, translation)],
                tags=tags.split(),
                guid=genanki.guid_for(front, example),
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        genanki.Package(deck).write_to_file(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
