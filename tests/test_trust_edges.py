"""Trust at the edges (issue 11, items 5–8): caches are only caches, no untrusted byte
drives the terminal, outputs are exact, every error is one clear line.

The CLI runs as a real subprocess, the reader under Textual's Pilot, the caches on
disk with the real model; hypothesis covers each class, not only the examples.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from aligner.core import cache_dir as cache_state
from aligner.core.errors import InputError
from aligner.core.terminal import safe_line, safe_text
from aligner.core.values import Alignment, Bead, Document, Lang, Sentence
from aligner.embed import vector_cache
from aligner.embed.encoders import UseM3Encoder, unpacked_path, unpacked_problem
from aligner.embed.models_lock import locked, weights_digest
from aligner.embed.vector_cache import CachedEncoder, cached_encoder
from aligner.export.formats import export, markdown_cell
from aligner.ingest.text import decode_bytes
from aligner.segment import cache as seg_cache
from aligner.segment.sentences import segment

from .test_cli import ROOT, run

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J"
KO = "중국은 스마트시티 정책을 추진하고 있다. 항저우시는 데이터자원 관리국을 신설했다.\n"
EN = "China is pursuing smart city policies. Hangzhou created a data resource bureau.\n"


class CountingEncoder:
    """A stand-in model for the cache tests: each text's vector depends on that text only."""

    name = "hashing"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], progress: object = None) -> np.ndarray:
        import hashlib

        batch = list(texts)
        self.calls.append(batch)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:16], dtype=np.uint32) for t in batch]
        v = np.asarray(rows, dtype=np.float32) + 1
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def no_control(text: str) -> bool:
    """True if ``text`` holds no C0 (but tab/newline), DEL or C1 character: nothing a terminal obeys."""
    return CONTROL.search(text) is None


def one_error_line(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode != 0, res
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.stderr and "unexpected" not in res.stderr
    assert no_control(res.stderr)
    return lines[0]


# =========================================================================== 5. caches are only caches

_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


def _hold_lock(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def _rows(path: Path) -> int:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM emb").fetchone()[0])
    finally:
        db.close()


def test_a_busy_vector_cache_is_bypassed_never_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_cache, "BUSY_TIMEOUT_S", 0.3)
    enc = CachedEncoder(CountingEncoder(), tmp_path)
    expected = enc.encode(["a", "b", "c"])
    path = enc.cache.path
    assert path is not None and _rows(path) == 3
    holder = _hold_lock(path)
    try:
        inner = CountingEncoder()
        busy = CachedEncoder(inner, tmp_path)
        out = busy.encode(["a", "b", "c", "d"])
        assert np.allclose(out[:3], expected)  # computed again, the same vectors
        assert inner.calls == [["a", "b", "c", "d"]]
        notices = busy.cache.take_notices()
        assert len(notices) == 1 and "not usable now" in notices[0] and "corrupt" not in notices[0]
        assert path.is_file()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    assert _rows(path) == 3  # nothing lost
    again = CachedEncoder(CountingEncoder(), tmp_path)
    again.encode(["a", "b", "c"])
    assert again.inner.calls == []  # type: ignore[attr-defined]


def test_a_briefly_busy_vector_cache_is_waited_on(tmp_path: Path) -> None:
    enc = CachedEncoder(CountingEncoder(), tmp_path)
    expected = enc.encode(["x", "y"])
    assert enc.cache.path is not None
    holder = _hold_lock(enc.cache.path)
    assert holder.stdin is not None
    threading.Timer(0.5, holder.stdin.close).start()  # the other process finishes soon
    inner = CountingEncoder()
    late = CachedEncoder(inner, tmp_path)  # opens while the lock is held: SQLite waits
    holder.wait(10)
    out = late.encode(["x", "y"])
    assert inner.calls == [] and np.array_equal(out, expected)
    assert late.cache.take_notices() == []


def test_cli_embeds_correctly_while_another_process_holds_the_cache_lock(tmp_path: Path) -> None:
    gold = ROOT / "tests" / "data" / "gold" / "kiep-ko-en"
    cache = tmp_path / "cache"
    env = {"ALIGNER_CACHE_DIR": str(cache)}
    args = ("align", str(gold / "ko.txt"), str(gold / "en.txt"), "--presplit")
    first = run_env(env, *args)
    assert first.returncode == 0, first.stderr
    (db,) = cache.glob("use-m3-*.sqlite")
    rows = _rows(db)
    holder = _hold_lock(db)
    try:
        busy = run_env(env, *args)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    assert busy.returncode == 0, busy.stderr
    assert busy.stdout == first.stdout
    assert "corrupt" not in busy.stderr and "not usable now" in busy.stderr
    assert db.is_file() and _rows(db) == rows


def run_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **env)
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], capture_output=True, text=True, env=full, cwd=ROOT, timeout=600
    )


