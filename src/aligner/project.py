"""The corrections project file: saved beads, confirmations and what they were made against.

A project file is JSON::

    {"format": "aligner-project", "version": 1, "checksum": "sha256:…", "payload": {…}}

The payload holds the beads (with confidence and confirmed flags), the model
name, and for each side the document path, a sha256 of its text and its
sentence texts, so that a changed document can be diagnosed and confirmed
beads carried over.  The checksum (over the canonical JSON of the payload)
detects corruption and truncation.  Saving is atomic and keeps the previous
good file as ``<name>.bak``; reading falls back to that backup.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any

import platformdirs

from aligner.atomic import atomic_write_bytes, describe_os_error
from aligner.errors import AlignerError
from aligner.model import Bead, Document, check_beads

FORMAT_NAME = "aligner-project"
FORMAT_VERSION = 1
PROJECT_SUFFIX = ".aligner.json"
BACKUP_SUFFIX = ".bak"
_SIDE_NAMES = {"source": "Korean", "target": "English"}


class CorruptProjectError(AlignerError):
    """A project file is unreadable, truncated, tampered with or not a project file."""


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SideRecord:
    """What one side's document looked like when the project was saved."""

    lang: str
    path: str | None
    sha256: str
    sentences: tuple[str, ...]

    @staticmethod
    def from_document(document: Document) -> SideRecord:
        return SideRecord(
            lang=document.lang.value,
            path=document.path,
            sha256=text_sha256(document.source),
            sentences=tuple(document.texts),
        )


@dataclass(frozen=True)
class ProjectFile:
    """The saved state of a correction session."""

    source: SideRecord
    target: SideRecord
    beads: tuple[Bead, ...]
    model: str = ""
    saved_at: str = ""

    @staticmethod
    def from_documents(
        source: Document, target: Document, beads: Sequence[Bead], model: str = ""
    ) -> ProjectFile:
        project = ProjectFile(
            SideRecord.from_document(source), SideRecord.from_document(target), tuple(beads), model
        )
        project.check()
        return project

    def check(self) -> None:
        """Raise CorruptProjectError unless the beads cover both sides exactly once, in order."""
        try:
            check_beads(self.beads, len(self.source.sentences), len(self.target.sentences))
        except ValueError as err:
            raise CorruptProjectError(f"beads do not match the saved sentences: {err}") from err

    def payload(self) -> dict[str, Any]:
        def side(rec: SideRecord) -> dict[str, Any]:
            return {
                "lang": rec.lang,
                "path": rec.path,
                "sha256": rec.sha256,
                "sentences": list(rec.sentences),
            }

        return {
            "model": self.model,
            "saved_at": self.saved_at,
            "source": side(self.source),
            "target": side(self.target),
            "beads": [
                {
                    "src": list(b.src),
                    "tgt": list(b.tgt),
                    "confidence": b.confidence if math.isfinite(b.confidence) else 0.0,
                    "confirmed": b.confirmed,
                }
                for b in self.beads
            ],
        }

    def to_json(self) -> str:
        payload = self.payload()
        document = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "checksum": payload_checksum(payload),
            "payload": payload,
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    def to_bytes(self) -> bytes:
        text = self.to_json()
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: fall back to \u escapes
            return (json.dumps(json.loads(text), ensure_ascii=True, indent=1) + "\n").encode()

    @staticmethod
    def from_json(text: str | bytes) -> ProjectFile:
        """Parse and verify a project file; raises CorruptProjectError with the reason."""
        return _parse(text)


