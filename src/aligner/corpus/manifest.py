"""The document pairs of a corpus: from a manifest TSV or from a folder paired by name.

Manifest (TSV, UTF-8): ``korean-path <TAB> english-path [<TAB> id]`` per line;
paths are relative to the manifest's folder; blank lines and lines starting with
``#`` are skipped, and so is a first line ``ko<TAB>en[<TAB>id]``.  The id defaults to
the Korean path without its extension.

Folder: every file below it is paired by name, either

- by a language tag before the extension, in one folder: ``x.ko.pdf`` ↔ ``x.en.pdf``
  (the extensions may differ; ``_ko``/``-ko`` work too), id ``x``; or
- by language folders: ``A/ko/x.hwp`` ↔ ``A/en/x.pdf`` (``ko``/``kor``/``korean`` and
  ``en``/``eng``/``english``; the rest of the path must match, without extension), id ``A/x``.

Hidden files, aligner's own files (project files, backups, temporaries) and the
output folder are ignored.  A file with no language, no counterpart or more
than one candidate counterpart is reported as unpaired.  A file reached through a
symlink that leads out of the folder is skipped (and listed, with where it leads)
unless ``follow_links`` is set: an archive from elsewhere can carry such links to
private files, whose text would end up in the translation memory.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aligner.core.budgets import MAX_LISTING_BYTES, read_input
from aligner.core.errors import InputError
from aligner.core.values import Lang

KO_DIRS = frozenset({"ko", "kor", "korean"})
EN_DIRS = frozenset({"en", "eng", "english"})
IGNORED_SUFFIXES = (".aligner.json", ".bak", ".tmp")
_TAG = re.compile(r"^(?P<stem>.+?)[._-](?P<lang>ko|kor|en|eng)$", re.IGNORECASE)


@dataclass(frozen=True)
class CorpusEntry:
    """One document pair: its id and the two files (absolute paths)."""

    id: str
    ko: Path
    en: Path


@dataclass(frozen=True)
class Unpaired:
    path: Path
    reason: str
    skipped: bool = False  # left out on purpose (a link out of the folder), not for want of a counterpart


@dataclass(frozen=True)
class Corpus:
    entries: tuple[CorpusEntry, ...]
    unpaired: tuple[Unpaired, ...] = ()
    root: Path | None = None
    """The manifest's folder or the input folder (relative names in reports start here)."""

    def display(self, path: Path) -> str:
        """``path`` relative to the corpus root when it lies below it."""
        if self.root is not None:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return str(path)


def load_corpus(source: str | Path, *, exclude: Path | None = None, follow_links: bool = False) -> Corpus:
    """The pairs named by a manifest file or found in a folder (``exclude``: a folder to skip;
    ``follow_links``: also read files whose symlinks lead out of the folder)."""
    path = Path(source)
    if path.is_dir():
        return pair_folder(path, exclude=exclude, follow_links=follow_links)
    if path.exists():
        return read_manifest(path)  # a FIFO or device is refused there, in one line
    raise InputError(f"{path}: no such manifest or folder; give a TSV manifest or a folder of document pairs")


def read_manifest(path: Path) -> Corpus:
    root = path.absolute().parent
    try:
        text = read_input(path, MAX_LISTING_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the manifest is not UTF-8 text; save it as UTF-8") from None
    entries: list[CorpusEntry] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE), 1):
        fields = [f.strip() for f in row]
        if not fields or not any(fields) or fields[0].startswith("#"):
            continue
        if any("\0" in f for f in fields):
            raise InputError(f"{path}, line {number}: a NUL byte in a path; no file name holds one")
        if number == 1 and [f.lower() for f in fields[:2]] == ["ko", "en"]:
            continue
        if len(fields) < 2 or len(fields) > 3 or not fields[0] or not fields[1]:
            raise InputError(
                f"{path}, line {number}: expected 'korean-path<TAB>english-path[<TAB>id]', got {len(fields)} field(s)"
            )
        ko, en = root / fields[0], root / fields[1]
        doc_id = fields[2] if len(fields) == 3 and fields[2] else PurePosixPath(fields[0]).with_suffix("").as_posix()
        if doc_id in seen:
            raise InputError(
                f"{path}, line {number}: id {doc_id!r} already used on line {seen[doc_id]}; give unique ids"
            )
        seen[doc_id] = number
        entries.append(CorpusEntry(doc_id, ko, en))
    if not entries:
        raise InputError(f"{path}: the manifest lists no document pairs")
    return Corpus(tuple(entries), (), root)


