"""``aligner models``: list, verify and (only on request) download pinned models."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from rich.table import Table
from rich.text import Text

from aligner.core.errors import ModelError
from aligner.core.terminal import safe_console
from aligner.embed.models_lock import (
    LockedModel,
    lock_path,
    models_dir,
    read_lock,
    resolve_location,
    sha256_file,
    verify,
)

console = safe_console(stderr=True, highlight=False, soft_wrap=True)
HEADER = """\
# models.lock — every model aligner may load, pinned by sha256 of each weight file.
# Loading verifies the hashes and refuses any mismatch. Nothing downloads implicitly:
# only `make models` (`aligner models fetch`) fetches the hub models below (location
# "dir:…", under ./models/ or $ALIGNER_MODELS_DIR). A hub entry whose files are not yet
# pinned is pinned by its first explicit fetch (the resolved commit and every hash are
# written here; review and commit the change).
"""


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dump_lock(models: dict[str, LockedModel]) -> str:
    out = [HEADER]
    for m in models.values():
        out.append(f"\n[models.{m.name}]")
        out.append(f"description = {_quote(m.description)}")
        out.append(f"backend = {_quote(m.backend)}")
        out.append(f"source = {_quote(m.source)}")
        out.append(f"location = {_quote(m.location)}")
        out.append(f"dim = {m.dim}")
        out.append(f"license = {_quote(m.license)}")
        out.append(f"[models.{m.name}.files]")
        out.extend(f"{_quote(rel)} = {_quote(h)}" for rel, h in m.files)
    return "\n".join(out) + "\n"


def _status(m: LockedModel) -> str:
    try:
        verify(m)
    except ModelError as err:
        return f"not usable: {err}"
    problem = _cached_copy_problem(m)
    return f"cache refused: {problem}" if problem else "ok"


def _cached_copy_problem(m: LockedModel) -> str | None:
    """A derived copy of ``m``'s weights in the cache that fails its check: removed, and
    rebuilt from the verified weights on the next load."""
    from aligner.core.paths import cache_dir
    from aligner.embed.encoders import discard_unpacked, unpacked_path, unpacked_problem

    weights = dict(m.files).get("weights.npz")
    if m.backend != "usem3" or weights is None:
        return None
    copy = unpacked_path(cache_dir(), weights)
    problem = unpacked_problem(copy, weights)
    if not problem:
        return None
    discard_unpacked(copy)
    return f"{problem} (removed; rebuilt from the verified weights on the next load)"


def fetch(m: LockedModel) -> LockedModel:
    """Download a hub model at its pinned revision, then verify (or pin) its files."""
    hub = m.hf_repo
    if hub is None:
        console.print(Text(f"{m.name}: ships inside {m.source}; nothing to download"))
        return m
    repo, revision = hub
    target = resolve_location(m)
    try:
        from huggingface_hub import HfApi, snapshot_download
    except ImportError:
        raise ModelError("fetching hub models needs huggingface_hub (pip install sentence-transformers)") from None
    try:
        commit = HfApi().model_info(repo, revision=revision).sha or revision
        snapshot_download(repo_id=repo, revision=commit, local_dir=str(target))
    except Exception as err:  # noqa: BLE001 - any network failure ends in one line
        raise ModelError(f"could not download {repo}@{revision}: {err}") from None
    if m.files:
        verify(m, target)
        return m
    files = sorted(
        (str(p.relative_to(target)), sha256_file(p))
        for p in target.rglob("*")
        if p.is_file() and ".cache" not in p.parts and p.name not in {"README.md", ".gitattributes"}
    )
    console.print(Text(f"{m.name}: pinned {len(files)} files at {repo}@{commit} in models.lock"))
    return replace(m, source=f"hf:{repo}@{commit}", files=tuple(files))


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("models", help="list, verify or download the models pinned in models.lock")
    p.add_argument("action", choices=["list", "verify", "fetch"], nargs="?", default="list")
    p.add_argument("names", nargs="*", help="models (default: all)")
    p.set_defaults(func=run_models)


def run_models(args: argparse.Namespace) -> int:
    models = read_lock()
    names = args.names or list(models)
    unknown = [n for n in names if n not in models]
    if unknown:
        raise ModelError(f"unknown model(s) {', '.join(unknown)}; models.lock has {', '.join(models)}")
    if args.action == "list":
        table = Table("name", "backend", "dim", "source", "licence", "status")
        for n in names:
            m = models[n]
            status = _status(m)
            short = "ok" if status == "ok" else "not usable (see `aligner models verify`)"
            table.add_row(n, m.backend, str(m.dim), m.source, m.license, short)
        safe_console(highlight=False).print(table)
        return 0
    if args.action == "verify":
        bad = 0
        for n in names:
            status = _status(models[n])
            bad += status != "ok"
            console.print(Text(f"{n}: {status}"))
        return 1 if bad else 0
    changed = False
    models_dir().mkdir(parents=True, exist_ok=True)
    for n in names:
        new = fetch(models[n])
        changed |= new != models[n]
        models[n] = new
    if changed:
        path: Path = lock_path()
        path.write_text(dump_lock(models), encoding="utf-8")
    return 0
