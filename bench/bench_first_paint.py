"""Launch to first pair, through a real terminal (tmux), beside a minimal Textual app.

Each program is started in a fresh tmux session (100x30) and the pane is polled
(``tmux capture-pane``) until its first content is visible: for ``aligner read``
on the KIEP sample, the first pair (both sides); for the baseline, a minimal
Textual app (header, a DataTable of 85 rows, footer), its first row.  Runs, in
one go: the baseline once (untimed); ``aligner align`` cold for reference and ``aligner
read`` cold (an empty ``ALIGNER_CACHE_DIR``: no embeddings, segmentation, alignments,
lemmas or unpacked weights), taking turns; then ``aligner read`` warm (the last cold
run's cache, now filled) and the baseline, taking turns.  Everything runs byte-compiled, as installed.  Prints markdown.

    python bench/bench_first_paint.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TMUX = shutil.which("tmux")
KO, EN = ROOT / "data" / "kiep_ko.txt", ROOT / "data" / "kiep_en.txt"
FIRST_PAIR = ("중국은 인터넷", "China is pursuing")
BASELINE_MARK = "row 001"
BASELINE = '''
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Minimal(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "Korean", "English")
        for i in range(1, 86):
            table.add_row(f"row {i:03d}", "한국어 문장 " * 3, "an English sentence " * 2)

Minimal().run()
'''


def _tmux(socket: str, *args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, "-u", "-L", socket, "-f", "/dev/null", *args],
                          capture_output=True, text=True, timeout=30, check=False)  # fmt: skip
    return done.stdout


def time_to_screen(command: str, marks: tuple[str, ...], env: dict[str, str], timeout: float = 300.0) -> float:
    """Seconds from starting ``command`` in a fresh terminal until every mark is on screen."""
    socket = f"aligner-bench-{os.getpid()}-{time.monotonic_ns()}"
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    # as installed: byte-compiled modules (a sandbox's PYTHONDONTWRITEBYTECODE would recompile every run)
    unset = "-u COLUMNS -u LINES -u PYTHONDONTWRITEBYTECODE"
    program = f"cd {shlex.quote(str(ROOT))} && env {unset} {assignments} {command}"
    start = time.perf_counter()
    _tmux(socket, "new-session", "-d", "-s", "b", "-x", "100", "-y", "30", program)
    try:
        while time.perf_counter() - start < timeout:
            screen = _tmux(socket, "capture-pane", "-p", "-t", "b")
            if all(m in screen for m in marks):
                return time.perf_counter() - start
            time.sleep(0.02)
        raise SystemExit(f"timed out waiting for {marks} from {command}:\n{screen}")
    finally:
        _tmux(socket, "kill-server")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7, help="warm and baseline runs, interleaved (median)")
    ap.add_argument("--cold-repeat", type=int, default=3, help="cold align and cold read runs, interleaved (median)")
    args = ap.parse_args()
    if TMUX is None:
        raise SystemExit("tmux is not installed (apt-get install tmux)")
    py = shlex.quote(sys.executable)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="aligner-first-paint-") as tmp:
        base = Path(tmp)
        script = base / "minimal.py"
        script.write_text(BASELINE, encoding="utf-8")
        cache = base / "cache"
        env = {
            "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "HF_HUB_OFFLINE": "1", "ALIGNER_CACHE_DIR": str(cache),
            "XDG_DATA_HOME": str(base / "data"), "XDG_STATE_HOME": str(base / "state"),
            "ALIGNER_PROJECT_DIR": str(base / "projects"),
        }  # fmt: skip
        read = f"{py} -m aligner read"
        minimal = f"{py} {shlex.quote(str(script))}"
        baseline = [time_to_screen(minimal, (BASELINE_MARK,), env)]  # untimed: warms the OS file cache
        aligns, colds = [], []
        for k in range(args.cold_repeat):  # each round: align cold, then read cold, each with empty caches
            # align first: the first cold run of all also pays the OS reading the model files
            align_env = {**os.environ, **env, "ALIGNER_CACHE_DIR": str(base / f"cache-align-{k}")}
            align_env.pop("PYTHONDONTWRITEBYTECODE", None)
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "aligner", "align", str(KO), str(EN)], cwd=ROOT, env=align_env,
                           capture_output=True, check=True, timeout=600)  # fmt: skip
            aligns.append(time.perf_counter() - t)
            env["ALIGNER_CACHE_DIR"] = str(base / f"cache-{k}")
            colds.append(time_to_screen(read, FIRST_PAIR, env))  # its cache starts empty
        align_cold, cold = statistics.median(aligns), statistics.median(colds)
        warm: list[float] = []
        for _ in range(args.repeat):  # interleaved, so a busier moment of the machine weighs on both alike
            warm.append(time_to_screen(read, FIRST_PAIR, env))
            baseline.append(time_to_screen(minimal, (BASELINE_MARK,), env))
        baseline = baseline[1:]
    b, w = statistics.median(baseline), statistics.median(warm)
    print("| launch to first screen (real terminal, tmux 100x30) | seconds | × minimal app | goal |")
    print("|---|---:|---:|---|")
    print(f"| minimal Textual app (header, 85-row DataTable, footer) | {b:.2f} | 1.00 | |")
    print(f"| `aligner read` warm (caches filled), first pair | {w:.2f} | {w / b:.2f} | ≤ 2.00× |")
    print(f"| `aligner read` cold (empty cache), first pair | {cold:.2f} | {cold / b:.2f} "
          f"| ≤ align cold + app = {align_cold + b:.2f} s |")  # fmt: skip
    print(f"| `aligner align` cold (empty cache), to exit | {align_cold:.2f} | {align_cold / b:.2f} | |")
    print(f"\nMedians: {args.repeat} baseline and {args.repeat} warm runs, taking turns (after one untimed "
          f"baseline run); {args.cold_repeat} cold `align` and {args.cold_repeat} cold `read` runs, taking turns, "
          "each with empty caches.")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
