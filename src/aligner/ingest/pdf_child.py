"""A PDF's text layer is read by PDFium in a child process whose address space is limited.

PDFium (C++) decides how much memory a content stream costs, and a small hostile
PDF can inflate to gigabytes, so :func:`page_lines_bounded` runs the extraction
(:func:`aligner.ingest.pdf.page_lines`) in ``python -m aligner.ingest.pdf_child``
under ``RLIMIT_AS`` (:data:`~aligner.core.budgets.PDF_ADDRESS_SPACE`) and a time
limit: a PDF that needs more ends in one line, never in a killed reader.  The
document's bytes go in on stdin, the lines come back as JSON on stdout.  Where
``resource`` is missing (Windows) the extraction runs in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from aligner.core.budgets import PDF_ADDRESS_SPACE, PDF_TIME_LIMIT_S, megabytes
from aligner.core.errors import InputError

_INPUT_ERROR = 3  # the child's exit status when it raised an InputError (its one line is on stderr)
Lines = list[list[tuple[str, float, float, float, float, float]]]


def page_lines_bounded(data: bytes, name: str) -> Lines:
    """Every page's lines (text, top, bottom, left, right, size), extracted within the budget."""
    try:
        import resource  # noqa: F401 - POSIX only
    except ImportError:
        from aligner.ingest.pdf import page_lines

        return page_lines(data, name)
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the aligner package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # fmt: skip
    try:
        done = subprocess.run(
            [sys.executable, "-m", "aligner.ingest.pdf_child", name, str(PDF_ADDRESS_SPACE)],
            input=data, capture_output=True, env=env, timeout=PDF_TIME_LIMIT_S, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise InputError(
            f"{name}: reading the PDF's text took more than {PDF_TIME_LIMIT_S} s; it is stopped (a hostile or "
            "broken PDF?)"
        ) from None
    if done.returncode == _INPUT_ERROR:
        raise InputError(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1])
    if done.returncode != 0:
        raise InputError(
            f"{name}: reading the PDF's text needs more than {megabytes(PDF_ADDRESS_SPACE)} of memory "
            f"(PDFium stopped: exit {done.returncode}); a PDF bomb or a damaged file"
        )
    raw = json.loads(done.stdout)
    # a line is (text, top, bottom, left, right, size, OCR's doubtful spans): a text layer has none
    return [[(str(t), float(a), float(b), float(c), float(d), float(e)) for t, a, b, c, d, e, *_ in pg] for pg in raw]


def main() -> int:
    """The child: read the PDF on stdin, write its lines as JSON on stdout, within ``argv[2]`` bytes."""
    import resource

    name, limit = sys.argv[1], int(sys.argv[2])
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:  # the parent's own limit: lower only, never raise
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from aligner.ingest.pdf import page_lines

    data = sys.stdin.buffer.read()
    try:
        lines = page_lines(data, name)
    except InputError as err:
        print(str(err), file=sys.stderr)
        return _INPUT_ERROR
    except MemoryError:
        return 1
    sys.stdout.write(json.dumps(lines, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
