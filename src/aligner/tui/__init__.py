"""The Textual terminal reader and translator's workbench (``aligner read``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aligner.tui.app import AlignerApp

__all__ = ["AlignerApp", "create_app"]


def create_app(*args: Any, **kwargs: Any) -> AlignerApp:
    """See :func:`aligner.tui.app.create_app` (imported lazily: Textual loads only when needed)."""
    from aligner.tui.app import create_app as _create_app

    return _create_app(*args, **kwargs)
