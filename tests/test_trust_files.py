"""Nothing the user owns is overwritten, lost or hijacked (issue 11, items 1-4).

* outputs (CLI ``-o``, the reader's export dialog) never replace an input
  document, a project file or its backup, however the path is spelt, and never
  replace a FIFO, symlink or device with a regular file;
* every pair has its own project file, and one recording another pair is never overwritten;
* a second session on a pair is read-only (another process or the same one);
  a version written behind a session's back is kept, not overwritten;
* a project file that cannot be read is moved aside before anything is written.

The CLI runs as a real subprocess, the reader through Pilot, sessions over the
real pipeline (model, kiwipiepy) on a short pair; property tests cover the classes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Button, Input, Static

from aligner.core.errors import AlignerError
from aligner.core.output_guard import check_output_path, is_project_file_name, same_file, write_output_file
from aligner.core.values import Bead, Document, Lang
from aligner.session.edits import merge_with_next
from aligner.session.pair_session import PairSession, open_session
from aligner.session.project_file import (
    ProjectFile,
    backup_path,
    default_project_path,
    find_project,
    load_project,
    lock_path,
    owned_files,
    read_project,
    save_project,
)
from aligner.session.reconcile import LoadStatus
from aligner.session.workspace import Workspace, with_saved_corrections
from aligner.tui.app import create_app
from aligner.tui.export_screen import ExportScreen

from .test_cli import ROOT, run
from .test_project import BEADS, EN, KO, make_doc, project
from .test_reliability_cli import EN as EN_TEXT
from .test_reliability_cli import KO as KO_TEXT
from .test_reliability_reader import messages
from .test_tui import SIZE, settle

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write_pair(folder: Path, ko: str = "ko.txt", en: str = "en.txt") -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ko_path, en_path = folder / ko, folder / en
    ko_path.write_text(KO_TEXT, "utf-8")
    en_path.write_text(EN_TEXT, "utf-8")
    return ko_path, en_path


def error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.startswith("aligner: error:")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


def damaged_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.damaged-*.json"))


# ====================================================================== 1. outputs


SPELLINGS = [
    ("docs/ko.txt", "input document"), ("./docs/ko.txt", "input document"), ("docs/../docs/en.txt", "input document"),
    ("docs/hard.txt", "input document"), ("docs/link.txt", "input document"),
    ("PROJECT", "project file"), ("PROJECT.bak", "project file"),
    ("docs/renamed-notes.json", "project file"), ("docs/other.aligner.json", "project file"), ("docs", "folder"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("command", "spellings"),
    [("align", SPELLINGS), ("export", SPELLINGS[:1] + SPELLINGS[5:6]), ("glossary", SPELLINGS[3:4] + SPELLINGS[6:7])],
)
def test_cli_refuses_every_spelling_of_an_input_or_project_file(
    tmp_path: Path, command: str, spellings: list[tuple[str, str]]
) -> None:
    ko, en = write_pair(tmp_path / "docs")
    docs = ko.parent
    os.link(ko, docs / "hard.txt")
    (docs / "link.txt").symlink_to("ko.txt")
    project_file = default_project_path(ko, en)
    save_project(project_file, project())  # the pair's corrections
    save_project(project_file, project(model="again"))  # and their backup
    (docs / "renamed-notes.json").write_bytes(project_file.read_bytes())  # a project file under any name
    before = snapshot(docs)
    for output, why in spellings:
        output = output.replace("PROJECT", str(project_file))
        res = run(command, "docs/ko.txt", str(en), "-o", output, cwd=tmp_path)
        assert res.returncode != 0, (output, res.stderr)
        line = error_line(res.stderr)
        assert "refusing to write" in line and why in line, (output, line)
    assert snapshot(docs) == before  # not one byte changed, nothing created


def test_cli_writes_through_a_fifo_and_a_symlink_without_replacing_them(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    res = run("align", str(ko), str(en), "-o", str(fifo), cwd=tmp_path)
    out, _ = reader.communicate(timeout=60)
    assert res.returncode == 0, res.stderr
    assert out.splitlines() and all(ln.startswith("[") for ln in out.splitlines())
    assert fifo.is_fifo()  # still a FIFO, not a regular file

    link = tmp_path / "latest.tsv"
    link.symlink_to("real-output.tsv")
    write_output_file(link, b"one\n")
    write_output_file(link, b"two\n")
    assert link.is_symlink() and (tmp_path / "real-output.tsv").read_bytes() == b"two\n"
    write_output_file("/dev/null", b"nothing")  # a device is written through, never renamed over
    assert Path("/dev/null").is_char_device()


def test_write_output_refuses_a_project_file_of_any_name(tmp_path: Path) -> None:
    """The late check (after opening) knows the pair's actual project file, whatever it is called."""
    from aligner.cli.common import write_output

    ko, en = write_pair(tmp_path)
    odd = tmp_path / "my corrections"
    owned = owned_files(ko, en, odd)
    odd.write_text("not yet a project file", "utf-8")
    with pytest.raises(AlignerError, match="project file"):
        write_output("x", odd, "beads", owned)
    with pytest.raises(AlignerError, match="backup"):
        write_output("x", backup_path(odd), "beads", owned)
    assert odd.read_text("utf-8") == "not yet a project file"
    write_output("fine", tmp_path / "out.txt", "beads", owned)
    assert (tmp_path / "out.txt").read_text("utf-8") == "fine"


