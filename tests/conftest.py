"""Shared fixtures. Every test runs offline with its own embedding cache."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_CACHE = tempfile.mkdtemp(prefix="aligner-test-cache-")
os.environ.setdefault("ALIGNER_CACHE_DIR", _CACHE)
os.environ.setdefault("ALIGNER_PROJECT_DIR", tempfile.mkdtemp(prefix="aligner-test-projects-"))
os.environ.setdefault("ALIGNER_STATE_DIR", tempfile.mkdtemp(prefix="aligner-test-state-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
"""The bundled sample (the repository's ``data/``)."""
FIXTURES = ROOT / "tests" / "data"
"""Fixtures copied into the repository (see ``tests/data/README.md``)."""
GOLD = FIXTURES / "gold" / "kiep-ko-en"
TMX_DTD = FIXTURES / "specs" / "tmx14.dtd"


@pytest.fixture(scope="session")
def kiep_paths() -> tuple[Path, Path]:
    return DATA / "kiep_ko.txt", DATA / "kiep_en.txt"


@pytest.fixture(scope="session")
def kiep_workspace(kiep_paths):  # type: ignore[no-untyped-def]
    """The bundled sample read, embedded, aligned and indexed with the real default model."""
    from aligner.session.workspace import open_pair

    return open_pair(*kiep_paths, use_project=False)


@pytest.fixture(scope="session")
def encoder():  # type: ignore[no-untyped-def]
    from aligner.embed.vector_cache import cached_encoder

    return cached_encoder()


@pytest.fixture(scope="module")
def chapters_workspace(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A short Korean–English pair in text files with two ``# `` headings (chapters) of two paragraphs each."""
    from aligner.session.workspace import open_pair

    from .test_book import EN_CHAPTERS, KO_CHAPTERS

    folder = tmp_path_factory.mktemp("chapters")
    (folder / "seasons_ko.txt").write_text(KO_CHAPTERS, encoding="utf-8")
    (folder / "seasons_en.txt").write_text(EN_CHAPTERS, encoding="utf-8")
    return open_pair(folder / "seasons_ko.txt", folder / "seasons_en.txt", use_project=False)


@pytest.fixture(scope="session")
def docx_workspace():  # type: ignore[no-untyped-def]
    """A real-format pair: the KIEP abstract and summary as LibreOffice wrote them to DOCX."""
    from aligner.session.workspace import open_pair

    return open_pair(FIXTURES / "formats" / "kiep_ko.docx", FIXTURES / "formats" / "kiep_en.docx", use_project=False)
