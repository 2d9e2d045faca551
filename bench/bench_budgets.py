"""Input budgets: what hostile documents cost, against an ordinary document in the same run.

Each hostile file is made on the spot (tests/hostile.py) and given to ``aligner align``
in a subprocess limited to 2 GiB of address space; the peak RSS is the child's own
(``wait4``, the PDF extractor it starts included), the time is wall clock, and the
outcome is the one line it prints.  The peer is the same command on the KIEP DOCX and
PDF fixtures, which run to the end (model load and alignment included).
Second table: what the PDF extractor's child process costs, against PDFium in-process.

Prints markdown.  Usage: python bench/bench_budgets.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests import hostile  # noqa: E402

MiB = 1 << 20
EN = ROOT / "data" / "kiep_brief_en.txt"
LIMIT = 2 << 30


def run_cli(args: list[str], state: Path) -> tuple[int, float, float, str]:
    """(exit status, seconds, peak RSS in MB, last stderr line) of ``aligner ARGS`` under RLIMIT_AS."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ALIGNER_STATE_DIR": str(state), "HF_HUB_OFFLINE": "1"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "aligner", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, preexec_fn=limit)  # fmt: skip
    _, err = proc.communicate(timeout=900)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # run by measure(): this child's alone
    last = (err.strip().splitlines() or [""])[-1]
    return proc.returncode, seconds, peak, last


def measure(args: list[str], state: Path) -> tuple[int, float, float, str]:
    """Run in a fresh interpreter: RUSAGE_CHILDREN's peak is then this run's alone."""
    code = (
        "import json,sys;sys.path.insert(0,sys.argv[3]);from bench_budgets import run_cli;from pathlib import Path;"
        "print(json.dumps(run_cli(json.loads(sys.argv[1]),Path(sys.argv[2]))))"
    )
    import json

    done = subprocess.run([sys.executable, "-c", code, json.dumps(args), str(state), str(Path(__file__).parent)],
                          capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    rc, seconds, peak, last = json.loads(done.stdout)
    return int(rc), float(seconds), float(peak), str(last)


def cases(tmp: Path) -> list[tuple[str, Path, str]]:
    """(what, file, what it would inflate to)."""
    made: list[tuple[str, Path, str]] = []
    for fmt in ("docx", "odt", "epub", "hwpx"):
        made.append((f"{fmt.upper()} zip bomb", hostile.zip_bomb(fmt, tmp / f"bomb.{fmt}", 1024 * MiB), "1 GB member"))
    made.append(("DOCX of one-letter paragraphs",
                 hostile.zip_bomb("docx", tmp / "dense.docx", 64 * MiB, dense=True), "12 million tags"))  # fmt: skip
    made.append(("HWP section bomb", hostile.hwp_section_bomb(tmp / "section.hwp", 1024 * MiB), "1 GB section"))
    made.append(("HWP distribution bomb", hostile.hwp_distribution_bomb(tmp / "dist.hwp", 1024 * MiB),
                 "1 GB section"))  # fmt: skip
    made.append(("HWP record bomb", hostile.hwp_record_bomb(tmp / "record.hwp", 40_000_000), "one 76 MB record"))
    made.append(("PDF content-stream bomb", hostile.pdf_bomb(tmp / "bomb.pdf", 1024 * MiB), "1 GB stream"))
    made.append(("ODT nested 1,500 deep", hostile.deep_nesting("odt", tmp / "deep.odt", 1500), "—"))
    return made


def table(tmp: Path) -> str:
    rows = ["| Input | On disk | Inflates to | Outcome | Peak RSS | × ordinary DOCX | Time |",
            "|---|---|---|---|---|---|---|"]  # fmt: skip
    pair = [str(hostile.FORMATS / f"kiep_{lang}.{{}}") for lang in ("ko", "en")]
    _, t_docx, peer, _ = measure(["align", *(p.format("docx") for p in pair)], tmp / "state")
    _, t_pdf, pdf_peak, _ = measure(["align", *(p.format("pdf") for p in pair)], tmp / "state")
    rows.append(f"| KIEP DOCX pair (peer) | — | — | aligned | {peer:,.0f} MB | 1.00 | {t_docx:.1f} s |")
    rows.append(f"| KIEP PDF pair (peer) | — | — | aligned | {pdf_peak:,.0f} MB | {pdf_peak / peer:.2f} | "
                f"{t_pdf:.1f} s |")  # fmt: skip
    for what, path, inflates in cases(tmp):
        rc, seconds, peak, last = measure(["align", str(path), str(EN)], tmp / "state")
        outcome = last.removeprefix("aligner: error: ").replace(str(path), "FILE").replace("|", "/")
        outcome = outcome if len(outcome) < 110 else outcome[:107] + "…"
        size = path.stat().st_size / MiB
        rows.append(f"| {what} | {size:.1f} MB | {inflates} | exit {rc}: {outcome} | {peak:,.0f} MB | "
                    f"{peak / peer:.2f} | {seconds:.1f} s |")  # fmt: skip
    return "\n".join(rows)


def best(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def pdf_child_cost() -> str:
    from aligner.ingest.pdf import page_lines
    from aligner.ingest.pdf_child import page_lines_bounded

    rows = ["| PDF | PDFium in this process | in a child under RLIMIT_AS | ratio |", "|---|---|---|---|"]
    for name in ("kiep_en.pdf", "kiep_ko.pdf"):
        data = (hostile.FORMATS / name).read_bytes()
        inside = best(lambda d=data, n=name: page_lines(d, n))  # type: ignore[misc]
        child = best(lambda d=data, n=name: page_lines_bounded(d, n))  # type: ignore[misc]
        rows.append(f"| {name} (8 pages) | {inside * 1000:.0f} ms | {child * 1000:.0f} ms | {child / inside:.2f} |")
    return "\n".join(rows)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        bombs = table(Path(tmp))
    print(bombs)
    print()
    print("The PDF extractor's child process (start-up, import of PDFium, lines back as JSON):")
    print()
    print(pdf_child_cost())
    return 0


if __name__ == "__main__":
    sys.exit(main())