def payload_checksum(payload: dict[str, Any]) -> str:
    canonical = json.dumps(
        payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise CorruptProjectError(f"malformed project file: {what}")


def _int_list(value: Any, what: str) -> tuple[int, ...]:
    _expect(isinstance(value, list), what)
    _expect(all(isinstance(x, int) and not isinstance(x, bool) for x in value), what)
    return tuple(value)


def _side(value: Any, name: str) -> SideRecord:
    _expect(isinstance(value, dict), f"{name} is not an object")
    sentences = value.get("sentences")
    _expect(isinstance(sentences, list), f"{name}.sentences is not a list")
    _expect(all(isinstance(s, str) for s in sentences), f"{name}.sentences holds a non-string")
    path = value.get("path")
    _expect(path is None or isinstance(path, str), f"{name}.path is not a string")
    _expect(isinstance(value.get("sha256"), str), f"{name}.sha256 is not a string")
    _expect(isinstance(value.get("lang"), str), f"{name}.lang is not a string")
    return SideRecord(value["lang"], path, value["sha256"], tuple(sentences))


def _parse(text: str | bytes) -> ProjectFile:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, bad UTF-8
        raise CorruptProjectError(f"not valid JSON (truncated or damaged): {err}") from err
    _expect(isinstance(document, dict), "top level is not an object")
    if document.get("format") != FORMAT_NAME:
        raise CorruptProjectError("not an aligner project file")
    version = document.get("version")
    _expect(isinstance(version, int), "version is missing")
    if version > FORMAT_VERSION:
        raise CorruptProjectError(
            f"written by a newer aligner (format version {version}, this one reads {FORMAT_VERSION})"
        )
    payload = document.get("payload")
    _expect(isinstance(payload, dict), "payload is missing")
    try:
        checksum = payload_checksum(payload)
    except ValueError as err:
        raise CorruptProjectError(f"malformed project file: {err}") from err
    if document.get("checksum") != checksum:
        raise CorruptProjectError("checksum mismatch (the file was damaged or edited)")
    _expect(isinstance(payload.get("model", ""), str), "model is not a string")
    _expect(isinstance(payload.get("saved_at", ""), str), "saved_at is not a string")
    raw_beads = payload.get("beads")
    _expect(isinstance(raw_beads, list), "beads is not a list")
    beads = []
    for raw in raw_beads:
        _expect(isinstance(raw, dict), "a bead is not an object")
        conf = raw.get("confidence", 1.0)
        _expect(isinstance(conf, (int, float)) and not isinstance(conf, bool), "bad confidence")
        _expect(isinstance(raw.get("confirmed", False), bool), "bad confirmed flag")
        beads.append(
            Bead(
                _int_list(raw.get("src"), "bad bead ids"),
                _int_list(raw.get("tgt"), "bad bead ids"),
                float(conf),
                raw.get("confirmed", False),
            )
        )
    project = ProjectFile(
        source=_side(payload.get("source"), "source"),
        target=_side(payload.get("target"), "target"),
        beads=tuple(beads),
        model=payload.get("model", ""),
        saved_at=payload.get("saved_at", ""),
    )
    project.check()
    return project


# ---------------------------------------------------------------- locations


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + BACKUP_SUFFIX)


def user_projects_dir() -> Path:
    """Where project files go when the documents' directory is not writable."""
    return Path(platformdirs.user_data_dir("aligner", appauthor=False)) / "projects"


def _project_name(source_path: Path, target_path: Path) -> str:
    return f"{source_path.stem}.{target_path.stem}{PROJECT_SUFFIX}"


