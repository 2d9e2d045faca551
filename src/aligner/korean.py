"""Shared kiwipiepy analyser (loaded once, lazily, thread-safe) and lemma helpers."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_kiwi: Any = None
kiwi_lock = threading.RLock()
"""Serialises calls into the shared Kiwi (its analyser is not documented as thread-safe)."""

# Content-bearing part-of-speech tags: nouns, verbs/adjectives (as lemmas), roots,
# Latin-script words, Chinese characters and numbers.
CONTENT_TAGS = ("NNG", "NNP", "NR", "XR", "SL", "SH", "SN", "VV", "VA", "MAG")


def get_kiwi() -> Any:
    """The process-wide ``kiwipiepy.Kiwi`` instance."""
    global _kiwi
    with kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


def _lemma(form: str, tag: str) -> str:
    if tag.startswith(("VV", "VA")):
        return form + "다"
    if tag in ("SL",):
        return form.lower()
    return form


@lru_cache(maxsize=4096)
def lemmas(text: str) -> tuple[str, ...]:
    """Content lemmas of ``text`` in order: "추진하고 있다" -> ("추진",)."""
    if not text.strip():
        return ()
    kiwi = get_kiwi()
    with kiwi_lock:
        tokens = kiwi.tokenize(text)
    out: list[str] = []
    for tok in tokens:
        tag = str(tok.tag).split("-")[0]
        if tag in CONTENT_TAGS:
            out.append(_lemma(tok.form, tag))
    return tuple(out)
