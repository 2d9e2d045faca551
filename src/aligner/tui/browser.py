"""The reader in a web browser: textual-serve runs one reader process per browser tab."""

from __future__ import annotations

from aligner.core.errors import AlignerError


def serve_in_browser(command: str, host: str, port: int) -> None:
    """Serve ``command`` (an ``aligner read`` command line) at ``http://host:port`` until interrupted."""
    try:
        from textual_serve.server import Server
    except ImportError as err:
        raise AlignerError("aligner serve needs textual-serve: pip install textual-serve") from err
    Server(command, host=host, port=port, title="aligner").serve()