SEGMENT = st.sampled_from([".", "sub/..", "./sub/../."])


@FUZZ
@given(prefix=st.lists(SEGMENT, max_size=3), via=st.sampled_from(["plain", "symlink", "hardlink", "dirlink"]))
def test_any_spelling_of_a_protected_file_is_refused(tmp_path: Path, prefix: list[str], via: str) -> None:
    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    owned = folder / "ko.txt"
    owned.write_text("원문", "utf-8")
    name = "ko.txt"
    if via == "symlink":
        name = "alias.txt"
        if not (folder / name).is_symlink():
            (folder / name).symlink_to("ko.txt")
    elif via == "hardlink":
        name = "hard.txt"
        if not (folder / name).exists():
            os.link(owned, folder / name)
    elif via == "dirlink":
        if not (tmp_path / "g").is_symlink():
            (tmp_path / "g").symlink_to("f")
    base = tmp_path / ("g" if via == "dirlink" else "f")
    spelled = Path(str(base) + "".join("/" + p for p in prefix) + "/" + name)
    assert same_file(spelled, owned)
    with pytest.raises(AlignerError, match="refusing to write"):
        write_output_file(spelled, b"replaced", [(owned, "an input document")])
    assert owned.read_text("utf-8") == "원문"
    elsewhere = Path(str(base) + "".join("/" + p for p in prefix) + "/other.txt")
    assert not same_file(elsewhere, owned)
    write_output_file(elsewhere, b"ok", [(owned, "an input document")])
    assert (folder / "other.txt").read_bytes() == b"ok"


@given(stem=st.text(st.characters(blacklist_characters="/\0", blacklist_categories=["Cs"]), min_size=1, max_size=20))
def test_every_project_file_name_is_recognised(stem: str) -> None:
    for name in (f"{stem}.aligner.json", f"{stem}.aligner.json.bak", f".{stem}.aligner.json.lock",
                 f"{stem}.aligner.damaged-20260101T000000Z.json", f"{stem}.aligner.json.bak.damaged-x.json",
                 f"{stem}.aligner.conflict-20260101T000000Z-1.json"):  # fmt: skip
        assert is_project_file_name(name), name
    assert not is_project_file_name(f"{stem}.tmx") and not is_project_file_name(f"{stem}.aligner.json\n")


def test_guard_refuses_devices_and_sockets(tmp_path: Path) -> None:
    import socket

    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        with pytest.raises(AlignerError, match="device or socket"):
            check_output_path(sock_path)
    finally:
        sock.close()
    with pytest.raises(AlignerError, match="not a folder"):
        check_output_path(tmp_path / "s.sock" / "x.tmx")


# ---------------------------------------------------------------------- the reader's export dialog


