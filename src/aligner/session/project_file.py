"""The corrections project file on disk: where it lives, reading, saving and loading it.

The format itself (``ProjectFile``, checksummed JSON) is ``aligner.session.project_format``;
applying a saved file to documents that may have changed is ``aligner.session.reconcile``.
Saving is atomic and keeps the previous good file as ``<name>.bak``; reading
falls back to that backup.

Nothing the user saved is ever lost here:

* each pair has its own file, ``<ko-stem>.<en-stem>.<hash>.aligner.json``, the hash
  taken over both documents' resolved paths (``ko.txt``+``en.txt`` and
  ``ko.txt``+``en.md`` never share one).  Files saved under the old name
  (``<ko-stem>.<en-stem>.aligner.json``) or before the documents' folder moved are
  still found, but only when the documents they record are this pair's;
* an existing project file that records another pair is never overwritten;
* a file that cannot be read (damaged, hand-edited, a newer format, not JSON)
  is moved aside to ``<name>.damaged-<UTC time>.json`` before anything is
  written, and the user is told where; a version another program wrote while
  the pair was open is kept as ``<name>.conflict-<UTC time>.json``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from aligner.core.atomic import AtomicWriteError, atomic_write_bytes, describe_os_error, move_aside
from aligner.core.budgets import MAX_PROJECT_BYTES, read_input, sha256_regular
from aligner.core.errors import AlignerError, InputError
from aligner.core.output_guard import same_file
from aligner.core.paths import BACKUP_SUFFIX, LOCK_SUFFIX, PROJECT_SUFFIX, user_projects_dir
from aligner.core.paths import data_dir as bundled_data_dir
from aligner.core.values import Document
from aligner.session.project_format import CorruptProjectError, ProjectFile, SideRecord
from aligner.session.reconcile import LoadStatus, ProjectLoad, reconcile

__all__ = [
    "BACKUP_SUFFIX", "PROJECT_SUFFIX", "CorruptProjectError", "LoadStatus", "ProjectFile", "ProjectLoad",
    "backup_path", "default_project_path", "find_project", "load_project", "lock_path", "owned_files",
    "read_project", "same_pair", "save_project", "set_aside",
]  # fmt: skip

DIGEST_LENGTH = 12

# ---------------------------------------------------------------- locations


def backup_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.with_name(p.name + BACKUP_SUFFIX)


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file a session holds while it edits the project at ``path`` (hidden, beside it)."""
    p = Path(path)
    return p.with_name(f".{p.name}{LOCK_SUFFIX}")


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _digest(src: Path, tgt: Path) -> str:
    return hashlib.sha256(f"{src}\0{tgt}".encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_LENGTH]


def _project_name(source_path: Path, target_path: Path) -> str:
    """Unique per pair: both stems for the reader, a hash of both resolved paths for uniqueness."""
    src, tgt = _resolved(source_path.absolute()), _resolved(target_path.absolute())
    return f"{source_path.stem}.{target_path.stem}.{_digest(src, tgt)}{PROJECT_SUFFIX}"


def _legacy_name(source_path: Path, target_path: Path) -> str:
    """The name used before names were unique (shared by ``ko.txt``+``en.txt`` and ``ko.txt``+``en.md``)."""
    return f"{source_path.stem}.{target_path.stem}{PROJECT_SUFFIX}"


def _candidates(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    data_dir: str | os.PathLike[str] | None,
) -> tuple[list[Path], list[Path]]:
    """(this pair's own names, older or moved names that must record this pair to be used)."""
    src, tgt = Path(source_path).absolute(), Path(target_path).absolute()
    base = Path(data_dir) if data_dir is not None else user_projects_dir()
    name = _project_name(src, tgt)
    own = [src.parent / name, base / name]
    legacy = _legacy_name(src, tgt)
    old_fallback = f"{legacy[: -len(PROJECT_SUFFIX)]}.{_digest(src, tgt)}{PROJECT_SUFFIX}"
    older = [src.parent / legacy, base / old_fallback]
    pattern = f"{src.stem}.{tgt.stem}.*{PROJECT_SUFFIX}"
    for folder in (src.parent, base):
        try:
            older.extend(sorted(folder.glob(pattern)))  # the folder moved: its hash changed
        except OSError:
            pass
    own = list(dict.fromkeys(own))
    return own, [p for p in dict.fromkeys(older) if p not in own]


