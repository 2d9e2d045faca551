"""Per-sentence arrays the aligner works on, built from Documents and an encoder.

Everything here is array-valued and positional: row ``i`` describes sentence
``i`` of one side. Concatenation ("span") embeddings of 2-4 consecutive
sentences are not computed up front: :class:`SpanVectors` embeds only the
spans the second alignment pass asks for and approximates the rest.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.align.dots import indexed_dots
from aligner.align.units import continuations, speech_tags
from aligner.core.values import Document, Lang, Progress
from aligner.embed.encoders import Encoder

ANCHOR_DIM = 128
"""Width of the hashed bag of anchor tokens (numbers, Latin words, chapters)."""


@dataclass(frozen=True, eq=False)
class SideArrays:
    """One document side as arrays (all of length N)."""

    vecs: np.ndarray  # (N, d) float32, L2-normalised sentence embeddings
    lengths: np.ndarray  # (N,) float64, characters without whitespace (>= 1)
    paragraph: np.ndarray  # (N,) int64 paragraph number
    heading: np.ndarray  # (N,) bool
    anchors: np.ndarray  # (N, ANCHOR_DIM) float32 hashed anchor-token counts
    speech_tag: np.ndarray  # (N,) bool: only reports speech (aligner.align.units.speech_tags)
    continuation: np.ndarray  # (N,) bool: opens with a narrative connective (aligner.align.units.continuations)

    def __len__(self) -> int:
        return int(self.vecs.shape[0])


# --- anchors -----------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, ms in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in ms
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&+\-]*[A-Za-z0-9+]|[A-Z]")
_EN_MONTH = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?", re.I)
_KO_MONTH = re.compile(r"(\d{1,2})\s*월")
_SMALL_WORDS = frozenset(
    "a an the of in on at to for and or by with from as is are was be this that it its".split()
)


def _number_token(raw: str) -> str:
    digits = raw.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".") or "0"
    return "#" + digits


def anchor_tokens(text: str, lang: Lang) -> frozenset[str]:
    """Language-neutral tokens that survive translation: numbers, Latin words.

    Korean "제3장", "2017년 11월" and English "Chapter 3", "November 2017" give
    the same tokens (``#3``; ``#2017``, ``#11``). Only Latin words written in
    the Korean text are useful to match; on the English side every word is
    Latin, so the caller intersects implicitly by hashing both into one space
    and scoring shared mass.
    """
    text = unicodedata.normalize("NFKC", text)
    tokens: set[str] = set()
    if lang is Lang.EN:
        for m in _EN_MONTH.finditer(text):
            word = m.group(1).lower()
            if word != "may" or m.group(1)[0] == "M":
                tokens.add(f"#{_MONTHS[word]}")
    for m in _NUMBER.finditer(text):
        tokens.add(_number_token(m.group()))
    for m in _LATIN.finditer(text):
        word = m.group().lower()
        if word not in _SMALL_WORDS and len(word) > 1:
            tokens.add(word)
    return frozenset(tokens)


def _hash_token(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % ANCHOR_DIM


def anchor_matrix(texts: Sequence[str], lang: Lang, keep: frozenset[str] | None = None) -> np.ndarray:
    """(N, ANCHOR_DIM) hashed token counts; ``keep`` restricts to given tokens."""
    out = np.zeros((len(texts), ANCHOR_DIM), dtype=np.float32)
    for i, text in enumerate(texts):
        for tok in anchor_tokens(text, lang):
            if keep is None or tok in keep:
                out[i, _hash_token(tok)] += 1.0
    return out


def shared_anchor_vocab(src: Sequence[str], tgt: Sequence[str]) -> frozenset[str]:
    """Tokens seen on both sides (the only ones that can anchor anything)."""
    a = set().union(*(anchor_tokens(t, Lang.KO) for t in src)) if src else set()
    b = set().union(*(anchor_tokens(t, Lang.EN) for t in tgt)) if tgt else set()
    return frozenset(a & b)


# --- sides -------------------------------------------------------------------


def char_lengths(texts: Sequence[str]) -> np.ndarray:
    return np.array([max(1, len("".join(t.split()))) for t in texts], dtype=np.float64)


def side_arrays(
    doc: Document,
    vecs: np.ndarray,
    anchors: np.ndarray | None = None,
) -> SideArrays:
    n, korean = len(doc), doc.lang == Lang.KO
    if vecs.shape[0] != n:
        raise ValueError(f"{vecs.shape[0]} vectors for {n} sentences")
    return SideArrays(
        vecs=np.ascontiguousarray(vecs, dtype=np.float32),
        lengths=char_lengths(doc.texts),
        paragraph=np.array([s.paragraph for s in doc.sentences], dtype=np.int64),
        heading=np.array([s.heading for s in doc.sentences], dtype=bool),
        anchors=anchors if anchors is not None else np.zeros((n, ANCHOR_DIM), dtype=np.float32),
        speech_tag=speech_tags(doc.texts) if korean else np.zeros(n, dtype=bool),
        continuation=continuations(doc.texts) if korean else np.zeros(n, dtype=bool),
    )


def pair_arrays(
    src: Document,
    tgt: Document,
    encoder: Encoder,
    progress: Progress | None = None,
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[SideArrays, SideArrays]:
    """Build both documents' arrays, embedding their sentences unless ``vectors`` are given."""
    texts = src.texts + tgt.texts
    if vectors is not None:
        vecs = np.vstack(vectors) if texts else np.zeros((0, encoder.dim), np.float32)
    else:
        vecs = encoder.encode(texts, progress) if texts else np.zeros((0, encoder.dim), np.float32)
    vocab = shared_anchor_vocab(src.texts, tgt.texts)
    return (
        side_arrays(src, vecs[: len(src)], anchor_matrix(src.texts, src.lang, vocab)),
        side_arrays(tgt, vecs[len(src) :], anchor_matrix(tgt.texts, tgt.lang, vocab)),
    )


def synthetic_side(vecs: np.ndarray, lengths: np.ndarray | None = None) -> SideArrays:
    """Arrays for a side known only by its embeddings (tests, benchmarks)."""
    n = vecs.shape[0]
    return SideArrays(
        vecs=np.ascontiguousarray(vecs, dtype=np.float32),
        lengths=np.ones(n) * 100.0 if lengths is None else np.asarray(lengths, dtype=np.float64),
        paragraph=np.zeros(n, dtype=np.int64),
        heading=np.zeros(n, dtype=bool),
        anchors=np.zeros((n, ANCHOR_DIM), dtype=np.float32),
        speech_tag=np.zeros(n, dtype=bool),
        continuation=np.zeros(n, dtype=bool),
    )


@dataclass(frozen=True, eq=False)
class DocStats:
    """Per-document calibration shared by both alignment passes."""

    r_src: np.ndarray  # (N,) mean cosine of each source sentence to its k nearest targets
    r_tgt: np.ndarray  # (M,)
    r_mean: float  # mean of r_src and r_tgt together
    threshold: float  # score at which a match is as good as skipping
    scale: float  # typical best match minus typical unrelated pair
    log_ratio: float  # median log(src chars / tgt chars) of confident matches
    log_sd: float  # its robust spread
    noise_mean: float = 0.0  # median cosine of (mostly unrelated) pairs in the band
    noise_sd: float = 0.1  # their robust spread
    missing_src: float = 0.1  # estimated share of source sentences without a counterpart
    missing_tgt: float = 0.1
    skip_src: float = 0.0  # score of a 1-0 bead (aligner.align.completeness)
    skip_tgt: float = 0.0  # score of a 0-1 bead
    mutual: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))  # (i, j) mutual best matches


