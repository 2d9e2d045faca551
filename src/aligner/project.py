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
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Any

import platformdirs

from aligner.atomic import AtomicWriteError, atomic_write_bytes, describe_os_error
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
    def from_documents(source: Document, target: Document, beads: Sequence[Bead], model: str = "") -> ProjectFile:
        project = ProjectFile(SideRecord.from_document(source), SideRecord.from_document(target), tuple(beads), model)
        project.check()
        return project

    def check(self) -> None:
        """Raise CorruptProjectError unless the beads cover both sides exactly once, in order."""
        try:
            check_beads(self.beads, len(self.source.sentences), len(self.target.sentences))
        except ValueError as err:
            raise CorruptProjectError(f"beads do not match the saved sentences: {err}") from err

    def payload(self) -> dict[str, Any]:
        """The checksummed part of the file."""

        def bead(b: Bead) -> dict[str, Any]:
            return {**asdict(b), "confidence": b.confidence if math.isfinite(b.confidence) else 0.0}

        return {
            "model": self.model,
            "saved_at": self.saved_at,
            "source": asdict(self.source),
            "target": asdict(self.target),
            "beads": [bead(b) for b in self.beads],
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
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _typed(value: Any, kind: type[Any] | tuple[type[Any], ...], what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise TypeError(f"{what} has the wrong type")
    return value


def _side(value: Any, name: str) -> SideRecord:
    sentences = tuple(_typed(s, str, f"{name} sentence") for s in _typed(value["sentences"], list, name))
    path = None if value.get("path") is None else _typed(value["path"], str, f"{name} path")
    return SideRecord(_typed(value["lang"], str, name), path, _typed(value["sha256"], str, name), sentences)


def _bead(value: Any) -> Bead:
    return Bead(
        tuple(_typed(i, int, "bead id") for i in _typed(value["src"], list, "bead")),
        tuple(_typed(i, int, "bead id") for i in _typed(value["tgt"], list, "bead")),
        float(_typed(value["confidence"], (int, float), "confidence")),
        _typed(value["confirmed"], bool, "confirmed flag"),
    )


def _parse(data: str | bytes) -> ProjectFile:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, bad UTF-8
        raise CorruptProjectError(f"not valid JSON (truncated or damaged): {err}") from err
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise CorruptProjectError("not an aligner project file")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CorruptProjectError(f"unsupported format version {version!r} (written by a newer aligner?)")
    payload: Any = document.get("payload")
    try:
        ok = isinstance(payload, dict) and document.get("checksum") == payload_checksum(payload)
    except ValueError:
        ok = False
    if not ok:
        raise CorruptProjectError("checksum mismatch (the file was damaged or edited)")
    try:
        project = ProjectFile(
            source=_side(payload["source"], "source"),
            target=_side(payload["target"], "target"),
            beads=tuple(_bead(b) for b in _typed(payload["beads"], list, "beads")),
            model=_typed(payload.get("model", ""), str, "model"),
            saved_at=_typed(payload.get("saved_at", ""), str, "saved_at"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise CorruptProjectError(f"malformed project file: {err}") from err
    project.check()
    return project


# ---------------------------------------------------------------- locations


PROJECT_DIR_ENV = "ALIGNER_PROJECT_DIR"


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + BACKUP_SUFFIX)


def user_projects_dir() -> Path:
    """Where project files go when the documents' directory is not writable
    and for the bundled sample; ``$ALIGNER_PROJECT_DIR`` overrides it)."""
    env = os.environ.get(PROJECT_DIR_ENV)
    if env:
        return Path(env)
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
    if _is_bundled(beside.parent):
        return fallback
    if beside.parent.is_dir() and os.access(beside.parent, os.W_OK | os.X_OK):
        return beside
    return fallback


def _is_bundled(directory: Path) -> bool:
    """The bundled sample's folder: corrections to it go to the user data directory."""
    from .pipeline import data_dir as bundled

    try:
        return directory.resolve() == bundled().resolve()
    except OSError:
        return False


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
        return ReadResult(backup, bak, used_backup=True, corrupt=problem is not None, warnings=(warning,))
    warnings = []
    if problem is not None:
        warnings.append(f"project file {main} {what}")
    if backup_problem is not None:
        warnings.append(f"its backup {bak.name} is damaged: {backup_problem}")
    warnings.append("no saved corrections could be restored; starting from a fresh alignment")
    return ReadResult(None, main, corrupt=True, warnings=tuple(warnings))


def save_project(path: str | os.PathLike[str], project: ProjectFile) -> ProjectFile:
    """Save atomically, first keeping the current good file as ``.bak``.

    Returns the project as saved (with ``saved_at`` filled in).  Raises
    AlignerError (and leaves the existing file untouched) when it cannot write.
    """
    target = Path(path)
    project.check()
    saved = replace(project, saved_at=datetime.now(UTC).isoformat(timespec="seconds"))
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
    good = False  # never let a damaged file replace a good backup
    if previous is not None and previous != data:
        try:
            _parse(previous)
            good = True
        except CorruptProjectError:
            pass
    try:
        if previous is not None and good:
            atomic_write_bytes(backup_path(target), previous)
        atomic_write_bytes(target, data)
    except AtomicWriteError as err:
        raise AlignerError(f"cannot save corrections to {target}: {err.reason}") from err
    return saved


# ---------------------------------------------------------------- reconciling with the documents


class LoadStatus(StrEnum):
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
    return {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}


def _side_change(saved: SideRecord, doc: Document) -> tuple[SideChange, dict[int, int]]:
    if saved.sentences == tuple(doc.texts):
        return SideChange(False), {i: i for i in range(len(doc))}
    mapping = _id_map(saved.sentences, doc.texts)
    hit = set(mapping.values())
    removed = tuple(i for i in range(len(saved.sentences)) if i not in mapping)
    return SideChange(True, removed, tuple(j for j in range(len(doc)) if j not in hit)), mapping


def _carry(ids: tuple[int, ...], mapping: dict[int, int], saved: SideRecord, name: str) -> tuple[int, ...] | str:
    """The bead side's current ids, or the reason it cannot be carried over."""
    for i in ids:
        if i not in mapping:
            text = " ".join(saved.sentences[i].split())
            text = text if len(text) <= 40 else text[:39] + "…"
            return f"{name} sentence {i} changed or was removed: “{text}”"
    new = tuple(mapping[i] for i in ids)
    if any(b != a + 1 for a, b in pairwise(new)):
        return f"text was inserted between its {name} sentences"
    return new


def reconcile(project: ProjectFile, source: Document, target: Document) -> ProjectLoad:
    """Compare a saved project with the current documents (status UNCHANGED or CHANGED)."""
    src_change, src_map = _side_change(project.source, source)
    tgt_change, tgt_map = _side_change(project.target, target)
    warnings = tuple(
        f"the {name} file changed on disk but its sentences did not"
        for name, change, rec, doc in (
            ("Korean", src_change, project.source, source),
            ("English", tgt_change, project.target, target),
        )
        if not change.changed and rec.sha256 != text_sha256(doc.source)
    )
    confirmed = tuple(b for b in project.beads if b.confirmed)
    unchanged = not src_change.changed and not tgt_change.changed
    kept: list[Bead] = list(confirmed) if unchanged else []
    dropped: list[DroppedBead] = []
    for bead in () if unchanged else confirmed:
        src = _carry(bead.src, src_map, project.source, "Korean")
        tgt = _carry(bead.tgt, tgt_map, project.target, "English")
        if isinstance(src, str) or isinstance(tgt, str):
            dropped.append(DroppedBead(bead, src if isinstance(src, str) else str(tgt)))
        else:
            kept.append(Bead(src, tgt, bead.confidence, True))
    return ProjectLoad(
        LoadStatus.UNCHANGED if unchanged else LoadStatus.CHANGED,
        Path(),
        project,
        beads=project.beads if unchanged else None,
        constraints=tuple(kept),
        dropped=tuple(dropped),
        discarded_unconfirmed=0 if unchanged else len(project.beads) - len(confirmed),
        source_change=src_change,
        target_change=tgt_change,
        warnings=warnings,
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
