"""Text that remembers where each character came from, and the normalisations that keep that map.

``MappedText`` maps every character of a rewritten text back to its span in
the source (numpy index arrays), so a sentence found in normalised text can be
located in the original.  Only segmenting (a segmentation cache miss) needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.ingest.text import INVISIBLE

IndexArray = npt.NDArray[np.int64]


# --------------------------------------------------------------------------- mapped text


@dataclass(frozen=True)
class MappedText:
    """Text whose character ``i`` came from ``source[starts[i]:ends[i]]``."""

    text: str
    starts: IndexArray
    ends: IndexArray

    @staticmethod
    def identity(text: str) -> MappedText:
        idx = np.arange(len(text), dtype=np.int64)
        return MappedText(text, idx, idx + 1)

    def __len__(self) -> int:
        return len(self.text)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of ``self.text[a:b]`` (``b > a``)."""
        return int(self.starts[a]), int(self.ends[b - 1])

    def rewrite(self, edits: Iterable[tuple[int, int, str]]) -> MappedText:
        """Replace each ``text[s:e]`` by ``repl`` (edits sorted, non-overlapping)."""
        pieces: list[str] = []
        first: list[IndexArray] = []
        last: list[IndexArray] = []
        pos = 0
        for s, e, repl in edits:
            if s > pos:
                pieces.append(self.text[pos:s])
                run = np.arange(pos, s, dtype=np.int64)
                first.append(run)
                last.append(run)
            if repl:
                pieces.append(repl)
                lo, hi = (s, e - 1) if e > s else (max(s - 1, 0), max(s - 1, 0))
                first.append(np.full(len(repl), lo, dtype=np.int64))
                last.append(np.full(len(repl), hi, dtype=np.int64))
            pos = e
        if pos == 0 and not pieces:
            return self
        if pos < len(self.text):
            pieces.append(self.text[pos:])
            run = np.arange(pos, len(self.text), dtype=np.int64)
            first.append(run)
            last.append(run)
        f = np.concatenate(first) if first else np.zeros(0, dtype=np.int64)
        g = np.concatenate(last) if last else np.zeros(0, dtype=np.int64)
        return MappedText("".join(pieces), self.starts[f], self.ends[g])

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str | None]) -> MappedText:
        """Regex substitution keeping the map; ``repl`` returning None keeps the match."""
        edits = []
        for m in pattern.finditer(self.text):
            r = repl(m)
            if r is not None and r != m.group(0):
                edits.append((m.start(), m.end(), r))
        return self.rewrite(edits) if edits else self

    def join(self, spans: list[tuple[int, int]], sep: str = " ") -> MappedText:
        """Concatenate ``text[a:b]`` for each span, separated by ``sep``.

        Each separator maps to the last character of the span before it.
        """
        pieces: list[str] = []
        idx: list[IndexArray] = []
        for k, (a, b) in enumerate(spans):
            if k and sep:
                pieces.append(sep)
                idx.append(np.full(len(sep), max(spans[k - 1][1] - 1, 0), dtype=np.int64))
            pieces.append(self.text[a:b])
            idx.append(np.arange(a, b, dtype=np.int64))
        i = np.concatenate(idx) if idx else np.zeros(0, dtype=np.int64)
        return MappedText("".join(pieces), self.starts[i], self.ends[i])


# --------------------------------------------------------------------------- normalisation

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_CHAR_RE = re.compile(
    f"\\r\\n?|[\\x0b\\x0c\\u2028\\u2029\\x85]|[{_SPACES}]|[{INVISIBLE}]"
    "|[\\x00-\\x08\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f]|[\\uff01-\\uff5e]"
)


def _char_repl(m: re.Match[str]) -> str:
    c = m.group(0)
    if c[0] in "\r\x0b\x0c\u2028\u2029\x85":
        return "\n"
    if c in _SPACES:
        return " "
    if "\uff01" <= c <= "\uff5e":
        return chr(ord(c) - 0xFEE0)
    return ""  # zero-width, soft hyphen, stray control characters


def normalize_chars(source: str) -> MappedText:
    """CRLF/CR → LF, exotic spaces → space, zero-width and control chars (C0 but
    tab and newline, DEL, C1) removed, full-width ASCII forms → ASCII; the result
    maps back to ``source``.  So no sentence text ever holds an escape sequence."""
    return MappedText.identity(source).sub(_CHAR_RE, _char_repl)


_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_BOLD_RE = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")


def repair_markdown(text: MappedText) -> MappedText:
    """Undo markdown escapes (``\\$`` → ``$``) and ``**bold**`` markers."""
    text = text.sub(_MD_ESCAPE_RE, lambda m: m.group(1))
    edits: list[tuple[int, int, str]] = []
    for m in _MD_BOLD_RE.finditer(text.text):
        edits.append((m.start(), m.start() + 2, ""))
        edits.append((m.end() - 2, m.end(), ""))
    return text.rewrite(edits) if edits else text