def _unusable_cache_dirs(tmp_path: Path) -> list[Path]:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", "utf-8")
    dirs = [blocker / "cache", Path("/proc/aligner-no-cache-here")]
    if os.geteuid() != 0:  # root ignores permission bits
        ro = tmp_path / "read-only"
        ro.mkdir()
        ro.chmod(0o500)
        dirs.append(ro / "cache")
    return dirs


def test_an_unusable_cache_directory_means_no_cache_and_one_warning(tmp_path: Path) -> None:
    gold = ROOT / "tests" / "data" / "gold" / "kiep-ko-en"
    args = ("align", str(gold / "ko.txt"), str(gold / "en.txt"), "--presplit")
    reference = run(*args)
    assert reference.returncode == 0, reference.stderr
    for directory in _unusable_cache_dirs(tmp_path)[:2]:
        res = run_env({"ALIGNER_CACHE_DIR": str(directory)}, *args)
        assert res.returncode == 0, res.stderr
        assert res.stdout == reference.stdout
        warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("warning:")]
        assert len(warnings) == 1 and "cache" in warnings[0] and "without a cache" in warnings[0], res.stderr
        assert "Traceback" not in res.stderr


def test_unusable_cache_directory_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for directory in _unusable_cache_dirs(tmp_path):
        monkeypatch.setenv("ALIGNER_CACHE_DIR", str(directory))
        cache_state.forget()
        enc = CachedEncoder(CountingEncoder(), directory)
        assert enc.cache.path is None
        (notice,) = enc.cache.take_notices()
        assert str(directory) in notice and "running without a cache" in notice
        assert enc.encode(["a"]).shape == (1, 4)
        doc = seg_cache.segment_cached("One sentence. Another one.", Lang.EN)
        assert [s.text for s in doc.sentences] == ["One sentence.", "Another one."]
    cache_state.forget()


def test_partial_files_of_a_killed_run_are_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f"use-m3-weights-0123456789abcdef.npz.pid{dead.pid}.tmp"
    stale = tmp_path / ".doc.json.1a2b3c4d.tmp"
    fresh = tmp_path / ".doc.json.5e6f7a8b.tmp"  # another process may be writing it right now
    mine = tmp_path / f"x.npz.pid{os.getpid()}.tmp"
    keep = tmp_path / "use-m3-0123.sqlite"
    for f in (orphan, stale, fresh, mine, keep):
        f.write_bytes(b"partial")
    old = time.time() - 2 * cache_state.STALE_PARTIAL_S
    os.utime(stale, (old, old))
    cache_state.forget()
    assert cache_state.usable_cache_dir() == tmp_path
    assert not orphan.exists() and not stale.exists()
    assert fresh.exists() and mine.exists() and keep.exists()
    cache_state.forget()


def test_vector_cache_is_keyed_by_the_pinned_weights(tmp_path: Path) -> None:
    spec = locked("use-m3")
    enc = cached_encoder("use-m3")
    assert enc.cache.path is not None and weights_digest(spec)[:16] in enc.cache.path.name
    old = CachedEncoder(CountingEncoder(), tmp_path, weights="a" * 64)
    old.encode(["t"])
    inner = CountingEncoder()
    CachedEncoder(inner, tmp_path, weights="b" * 64).encode(["t"])
    assert inner.calls == [["t"]]  # other weights: never served the old vector


def _tamper(copy: Path) -> None:
    with np.load(copy) as z:
        arrays = {k: z[k] for k in z.files}
    name = max(arrays, key=lambda k: arrays[k].size)
    arrays[name] = arrays[name] * np.float32(1.5)
    with copy.open("wb") as fh:
        np.savez(fh, **arrays)


