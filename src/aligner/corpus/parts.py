"""Per-document result files in ``OUT/parts/``: the corpus run's memory between runs.

Each finished document is one JSON file, written atomically (a crash leaves the
old file or the new one, never half of one) and checksummed, named after the
document id.  A part is reused only when it is intact, was made from the same
input bytes with the same settings, and the pair's project file has not
changed since; otherwise the document is aligned again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.core.atomic import atomic_write_text
from aligner.corpus.job import DocJob, file_digest, project_digest

PART_FORMAT = 2
PARTS_DIR = "parts"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def part_path(out: Path, doc_id: str) -> Path:
    """``OUT/parts/<readable-id>-<hash>.json``: unique per id, safe on any file system."""
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    readable = _UNSAFE.sub("_", doc_id).strip("._")[:60] or "doc"
    return out / PARTS_DIR / f"{readable}-{digest}.json"


def fingerprint(job: DocJob) -> str:
    """What the result depends on: both input files' bytes and the alignment settings."""
    h = hashlib.sha256()
    for part in (str(PART_FORMAT), file_digest(job.ko) or "-", file_digest(job.en) or "-",
                 job.model or "", str(job.presplit)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _checksum(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Part:
    id: str
    fingerprint: str
    result: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.result.get("status") == "ok"


def write_part(out: Path, part: Part) -> Path:
    body = {"format": PART_FORMAT, "id": part.id, "fingerprint": part.fingerprint, "result": part.result}
    path = part_path(out, part.id)
    atomic_write_text(path, json.dumps({**body, "checksum": _checksum(body)}, ensure_ascii=False))
    return path


def read_part(out: Path, doc_id: str) -> Part | None:
    """The stored part for ``doc_id``; None when absent, damaged or of another format."""
    try:
        raw = json.loads(part_path(out, doc_id).read_text(encoding="utf-8"))
        checksum = raw.pop("checksum")
        if checksum != _checksum(raw) or raw["format"] != PART_FORMAT or raw["id"] != doc_id:
            return None
        return Part(raw["id"], raw["fingerprint"], raw["result"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def reusable(out: Path, job: DocJob, print_: str) -> Part | None:
    """The stored part when it still stands for this job (``print_`` = its fingerprint)."""
    part = read_part(out, job.id)
    if part is None or not part.ok or part.fingerprint != print_:
        return None
    if part.result.get("project") != project_digest(job.ko, job.en):
        return None  # the pair's corrections changed: align again with them
    return part
