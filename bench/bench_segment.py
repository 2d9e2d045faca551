"""English sentence splitting: our rules vs pysbd, on the same inputs in one run.

Cases: the edge cases of tests/test_segment.py (abbreviations, decimals, "U.S.",
"I-KOREA 4.0", "$2 trillion", quotes, …) and the KIEP English summary against the
84 gold sentences; speed on the policy brief repeated to ~300 KB. Prints markdown.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "tests" / "data" / "gold" / "kiep-ko-en"  # a copy of the development gold (tests/data/README.md)


def ours(text: str) -> list[str]:
    from aligner.segment.english import split_en

    return [text[a:b].strip() for a, b in split_en(text)]


def pysbd_split(text: str) -> list[str]:
    import pysbd

    return [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(text)]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def main() -> int:
    from tests.test_segment import EN_CASES

    paragraphs = [p for p in (ROOT / "data" / "kiep_en.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    gold = [norm(x) for x in (GOLD / "en.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    big = ((ROOT / "data" / "kiep_brief_en.txt").read_text(encoding="utf-8").replace("\n\n", " ") + " ") * 20
    print("| splitter | edge cases right | KIEP summary sentences = gold | speed, KB/s |")
    print("|---|---:|---:|---:|")
    for name, split in (("aligner (rules)", ours), ("pysbd 0.3.4", pysbd_split)):
        right = sum([norm(s) for s in split(text)] == [norm(e) for e in expected] for text, expected in EN_CASES)
        got = [norm(s) for p in paragraphs for s in split(p)]
        same = "yes" if got == gold else f"no ({len(got)} sentences)"
        t = time.perf_counter()
        split(big)
        speed = len(big.encode()) / 1024 / (time.perf_counter() - t)
        print(f"| {name} | {right}/{len(EN_CASES)} | {same} | {speed:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
