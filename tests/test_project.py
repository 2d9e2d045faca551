"""The corrections project file: atomic saves, backups, corruption, changed sources, kill -9."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import aligner
from aligner.core import atomic
from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Document, Lang, Sentence
from aligner.session.project_file import (
    CorruptProjectError,
    LoadStatus,
    ProjectFile,
    backup_path,
    default_project_path,
    find_project,
    load_project,
    read_project,
    save_project,
)

SRC_DIR = str(Path(aligner.__file__).resolve().parents[1])


def make_doc(lang: Lang, texts: list[str], path: str | None = None) -> Document:
    sentences, pos = [], 0
    for i, text in enumerate(texts):
        sentences.append(Sentence(i, text, pos, pos + len(text), paragraph=0))
        pos += len(text) + 1
    return Document(lang, " ".join(texts), tuple(sentences), path=path)


KO = ["하나.", "둘.", "셋.", "넷.", "다섯."]
EN = ["One.", "Two.", "Three and four.", "Five."]
BEADS = (
    Bead((0,), (0,), 0.9, True),
    Bead((1,), (1,), 0.4, False),
    Bead((2, 3), (2,), 1.0, True),
    Bead((4,), (3,), 0.7, True),
)


def project(beads: tuple[Bead, ...] = BEADS, model: str = "m") -> ProjectFile:
    return ProjectFile.from_documents(make_doc(Lang.KO, KO, "ko.txt"), make_doc(Lang.EN, EN), beads, model)


def same_state(a: ProjectFile | None, b: ProjectFile) -> bool:
    return a is not None and replace(a, saved_at="") == replace(b, saved_at="")


def test_save_and_read_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "ko.en.aligner.json"
    saved = save_project(path, project())
    assert saved.saved_at
    result = read_project(path)
    assert result.project == saved
    assert not result.used_backup and not result.warnings
    assert not backup_path(path).exists()  # nothing to back up on the first save
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == "aligner-project" and raw["checksum"].startswith("sha256:")
    assert raw["payload"]["source"]["sentences"] == KO  # readable UTF-8, not \u escapes
    assert "하나." in path.read_text(encoding="utf-8")
    assert raw["payload"]["source"]["path"] == "ko.txt" and raw["payload"]["model"] == "m"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_from_documents_rejects_beads_that_do_not_cover_the_text() -> None:
    with pytest.raises(AlignerError, match="beads do not match"):
        project(BEADS[:-1])


def test_saving_keeps_the_previous_version_as_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.aligner.json"
    first = save_project(path, project(model="first"))
    second = save_project(path, project(model="second"))
    assert read_project(path).project == second
    assert read_project(backup_path(path)).project == first


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda b: b[: len(b) // 2], "not valid JSON"),
        (lambda b: b"", "not valid JSON"),
        (lambda b: b.replace("하나".encode(), "하니".encode()), "checksum mismatch"),
        (lambda b: b.replace(b'"confirmed": true', b'"confirmed": false', 1), "checksum mismatch"),
        (lambda b: b"\x00" * len(b), "not valid JSON"),
        (lambda b: b'{"format": "something else"}', "not an aligner project"),
        (lambda b: b.replace(b'"version": 1', b'"version": 99'), "newer aligner"),
    ],
)
def test_damaged_file_falls_back_to_backup(tmp_path: Path, damage: Callable[[bytes], bytes], reason: str) -> None:
    path = tmp_path / "p.aligner.json"
    good = save_project(path, project(model="good"))
    save_project(path, project(model="newer"))
    path.write_bytes(damage(path.read_bytes()))
    result = read_project(path)
    assert result.used_backup and result.corrupt
    assert result.project == good
    assert len(result.warnings) == 1 and reason in result.warnings[0] and "using the backup" in result.warnings[0]
    with pytest.raises(CorruptProjectError, match=reason):
        ProjectFile.from_json(path.read_bytes())


def test_damaged_file_and_backup_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "p.aligner.json"
    path.write_text('{"format": "aligner-project", "vers')
    backup_path(path).write_text("garbage")
    result = load_project(path, make_doc(Lang.KO, KO), make_doc(Lang.EN, EN))
    assert result.status is LoadStatus.CORRUPT and result.project is None
    assert any("damaged" in w for w in result.warnings)
    assert "no saved corrections could be restored" in result.message


def test_missing_file_uses_backup_or_reports_missing(tmp_path: Path) -> None:
    path = tmp_path / "p.aligner.json"
    empty = load_project(path, make_doc(Lang.KO, KO), make_doc(Lang.EN, EN))
    assert empty.status is LoadStatus.MISSING and not empty.warnings
    save_project(path, project(model="a"))
    save_project(path, project(model="b"))
    path.unlink()
    result = read_project(path)
    assert result.used_backup and not result.corrupt and result.project is not None
    assert result.project.model == "a" and "is missing" in result.warnings[0]


def test_saving_over_a_damaged_file_keeps_the_good_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.aligner.json"
    good_a = save_project(path, project(model="a"))
    save_project(path, project(model="b"))
    path.write_text("damaged")
    save_project(path, project(model="c"))
    assert read_project(backup_path(path)).project == good_a


def test_disk_full_raises_and_leaves_files_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.aligner.json"
    save_project(path, project(model="a"))
    save_project(path, project(model="b"))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(os, "write", full)
        with pytest.raises(AlignerError, match="no space left on device") as info:
            save_project(path, project(model="c"))
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp files either


def test_partial_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def short(fd: int, data: bytes) -> int:
        return real_write(fd, bytes(data[:1000]))

    monkeypatch.setattr(os, "write", short)
    saved = save_project(tmp_path / "p.json", project())
    monkeypatch.undo()
    assert read_project(tmp_path / "p.json").project == saved


def test_read_only_directory_raises_and_keeps_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "p.aligner.json"
    save_project(path, project(model="a"))
    before = path.read_bytes()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):  # root ignores permissions: simulate what the OS would say
            real_open = os.open

            def denied(file: str | os.PathLike[str], flags: int, mode: int = 0o777, **kw: Any) -> int:
                if Path(file).parent == folder and flags & os.O_CREAT:
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
                return real_open(file, flags, mode, **kw)

            monkeypatch.setattr(os, "open", denied)
        with pytest.raises(AlignerError, match="permission denied") as info:
            save_project(path, project(model="b"))
        assert str(info.value) == f"cannot save corrections to {path}: permission denied"
    finally:
        monkeypatch.undo()
        folder.chmod(stat.S_IRWXU)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_project_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ko, en, data = tmp_path / "docs" / "report.ko.txt", tmp_path / "docs" / "summary.txt", tmp_path / "data"
    ko.parent.mkdir()
    beside = default_project_path(ko, en, data_dir=data)
    assert beside == ko.parent / "report.ko.summary.aligner.json"
    assert find_project(ko, en, data_dir=data) is None

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == ko.parent else real_access(p, mode))
    elsewhere = default_project_path(ko, en, data_dir=data)
    assert elsewhere.parent == data and elsewhere.name.startswith("report.ko.summary.")
    assert elsewhere.name.endswith(".aligner.json")
    other = default_project_path(tmp_path / "x" / "report.ko.txt", en, data_dir=data)
    assert other != elsewhere  # same names in another folder do not collide
    save_project(elsewhere, project())  # creates the data directory
    assert find_project(ko, en, data_dir=data) == elsewhere
    monkeypatch.undo()
    save_project(beside, project())
    assert find_project(ko, en, data_dir=data) == beside  # beside the documents wins


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is a Linux convention")
def test_default_data_dir_uses_platformdirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ALIGNER_PROJECT_DIR", raising=False)
    monkeypatch.setattr(os, "access", lambda p, mode: False)
    path = default_project_path("/nowhere/a.txt", "/nowhere/b.txt")
    assert path.parent == tmp_path / "xdg" / "aligner" / "projects"


# ---------------------------------------------------------------- changed documents


def test_unchanged_documents_restore_all_beads(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_project(path, project())
    result = load_project(path, make_doc(Lang.KO, KO), make_doc(Lang.EN, EN))
    assert result.status is LoadStatus.UNCHANGED and result.path == path
    assert result.beads == BEADS
    assert result.constraints == tuple(b for b in BEADS if b.confirmed)
    assert not result.dropped and not result.warnings
    assert result.message == "restored 4 beads (3 confirmed)"


def test_same_sentences_but_different_file_text_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_project(path, project())
    ko = replace(make_doc(Lang.KO, KO), source="\n\n".join(KO) + "\n")  # reflowed, same sentences
    result = load_project(path, ko, make_doc(Lang.EN, EN))
    assert result.status is LoadStatus.UNCHANGED and result.beads == BEADS
    assert result.warnings == ("the Korean file changed on disk but its sentences did not",)


def test_changed_source_keeps_confirmed_beads_that_still_exist(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_project(path, project())
    # new sentence at the start, "둘." removed, "넷." edited
    new_ko = ["머리말.", "하나.", "셋.", "넷!", "다섯."]
    result = load_project(path, make_doc(Lang.KO, new_ko), make_doc(Lang.EN, EN))
    assert result.status is LoadStatus.CHANGED and result.beads is None
    assert result.constraints == (Bead((1,), (0,), 0.9, True), Bead((4,), (3,), 0.7, True))
    assert [d.bead for d in result.dropped] == [BEADS[2]]
    assert result.dropped[0].reason == "Korean sentence 3 changed or was removed: “넷.”"
    assert result.discarded_unconfirmed == 1  # bead 1 was the model's guess: realigned, not lost
    assert result.source_change is not None and result.source_change.changed
    assert result.source_change.removed == (1, 3) and result.source_change.added == (0, 3)
    assert result.target_change is not None and not result.target_change.changed
    assert "Korean text changed" in result.message and "dropped [2,3]:[2]" in result.message


def test_text_inserted_inside_a_bead_drops_it(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_project(path, project())
    new_ko = ["하나.", "둘.", "셋.", "끼어든 문장.", "넷.", "다섯."]
    new_en = ["One.", "Two.", "Three and four.", "Five.", "Six."]
    result = load_project(path, make_doc(Lang.KO, new_ko), make_doc(Lang.EN, new_en))
    assert result.status is LoadStatus.CHANGED
    assert result.constraints == (Bead((0,), (0,), 0.9, True), Bead((5,), (3,), 0.7, True))
    assert [(d.bead, d.reason) for d in result.dropped] == [
        (BEADS[2], "text was inserted between its Korean sentences")
    ]
    assert result.target_change is not None and result.target_change.added == (4,)


def test_duplicate_sentences_map_in_order(tmp_path: Path) -> None:
    ko, en = ["네.", "네.", "아니요."], ["Yes.", "Yes.", "No."]
    beads = tuple(Bead((i,), (i,), 1.0, True) for i in range(3))
    path = tmp_path / "p.json"
    save_project(path, ProjectFile.from_documents(make_doc(Lang.KO, ko), make_doc(Lang.EN, en), beads))
    result = load_project(path, make_doc(Lang.KO, ["네.", "새.", "네.", "아니요."]), make_doc(Lang.EN, en))
    kept = result.constraints
    assert [b.src for b in kept] == sorted(b.src for b in kept)  # order preserved
    assert len(kept) + len(result.dropped) == 3


# ---------------------------------------------------------------- kill -9 during save

CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {src!r})
    from aligner.core.values import Bead, Document, Lang, Sentence
    from aligner.session.project_file import ProjectFile, save_project

    def doc(lang, tag, n):
        texts = [f"{{tag}} sentence {{i}} " + "가나다라마바사 " * 8 for i in range(n)]
        sents = tuple(Sentence(i, t, 0, 0, 0) for i, t in enumerate(texts))
        return Document(lang, "\\n".join(texts), sents)

    def state(tag):
        n = 6000
        beads = tuple(Bead((i,), (i,), 0.5, tag == "B") for i in range(n))
        return ProjectFile.from_documents(doc(Lang.KO, tag, n), doc(Lang.EN, tag, n), beads, tag)

    path, mode = sys.argv[1], sys.argv[2]
    a, b = state("A"), state("B")
    save_project(path, a)
    if mode in ("hook", "midwrite"):
        import aligner.core.atomic as atomic
        import aligner.session.project_file as project
        real, real_write = project.atomic_write_bytes, atomic.os.write
        chunks = []
        def stop(where):
            print(where, flush=True)
            time.sleep(60)
        def chunked_write(fd, data):
            chunks.append(fd)
            if len(chunks) == 5:
                stop("in-write")
            return real_write(fd, bytes(data[:65536]))
        def hooked(target, data, **kw):
            if str(target) != path:
                return real(target, data)
            if mode == "hook":
                return real(target, data, before_replace=lambda: stop("in-hook"))
            atomic.os.write = chunked_write
            return real(target, data)
        project.atomic_write_bytes = hooked
        save_project(path, b)
    else:
        import aligner.core.atomic as atomic
        real_write = atomic.os.write
        def slow_write(fd, data):  # small chunks so that kills often land mid-write
            time.sleep(0.002)
            return real_write(fd, bytes(data[:65536]))
        atomic.os.write = slow_write
        print("saved", flush=True)
        while True:
            save_project(path, b)
            save_project(path, a)
    """
).format(src=SRC_DIR)


