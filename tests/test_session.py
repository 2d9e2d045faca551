"""The headless session: opening without needless work, debounced saving off the caller's thread."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from aligner.align import documents
from aligner.session.autosave import AutoSaver, SaveResult
from aligner.session.edits import merge_with_next
from aligner.session.pair_session import PairSession, open_session
from aligner.session.project_file import ProjectFile

from .conftest import DATA


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    ko, en = tmp_path / "ko.txt", tmp_path / "en.txt"
    shutil.copy(DATA / "kiep_ko.txt", ko)
    shutil.copy(DATA / "kiep_en.txt", en)
    return ko, en


def test_an_unchanged_pair_with_its_project_file_opens_without_aligning(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = open_session(*pair)
    assert first.apply(lambda beads: merge_with_next(beads, 0))
    assert first.save() == first.project_path and first.project_path is not None
    edited = first.beads

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("aligned again although the saved alignment fits the documents")

    monkeypatch.setattr(documents, "align_documents", refuse)
    again = open_session(*pair)
    assert again.beads == edited
    assert again.project_path == first.project_path


def test_vectors_are_computed_once_per_open(pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    session = open_session(*pair)  # warms the embedding cache
    encoder = session.workspace.encoder
    encoded: list[str] = []
    real = type(encoder).encode

    def recording(self: object, texts: list[str], progress: object = None) -> object:
        encoded.extend(texts)
        return real(self, texts, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(type(encoder), "encode", recording)
    ws = open_session(*pair, project_path=pair[0].parent / "fresh.aligner.json").workspace
    sentences = ws.ko.texts + ws.en.texts
    # Each sentence is looked up once; what else is embedded are the joined spans of m-n candidates.
    assert sum(encoded.count(s) for s in set(sentences)) == len(sentences)
    ws.realign()
    assert sum(encoded.count(s) for s in set(sentences)) == len(sentences)  # realigning reuses the vectors


def test_a_burst_of_autosave_requests_is_written_once_off_the_callers_thread() -> None:
    writes: list[str] = []
    done = threading.Event()

    def save() -> SaveResult:
        writes.append(threading.current_thread().name)
        return SaveResult(None, None)

    saver = AutoSaver(save, lambda _result: done.set(), delay=0.05)
    for _ in range(20):
        saver.request()
    assert done.wait(5)
    time.sleep(0.1)
    assert len(writes) == 1 and writes[0] != threading.current_thread().name
    assert saver.flush() is None  # nothing pending any more


def test_flush_writes_a_pending_save_at_once(pair: tuple[Path, Path]) -> None:
    session = open_session(*pair, project_path=pair[0].parent / "p.aligner.json")
    results: list[SaveResult] = []
    session = PairSession(session.workspace, session.project_path, on_saved=results.append)
    session.apply(lambda beads: merge_with_next(beads, 0))
    session.request_save()
    result = session.flush()
    assert result is not None and result.error is None and results == [result]
    assert session.project_path is not None
    saved = ProjectFile.from_json(session.project_path.read_bytes())
    assert saved.beads[0].src == session.beads[0].src
    session.close()