def test_tampered_unpacked_weights_are_refused_rebuilt_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    cache_state.forget()
    spec = locked("use-m3")
    sha = dict(spec.files)["weights.npz"]
    texts = ["중국은 스마트시티 정책을 추진하고 있다.", "China is pursuing smart city policies."]
    reference = UseM3Encoder(spec).encode(texts)  # first load: unpacks and records the copy's sha256
    copy = unpacked_path(tmp_path, sha)
    assert copy.is_file() and unpacked_problem(copy, sha) is None

    _tamper(copy)
    assert unpacked_problem(copy, sha)
    verify = run_env({"ALIGNER_CACHE_DIR": str(tmp_path)}, "models", "verify", "use-m3")
    assert verify.returncode == 1 and "unpacked weights" in verify.stderr, verify.stderr
    assert not copy.exists()  # removed by verify; the next load rebuilds it
    assert run_env({"ALIGNER_CACHE_DIR": str(tmp_path)}, "models", "verify", "use-m3").returncode == 0

    UseM3Encoder(spec)
    _tamper(copy)
    with caplog.at_level("WARNING"):
        out = UseM3Encoder(spec).encode(texts)
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert np.allclose(out, reference, atol=1e-6)
    assert unpacked_problem(copy, sha) is None
    cache_state.forget()


def _real_entry(source: str) -> tuple[Path, dict[str, object]]:
    seg_cache.segment_cached(source, Lang.EN)
    key = seg_cache._key(source, Lang.EN, False)
    directory = cache_state.usable_cache_dir("documents")
    assert directory is not None
    path = directory / f"{key}.json"
    return path, json.loads(path.read_text("utf-8"))


SOURCE = "The first sentence is here. A second one follows it. And a third."
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
pathological = st.sampled_from([
    "[" * 100_000 + "]" * 100_000,
    '{"lang": "en", "checksum": "x", "sentences": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "9" * 100_000,
    '{"lang": "en", "sentences": [1e999999], "checksum": 1e400}',
    "\ufeff{}",
    "",
    "\x00\xff",
])  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.one_of(json_values.map(json.dumps), pathological, st.binary(max_size=64).map(repr)))
def test_junk_segmentation_cache_entries_are_misses(junk: str) -> None:
    expected = segment(SOURCE, Lang.EN)
    path, _ = _real_entry(SOURCE)
    path.write_text(junk, encoding="utf-8", errors="surrogatepass")
    doc = seg_cache.segment_cached(SOURCE, Lang.EN)
    assert doc.sentences == expected.sentences


sentence_fields = st.fixed_dictionaries({
    "index": st.integers(-3, 5) | st.text(max_size=3) | st.none(),
    "text": st.text(max_size=12) | st.integers() | st.just("evil\x1b[2J text"),
    "start": st.integers(-10, 100) | st.floats() | st.booleans(),
    "end": st.integers(-10, 100) | st.text(max_size=3),
    "paragraph": st.integers(-2, 3) | st.none(),
    "heading": st.booleans() | st.integers(0, 2),
})  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(position=st.integers(0, 2), replacement=sentence_fields, extra=st.booleans())
def test_well_formed_but_wrong_segmentation_entries_are_misses(
    position: int, replacement: dict[str, object], extra: bool
) -> None:
    """Entries with a valid checksum whose sentences have wrong types, offsets outside the
    text, control characters or extra fields: never served."""
    expected = segment(SOURCE, Lang.EN)
    path, entry = _real_entry(SOURCE)
    sentences = list(entry["sentences"])  # type: ignore[call-overload]
    original = sentences[position]
    changed = dict(replacement, **({"extra": 1} if extra else {}))
    sentences[position] = changed
    entry["sentences"] = sentences
    entry["checksum"] = seg_cache._checksum(sentences)
    path.write_text(json.dumps(entry), "utf-8")
    doc = seg_cache.segment_cached(SOURCE, Lang.EN)
    if changed == original:
        return
    assert doc.sentences == expected.sentences


# =========================================================================== 6. no untrusted byte drives the terminal