async def test_export_dialog_defaults_to_the_documents_folder_and_asks_before_replacing(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path / "docs")
    app = create_app(ko, en)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session is not None and app.session.project_path is not None
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        path_input = screen.query_one("#export-path", Input)
        assert Path(path_input.value) == ko.parent / "ko.en.tmx"  # the full path, in the documents' folder

        existing = ko.parent / "ko.en.tmx"
        existing.write_text("an older export the user keeps", "utf-8")
        await pilot.press("enter")
        assert app.screen is screen  # asked first
        note = str(screen.query_one("#export-error", Static).render())
        assert "already exists" in note and "\n" not in note
        assert str(screen.query_one("#export-ok", Button).label) == "Replace"
        assert existing.read_text("utf-8") == "an older export the user keeps"
        await pilot.press("enter")  # confirmed
        assert not isinstance(app.screen, ExportScreen)
        assert "<tmx" in existing.read_text("utf-8")

        for owned, why in ((ko, "input document"), (app.session.project_path, "project file"),
                           (backup_path(app.session.project_path), "backup")):  # fmt: skip
            await pilot.press("e")
            screen = app.screen
            before = owned.read_bytes() if owned.exists() else None
            screen.query_one("#export-path", Input).value = str(owned)
            await pilot.press("enter")
            await pilot.press("enter")  # even a second press never replaces it
            assert app.screen is screen
            error = str(screen.query_one("#export-error", Static).render())
            assert "refusing to write" in error and why in error, error
            assert (owned.read_bytes() if owned.exists() else None) == before
            await pilot.press("escape")


# ====================================================================== 2. one project file per pair


@given(
    names=st.lists(
        st.tuples(st.sampled_from(["ko", "report", "a.b"]), st.sampled_from([".txt", ".md", ".ko.txt", ""])),
        min_size=2, max_size=4, unique=True,
    ),
    en_names=st.lists(st.sampled_from(["en.txt", "en.md", "en", "summary.txt", "en.txt.bak"]), min_size=1),
)  # fmt: skip
def test_different_pairs_never_share_a_project_file(names: list[tuple[str, str]], en_names: list[str]) -> None:
    folder = Path("/tmp/aligner-names")  # names only: nothing is created
    pairs = {(folder / (stem + ext), folder / en) for stem, ext in names for en in en_names}
    paths = {default_project_path(ko, en) for ko, en in pairs}
    assert len(paths) == len(pairs)


def test_the_old_shared_name_is_used_only_by_the_pair_it_records(tmp_path: Path) -> None:
    ko, en_txt = write_pair(tmp_path)
    en_md = tmp_path / "en.md"
    en_md.write_text(EN_TEXT, "utf-8")
    legacy = tmp_path / "ko.en.aligner.json"  # the name both pairs shared before
    kod, end = make_doc(Lang.KO, KO, str(ko)), make_doc(Lang.EN, EN, str(en_txt))
    save_project(legacy, ProjectFile.from_documents(kod, end, BEADS))
    assert find_project(ko, en_txt) == legacy  # still found by the pair it was saved for
    assert find_project(ko, en_md) is None  # not by the other one
    assert default_project_path(ko, en_md) != legacy
    before = legacy.read_bytes()
    other = ProjectFile.from_documents(kod, make_doc(Lang.EN, EN, str(en_md)), BEADS)
    with pytest.raises(AlignerError, match=r"another pair \(ko.txt \+ en.txt\)"):
        save_project(legacy, other)  # never overwritten by another pair, even if asked to
    assert legacy.read_bytes() == before and not backup_path(legacy).exists()


def test_a_moved_folder_still_finds_its_corrections(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path / "before")
    path = default_project_path(ko, en)
    save_project(
        path, ProjectFile.from_documents(make_doc(Lang.KO, KO, str(ko)), make_doc(Lang.EN, EN, str(en)), BEADS)
    )
    (tmp_path / "before").rename(tmp_path / "after")
    moved_ko, moved_en = tmp_path / "after" / "ko.txt", tmp_path / "after" / "en.txt"
    assert default_project_path(moved_ko, moved_en) != tmp_path / "after" / path.name  # the hash changed
    assert find_project(moved_ko, moved_en) == tmp_path / "after" / path.name
    (tmp_path / "after" / "en.txt").rename(tmp_path / "after" / "en.md")
    assert find_project(moved_ko, tmp_path / "after" / "en.md") is None  # another pair now


