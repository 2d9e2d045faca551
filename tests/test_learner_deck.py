"""One named deck (issue 22, findings 8–9): where it is (``aligner deck``, the palette), word
cards with the word alone on the front and the example in its own field, and Anki itself
importing the exact files (the ``anki`` package: Anki's own import code, no GUI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.session.learner_deck import (
    DECK_NAME,
    HEADER,
    add_note,
    add_word,
    deck_path,
    legacy_deck_path,
    package_path,
    read_notes,
)

from .conftest import ROOT

KO, EN = "/docs/report.ko.txt", "/docs/report.en.txt"
EXAMPLE_KO = "중국의 스마트시티 전략은 빠르게 발전하고 있다."
EXAMPLE_EN = "China's smart city strategy is developing fast."


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALIGNER_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def test_one_named_deck_for_every_pair(state: Path) -> None:
    path, added = add_word(KO, EN, "스마트시티", "smart city", EXAMPLE_KO, EXAMPLE_EN)
    other, _ = add_note("/elsewhere/a.ko.txt", "/elsewhere/a.en.txt", "다른 문장.", "Another sentence.")
    assert path == other == deck_path() == state / "decks" / f"{DECK_NAME}.tsv"
    assert added and package_path().exists() and package_path().suffix == ".apkg"
    assert path.read_text(encoding="utf-8").startswith(HEADER)
    notes = read_notes(path)
    assert notes[0] == ("스마트시티", "smart city", EXAMPLE_KO, EXAMPLE_EN, "aligner word")
    assert notes[1] == ("다른 문장.", "Another sentence.", "", "", "aligner")
    assert add_word(KO, EN, "스마트시티", "smart city", EXAMPLE_KO, EXAMPLE_EN)[1] is False  # once


def test_old_per_pair_decks_are_carried_over(state: Path) -> None:
    legacy = legacy_deck_path(KO, EN)
    legacy.parent.mkdir(parents=True)
    legacy.write_text(
        "#separator:tab\n#html:false\n#tags column:3\n"
        f"성장 동력 · {EXAMPLE_KO}\tgrowth engine · {EXAMPLE_EN}\taligner word\n", encoding="utf-8"
    )  # fmt: skip
    add_note(KO, EN, "한 문장.", "A sentence.")
    notes = read_notes(deck_path())
    assert ("성장 동력", "growth engine", EXAMPLE_KO, EXAMPLE_EN, "aligner word") in notes  # split into its fields
    assert legacy.exists()  # left as it was


def test_aligner_deck_says_where(state: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ALIGNER_STATE_DIR": str(state)}
    run = [sys.executable, "-m", "aligner", "deck"]
    empty = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert str(state / "decks" / f"{DECK_NAME}.apkg") in " ".join(empty.split()) and "no notes yet" in empty
    add_word(KO, EN, "스마트시티", "smart city", EXAMPLE_KO, EXAMPLE_EN)
    out = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert "0 pairs, 1 words" in out
    only = subprocess.run([*run, "--path"], capture_output=True, text=True, env=env, check=True).stdout
    assert only.strip() == str(package_path())


def _collection(tmp_path: Path):  # type: ignore[no-untyped-def]
    collection = pytest.importorskip("anki.collection")
    return collection.Collection(str(tmp_path / "collection.anki2"))


def test_anki_imports_the_package_with_the_word_alone_on_the_front(state: Path, tmp_path: Path) -> None:
    add_word(KO, EN, "스마트시티", "smart city", EXAMPLE_KO, EXAMPLE_EN)
    add_note(KO, EN, EXAMPLE_KO, EXAMPLE_EN)
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    col = _collection(tmp_path)
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package_path())))
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        word = next(n for n in notes if "word" in n.tags)
        assert dict(word.items()) == {"Front": "스마트시티", "Back": "smart city", "Example": EXAMPLE_KO,
                                      "Example translation": EXAMPLE_EN}  # fmt: skip
        card = word.cards()[0]
        question = card.question()
        assert "스마트시티" in question and EXAMPLE_KO in question and "smart city" not in question
        assert "smart city" in card.answer() and EXAMPLE_EN in card.answer()
        assert col.decks.name(card.did) == DECK_NAME
        assert len(notes) == 2
    finally:
        col.close()


def test_anki_imports_the_text_file_into_the_named_deck(state: Path, tmp_path: Path) -> None:
    add_word(KO, EN, "스마트시티", "smart city", EXAMPLE_KO, EXAMPLE_EN)
    from anki.import_export_pb2 import ImportCsvRequest

    col = _collection(tmp_path)
    try:
        metadata = col.get_csv_metadata(path=str(deck_path()), delimiter=None)
        col.import_csv(ImportCsvRequest(path=str(deck_path()), metadata=metadata))
        (nid,) = col.find_notes("")
        note = col.get_note(nid)
        assert note.fields[0] == "스마트시티"  # the word alone, not "word · example"
        assert sorted(note.tags) == ["aligner", "word"]
        assert col.decks.name(note.cards()[0].did) == DECK_NAME
    finally:
        col.close()