C1_TEXT = "중국은\x9b2J 스마트시티\x85 정책을 \x1b[31m추진하고 있다.\x07 항저우시는\x90 데이터자원 관리국을 신설했다.\n"
C1_EN = "China is\x9d0;x\x9c pursuing smart city\x1b]0;t\x07 policies. Hangzhou created a data\x8d resource bureau.\n"


def _hostile_dir(tmp_path: Path) -> Path:
    folder = tmp_path / f"dir{HOSTILE}\u009b31m"
    folder.mkdir()
    return folder


def test_cli_error_naming_a_hostile_file_has_no_control_bytes(tmp_path: Path) -> None:
    folder = _hostile_dir(tmp_path)
    empty = folder / f"ko{HOSTILE}.txt"
    empty.write_text("", "utf-8")
    en = folder / "en.txt"
    en.write_text(EN, "utf-8")
    for args in (
        ("align", str(empty), str(en)),
        ("align", str(folder / f"missing{HOSTILE}.txt"), str(en)),
        ("eval", str(empty), str(folder / f"x{HOSTILE}")),
        ("align", str(en), str(en), "--format", f"tsv{HOSTILE}"),
        ("search", "x", str(en), str(en), "-k", f"1{HOSTILE}"),
    ):
        res = run(*args)
        assert res.returncode != 0
        assert no_control(res.stderr) and no_control(res.stdout), res.stderr
        assert "\ufffd" in res.stderr or "\\x1b" in res.stderr  # the name is shown, its controls neutralised


def test_cli_output_of_documents_with_control_characters_is_clean(tmp_path: Path) -> None:
    folder = _hostile_dir(tmp_path)
    ko, en = folder / f"ko{HOSTILE}.txt", folder / f"en{HOSTILE}.txt"
    ko.write_text(C1_TEXT, "utf-8")
    en.write_text(C1_EN, "utf-8")
    for args in (
        ("align", str(ko), str(en), "--format", "tsv"),
        ("align", str(ko), str(en), "--format", "md"),
        ("align", str(ko), str(en), "--format", "jsonl"),
        ("search", "스마트시티", str(ko), str(en)),
        ("search", "smart city", str(ko), str(en), "--json"),
        ("review", str(ko), str(en)),
    ):
        res = run(*args)
        assert res.returncode == 0, res.stderr
        assert no_control(res.stdout) and no_control(res.stderr), (args, res.stdout, res.stderr)
        assert "스마트시티" in res.stdout or "smart city" in res.stdout or args[0] == "review"


def test_ingest_removes_control_characters_keeping_offsets() -> None:
    doc = segment(C1_TEXT, Lang.KO)
    assert doc.source == C1_TEXT  # offsets refer to the text as read
    for s in doc.sentences:
        assert no_control(s.text)
        assert safe_line(s.text).replace("\ufffd", "") == s.text
        piece = doc.source[s.start : s.end]
        assert CONTROL.sub("", piece).split() == s.text.split()


@given(st.text())
def test_safe_text_leaves_no_control_character(text: str) -> None:
    for out in (safe_text(text), safe_line(text)):
        assert no_control(out) and len(out) <= len(text)
    assert "\n" not in safe_line(text)
    assert len(safe_text(text)) == len(text)


