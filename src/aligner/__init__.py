"""aligner: a bilingual Korean–English aligned-text reader.

The version is the installed distribution's (``version`` in pyproject.toml, the one place it is
written), read from the package metadata when first asked for: ``aligner.__version__`` or
``aligner.version()``. It is looked up lazily because importing ``importlib.metadata`` costs
tens of milliseconds, which ``aligner read`` would otherwise pay before its first screen.
"""

from __future__ import annotations

import functools

DISTRIBUTION = "aligner"
"""The name aligner is installed under (pyproject's ``[project] name``)."""

UNKNOWN_VERSION = "0+unknown"
"""The version reported by a source tree that was never installed (no metadata to read)."""


@functools.cache
def version() -> str:
    """The installed aligner's version, from its package metadata."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version(DISTRIBUTION)
    except PackageNotFoundError:
        return UNKNOWN_VERSION


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
