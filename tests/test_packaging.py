"""What a maintained package promises: one version, shown by ``aligner --version`` and recorded in
the changelog; an SPDX licence the build back end understands."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import aligner
from aligner.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_version_flag_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    out = capsys.readouterr()
    assert out.out == f"aligner {importlib.metadata.version('aligner')}\n"
    assert out.err == ""


def test_version_flag_as_a_user_runs_it() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    res = subprocess.run(
        [sys.executable, "-m", "aligner", "--version"], capture_output=True, text=True, env=env, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"aligner {PYPROJECT['project']['version']}"


def test_the_version_is_pyprojects_and_written_nowhere_else() -> None:
    assert aligner.__version__ == aligner.version() == importlib.metadata.version("aligner")
    assert aligner.version() == PYPROJECT["project"]["version"]  # an install older than the checkout fails here
    source = (ROOT / "src" / "aligner" / "__init__.py").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["version"] not in source


def test_an_uninstalled_tree_says_its_version_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    aligner.version.cache_clear()
    try:
        assert aligner.version() == aligner.UNKNOWN_VERSION
    finally:
        aligner.version.cache_clear()
    with pytest.raises(AttributeError):
        _ = aligner.no_such_attribute


def test_reading_the_parser_does_not_read_the_package_metadata() -> None:
    """``aligner read`` builds its parser before its first screen; importlib.metadata costs ~50 ms."""
    code = (
        "import sys; from aligner.cli.main import build_parser; build_parser('read'); "
        "print('importlib.metadata' in sys.modules)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "False"


def test_the_changelog_has_a_section_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    version = re.escape(PYPROJECT["project"]["version"])
    assert re.search(rf"^## \[{version}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.MULTILINE)


def test_the_licence_is_an_spdx_expression_the_build_backend_supports(tmp_path: Path) -> None:
    assert PYPROJECT["project"]["license"] == "MIT"  # not the deprecated {text = ...} table
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    requires = " ".join(PYPROJECT["build-system"]["requires"])
    floor = re.search(r"setuptools>=(\d+)", requires)
    assert floor and int(floor.group(1)) >= 77  # PEP 639 license strings: setuptools 77
    # The back end builds the metadata with its deprecation warnings as errors (the table form warns).
    code = (
        "import sys, warnings; from setuptools.warnings import SetuptoolsDeprecationWarning as W; "
        "warnings.simplefilter('error', W); from setuptools import build_meta; "
        "print(build_meta.prepare_metadata_for_build_wheel(sys.argv[1]))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert res.returncode == 0, res.stderr[-2000:]
    metadata = (tmp_path / res.stdout.splitlines()[-1] / "METADATA").read_text(encoding="utf-8")
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