def _run_child_until(path: Path, mode: str, line: str, delay: float = 0.0) -> None:
    """Start the saving child, wait for ``line``, sleep ``delay``, then SIGKILL it."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), mode], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == line
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdout is not None:
            child.stdout.close()


def _expected_states() -> dict[str, ProjectFile]:
    namespace: dict[str, Any] = {}
    exec(CHILD.split("path, mode =")[0], namespace)
    return {tag: namespace["state"](tag) for tag in "AB"}


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_kill_during_save_leaves_old_or_new_state(tmp_path: Path) -> None:
    states = _expected_states()
    path = tmp_path / "big.aligner.json"
    seen = set()
    for delay in (0.0, 0.05, 0.13, 0.21, 0.37, 0.5):
        _run_child_until(path, "loop", "saved", delay)
        result = read_project(path)
        assert not result.used_backup and not result.warnings
        assert result.project is not None
        model = result.project.model
        assert same_state(result.project, states[model])  # whole, never a mix
        seen.add(model)
        if backup_path(path).exists():
            bak = read_project(backup_path(path)).project
            assert bak is not None and same_state(bak, states[bak.model])
    assert seen  # at least one state observed; usually both


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
@pytest.mark.parametrize(("mode", "signal_line"), [("midwrite", "in-write"), ("hook", "in-hook")])
def test_kill_mid_write_or_before_rename_keeps_old_state(tmp_path: Path, mode: str, signal_line: str) -> None:
    states = _expected_states()
    path = tmp_path / "big.aligner.json"
    _run_child_until(path, mode, signal_line)
    result = read_project(path)
    assert not result.used_backup and same_state(result.project, states["A"])
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)]
    assert len(leftovers) == 1  # the partial or unrenamed new state, ignored by readers
    if mode == "hook":  # complete new state, never renamed
        assert same_state(ProjectFile.from_json(leftovers[0].read_bytes()), states["B"])
    else:  # torn write
        with pytest.raises(CorruptProjectError):
            ProjectFile.from_json(leftovers[0].read_bytes())
    save_project(path, states["B"])  # the next save still works
    assert same_state(read_project(path).project, states["B"])