def span_sum(x: np.ndarray, starts: np.ndarray, k: int) -> np.ndarray:
    """Sum of x[s:s+k] for each start s (k is a bead's few sentences: no pass over all of x).

    Rows of a matrix (anchor-token counts) are summed in its own float type: small counts
    are exact in float32, and a float64 copy of 128 columns a cell would double the work.
    """
    out = x[starts].astype(np.float64) if x.ndim == 1 else x[starts]
    for d in range(1, k):
        out += x[starts + d]
    return out


@dataclass(frozen=True, eq=False)
class BeadFeatures:
    """Raw evidence for a batch of beads of one shape ``a``-``b`` (all arrays (K,))."""

    a: int
    b: int
    cos: np.ndarray  # cosine of the span embeddings
    norm: np.ndarray  # mean neighbourhood similarity of the bead's sentences
    log_len: np.ndarray  # log length ratio minus the document's own ratio
    anchors_shared: np.ndarray  # anchor tokens found on both sides
    anchors_alone: np.ndarray  # anchor tokens of the shared vocabulary found on one side only
    para_breaks: np.ndarray  # paragraph boundaries crossed inside the bead
    para_out_of_step: np.ndarray  # the bead starts a paragraph on one side only
    heading_mismatch: np.ndarray  # heading aligned with a non-heading (1-1 only)