async def test_reader_header_status_and_notifications_have_no_control_characters(tmp_path: Path) -> None:
    from aligner.tui.app import create_app
    from aligner.tui.header import PaneHeader

    from .test_reliability_reader import messages, placeholder, toast_texts
    from .test_tui import SIZE, reader_lines, settle

    folder = _hostile_dir(tmp_path)
    ko, en = folder / f"ko{HOSTILE}.txt", folder / f"en{HOSTILE}\x85.txt"
    ko.write_text(C1_TEXT, "utf-8")
    en.write_text(C1_EN, "utf-8")
    app = create_app(ko, en, project_path=tmp_path / f"p{HOSTILE}.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.workspace is not None, app.load_error
        titles = app.query_one("#titles", PaneHeader).titles
        assert "ko" in titles[0] and "\ufffd" in titles[0]
        shown = [*titles, app.status.text, *reader_lines(app), *toast_texts(app), *messages(app)]
        app.notify(f"saved to {ko}")
        await pilot.pause(0.2)
        shown += [*toast_texts(app), *messages(app)]
        assert all(no_control(t) for t in shown), shown

    empty = folder / f"empty{HOSTILE}.txt"
    empty.write_text("", "utf-8")
    app = create_app(empty, en, project_path=tmp_path / "q.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.load_error is not None
        shown = [placeholder(app), *toast_texts(app), *messages(app), app.status.text]
        assert "empty" in placeholder(app)
        assert all(no_control(t) for t in shown), shown


async def test_reader_without_a_usable_cache_works_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.embed import vector_cache as vc
    from aligner.tui.app import create_app

    from .test_reliability_reader import messages
    from .test_tui import SIZE, settle

    blocked = tmp_path / "a-file"
    blocked.write_text("x", "utf-8")
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.setattr(vc, "_cached", {})
    cache_state.forget()
    ko, en = tmp_path / "ko.txt", tmp_path / "en.txt"
    ko.write_text(KO, "utf-8")
    en.write_text(EN, "utf-8")
    app = create_app(ko, en, project_path=tmp_path / "p.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.workspace is not None, app.load_error
        assert len(app.workspace.alignment.beads) >= 1
        told = [m for m in messages(app) if "without a cache" in m]
        assert len(told) == 1, messages(app)
    cache_state.forget()


# =========================================================================== 7. outputs are exact

line_alphabet = st.sampled_from(list("가나다라마바사 abcdefgh XYZ.,!?-'0123"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(line_alphabet, min_size=1, max_size=6000), min_size=1, max_size=5))
def test_presplit_is_verbatim_whatever_the_length(lines: list[str]) -> None:
    lines = [ln for ln in lines if ln.strip() and re.search("[가-힣A-Za-z]", ln)]
    if not lines:
        return
    doc = segment("\n".join(lines) + "\n", Lang.KO, presplit=True)
    assert [s.text for s in doc.sentences] == [ln.strip() for ln in lines]


def test_presplit_long_line_through_the_cli(tmp_path: Path) -> None:
    long_line = " ".join(["아주 긴 문장이 계속 이어진다"] * 400)  # > 2,000 characters, one sentence
    ko = tmp_path / "ko.txt"
    ko.write_text(f"첫 문장.\n{long_line}\n끝 문장.\n", "utf-8")
    en = tmp_path / "en.txt"
    en.write_text("First sentence.\nA very long sentence.\nLast sentence.\n", "utf-8")
    res = run("align", str(ko), str(en), "--presplit", "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    ids = sorted(i for line in res.stdout.splitlines() for i in json.loads(line)["ko_ids"])
    assert ids == [0, 1, 2]
    assert any(json.loads(line)["ko"] == long_line for line in res.stdout.splitlines())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(st.sampled_from(list("가나다라 한국어 문장입니다.")), min_size=5, max_size=60), min_size=3),
    st.lists(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"]), min_size=1, max_size=3),
    st.randoms(),
)
def test_a_few_invalid_bytes_never_switch_a_utf8_file_to_another_codec(
    lines: list[str], bad: list[bytes], rnd: object
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    encoded = [ln.encode("utf-8") for ln in lines]
    hit = sorted(rnd.sample(range(len(encoded)), min(len(bad), len(encoded))))
    for n, b in zip(hit, bad, strict=False):
        encoded[n] = encoded[n] + b
    data = b"\n".join(encoded) + b"\n"
    with pytest.raises(InputError) as err:
        decode_bytes(data, "doc.txt")
    message = str(err.value)
    assert "doc.txt" in message and "UTF-8" in message and "\n" not in message
    for n in hit:
        assert str(n + 1) in message


def test_bomless_utf16_korean_is_read(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        text, encoding = decode_bytes(KO.encode(codec), "ko.txt")
        assert text == KO and encoding == codec
    ko = tmp_path / "ko16.txt"
    ko.write_bytes(KO.encode("utf-16-le"))
    en = tmp_path / "en.txt"
    en.write_text(EN, "utf-8")
    res = run("align", str(ko), str(en), "--format", "tsv")
    assert res.returncode == 0, res.stderr
    assert "스마트시티" in res.stdout


def _doc(lang: Lang, texts: list[str]) -> Document:
    sentences, pos = [], 0
    for i, text in enumerate(texts):
        sentences.append(Sentence(i, text, pos, pos + len(text), paragraph=0))
        pos += len(text) + 1
    return Document(lang, " ".join(texts), tuple(sentences))


cell_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=6))
def test_tsv_reads_back_exactly_with_the_csv_module(pairs: list[tuple[str, str]]) -> None:
    ko = _doc(Lang.KO, [k for k, _ in pairs])
    en = _doc(Lang.EN, [e for _, e in pairs])
    beads = tuple(Bead((i,), (i,), 0.5) for i in range(len(pairs)))
    records = list(csv.reader(io.StringIO(export(Alignment(ko, en, beads), "tsv"), newline=""), delimiter="\t"))
    assert [tuple(r[:2]) for r in records[1:]] == pairs
    assert all(len(r) == 7 for r in records)


_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@settings(max_examples=200, deadline=None)
@given(cell_text, cell_text)
def test_markdown_cells_are_literal(left: str, right: str) -> None:
    """Whatever the text, a row is one table row of two cells holding only plain text."""
    source = f"| Korean | English |\n| --- | --- |\n| {markdown_cell(left)} | {markdown_cell(right)} |\n"
    tokens = _MD.parse(source)
    cells = [t for t in tokens if t.type == "inline"][2:]
    assert len(cells) == 2, source
    for token, original in zip(cells, (left, right), strict=True):
        kinds = {c.type for c in token.children or []}
        assert kinds <= {"text", "text_special"}, (source, kinds)
        rendered = "".join(c.content for c in token.children or [])
        assert rendered.split() == export_one_line(original).split()


def export_one_line(text: str) -> str:
    from aligner.export.formats import one_line

    return one_line(text)


# =========================================================================== 8. every error is one clear line

_GOOD_LOCK = (ROOT / "models.lock").read_text("utf-8")
_LOCKS = {
    "dim-not-a-number": _GOOD_LOCK.replace("dim = 512", 'dim = "big"', 1),
    "dim-negative": _GOOD_LOCK.replace("dim = 512", "dim = -4", 1),
    "files-not-a-table": re.sub(r"\[models\.use-m3\.files\]\n[^\[]*", 'files = 3\n\n', _GOOD_LOCK, count=1),
    "hash-too-short": re.sub(r'"weights.npz" = "[0-9a-f]+"', '"weights.npz" = "abc"', _GOOD_LOCK, count=1),
    "hash-not-a-string": re.sub(r'"weights.npz" = "[0-9a-f]+"', '"weights.npz" = 12', _GOOD_LOCK, count=1),
    "models-not-a-table": 'models = ["use-m3"]\n',
    "model-not-a-table": '[models]\nuse-m3 = 7\n',
    "escape-in-path": _GOOD_LOCK.replace('"sp.model"', '"../../../etc/passwd"', 1),
    "not-toml": "[[[[ \x00\x01",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_LOCKS))
def test_damaged_models_lock_is_one_line(tmp_path: Path, name: str) -> None:
    lock = tmp_path / "models.lock"
    lock.write_text(_LOCKS[name], "utf-8")
    for args in (("models", "list"), ("search", "x", "--json")):
        line = one_error_line(run_env({"ALIGNER_MODELS_LOCK": str(lock)}, *args))
        assert str(lock) in line


def _bad_inputs(tmp: Path) -> list[tuple[str, tuple[str, ...], str]]:
    en = tmp / "en.txt"
    en.write_text(EN, "utf-8")
    binary = tmp / "binary.align"
    binary.write_bytes(b"\x00\xff\xfe\x01" * 50)
    utf16 = tmp / "utf16.align"
    utf16.write_bytes("[0]:[0]\n".encode("utf-16"))
    junk = tmp / "junk.align"
    junk.write_text("[0]:[0]\nnot a bead\n", "utf-8")
    odd16 = tmp / "odd16_ko.txt"
    odd16.write_bytes(KO.encode("utf-16-le")[:-1])
    long_name = "a" * 300 + ".txt"
    long_path = "/".join(["d" * 200] * 30) + "/ko.txt"
    damaged = tmp / "damaged_ko.txt"
    damaged.write_bytes((KO * 30).encode() + b"\xff\xfe\n" + (KO * 3).encode())
    return [
        ("eval-binary", ("eval", str(binary), str(binary)), "binary.align"),
        ("eval-utf16", ("eval", str(utf16), str(utf16)), "utf16.align"),
        ("eval-junk-line", ("eval", str(junk), str(junk)), "junk.align:2"),
        ("eval-odd-count", ("eval", str(junk)), "GOLD TEST"),
        ("eval-empty-path", ("eval", "", str(junk)), "empty file name"),
        ("align-empty-path", ("align", "", str(en)), "empty file name"),
        ("align-name-too-long", ("align", str(tmp / long_name), str(en)), "too long"),
        ("align-path-too-long", ("align", long_path, str(en)), "too long"),
        ("search-k-zero", ("search", "x", "-k", "0"), "-k"),
        ("search-k-negative", ("search", "x", "-k", "-2"), "-k"),
        ("search-k-not-a-number", ("search", "x", "-k", "many"), "-k"),
        ("utf16-odd-length", ("align", str(odd16), str(en)), "odd16_ko.txt"),
        ("utf8-damaged", ("align", str(damaged), str(en)), "line 31"),
        ("unknown-format", ("align", str(en), str(en), "--format", "docx"), "--format"),
        ("directory", ("align", str(tmp), str(en)), "directory"),
    ]


@pytest.mark.parametrize("case", range(15))
def test_every_bad_input_is_one_clear_line(tmp_path: Path, case: int) -> None:
    name, args, expected = _bad_inputs(tmp_path)[case]
    line = one_error_line(run(*args))
    assert expected in line, (name, line)
    assert line.startswith("aligner"), line


def test_eval_accepts_a_bom(tmp_path: Path) -> None:
    bom = tmp_path / "bom.align"
    bom.write_bytes(b"\xef\xbb\xbf[0]:[0]\n[1]:[1,2]\n")
    res = run("eval", str(bom), str(bom))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["f1_strict"] == 1.0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(exclude_categories=["Cs"]), max_size=300), which=st.sampled_from(["ko", "en"]))
