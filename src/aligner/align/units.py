"""Sentences that are not whole on their own: units aligned as one, and speech tags.

A text given one sentence a line, or a sentence splitter, may cut a sentence at a
full stop inside a parenthesis: "왕의 새어머니(시어머니. / 왕의 어머니가 친어머니가
아니었던 모양이네요)는 재판관 앞으로 붙들려갔어요."  Neither piece is a sentence:
each alone is a poor match for anything, and the aligner may call both untranslated.
A run of sentences held together by an open bracket is aligned as one unit (never
across a paragraph, at most ``MAX_UNIT`` sentences, so an unclosed bracket cannot
swallow the text); so is a note wholly in brackets with the sentence before it.

A Korean literary translation also writes the reporting clause of a quotation as a
sentence of its own ("새끼 염소들이 합창했어요. / “네 엄마. …”") where the English
has one sentence ("The kids said, “Dear mother, …”"); the sentence-embedding model
matches the bare clause with nothing.  :func:`speech_tags` finds such clauses; the
aligner makes skipping them cost more (they are not units: the tag may belong with
the quotation before it or after it, and a unit would drag a quotation into a skip).
A sentence that opens with a narrative connective ("그래서 엄마 염소는 … 길을 나섰어요.") is
often the second half of an English sentence the translator split: :func:`continuations`
finds them, and where a side looks complete skipping one costs a little more.

The beads are mapped back to the sentences.  Array-in, array-out: :func:`bracket_units`
reads texts, paragraph numbers and heading flags; the mapping functions work on bead
id tuples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from aligner.core.values import Bead, Document, Sentence
from aligner.embed.encoders import Encoder

OPEN = "([{（［｛"
CLOSE = ")]}）］｝"
MAX_UNIT = 3  # sentences one bracket may hold a unit together over
SPEECH_TAG = re.compile(
    r"^(?:[“\"][^“”\"]{1,12}[”\"]\s*(?:라며|라고|하고|하며)\s*)?"  # at most a word or two quoted: “없다,”라며 …
    r"[^“”\"'‘’「」『』]{1,30}"  # short, no quotation of its own
    r"(?:말|대답|물|외|소리|합창|속삭|중얼거|답|부르짖|덧붙|대꾸|여쭈|말씀하)(?:했|었|였|쳤|렸|셨)[가-힣]*[.!]?$"
)
"""A Korean sentence that only reports speech: "소녀가 울면서 말했어요.", "고양이가 대답했다." """
CONTINUATION = re.compile(r"^(?:왜냐하면|그래서|그러자|그러다가?|그리곤|그리고는|그제야|그러니|그랬더니|그러더니)\s")
"""A Korean sentence that opens with a narrative connective ("그래서 …", "그러자 …"): the second half of a
sentence the translator split ("… and so the old one went on her way")."""

Unit = tuple[int, int]  # (first sentence, number of sentences)


def _depth_after(text: str, depth: int) -> int:
    """Bracket depth after ``text``, starting at ``depth``; a closing bracket with none open
    (an emoticon's ":)") is ignored."""
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
    return depth


def bracket_units(texts: Sequence[str], paragraphs: Sequence[int], headings: Sequence[bool]) -> list[Unit]:
    """Consecutive runs covering every sentence.

    A sentence that ends inside a bracket is joined with the next one of its
    paragraph; a note wholly in brackets (a translator's "(해피엔딩 :) ㅎㅎ)") is
    joined with the unit before it, the one it comments on; a run held by a bracket
    holds at most ``MAX_UNIT`` sentences (a unit with its note twice that), and
    headings stay on their own.
    """
    units: list[Unit] = []
    k = 0
    while k < len(texts):
        size, depth = 1, _depth_after(texts[k], 0)
        while depth and size < MAX_UNIT and k + size < len(texts) and paragraphs[k + size] == paragraphs[k]:
            depth = _depth_after(texts[k + size], depth)
            size += 1
        if depth:  # never closed within reach: no unit, only the sentence
            size = 1
        if units and _is_note(" ".join(texts[k : k + size])) and _joins(units[-1], size, k, paragraphs, headings):
            first, before = units.pop()
            units.append((first, before + size))
        else:
            units.append((k, size))
        k += size
    return units


def speech_tags(texts: Sequence[str]) -> np.ndarray:
    """Which sentences only report speech (:data:`SPEECH_TAG`): pieces of a neighbouring bead."""
    return _matching(SPEECH_TAG, texts)


def continuations(texts: Sequence[str]) -> np.ndarray:
    """Which sentences open with a narrative connective (:data:`CONTINUATION`): the second half of a
    sentence the translator split, where the translation is complete."""
    return _matching(CONTINUATION, texts)


def _matching(pattern: re.Pattern[str], texts: Sequence[str]) -> np.ndarray:
    return np.array([bool(pattern.match(t.strip())) for t in texts], dtype=bool)


def _is_note(text: str) -> bool:
    """Wholly in brackets: "(해피엔딩 :) ㅎㅎ)", "(See Table 3.)"; not "(1) 첫째, …" (a list item)."""
    t = text.strip().rstrip(".!?。")
    return len(t) > 2 and t[0] in OPEN and t[-1] in CLOSE


def _joins(prev: Unit, size: int, k: int, paragraphs: Sequence[int], headings: Sequence[bool]) -> bool:
    first, before = prev
    return (
        before + size <= 2 * MAX_UNIT  # a note of up to MAX_UNIT sentences joins a whole unit
        and paragraphs[first] == paragraphs[k]
        and not headings[k - 1]
        and not any(headings[k : k + size])
    )


def split_notes(beads: Sequence[Bead], src_texts: Sequence[str], tgt_texts: Sequence[str]) -> tuple[Bead, ...]:
    """A bead that ends in a note wholly in brackets on both sides ("… (웃음)" / "… (Laughter)", a talk's
    cues; "(표 3 참조)" / "(See Table 3.)") gives the two notes a bead of their own, after the rest.
    A confirmed or edited bead is the user's and stays as it is."""
    out: list[Bead] = []
    for b in beads:
        ns, nt = _note_tail(b.src, src_texts), _note_tail(b.tgt, tgt_texts)
        if ns and nt and not (b.confirmed or b.edited):
            out.append(replace(b, src=b.src[:-ns], tgt=b.tgt[:-nt]))
            out.append(replace(b, src=b.src[-ns:], tgt=b.tgt[-nt:]))
        else:
            out.append(b)
    return tuple(out)


def _note_tail(ids: tuple[int, ...], texts: Sequence[str]) -> int:
    """How many of the last sentences of ``ids`` are a note wholly in brackets, the rest not empty (0: none)."""
    for n in range(1, min(MAX_UNIT, len(ids) - 1) + 1):
        if _is_note(" ".join(texts[i] for i in ids[-n:])):
            return n
    return 0


def uncut_units(units: list[Unit], side: int, constraints: Sequence[Bead]) -> list[Unit]:
    """``units`` with every unit that a constraint bead holds only part of split back into sentences
    (``side`` 0: the beads' source ids, 1: their target ids)."""
    owner: dict[int, int] = {}
    for k, c in enumerate(constraints):
        for i in c.src if side == 0 else c.tgt:
            owner[i] = k
    out: list[Unit] = []
    for first, size in units:
        held = {owner.get(i) for i in range(first, first + size)}
        if size > 1 and len(held) > 1:
            out.extend((i, 1) for i in range(first, first + size))
        else:
            out.append((first, size))
    return out


def unit_document(doc: Document, units: list[Unit]) -> Document:
    """The document with each unit as one sentence (its pieces' text joined by a space)."""
    sentences = []
    for u, (first, size) in enumerate(units):
        parts = doc.sentences[first : first + size]
        sentences.append(
            Sentence(
                index=u,
                text=" ".join(s.text for s in parts),
                start=parts[0].start,
                end=parts[-1].end,
                paragraph=parts[0].paragraph,
                heading=all(s.heading for s in parts),
            )
        )
    return replace(doc, sentences=tuple(sentences))


def unit_ids(units: list[Unit]) -> dict[int, int]:
    """Sentence id -> unit id."""
    return {first + d: u for u, (first, size) in enumerate(units) for d in range(size)}


def to_units(beads: Sequence[Bead], src_units: list[Unit], tgt_units: list[Unit]) -> list[Bead]:
    """Sentence-id beads (holding whole units, see :func:`uncut_units`) as unit-id beads."""
    su, tu = unit_ids(src_units), unit_ids(tgt_units)
    return [
        replace(b, src=tuple(dict.fromkeys(su[i] for i in b.src)), tgt=tuple(dict.fromkeys(tu[j] for j in b.tgt)))
        for b in beads
    ]


def to_sentences(beads: Sequence[Bead], src_units: list[Unit], tgt_units: list[Unit]) -> tuple[Bead, ...]:
    """Unit-id beads as sentence-id beads."""

    def ids(us: tuple[int, ...], units: list[Unit]) -> tuple[int, ...]:
        return tuple(i for u in us for i in range(units[u][0], units[u][0] + units[u][1]))

    return tuple(replace(b, src=ids(b.src, src_units), tgt=ids(b.tgt, tgt_units)) for b in beads)


def unit_vectors(vecs: np.ndarray, units: list[Unit], unit_doc: Document, encoder: Encoder) -> np.ndarray:
    """Sentence vectors as unit vectors: a one-sentence unit keeps its vector, a longer one is embedded."""
    out = vecs[[first for first, _ in units]].copy()
    joined = [u for u, (_, size) in enumerate(units) if size > 1]
    if joined:
        out[joined] = encoder.encode([unit_doc.sentences[u].text for u in joined])
    return out
