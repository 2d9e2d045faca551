"""The documentation: the manual builds as a site with every internal link resolved, the top-level
pages' links resolve as a repository browser follows them, and the README stays a first screen."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL_PAGES = ("README.md", "CONTRIBUTING.md", "CHANGELOG.md", "BENCHMARKS.md")
README_MAX_LINES = 150


def _mkdocs_build(config_dir: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        capture_output=True, text=True, cwd=config_dir, timeout=300,
    )


def _links(markdown: str) -> list[str]:
    """Every link and image target of a Markdown page, as CommonMark reads it."""
    targets: list[str] = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        for child in token.children or ():
            if child.type == "link_open":
                targets.append(str(child.attrs["href"]))
            elif child.type == "image":
                targets.append(str(child.attrs["src"]))
    return targets


def _github_anchors(markdown: str) -> set[str]:
    """The anchors a repository browser gives the headings of a page (GitHub's rule: lower case,
    punctuation dropped, spaces to hyphens, a repeated slug numbered)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    seen: Counter[str] = Counter()
    anchors = set()
    for opening, inline in itertools.pairwise(tokens):
        if opening.type != "heading_open":
            continue
        slug = re.sub(r"[^\w\- ]", "", inline.content.strip().lower()).replace(" ", "-")
        anchors.add(slug if not seen[slug] else f"{slug}-{seen[slug]}")
        seen[slug] += 1
    return anchors


def _broken_links(page: Path) -> list[str]:
    broken = []
    for target in _links(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: — not checked offline
            continue
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve() if path_part else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in _github_anchors(resolved.read_text("utf-8")):
            broken.append(f"{target}: no heading with that anchor")
    return broken


def test_the_manual_builds_with_every_link_resolved(tmp_path: Path) -> None:
    res = _mkdocs_build(ROOT, tmp_path / "site")
    assert res.returncode == 0, res.stderr
    assert "WARNING" not in res.stderr
    for page in ("index.html", "reader/index.html", "guarantees/index.html", "CHANGELOG/index.html"):
        assert (tmp_path / "site" / page).is_file(), page
    benchmarks = (tmp_path / "site" / "benchmarks" / "index.html").read_text(encoding="utf-8")
    assert 'href="../BENCHMARKS/' in benchmarks  # the pointer reaches the results page in the site too


def test_a_broken_link_or_anchor_fails_the_build(tmp_path: Path) -> None:
    """The link check is real: strict mode turns a link to a missing page or heading into a failure."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", copy / "docs")
    for name in ("mkdocs.yml", *TOP_LEVEL_PAGES):
        shutil.copy(ROOT / name, copy / name)
    page = copy / "docs" / "models.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSee [the reader](reader.md#no-such-heading) and [gone](gone.md).\n",
        encoding="utf-8",
    )
    res = _mkdocs_build(copy, tmp_path / "site")
    assert res.returncode != 0
    assert "gone.md" in res.stderr
    assert "no-such-heading" in res.stderr


@pytest.mark.parametrize("name", TOP_LEVEL_PAGES)
def test_links_of_the_top_level_pages_resolve(name: str) -> None:
    assert _broken_links(ROOT / name) == []


def test_the_link_check_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# A heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md#a-heading) [missing](missing.md) [anchor](there.md#nope) [web](https://example.org)\n",
        encoding="utf-8",
    )
    assert _broken_links(page) == ["missing.md: no such file", "there.md#nope: no heading with that anchor"]


def test_the_readme_is_a_first_screen() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert len(lines) <= README_MAX_LINES
    first_screen = "\n".join(lines[:40])
    assert re.search(r"^make install\b", first_screen, re.MULTILINE)
    assert re.search(r"^make run\b", first_screen, re.MULTILINE)  # the two set-up commands
    assert re.search(r"^make test\b", first_screen, re.MULTILINE)
    assert re.search(r"^aligner read \S+ \S+", first_screen, re.MULTILINE)  # your own two files
    screenshot = next(t for t in _links(readme) if t.endswith((".svg", ".png")))
    head = (ROOT / screenshot).read_bytes()[:200]
    assert head.startswith(b"<svg") or head.startswith(b"\x89PNG")


def test_the_readme_lists_every_subcommand() -> None:
    from aligner.cli.main import SUBCOMMAND_MODULES, build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    commands = list(choices or ())
    assert len(commands) == len(SUBCOMMAND_MODULES)
    missing = [name for name in commands if not re.search(rf"^aligner {name}\b", readme, re.MULTILINE)]
    assert missing == []


def test_make_check_builds_the_docs_strictly() -> None:
    """``make check`` depends on ``make docs``, which must not pass --quiet: mkdocs counts the warnings
    that --strict fails on through its log, and --quiet drops them (a broken link then passes)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    check = re.search(r"^check:(.*)$", makefile, re.MULTILINE)
    assert check and "docs" in check.group(1).split()
    recipe = re.search(r"^docs:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe
    build = [line for line in recipe.group(1).splitlines() if "mkdocs build" in line]
    assert len(build) == 1 and "--strict" in build[0]
    assert not re.search(r"\s(-q|--quiet)\b", build[0])