def _candidates(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    data_dir: str | os.PathLike[str] | None,
) -> tuple[Path, Path]:
    src, tgt = Path(source_path).absolute(), Path(target_path).absolute()
    name = _project_name(src, tgt)
    beside = src.parent / name
    digest = hashlib.sha256(f"{src}\0{tgt}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
    base = Path(data_dir) if data_dir is not None else user_projects_dir()
    fallback = base / f"{name[: -len(PROJECT_SUFFIX)]}.{digest}{PROJECT_SUFFIX}"
    return beside, fallback


def default_project_path(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Where to save: ``<ko-stem>.<en-stem>.aligner.json`` beside the Korean document
    when that directory is writable, else under the user data directory."""
    beside, fallback = _candidates(source_path, target_path, data_dir)
    if beside.parent.is_dir() and os.access(beside.parent, os.W_OK | os.X_OK):
        return beside
    return fallback


def find_project(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path | None:
    """An existing project file (or its backup) for these documents, beside them first."""
    for candidate in _candidates(source_path, target_path, data_dir):
        if candidate.exists() or backup_path(candidate).exists():
            return candidate
    return None


# ---------------------------------------------------------------- reading and saving


@dataclass(frozen=True)
class ReadResult:
    """Outcome of reading a project file; ``project`` is None when nothing usable exists."""

    project: ProjectFile | None
    path: Path
    used_backup: bool = False
    corrupt: bool = False
    warnings: tuple[str, ...] = ()


def _read_one(path: Path) -> tuple[ProjectFile | None, str | None]:
    """(project, None) if good; (None, reason) if present but unusable; (None, None) if absent."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as err:
        return None, f"unreadable ({describe_os_error(err)})"
    try:
        return _parse(data), None
    except CorruptProjectError as err:
        return None, str(err)


def read_project(path: str | os.PathLike[str]) -> ReadResult:
    """Read a project file, falling back to its ``.bak``; never raises for bad files."""
    main = Path(path)
    bak = backup_path(main)
    project, problem = _read_one(main)
    if project is not None:
        return ReadResult(project, main)
    backup, backup_problem = _read_one(bak)
    if problem is None and backup is None and backup_problem is None:
        return ReadResult(None, main)
    what = f"is damaged: {problem}" if problem is not None else "is missing"
    if backup is not None:
        when = f" saved at {backup.saved_at}" if backup.saved_at else ""
        warning = f"project file {main} {what}; using the backup {bak.name}{when}"
        return ReadResult(backup, bak, used_backup=True, corrupt=problem is not None,
                          warnings=(warning,))
    warnings = []
    if problem is not None:
        warnings.append(f"project file {main} {what}")
    if backup_problem is not None:
        warnings.append(f"backup {bak} is damaged too: {backup_problem}")
    warnings.append("no saved corrections could be restored; starting from a fresh alignment")
    return ReadResult(None, main, corrupt=True, warnings=tuple(warnings))


def save_project(path: str | os.PathLike[str], project: ProjectFile) -> ProjectFile:
    """Save atomically, first keeping the current good file as ``.bak``.

    Returns the project as saved (with ``saved_at`` filled in).  Raises
    AlignerError (and leaves the existing file untouched) when it cannot write.
    """
    target = Path(path)
    project.check()
    saved = replace(project, saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    data = saved.to_bytes()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AlignerError(f"cannot save corrections in {target.parent}: {describe_os_error(err)}") from err
    try:
        previous = target.read_bytes()
    except FileNotFoundError:
        previous = None
    except OSError as err:
        raise AlignerError(f"cannot save corrections to {target}: {describe_os_error(err)}") from err
    if previous is not None and previous != data:
        try:
            _parse(previous)
            good = True
        except CorruptProjectError:
            good = False  # never let a damaged file replace a good backup
        if good:
            atomic_write_bytes(backup_path(target), previous)
    atomic_write_bytes(target, data)
    return saved


# ---------------------------------------------------------------- reconciling with the documents


class LoadStatus(str, Enum):
    MISSING = "missing"  # no project file: align from scratch
    CORRUPT = "corrupt"  # a file exists but neither it nor its backup is usable
    UNCHANGED = "unchanged"  # same sentences: ``beads`` is the saved alignment
    CHANGED = "changed"  # a document changed: only ``constraints`` carry over


@dataclass(frozen=True)
class DroppedBead:
    """A confirmed bead that could not be carried over, in the saved file's ids."""

    bead: Bead
    reason: str


@dataclass(frozen=True)
class SideChange:
    """How one document's sentences differ from the saved ones."""

    changed: bool
    removed: tuple[int, ...] = ()  # saved ids with no identical sentence now
    added: tuple[int, ...] = ()  # current ids with no identical saved sentence


@dataclass(frozen=True)
class ProjectLoad:
    """What could be restored from a project file for the current documents."""

    status: LoadStatus
    path: Path
    project: ProjectFile | None = None
    beads: tuple[Bead, ...] | None = None
    constraints: tuple[Bead, ...] = ()
    dropped: tuple[DroppedBead, ...] = ()
    discarded_unconfirmed: int = 0
    source_change: SideChange | None = None
    target_change: SideChange | None = None
    used_backup: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """A short human summary (warnings included)."""
        parts = list(self.warnings)
        if self.status is LoadStatus.UNCHANGED and self.beads is not None:
            parts.append(f"restored {len(self.beads)} beads ({len(self.constraints)} confirmed)")
        elif self.status is LoadStatus.CHANGED:
            changed = [
                _SIDE_NAMES[name]
                for name, change in (("source", self.source_change), ("target", self.target_change))
                if change is not None and change.changed
            ]
            parts.append(
                f"the {' and '.join(changed)} text changed since the corrections were saved: "
                f"kept {len(self.constraints)} confirmed beads, dropped {len(self.dropped)}, "
                f"{self.discarded_unconfirmed} unconfirmed beads will be realigned"
            )
            parts.extend(f"dropped {d.bead.vecalign()}: {d.reason}" for d in self.dropped)
        return "; ".join(parts)


def _id_map(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Map saved sentence ids to current ids for identical sentences, keeping order."""
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    mapping: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        mapping.update((a + k, b + k) for k in range(size))
    return mapping


def _preview(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _carry_side(
    ids: tuple[int, ...], mapping: dict[int, int], saved: SideRecord, name: str
) -> tuple[tuple[int, ...] | None, str]:
    for i in ids:
        if i not in mapping:
            return None, f"{name} sentence {i} changed or was removed: “{_preview(saved.sentences[i])}”"
    new = tuple(mapping[i] for i in ids)
    if any(b != a + 1 for a, b in zip(new, new[1:])):
        return None, f"text was inserted between its {name} sentences"
    return new, ""


def reconcile(project: ProjectFile, source: Document, target: Document) -> ProjectLoad:
    """Compare a saved project with the current documents (status UNCHANGED or CHANGED)."""
    same_src = project.source.sentences == tuple(source.texts)
    same_tgt = project.target.sentences == tuple(target.texts)
    warnings = [
        f"the {_SIDE_NAMES[name]} file changed on disk but its sentences did not"
        for name, same, rec, doc in (
            ("source", same_src, project.source, source),
            ("target", same_tgt, project.target, target),
        )
        if same and rec.sha256 != text_sha256(doc.source)
    ]
    confirmed = tuple(b for b in project.beads if b.confirmed)
    if same_src and same_tgt:
        return ProjectLoad(
            LoadStatus.UNCHANGED, Path(), project, project.beads, confirmed,
            source_change=SideChange(False), target_change=SideChange(False),
            warnings=tuple(warnings),
        )
    src_map = _id_map(project.source.sentences, source.texts)
    tgt_map = _id_map(project.target.sentences, target.texts)
    kept: list[Bead] = []
    dropped: list[DroppedBead] = []
    for bead in confirmed:
        src, why = _carry_side(bead.src, src_map, project.source, "Korean")
        tgt, why_t = _carry_side(bead.tgt, tgt_map, project.target, "English")
        if src is None or tgt is None:
            dropped.append(DroppedBead(bead, why or why_t))
        else:
            kept.append(Bead(src, tgt, bead.confidence, True))

    def change(mapping: dict[int, int], old: int, new: int, same: bool) -> SideChange:
        hit = set(mapping.values())
        return SideChange(
            not same,
            tuple(i for i in range(old) if i not in mapping),
            tuple(j for j in range(new) if j not in hit),
        )

    return ProjectLoad(
        LoadStatus.CHANGED, Path(), project, None, tuple(kept), tuple(dropped),
        discarded_unconfirmed=len(project.beads) - len(confirmed),
        source_change=change(src_map, len(project.source.sentences), len(source), same_src),
        target_change=change(tgt_map, len(project.target.sentences), len(target), same_tgt),
        warnings=tuple(warnings),
    )


def load_project(path: str | os.PathLike[str], source: Document, target: Document) -> ProjectLoad:
    """Read the project at ``path`` and work out what applies to the current documents.

    Never raises for a missing or damaged file: the result's ``status`` and
    ``warnings`` say what happened.
    """
    read = read_project(path)
    if read.project is None:
        status = LoadStatus.CORRUPT if read.corrupt else LoadStatus.MISSING
        return ProjectLoad(status, read.path, warnings=read.warnings)
    result = reconcile(read.project, source, target)
    return replace(
        result,
        path=read.path,
        used_backup=read.used_backup,
        warnings=read.warnings + result.warnings,
    )