def test_fuzz_cli_paths_give_one_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, which: str
) -> None:
    """Any path (control characters, NUL, markup, huge) to a file that does not exist:
    exit 1 and one filtered line, in process through ``main``."""
    from aligner.cli.main import main

    en = tmp_path / "en.txt"
    en.write_text(EN, "utf-8")
    missing = str(tmp_path / "no-such-dir" / name)
    capsys.readouterr()
    argv = ["align", missing, str(en)] if which == "ko" else ["align", str(en), missing]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1, err
    assert "unexpected" not in err and no_control(err)


alignment_lines = st.one_of(
    st.builds(
        lambda a, b: f"{list(a)}:{list(b)}".replace(" ", ""),
        st.lists(st.integers(0, 10**20), max_size=3),
        st.lists(st.integers(0, 10**20), max_size=3),
    ),
    st.text(max_size=30),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gold=st.one_of(st.lists(alignment_lines, max_size=6).map(lambda ls: "\n".join(ls).encode()), st.binary()),
    test=st.lists(alignment_lines, max_size=6).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
    bom=st.booleans(),
)
def test_fuzz_eval_input_is_scored_or_one_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gold: bytes, test: bytes, bom: bool
) -> None:
    from aligner.cli.main import main

    g, t = tmp_path / "gold.align", tmp_path / "test.align"
    g.write_bytes((b"\xef\xbb\xbf" if bom else b"") + gold)
    t.write_bytes(test)
    capsys.readouterr()
    code = main(["eval", str(g), str(t)])
    out, err = capsys.readouterr()
    if code == 0:
        assert set(json.loads(out)) >= {"f1_strict", "f1_lax"} and err == ""
    else:
        assert code == 1 and out == "" and len(err.splitlines()) == 1, err
        assert "unexpected" not in err and no_control(err)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=100).map(lambda t: t.encode("utf-16-le"))))
def test_fuzz_decoding_reads_or_refuses_in_one_line(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "doc.txt")
    except InputError as err:
        assert "doc.txt" in str(err) and "\n" not in str(err)
        return
    assert text and encoding
