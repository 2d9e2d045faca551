"""Where aligner keeps things: the bundled sample, the user cache, the user's project files,
the reader's remembered state."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "aligner"
CACHE_ENV = "ALIGNER_CACHE_DIR"
PROJECT_DIR_ENV = "ALIGNER_PROJECT_DIR"
STATE_DIR_ENV = "ALIGNER_STATE_DIR"
SAMPLE_FILES = ("kiep_ko.txt", "kiep_en.txt")

PROJECT_SUFFIX = ".aligner.json"
"""A corrections project file's name ends so; ``<name>.bak`` is its backup."""
BACKUP_SUFFIX = ".bak"
LOCK_SUFFIX = ".lock"
"""``.<project name>.lock`` beside a project file: held by the session editing it."""
SET_ASIDE_KINDS = ("damaged", "conflict")
"""``<name>.damaged-<UTC time>.json``: an unreadable project file moved aside;
``<name>.conflict-<UTC time>.json``: another program's version moved aside before a save."""


def cache_dir() -> Path:
    """The user cache (embeddings, segmentation, unpacked weights); ``$ALIGNER_CACHE_DIR`` overrides it."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir(APP_NAME))


def user_projects_dir() -> Path:
    """Where project files go when the documents' directory is not writable
    and for the bundled sample; ``$ALIGNER_PROJECT_DIR`` overrides it."""
    env = os.environ.get(PROJECT_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "projects"


def user_state_dir() -> Path:
    """What the reader remembers between sessions (position, view, theme, search history);
    ``$ALIGNER_STATE_DIR`` overrides it."""
    env = os.environ.get(STATE_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The bundled ``data/`` folder (repository checkout or installed package)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / SAMPLE_FILES[0]
        if candidate.is_file():
            return candidate.parent
    return Path(str(resources.files(APP_NAME) / "data"))


def sample_paths() -> tuple[Path, Path]:
    """The bundled KIEP sample: the Korean abstract and the English summary."""
    d = data_dir()
    return d / SAMPLE_FILES[0], d / SAMPLE_FILES[1]
