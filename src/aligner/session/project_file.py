"""The corrections project file on disk: where it lives, reading, saving and loading it.

The format itself (``ProjectFile``, checksummed JSON) is ``aligner.session.project_format``;
applying a saved file to documents that may have changed is ``aligner.session.reconcile``.
Saving is atomic and keeps the previous good file as ``<name>.bak``; reading
falls back to that backup.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from aligner.core.atomic import AtomicWriteError, atomic_write_bytes, describe_os_error
from aligner.core.errors import AlignerError
from aligner.core.paths import data_dir as bundled_data_dir
from aligner.core.paths import user_projects_dir
from aligner.core.values import Document
from aligner.session.project_format import CorruptProjectError, ProjectFile
from aligner.session.reconcile import LoadStatus, ProjectLoad, reconcile

PROJECT_SUFFIX = ".aligner.json"
BACKUP_SUFFIX = ".bak"

# ---------------------------------------------------------------- locations


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + BACKUP_SUFFIX)


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
    try:
        return directory.resolve() == bundled_data_dir().resolve()
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
        return ProjectFile.from_json(data), None
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
            ProjectFile.from_json(previous)
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