def default_project_path(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Where to save: ``<ko-stem>.<en-stem>.<hash>.aligner.json`` beside the Korean document
    when that directory is writable, else under the user data directory."""
    (beside, fallback), _ = _candidates(source_path, target_path, data_dir)
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


def _records(side: SideRecord, path: str | os.PathLike[str]) -> bool:
    return side.path is not None and Path(side.path).name == Path(path).name


def records_documents(
    project: ProjectFile, source_path: str | os.PathLike[str], target_path: str | os.PathLike[str]
) -> bool:
    """Whether ``project`` was saved for documents of these names (the folder may have moved)."""
    return _records(project.source, source_path) and _records(project.target, target_path)


def _same_side(saved: SideRecord, current: SideRecord) -> bool:
    if saved.path is not None and current.path is not None:
        return Path(saved.path).name == Path(current.path).name
    return True  # text with no file name (an explicit project path): nothing to tell them apart by


def same_pair(saved: ProjectFile, current: ProjectFile) -> bool:
    """Whether two project states are for the same pair of documents, by the documents' names
    (the folder may have moved, the text may have been edited)."""
    return _same_side(saved.source, current.source) and _same_side(saved.target, current.target)


def find_project(
    source_path: str | os.PathLike[str],
    target_path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path | None:
    """An existing project file (or its backup) for these documents, beside them first.

    The pair's own name is used whatever it holds (an unreadable file there is
    set aside when loaded); an older name is used only when the file records
    these documents, or when it cannot be read at all (then it is set aside, not lost).
    """
    own, older = _candidates(source_path, target_path, data_dir)
    for candidate in own:
        if candidate.exists() or backup_path(candidate).exists():
            return candidate
    for candidate in older:
        if not (candidate.exists() or backup_path(candidate).exists()):
            continue
        read = read_project(candidate)
        if read.project is None:
            if read.corrupt and candidate.name == _legacy_name(Path(source_path), Path(target_path)):
                return candidate
            continue
        if records_documents(read.project, source_path, target_path):
            return candidate
    return None


def owned_files(
    source_path: str | os.PathLike[str] | None,
    target_path: str | os.PathLike[str] | None,
    project_path: str | os.PathLike[str] | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
) -> tuple[tuple[Path, str], ...]:
    """What an output must never replace: both documents, the project file, its backup and lock
    (every name the pair's project file may have, for either order of the documents)."""
    owned: list[tuple[Path, str]] = [
        (Path(p), "an input document") for p in (source_path, target_path) if p is not None and str(p)
    ]
    projects = [Path(project_path)] if project_path is not None else []
    if source_path is not None and target_path is not None and str(source_path) and str(target_path):
        for a, b in ((source_path, target_path), (target_path, source_path)):
            own, older = _candidates(a, b, data_dir)
            projects.extend(own + older)
    for p in projects:
        owned += [(p, "the pair's project file"), (backup_path(p), "the project file's backup"),
                  (lock_path(p), "the project file's lock")]  # fmt: skip
    return tuple(owned)


def set_aside(path: str | os.PathLike[str], kind: str = "damaged") -> Path:
    """Move ``path`` to ``<name>.<kind>-<UTC time>.json`` beside it, never over another file."""
    return move_aside(path, kind)


# ---------------------------------------------------------------- reading and saving


@dataclass(frozen=True)
class ReadResult:
    """Outcome of reading a project file; ``project`` is None when nothing usable exists."""

    project: ProjectFile | None
    path: Path
    used_backup: bool = False
    corrupt: bool = False
    warnings: tuple[str, ...] = ()
    unreadable: tuple[Path, ...] = ()
    """The files (the project file, its backup) that exist but could not be read."""


def _read_one(path: Path) -> tuple[ProjectFile | None, str | None]:
    """(project, None) if good; (None, reason) if present but unusable; (None, None) if absent."""
    if not path.exists():
        return None, None
    try:  # a regular file of bounded size: a FIFO planted under the name must not block the reader
        data = read_input(path, MAX_PROJECT_BYTES)
    except InputError as err:
        return None, f"unreadable ({str(err).removeprefix(f'{path}: ')})"
    try:
        return ProjectFile.from_json(data), None
    except CorruptProjectError as err:
        return None, str(err)


def read_project(path: str | os.PathLike[str]) -> ReadResult:
    """Read a project file, falling back to its ``.bak``; never raises for bad files (and changes nothing)."""
    main = Path(path)
    bak = backup_path(main)
    project, problem = _read_one(main)
    if project is not None:
        return ReadResult(project, main)
    backup, backup_problem = _read_one(bak)
    unreadable = tuple(p for p, why in ((main, problem), (bak, backup_problem)) if why is not None)
    if problem is None and backup is None and backup_problem is None:
        return ReadResult(None, main)
    what = f"is damaged: {problem}" if problem is not None else "is missing"
    if backup is not None:
        when = f" saved at {backup.saved_at}" if backup.saved_at else ""
        warning = f"project file {main} {what}; using the backup {bak.name}{when}"
        return ReadResult(
            backup, bak, used_backup=True, corrupt=problem is not None, warnings=(warning,), unreadable=unreadable
        )
    warnings = []
    if problem is not None:
        warnings.append(f"project file {main} {what}")
    if backup_problem is not None:
        warnings.append(f"its backup {bak.name} is damaged: {backup_problem}")
    warnings.append("no saved corrections could be restored; starting from a fresh alignment")
    return ReadResult(None, main, corrupt=True, warnings=tuple(warnings), unreadable=unreadable)


def _set_aside_note(path: Path, kind: str, why: str) -> str:
    try:
        dest = set_aside(path, kind)
    except AlignerError as err:
        raise AlignerError(f"{err}; not saving, so that {path.name} is not lost") from err
    return f"{why}: kept it as {dest}"


def set_aside_unreadable(read: ReadResult) -> tuple[str, ...]:
    """Move every file ``read`` could not read aside (``….damaged-<time>.json``); the notices say where."""
    return tuple(_set_aside_note(p, "damaged", f"{p} could not be read") for p in read.unreadable if p.exists())


def file_sha256(path: str | os.PathLike[str]) -> str | None:
    """The sha256 of a file's bytes, "" when it does not exist, None when it cannot be read."""
    if not os.path.exists(path):
        return ""
    return sha256_regular(path, MAX_PROJECT_BYTES)


def _names(project: ProjectFile) -> str:
    return " + ".join(Path(s.path).name if s.path else "(text)" for s in (project.source, project.target))


def save_project(
    path: str | os.PathLike[str],
    project: ProjectFile,
    *,
    expected_sha256: str | None = None,
    notices: list[str] | None = None,
) -> ProjectFile:
    """Save atomically, first keeping the current good file as ``.bak``.

    Returns the project as saved (with ``saved_at`` filled in).  Raises
    AlignerError (and leaves the existing file untouched) when it cannot write,
    or when the file there holds another pair's corrections.  A file there that
    cannot be read is moved aside first (``….damaged-<time>.json``), and so is a
    damaged backup before it is replaced.  ``expected_sha256`` is what the
    caller last read or wrote there ("" for nothing): a different good file is
    another program's version, kept as ``….conflict-<time>.json``.  What was
    moved where is appended to ``notices``.
    """
    target = Path(path)
    if target.is_symlink():  # keep the link (a project file kept elsewhere): write the file it points to
        target = Path(os.path.realpath(target))
    for side in (project.source, project.target):
        if side.path is not None and same_file(target, side.path):
            raise AlignerError(f"cannot save corrections to {target}: it is the document {side.path} itself")
    project.check()
    saved = replace(project, saved_at=datetime.now(UTC).isoformat(timespec="seconds"))
    data = saved.to_bytes()
    notes: list[str] = []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AlignerError(f"cannot save corrections in {target.parent}: {describe_os_error(err)}") from err
    try:
        previous: bytes | None = target.read_bytes()
    except FileNotFoundError:
        previous = None
    except OSError as err:
        raise AlignerError(f"cannot save corrections to {target}: {describe_os_error(err)}") from err
    good: ProjectFile | None = None
    if previous is not None:
        try:
            good = ProjectFile.from_json(previous)
        except CorruptProjectError as err:
            notes.append(_set_aside_note(target, "damaged", f"{target} could not be read ({err})"))
            previous = None
    if good is not None and not same_pair(good, saved):
        raise AlignerError(
            f"{target} holds the corrections of another pair ({_names(good)}), not of {_names(saved)}; "
            "not overwritten: move it away or open that pair"
        )
    changed = expected_sha256 is not None and hashlib.sha256(previous or b"").hexdigest() != expected_sha256
    if good is not None and changed:
        why = f"{target} was changed by another program since aligner read it"
        notes.append(_set_aside_note(target, "conflict", why))
        good = previous = None
    try:
        if previous is not None and good is not None and previous != data:
            bak = backup_path(target)
            if bak.exists() and _read_one(bak)[0] is None:
                notes.append(_set_aside_note(bak, "damaged", f"{bak} could not be read"))
            atomic_write_bytes(bak, previous)
        atomic_write_bytes(target, data)
    except AtomicWriteError as err:
        raise AlignerError(f"cannot save corrections to {target}: {err.reason}") from err
    finally:
        if notices is not None:
            notices.extend(notes)
    return saved


def load_project(path: str | os.PathLike[str], source: Document, target: Document) -> ProjectLoad:
    """Read the project at ``path`` and work out what applies to the current documents.

    Never raises for a missing or damaged file: the result's ``status`` and
    ``warnings`` say what happened.  Files that cannot be read are moved aside
    (``….damaged-<time>.json``) before anything is written, and a warning says where.
    """
    read = read_project(path)
    try:
        moved = set_aside_unreadable(read)
    except AlignerError as err:  # cannot move it: the next save refuses rather than overwrite it
        moved = (str(err),)
    if read.project is None:
        status = LoadStatus.CORRUPT if read.corrupt else LoadStatus.MISSING
        return ProjectLoad(status, Path(path), warnings=read.warnings + moved)
    result = reconcile(read.project, source, target)
    return replace(
        result,
        path=read.path,
        used_backup=read.used_backup,
        warnings=read.warnings + moved + result.warnings,
    )
