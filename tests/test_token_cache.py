"""kiwipiepy's analyses kept on disk: a reopened pair's glossary starts no kiwipiepy (issue 22's first-build goal).

Each probe is a fresh process (kiwipiepy not started) with its own cache directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from aligner.glossary import build
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace

from .conftest import ROOT

pytestmark = pytest.mark.slow  # subprocess runs: `make test-fast` leaves them out

SENTENCES = ["중국 내 500여 개의 도시가 스마트시티의 건설을 추진 중이다.", "항저우시는 발전수준이 높다고 평가받는다."]

_TOKENS = """
import json, sys
from aligner.segment.kiwi import korean_tokens
from aligner.segment.token_cache import cache_file, cached_tokens

texts = json.loads(sys.argv[1])
with cached_tokens(texts):
    tokens = [[[t.form, t.tag, t.start, t.end] for t in korean_tokens(x)] for x in texts]
print(json.dumps({"kiwi": "kiwipiepy" in sys.modules, "tokens": tokens, "file": str(cache_file(texts))}))
"""

_GLOSSARY = """
import json, sys
from aligner.core.paths import sample_paths
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import open_pair

ws = open_pair(*sample_paths(), use_project=False)
before = "kiwipiepy" in sys.modules
pairs = GlossaryCache().learn(ws.alignment, ws.encoder)
print(json.dumps({"kiwi_before": before, "kiwi": "kiwipiepy" in sys.modules, "pairs": [[p.ko, p.en] for p in pairs]}))
"""


def _probe(cache: Path, script: str, *args: str) -> dict[str, object]:
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True, timeout=300
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_reopened_pairs_glossary_needs_no_kiwipiepy(tmp_path: Path) -> None:
    first = _probe(tmp_path, _GLOSSARY)
    assert first["kiwi"] is True  # segmented and analysed now
    again = _probe(tmp_path, _GLOSSARY)
    assert again["kiwi_before"] is False and again["kiwi"] is False  # segmentation and analyses read back
    assert again["pairs"] == first["pairs"]


def test_a_damaged_token_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    texts = json.dumps(SENTENCES, ensure_ascii=False)
    cold = _probe(tmp_path, _TOKENS, texts)
    assert cold["kiwi"] is True
    assert _probe(tmp_path, _TOKENS, texts) == {**cold, "kiwi": False}
    path = Path(str(cold["file"]))
    for damage in ("{not json", json.dumps({"version": "x", "tokens": {}}), '{"version": 1}'):
        path.write_text(damage, encoding="utf-8")
        again = _probe(tmp_path, _TOKENS, texts)
        assert again == cold  # analysed again, the same
        assert json.loads(path.read_text(encoding="utf-8"))["tokens"]  # and rewritten whole
    entry = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(entry["tokens"]))
    entry["tokens"][first][0][2] = "0"  # a malformed analysis: the whole file is a miss
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert _probe(tmp_path, _TOKENS, texts) == cold


def test_callers_at_once_share_one_build(kiep_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The glossary pane, the related pane and concept search may all ask at once: one build."""
    calls: list[int] = []
    real = build.learn_glossary

    def counted(*args: object, **kwargs: object) -> build.LearnedGlossary:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("aligner.session.glossary_cache.learn_glossary", counted)
    cache = GlossaryCache()
    results: list[int] = []
    workers = [
        threading.Thread(
            target=lambda: results.append(len(cache.learn(kiep_workspace.alignment, kiep_workspace.encoder)))
        )
        for _ in range(3)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(calls) == 1 and len(set(results)) == 1 and results[0] > 100
    assert not cache.building


_START = """
import json, sys, threading, time
from aligner.segment import kiwi

starter = threading.Thread(target=kiwi.start_kiwi)
starter.start()
while not kiwi._starting and not kiwi.kiwi_loaded():
    time.sleep(0.001)
waited_during_start = kiwi._starting
kiwi.await_kiwi_start()
print(json.dumps({"during": waited_during_start, "loaded": kiwi.kiwi_loaded(), "starting": kiwi._starting}))
starter.join()
"""


def test_work_asked_for_during_kiwipiepys_start_waits_for_its_end(tmp_path: Path) -> None:
    """kiwipiepy holds the GIL while it loads: a glossary run beside it slowed both (``await_kiwi_start``)."""
    result = _probe(tmp_path, _START)
    assert result == {"during": True, "loaded": True, "starting": False}


def test_a_document_too_long_for_the_token_cache_is_analysed_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Collecting a very long document's analyses would hold hundreds of MB: it is not cached."""
    from aligner.core import json_cache
    from aligner.segment import token_cache
    from aligner.segment.kiwi import korean_tokens

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(token_cache, "MAX_TEXTS", 1)
    with token_cache.cached_tokens(SENTENCES):
        assert all(korean_tokens(text) for text in SENTENCES)
    assert not list(tmp_path.rglob("*.json"))
    monkeypatch.setattr(token_cache, "MAX_TEXTS", 10)
    monkeypatch.setattr(json_cache, "MAX_ENTRY_BYTES", 100)  # an entry too large to be read back is not written
    with token_cache.cached_tokens(SENTENCES):
        assert all(korean_tokens(text) for text in SENTENCES)
    assert not list(tmp_path.rglob("*.json"))
    monkeypatch.setattr(json_cache, "MAX_ENTRY_BYTES", 1 << 20)
    with token_cache.cached_tokens(SENTENCES):
        assert all(korean_tokens(text) for text in SENTENCES)
    assert len(list(tmp_path.rglob("*.json"))) == 1