def bead_features(
    si: np.ndarray,
    tj: np.ndarray,
    a: int,
    b: int,
    src: SideArrays,
    tgt: SideArrays,
    src_spans: SpanVectors,
    tgt_spans: SpanVectors,
    stats: DocStats,
) -> BeadFeatures:
    """Features of the beads ``src[si:si+a]`` <-> ``tgt[tj:tj+b]`` (a, b >= 1)."""
    cos = span_cosines(src_spans, si, a, tgt_spans, tj, b)
    norm = 0.5 * (span_sum(stats.r_src, si, a) / a + span_sum(stats.r_tgt, tj, b) / b)
    log_len = np.log(span_sum(src.lengths, si, a) / span_sum(tgt.lengths, tj, b)) - stats.log_ratio
    sanch = span_sum(src.anchors, si, a)
    tanch = span_sum(tgt.anchors, tj, b)
    inter = np.minimum(sanch, tanch).sum(axis=1).astype(np.float64)
    union = np.maximum(sanch, tanch).sum(axis=1).astype(np.float64)
    breaks = np.zeros(si.shape[0])
    for d in range(1, a):
        breaks += src.paragraph[si + d] != src.paragraph[si + d - 1]
    for d in range(1, b):
        breaks += tgt.paragraph[tj + d] != tgt.paragraph[tj + d - 1]
    out_of_step = (_starts_paragraph(src.paragraph, si) != _starts_paragraph(tgt.paragraph, tj)).astype(np.float64)
    if a == 1 and b == 1:
        mismatch = (src.heading[si] != tgt.heading[tj]).astype(np.float64)
    else:  # a heading merged with other sentences
        mismatch = np.zeros(si.shape[0])
        if a > 1:
            mismatch += span_sum(src.heading, si, a)
        if b > 1:
            mismatch += span_sum(tgt.heading, tj, b)
    return BeadFeatures(a, b, cos, norm, log_len, inter, union - inter, breaks, out_of_step, mismatch)


