"""Bad input and faults in the reader: the user is told in one line, nothing is lost, nothing freezes.

Each test drives the real app with Pilot over the real pipeline (real model,
kiwipiepy, project files and embedding cache on disk); only the operating
system's answer to a write is faked where the test cannot make the disk full.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from aligner.core.values import Bead
from aligner.embed.models_lock import locked, weights_digest
from aligner.session.project_file import ProjectFile, backup_path, save_project
from aligner.session.workspace import Workspace
from aligner.tui.app import AlignerApp, create_app
from aligner.tui.messages import WorkspaceReady
from aligner.tui.session_app import WorkCancelled

from .test_reliability_cli import EN, KO
from .test_tui import SIZE, reader_lines, settle

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

VECTOR_CACHE = f"use-m3-{weights_digest(locked('use-m3'))[:16]}.sqlite"
"""The default model's vector cache file (named by its pinned weights)."""


def messages(app: AlignerApp) -> list[str]:
    """The texts of every notification the app has raised so far."""
    return [n.message for n in app._notifications]


def placeholder(app: AlignerApp) -> str:
    """The reader's message, its wrapped lines joined again."""
    return "".join(line.strip() for line in reader_lines(app))


def toast_texts(app: AlignerApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query(Toast)]


def write_pair(folder: Path, ko: str = KO, en: str = EN) -> tuple[Path, Path]:
    ko_path, en_path = folder / "pair_ko.txt", folder / "pair_en.txt"
    ko_path.write_text(ko, "utf-8")
    en_path.write_text(en, "utf-8")
    return ko_path, en_path


