"""Keystroke-to-results latency in the real reader, driven by Textual's Pilot.

Opens the reader on the KIEP sample (real model, real index), opens the search
box and types realistic queries one key at a time at ~8 keys/second. For every
keystroke it measures the time until the results for the text typed so far are
in the results list and the app has painted the screen after that (the
driver's write). Prints markdown.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench_search import QUERIES, print_latencies

KEY_GAP_S = 0.12


async def measure() -> list[float]:
    import tempfile

    from aligner.core.paths import sample_paths
    from aligner.session.workspace import open_pair
    from aligner.tui.app import create_app

    ws = open_pair(*sample_paths(), use_project=False)
    ws.encoder.load()
    ws.searcher.prepare()
    app = create_app(workspace=ws, project_path=Path(tempfile.mkdtemp()) / "bench.aligner.json", autosave=False)
    times: list[float] = []
    painted: list[float] = [0.0]
    display = app._display

    def timed_display(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        painted[0] = time.perf_counter()

    app._display = timed_display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        panel = app.search_panel  # type: ignore[attr-defined]
        for query in QUERIES:
            panel.input.value = ""
            await pilot.pause()
            for n in range(1, len(query) + 1):
                start = time.perf_counter()
                panel.input.insert_text_at_cursor(query[n - 1])
                target = query[:n].strip()
                while panel.results_query != target:
                    await asyncio.sleep(0.001)
                shown = time.perf_counter()
                while painted[0] < shown:  # until the compositor has painted the new list
                    await asyncio.sleep(0.001)
                times.append((painted[0] - start) * 1000)
                await asyncio.sleep(KEY_GAP_S)
    return times


def main() -> int:
    print_latencies(asyncio.run(measure()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