def _starts_paragraph(paragraph: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Whether sentence ``starts[k]`` is the first of its paragraph."""
    prev = paragraph[np.maximum(starts - 1, 0)]
    return (starts == 0) | (paragraph[starts] != prev)


def paragraphs_in_step(src_paragraph: np.ndarray, tgt_paragraph: np.ndarray, beads: Sequence[tuple[int, int]]) -> float:
    """Share of the paragraphs (of the side with fewer) that a bead starts on both sides at once.

    ``beads`` are the (first source, first target) sentences of an alignment's match beads.
    Near 1 when the two documents' paragraphs correspond; low for a brief or a reflowed text.
    """
    n_par = min(np.unique(src_paragraph).size, np.unique(tgt_paragraph).size)
    if n_par < 2 or not beads:
        return 0.0
    si = np.array([b[0] for b in beads])
    tj = np.array([b[1] for b in beads])
    both = _starts_paragraph(src_paragraph, si) & _starts_paragraph(tgt_paragraph, tj)
    return float(both.sum()) / n_par


# --- span (concatenation) embeddings -------------------------------------------


_CODE = 64  # span code = start * _CODE + length (lengths stay below it)


def span_cosines(
    src_spans: SpanVectors, si: np.ndarray, a: int, tgt_spans: SpanVectors, tj: np.ndarray, b: int
) -> np.ndarray:
    """Cosine of each bead ``src[si:si+a]`` <-> ``tgt[tj:tj+b]`` (float64), from the distinct span vectors."""
    u, iu = src_spans.distinct(si, a)
    v, iv = tgt_spans.distinct(tj, b)
    return indexed_dots(u, iu, v, iv)


def _unique_starts(starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(starts, return_inverse=True)`` without the sort when ``starts`` is already sorted
    (a band's cells come row by row)."""
    starts = np.asarray(starts)
    if starts.size and bool(np.all(starts[1:] >= starts[:-1])):
        new = np.empty(starts.shape[0], dtype=bool)
        new[0] = True
        np.not_equal(starts[1:], starts[:-1], out=new[1:])
        return starts[new], np.cumsum(new) - 1
    unique, inverse = np.unique(starts, return_inverse=True)
    return unique, inverse


class SpanVectors:
    """Embeddings of spans ``[start, start + k)`` of consecutive sentences.

    ``fetch`` embeds the requested spans with the encoder (when one was given)
    and returns the normalised mean of the sentence vectors for anything it
    cannot embed, so the aligner also runs on bare arrays.
    """

    def __init__(
        self, vecs: np.ndarray, texts: Sequence[str] | None = None, encoder: Encoder | None = None, joiner: str = " "
    ) -> None:
        self._vecs = vecs
        self._texts = list(texts) if texts is not None else None
        self._encoder = encoder
        self._joiner = joiner
        self._cache: dict[tuple[int, int], np.ndarray] = {}
        self._keys = np.zeros(0, dtype=np.int64)  # sorted span codes (start * _CODE + k) of ``_rows``
        self._rows = np.zeros((0, vecs.shape[1]), dtype=np.float32)
        self._indexed = 0  # how many cached spans the sorted index holds

    @property
    def can_embed(self) -> bool:
        return self._encoder is not None and self._texts is not None

    def mean(self, starts: np.ndarray, k: int) -> np.ndarray:
        """Normalised mean vectors of spans (vectorised approximation)."""
        # summed row by row (k is a bead's few sentences): a running sum of every row would cost
        # 8 bytes a dimension a sentence (820 MB for 100,000 sentences of 512-d vectors)
        s = self._vecs[starts].astype(np.float32)
        for d in range(1, k):
            s += self._vecs[starts + d]
        norms = np.linalg.norm(s, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        s /= norms
        return s

    def missing(self, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The multi-sentence spans of ``spans`` that ``embed`` would embed now (none without an encoder)."""
        if not self.can_embed:
            return []
        return sorted({sp for sp in spans if sp not in self._cache and sp[1] > 1})

    def embed(self, spans: Sequence[tuple[int, int]], progress: Progress | None = None) -> int:
        """Embed (start, k) spans not yet embedded (no-op without an encoder); how many were new."""
        if not self.can_embed:
            return 0
        assert self._texts is not None and self._encoder is not None
        todo = self.missing(spans)
        if not todo:
            return 0
        texts = [self._joiner.join(self._texts[s : s + k]) for s, k in todo]
        vecs = self._encoder.encode(texts, progress)
        for sp, v in zip(todo, vecs, strict=False):
            self._cache[sp] = v
        return len(todo)

    def get(self, starts: np.ndarray, k: int) -> np.ndarray:
        """Vectors of spans (start, k) for each start: embedded where known."""
        unique, inverse = self.distinct(starts, k)
        return unique[inverse]

    def distinct(self, starts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of the distinct spans (start, k) among ``starts``, and each start's row in them.

        A band repeats each start many times: spans are built once per distinct start, and the
        embedded ones are found by binary search in a sorted index (no loop over starts).
        """
        if k == 1:
            return self._vecs, np.asarray(starts).reshape(-1)
        unique, inverse = _unique_starts(starts)
        out = self.mean(unique, k)
        if self._cache:
            if self._indexed != len(self._cache):
                self._reindex()
            codes = unique.astype(np.int64) * _CODE + k
            at = np.minimum(np.searchsorted(self._keys, codes), self._keys.shape[0] - 1)
            hit = self._keys[at] == codes
            out[hit] = self._rows[at[hit]]
        return out, inverse.reshape(-1)

    def _reindex(self) -> None:
        keys = np.array([s * _CODE + k for s, k in self._cache], dtype=np.int64)
        order = np.argsort(keys)
        self._keys = keys[order]
        self._rows = np.stack(list(self._cache.values())).astype(np.float32)[order]
        self._indexed = len(self._cache)