def _ignored(path: Path, root: Path, exclude: Path | None) -> bool:
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return True
    if path.name.endswith(IGNORED_SUFFIXES) or ".aligner.json" in path.name:
        return True
    if exclude is not None and (path == exclude or exclude in path.parents):
        return True
    return False


def _lang_of_dir(name: str) -> Lang | None:
    low = name.lower()
    if low in KO_DIRS:
        return Lang.KO
    if low in EN_DIRS:
        return Lang.EN
    return None


def _key(path: Path, root: Path) -> tuple[str, Lang] | None:
    """The pairing key (the id) and language of one file, by folder or by name tag."""
    rel = path.relative_to(root)
    parts = rel.parts
    for i in range(len(parts) - 2, -1, -1):
        lang = _lang_of_dir(parts[i])
        if lang is not None:
            rest = PurePosixPath(*parts[i + 1 :]).with_suffix("")
            return PurePosixPath(*parts[:i], rest).as_posix(), lang
    name = path.name[: len(path.name) - len(path.suffix)]
    match = _TAG.match(name)
    if match is None:
        return None
    lang = Lang.KO if match["lang"].lower().startswith("k") else Lang.EN
    return PurePosixPath(*parts[:-1], match["stem"]).as_posix(), lang


def _leads_out(path: Path, real_root: Path) -> Path | None:
    """Where ``path`` really is, when a symlink takes it out of ``real_root`` (None: it stays inside)."""
    real = path.resolve()
    return None if real_root in real.parents else real


def pair_folder(folder: Path, *, exclude: Path | None = None, follow_links: bool = False) -> Corpus:
    root = folder.absolute()
    real_root = root.resolve()
    exclude = exclude.absolute() if exclude is not None else None
    groups: dict[str, dict[Lang, list[Path]]] = defaultdict(lambda: {Lang.KO: [], Lang.EN: []})
    unpaired: list[Unpaired] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if _ignored(path, root, exclude):
            continue
        if not follow_links and (target := _leads_out(path, real_root)) is not None:
            reason = f"a symlink leading out of the folder, to {target}; not read (--follow-links reads it)"
            unpaired.append(Unpaired(path, reason, skipped=True))
            continue
        key = _key(path, root)
        if key is None:
            unpaired.append(Unpaired(path, "no language in its name or folder (x.ko.pdf, x.en.pdf, ko/x, en/x)"))
            continue
        groups[key[0]][key[1]].append(path)
    entries: list[CorpusEntry] = []
    for doc_id in sorted(groups):
        ko, en = groups[doc_id][Lang.KO], groups[doc_id][Lang.EN]
        if len(ko) == 1 and len(en) == 1:
            entries.append(CorpusEntry(doc_id, ko[0], en[0]))
            continue
        for lang, mine, other in ((Lang.KO, ko, en), (Lang.EN, en, ko)):
            other_name = "English" if lang is Lang.KO else "Korean"
            for p in mine:
                if len(mine) > 1:
                    reason = f"{len(mine)} files share the name {doc_id!r}; keep one or use a manifest"
                elif not other:
                    reason = f"no {other_name} counterpart named {doc_id!r}"
                else:
                    reason = f"{len(other)} {other_name} candidates named {doc_id!r}; keep one or use a manifest"
                unpaired.append(Unpaired(p, reason))
    if not entries:
        raise InputError(f"{folder}: found no document pairs (name them x.ko.ext and x.en.ext, or ko/x and en/x)")
    return Corpus(tuple(entries), tuple(sorted(unpaired, key=lambda u: u.path)), root)