def test_two_pairs_sharing_a_document_keep_their_own_corrections(tmp_path: Path) -> None:
    ko, en_txt = write_pair(tmp_path)
    en_md = tmp_path / "en.md"
    en_md.write_text(EN_TEXT, "utf-8")
    first = open_session(ko, en_txt)
    assert first.apply(lambda beads: merge_with_next(beads, 0))
    first.save()
    first.close()
    second = open_session(ko, en_md)
    assert second.project_path != first.project_path
    assert second.beads != first.beads  # nothing of the first pair's corrections
    assert second.apply(lambda beads: (Bead(beads[0].src, beads[0].tgt, beads[0].confidence, True), *beads[1:]))
    second.save()
    second.close()
    again = open_session(ko, en_txt)
    assert again.project_path == first.project_path and again.beads == first.beads
    again.close()


# ====================================================================== 3. concurrent sessions


def test_a_second_session_in_the_same_process_is_read_only(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    first = open_session(ko, en)
    assert first.read_only is None
    assert first.apply(lambda beads: merge_with_next(beads, 0))
    first.save()
    second = open_session(ko, en)
    assert second.read_only is not None and "read-only" in second.read_only and "\n" not in second.read_only
    assert str(os.getpid()) in second.read_only
    saved = first.project_path.read_bytes()  # type: ignore[union-attr]
    with pytest.raises(AlignerError, match="read-only"):
        second.apply(lambda beads: merge_with_next(beads, 0))
    with pytest.raises(AlignerError, match="read-only"):
        second.undo()
    assert second.save() is None  # nothing of its own to save
    assert first.project_path.read_bytes() == saved  # type: ignore[union-attr]
    first.close()
    second.close()
    third = open_session(ko, en)  # the first one closed: editable again
    assert third.read_only is None and third.beads == first.beads
    third.close()


HOLDER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {src!r})
    from aligner.session.pair_session import PairSession, open_session
    session = open_session(sys.argv[1], sys.argv[2])
    print("editable" if session.read_only is None else "read-only", flush=True)
    sys.stdin.readline()
    session.close()
    """
).format(src=str(ROOT / "src"))


def _holder(ko: Path, en: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ko), str(en)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "editable"
    return child


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl locks")
@pytest.mark.parametrize("ending", ["closes", "is killed"])
def test_a_session_in_another_process_makes_this_one_read_only(tmp_path: Path, ending: str) -> None:
    ko, en = write_pair(tmp_path)
    child = _holder(ko, en)
    try:
        here = open_session(ko, en)
        assert here.read_only is not None and f"process {child.pid}" in here.read_only
        with pytest.raises(AlignerError, match="read-only"):
            here.apply(lambda beads: merge_with_next(beads, 0))
        here.close()
    finally:
        if ending == "closes":
            child.communicate("\n", timeout=60)
        else:
            child.send_signal(signal.SIGKILL)  # the kernel drops the lock: never a stale one
            child.wait(timeout=60)
    after = open_session(ko, en)
    assert after.read_only is None
    assert after.apply(lambda beads: merge_with_next(beads, 0)) and after.save() == after.project_path
    after.close()


def test_a_version_written_behind_the_sessions_back_is_kept(tmp_path: Path) -> None:
    """Without a lock (another machine, a copy tool), a save still never silently replaces it."""
    ko, en = write_pair(tmp_path)
    session = open_session(ko, en)
    assert session.apply(lambda beads: merge_with_next(beads, 0))
    session.save()
    path = session.project_path
    assert path is not None
    ws = session.workspace
    theirs = save_project(path, ProjectFile.from_documents(ws.ko, ws.en, ws.alignment.beads, "someone else"))
    session.apply(lambda beads: (Bead(beads[0].src, beads[0].tgt, beads[0].confidence, True), *beads[1:]))
    session.save()
    notices = session.take_notices()
    assert len(notices) == 1 and "changed by another program" in notices[0]
    kept = sorted(tmp_path.glob("*.conflict-*.json"))
    assert len(kept) == 1 and str(kept[0]) in notices[0]
    assert ProjectFile.from_json(kept[0].read_bytes()) == theirs
    assert ProjectFile.from_json(path.read_bytes()).beads == session.beads
    session.save()  # its own last version: no further copies
    assert len(sorted(tmp_path.glob("*.conflict-*.json"))) == 1 and not session.take_notices()
    session.close()


async def test_the_reader_shows_a_pair_open_elsewhere_as_read_only(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    holder = open_session(ko, en)
    try:
        app = create_app(ko, en)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.session is not None and app.session.read_only is not None
            assert "read-only" in app.status.text
            assert any("read-only" in m and "another aligner session" in m for m in messages(app))
            beads = app.session.beads
            for key in ("m", "c", "C", "u", "ctrl+s"):
                await pilot.press(key)
                await settle(pilot)
            assert app.session.beads == beads
            refused = [m for m in messages(app) if "read-only" in m]
            assert len(refused) >= 4 and all("\n" not in m for m in refused)
            assert holder.project_path is not None and not holder.project_path.exists()  # nothing written
    finally:
        holder.close()


# ====================================================================== 4. unreadable project files


def _docs() -> tuple[Document, Document]:
    return make_doc(Lang.KO, KO, "ko.txt"), make_doc(Lang.EN, EN, "en.txt")


@FUZZ
@given(junk=st.one_of(st.binary(max_size=600), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_arbitrary_bytes_as_a_project_file_are_never_lost(tmp_path: Path, junk: bytes) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / "ko.en.aligner.json"
    path.write_bytes(junk)
    ko, en = _docs()
    loaded = load_project(path, ko, en)  # never raises
    assert loaded.status is LoadStatus.CORRUPT
    copies = damaged_copies(folder)
    assert len(copies) == 1 and copies[0].read_bytes() == junk
    assert any(str(copies[0]) in w for w in loaded.warnings)
    assert not path.exists()
    save_project(path, ProjectFile.from_documents(ko, en, BEADS))
    assert read_project(path).project is not None
    assert copies[0].read_bytes() == junk


def _hand_edited(data: bytes) -> bytes:
    return data.replace("하나.".encode(), "하나!".encode())


def _newer(data: bytes) -> bytes:
    doc = json.loads(data)
    doc["version"] = 99
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [(_hand_edited, "checksum"), (_newer, "version"), (lambda d: d[: len(d) // 3], "JSON"),
     (lambda d: bytes(range(256)) * 3, "JSON")],
    ids=["hand-edit", "newer-format", "truncated", "binary"],
)  # fmt: skip
def test_unreadable_project_file_and_backup_are_set_aside_before_saving(
    tmp_path: Path, damage: object, reason: str
) -> None:
    path = tmp_path / "ko.en.aligner.json"
    good = save_project(path, project())
    save_project(path, project(model="second"))  # the first version is now the backup
    broken = damage(path.read_bytes())  # type: ignore[operator]
    path.write_bytes(broken)
    ko, en = _docs()
    loaded = load_project(path, ko, en)
    assert loaded.used_backup and loaded.project is not None and loaded.project.model == good.model
    copies = damaged_copies(tmp_path)
    assert [c.read_bytes() for c in copies] == [broken]
    assert any(reason in w for w in loaded.warnings) and any(str(copies[0]) in w for w in loaded.warnings)
    save_project(path, project(model="third"))
    assert read_project(path).project.model == "third"  # type: ignore[union-attr]
    assert damaged_copies(tmp_path) == copies and copies[0].read_bytes() == broken

    backup_path(path).write_bytes(broken)  # a damaged backup is kept too before it is replaced
    notices: list[str] = []
    save_project(path, project(model="fourth"), notices=notices)
    assert len(damaged_copies(tmp_path)) == 2 and any("bak" in n for n in notices)
    assert read_project(backup_path(path)).project.model == "third"  # type: ignore[union-attr]


def test_a_file_damaged_while_the_pair_is_open_is_set_aside_by_the_next_save(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    session = open_session(ko, en)
    session.apply(lambda beads: merge_with_next(beads, 0))
    session.save()
    path = session.project_path
    assert path is not None
    path.write_bytes(b"{ scribbled over")
    session.apply(lambda beads: (Bead(beads[0].src, beads[0].tgt, beads[0].confidence, True), *beads[1:]))
    session.save()
    (notice,) = session.take_notices()
    copies = damaged_copies(tmp_path)
    assert [c.read_bytes() for c in copies] == [b"{ scribbled over"] and str(copies[0]) in notice
    assert ProjectFile.from_json(path.read_bytes()).beads == session.beads
    session.close()


def test_cli_says_where_the_damaged_project_file_went(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    path = default_project_path(ko, en)
    path.write_bytes(b"\x00\x01 not a project")
    res = run("export", str(ko), str(en), "--format", "tsv", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    (copy,) = damaged_copies(tmp_path)
    assert copy.read_bytes() == b"\x00\x01 not a project"
    told = " ".join(res.stderr.split())
    assert copy.name in told and "could not be read" in told, res.stderr


async def test_reader_says_where_the_damaged_project_file_went(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    path = default_project_path(ko, en)
    path.write_text('{"format": "aligner-project", "version": 1, "checksum": "sha256:0", "payload": {}}', "utf-8")
    original = path.read_bytes()
    app = create_app(ko, en)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (copy,) = damaged_copies(tmp_path)
        assert copy.read_bytes() == original
        assert any(str(copy) in m for m in messages(app)), messages(app)
        await pilot.press("m")
        await settle(pilot)
    assert ProjectFile.from_json(path.read_bytes()).beads == app.workspace.alignment.beads  # type: ignore[union-attr]
    assert copy.read_bytes() == original


def test_lock_file_sits_beside_the_project_file_and_is_protected(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    session = open_session(ko, en)
    assert session.project_path is not None
    lock = lock_path(session.project_path)
    assert lock.exists() and lock.parent == session.project_path.parent and lock.name.startswith(".")
    with pytest.raises(AlignerError, match="refusing"):
        check_output_path(lock, session.owned_files())
    session.close()


def test_saving_never_replaces_a_linked_project_file_or_a_document(tmp_path: Path) -> None:
    ko, en = write_pair(tmp_path)
    kod, end = make_doc(Lang.KO, KO, str(ko)), make_doc(Lang.EN, EN, str(en))
    elsewhere = tmp_path / "synced" / "corrections.aligner.json"
    elsewhere.parent.mkdir()
    link = tmp_path / "ko.en.aligner.json"
    link.symlink_to(elsewhere)
    save_project(link, ProjectFile.from_documents(kod, end, BEADS))
    save_project(link, ProjectFile.from_documents(kod, end, BEADS, model="again"))
    assert link.is_symlink() and read_project(elsewhere).project.model == "again"  # type: ignore[union-attr]
    assert backup_path(elsewhere).exists()
    before = ko.read_bytes()
    with pytest.raises(AlignerError, match="is the document"):
        save_project(ko, ProjectFile.from_documents(kod, end, BEADS))
    assert ko.read_bytes() == before and not damaged_copies(tmp_path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=400), backup_junk=st.one_of(st.none(), st.binary(max_size=100)))
def test_opening_a_pair_over_junk_never_raises_and_keeps_the_bytes(
    tmp_path: Path, kiep_workspace: Workspace, junk: bytes, backup_junk: bytes | None
) -> None:
    """The real opening path (``with_saved_corrections``, then a session's save) over arbitrary bytes."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / "pair.aligner.json"
    path.write_bytes(junk)
    if backup_junk is not None:
        backup_path(path).write_bytes(backup_junk)
    ws = with_saved_corrections(kiep_workspace, path)
    assert ws.alignment.beads == kiep_workspace.alignment.beads  # nothing usable: the fresh alignment
    kept = sorted(p.read_bytes() for p in damaged_copies(folder))
    assert kept == sorted([junk] if backup_junk is None else [junk, backup_junk])
    assert any("could not be read" in n for n in ws.notices)
    session = PairSession(ws, path)
    try:
        assert session.apply(lambda beads: merge_with_next(beads, 0))
        assert session.save() == path
    finally:
        session.close()
    assert ProjectFile.from_json(path.read_bytes()).beads == session.beads
    assert sorted(p.read_bytes() for p in damaged_copies(folder)) == kept
