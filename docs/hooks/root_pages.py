"""MkDocs hook: the repository's top-level pages are pages of the site too.

BENCHMARKS.md, CHANGELOG.md and CONTRIBUTING.md live at the top of the repository, where a
reader of the repository finds them; the manual in docs/ links to them as ``../BENCHMARKS.md``
and they link into it as ``docs/reader.md``, the paths a repository browser follows. This hook
adds them to the site at its top level and rewrites those two kinds of link to the site's paths,
so that ``mkdocs build --strict`` checks them like any other link (a target that is missing
still fails the build).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT_PAGES = ("BENCHMARKS.md", "CHANGELOG.md", "CONTRIBUTING.md")
"""Top-level pages built into the site, at the site's top level."""

_TO_ROOT_PAGE = re.compile(r"\]\(\.\./(" + "|".join(re.escape(name) for name in ROOT_PAGES) + r")")
_INTO_DOCS = re.compile(r"\]\(docs/")


def on_files(files: Files, config: Any) -> Files:
    root = Path(config.config_file_path).parent
    for name in ROOT_PAGES:
        files.append(File.generated(config, name, abs_src_path=str(root / name)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if page.file.src_uri in ROOT_PAGES:
        return _INTO_DOCS.sub("](", markdown)
    return _TO_ROOT_PAGE.sub(r"](\1", markdown)
