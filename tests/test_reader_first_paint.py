"""First pair fast: the pairs show before Korean word forms are ready; lemmas are cached on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Static

from aligner.search.hits import HitKind
from aligner.session.workspace import Workspace
from aligner.tui.app import create_app

from .conftest import ROOT

pytestmark = pytest.mark.slow  # Pilot, tmux, browser and subprocess runs: `make test-fast` leaves them out

SENTENCES = ["중국 내 500여 개의 도시가 스마트시티의 건설을 추진 중이다.", "항저우시는 발전수준이 높다고 평가받는다."]

_PROBE = """
import json, sys
from aligner.search.lemma_cache import cached_lemmas, cache_file
from aligner.segment.kiwi import lemmas

texts = json.loads(sys.argv[1])
sets, missed = cached_lemmas(texts, lemmas)
print(json.dumps({"missed": missed, "kiwi": "kiwipiepy" in sys.modules,
                  "lemmas": [sorted(s) for s in sets], "file": str(cache_file(texts))}))
"""


def _probe(cache: Path, texts: list[str]) -> dict[str, object]:
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(texts, ensure_ascii=False)],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_warm_lemmas_need_no_kiwipiepy(tmp_path: Path) -> None:
    cold = _probe(tmp_path, SENTENCES)
    assert cold["missed"] == 2 and cold["kiwi"] is True
    assert "추진" in cold["lemmas"][0] and "평가" in cold["lemmas"][1]  # type: ignore[index]
    warm = _probe(tmp_path, SENTENCES)
    assert warm["missed"] == 0 and warm["kiwi"] is False  # a warm open never starts kiwipiepy
    assert warm["lemmas"] == cold["lemmas"]


def test_a_damaged_lemma_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    cold = _probe(tmp_path, SENTENCES)
    path = Path(str(cold["file"]))
    path.write_text("{not json", encoding="utf-8")
    again = _probe(tmp_path, SENTENCES)
    assert again["missed"] == 2 and again["lemmas"] == cold["lemmas"]
    assert json.loads(path.read_text(encoding="utf-8"))["lemmas"]  # rewritten whole


async def test_pairs_show_and_search_works_while_word_forms_are_prepared(
    kiep_workspace: Workspace, tmp_path: Path
) -> None:
    workspace = replace(kiep_workspace, _searcher=None)  # a fresh searcher: no lemmas yet
    searcher = workspace.searcher
    app = create_app(workspace=workspace, project_path=tmp_path / "pair.aligner.json")
    with searcher.morphology._lock:  # hold the lemma build back (the real lock it takes)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if app.session is not None:
                    break
            assert app.session is not None and not searcher.morphemes_ready
            await pilot.pause()
            shown = "".join(app.reader.render_line(y).text for y in range(app.reader.size.height))
            first = workspace.ko.sentences[workspace.alignment.beads[0].src[0]].text
            assert first[:8] in shown  # the first pair is on screen before the word forms are
            await pilot.press("slash", *"추진하다")
            for _ in range(200):
                await pilot.pause(0.05)
                if app.search_panel.results_query == "추진하다":
                    break
            panel = app.search_panel
            assert panel.results_query == "추진하다" and not panel.results_word_forms
            assert all(HitKind.MORPHEME not in h.kinds for h in panel.hits)
            count = str(app.query_one("#search-count", Static).render())
            assert "word forms: preparing" in count
            searcher.morphology._lock.release()
            try:
                for _ in range(600):
                    await pilot.pause(0.1)
                    if searcher.morphemes_ready and panel.results_word_forms:
                        break
            finally:
                searcher.morphology._lock.acquire()
            assert panel.results_query == "추진하다" and panel.results_word_forms
            assert any(HitKind.MORPHEME in h.kinds for h in panel.hits)  # searched again with word forms
            assert "preparing" not in str(app.query_one("#search-count", Static).render())