# ---------------------------------------------------------------------- unreadable input


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "is empty"), (" \n\t\n\u3000\n".encode(), "is empty"), (b"\x00\xff\xfe" * 200, "binary")],
    ids=["empty", "whitespace", "binary"],
)
async def test_unreadable_file_shows_one_line_error(tmp_path: Path, content: bytes, expected: str) -> None:
    ko = tmp_path / "broken_ko.txt"
    ko.write_bytes(content)
    en = tmp_path / "en.txt"
    en.write_text(EN, "utf-8")
    app = create_app(ko, en, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.workspace is None and app.is_running
        assert app.load_error is not None and "\n" not in app.load_error
        assert "broken_ko.txt" in app.load_error and expected in app.load_error
        screen = placeholder(app)
        assert "Cannot open" in screen and "broken_ko.txt" in screen
        assert "Traceback" not in screen and not any("Traceback" in m for m in messages(app))


async def test_markup_in_a_file_name_is_shown_literally(tmp_path: Path) -> None:
    ko = tmp_path / "[bold]report[red]_ko.txt"
    ko.write_text("", "utf-8")
    en = tmp_path / "[link=x]en.txt"
    en.write_text(EN, "utf-8")
    app = create_app(ko, en, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.load_error is not None and "[bold]report[red]_ko.txt" in app.load_error
        await pilot.pause(0.2)
        assert "[bold]report[red]_ko.txt" in placeholder(app)
        assert not any("report" in text for text in toast_texts(app))  # said once, where the pairs would be


# ---------------------------------------------------------------------- what the pipeline noticed


async def test_swapped_and_unrelated_documents_are_reported(tmp_path: Path, kiep_paths: tuple[Path, Path]) -> None:
    diary = tmp_path / "diary_ko.txt"
    diary.write_text(
        "오늘은 날씨가 맑고 바람이 분다. 나는 공원에서 산책을 했다. 점심으로 김치찌개를 먹었다.\n\n"
        "저녁에는 친구와 영화를 보았다. 영화는 아주 재미있었다. 집에 와서 일찍 잠들었다.\n",
        encoding="utf-8",
    )
    # English given as Korean and the other way round, and the two texts have nothing in common.
    app = create_app(kiep_paths[1], diary, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws is not None
        assert ws.ko.path == str(diary) and ws.en.path == str(kiep_paths[1])
        told = messages(app)
        assert any("swapped" in m for m in told), told
        assert any("low confidence" in m for m in told), told
        assert all(b.confidence < 0.5 for b in ws.alignment.beads if b.src and b.tgt)


async def test_corrupt_embedding_cache_is_rebuilt_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kiep_workspace: Workspace
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / VECTOR_CACHE).write_bytes(b"not a database at all " * 400)
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(cache))
    ko, en = write_pair(tmp_path)
    app = create_app(ko, en, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.workspace is not None and app.load_error is None
        assert any("embedding cache" in m and "corrupt" in m for m in messages(app)), messages(app)
    # The rebuilt cache holds the embeddings: opening again is silent and embeds nothing new.
    again = create_app(ko, en, project_path=tmp_path / "p.json")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.workspace is not None
        assert not any("cache" in m for m in messages(again))


# ---------------------------------------------------------------------- project file damaged


def merged_first(beads: tuple[Bead, ...], count: int) -> tuple[Bead, ...]:
    """The first ``count`` beads merged into one confirmed bead."""
    head = beads[:count]
    src = tuple(i for b in head for i in b.src)
    tgt = tuple(j for b in head for j in b.tgt)
    return (Bead(src, tgt, 1.0, confirmed=True), *beads[count:])


async def test_damaged_project_file_falls_back_to_backup(
    tmp_path: Path, kiep_paths: tuple[Path, Path], kiep_workspace: Workspace
) -> None:
    path = tmp_path / "kiep.aligner.json"
    ws = kiep_workspace
    older = merged_first(ws.alignment.beads, 2)
    newer = merged_first(ws.alignment.beads, 3)
    save_project(path, ProjectFile.from_documents(ws.ko, ws.en, older, ws.alignment.model))
    save_project(path, ProjectFile.from_documents(ws.ko, ws.en, newer, ws.alignment.model))
    assert backup_path(path).exists()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a crash or a bad disk truncated it

    app = create_app(*kiep_paths, project_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.workspace is not None
        assert app.workspace.alignment.beads[0] == older[0]  # the last good version
        assert len(app.workspace.alignment.beads) == len(older)
        told = messages(app)
        assert any("damaged" in m and "backup" in m for m in told), told


# ---------------------------------------------------------------------- a save that fails


def deny_writes_in(folder: Path, monkeypatch: pytest.MonkeyPatch, error: int) -> None:
    """Make the OS refuse to create or write files in ``folder`` the way a full or read-only disk does."""
    real_open, real_write = os.open, os.write

    def inside(fd: int) -> bool:
        try:
            return Path(os.readlink(f"/proc/self/fd/{fd}")).parent == folder
        except OSError:
            return False

    def refuse_open(file: str | os.PathLike[str], flags: int, mode: int = 0o777, **kw: object) -> int:
        if error == errno.EACCES and Path(file).parent == folder and flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, flags, mode, **kw)  # type: ignore[arg-type]

    def refuse_write(fd: int, data: bytes) -> int:
        if inside(fd):
            raise OSError(error, os.strerror(error))
        return real_write(fd, data)

    monkeypatch.setattr(os, "open", refuse_open)
    monkeypatch.setattr(os, "write", refuse_write)


@pytest.mark.parametrize(("error", "reason"), [(errno.ENOSPC, "no space left"), (errno.EACCES, "permission denied")])
async def test_failed_save_keeps_the_edit_and_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kiep_workspace: Workspace, error: int, reason: str
) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    path = folder / "pair.aligner.json"
    app = create_app(workspace=kiep_workspace, project_path=path)
    original = kiep_workspace.alignment.beads
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")  # saved: the disk is fine
        await settle(pilot)
        assert path.exists()
        before = {p.name: p.read_bytes() for p in folder.iterdir()}

        deny_writes_in(folder, monkeypatch, error)
        await pilot.press("j", "m")
        await settle(pilot)
        beads = app.workspace.alignment.beads  # type: ignore[union-attr]
        assert len(beads) == len(original) - 2  # both merges are kept in memory
        assert any("corrections not saved" in m and reason in m for m in messages(app)), messages(app)
        assert "not saved" in app.status.text
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing overwritten, no temp files

        await pilot.press("q")  # the first q warns instead of dropping the work
        await pilot.pause()
        assert app.is_running
        assert any("not saved" in m and "q again" in m for m in messages(app))

        monkeypatch.undo()  # the user frees space / fixes the folder
        await pilot.press("u")  # the next edit autosaves again, and the status says so at once
        await settle(pilot)
        assert "not saved" not in app.status.text
        await pilot.press("ctrl+r")
        assert app.workspace.alignment.beads == beads  # type: ignore[union-attr]
        await pilot.press("ctrl+s")  # an explicit save works too
        await settle(pilot)
        assert "not saved" not in app.status.text
        saved = ProjectFile.from_json(path.read_bytes())
        assert [(b.src, b.tgt) for b in saved.beads] == [(b.src, b.tgt) for b in beads]
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# ---------------------------------------------------------------------- long loads can be cancelled


class LoadSpy(AlignerApp):
    """The app, recording (from its loader thread) each progress step and where the loader stopped."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reports: list[tuple[str, int, int]] = []
        self.stopped_at: tuple[str, int, int] | None = None
        self.ready = False

    def _progress(self) -> Callable[[str, int, int], None]:
        report = super()._progress()

        def spy(stage: str, done: int, total: int) -> None:
            self.reports.append((stage, done, total))
            try:
                report(stage, done, total)
            except WorkCancelled:
                self.stopped_at = (stage, done, total)
                raise

        return spy

    def on_workspace_ready(self, message: WorkspaceReady) -> None:
        self.ready = True
        super().on_workspace_ready(message)


async def test_quitting_during_a_long_load_stops_the_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(cache))  # nothing cached: every sentence must be embedded
    n = 3000
    ko, en = write_pair(
        tmp_path,
        "\n".join(f"{i}번 보고서는 지역 {i % 97}의 무역과 투자 정책 변화를 {i % 13}개로 분석했다." for i in range(n)),
        "\n".join(f"Report {i} analyses changes in trade and investment policy in region {i % 97}." for i in range(n)),
    )
    app = LoadSpy(ko, en, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 300
        while not any(r[0] == "embedding" for r in app.reports) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert any(r[0] == "embedding" for r in app.reports), app.reports
        await pilot.pause(0.1)
        assert app.status.has_class("-busy") and "embedding" in app.status.text  # progress is on screen
        await pilot.press("q")
    # The app is gone; its loader thread stops at its next progress step instead of embedding the rest.
    deadline = time.monotonic() + 120
    while app.stopped_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.stopped_at is not None, app.reports[-3:]
    stage, done, total = app.stopped_at
    assert stage == "embedding" and done < total
    assert not app.ready
    with sqlite3.connect(cache / VECTOR_CACHE) as db:
        assert db.execute("SELECT count(*) FROM emb").fetchone()[0] < 2 * n
