"""A bilingual glossary learned from aligned beads.

``build_glossary`` pairs Korean term candidates with English ones (see
``aligner.glossary.inventory``) by independent kinds of evidence:

- association: how consistently the two occur in the same aligned beads
  (Dice over bead-level counts, shrunk towards zero for rare terms);
- similarity: the cosine of the terms' own multilingual embeddings averaged
  with a part-by-part match of their words/morphemes ("개인정보보호" covers
  "personal information protection", not just "personal information"), with
  mild priors for the same number of parts and against English phrases ending
  in an adjective; for transliterated names and loanwords that the encoder
  knows poorly ("광둥성"/"Guangdong Province") how alike they sound counts too.

Association weighs more as two terms share more beads. Fragments that
(almost) never occur outside one longer candidate are dropped first
("Industrial Revolution" inside "4th Industrial Revolution", "인공" inside
"인공지능"). Pairs are then chosen by competitive linking: best score first,
each Korean term takes one English term (a second only when nearly as strong
and not a mere extension of the first), a longer Korean term takes the
English term from its sub-term when they share it as often and the English
covers what it adds ("규제 완화", not "규제", is "deregulation"; "특허신청", not
"특허신청 건수", is "patent applications"), and an English term already taken is
reused only by a variant of its owner ("베이징"/"베이징시" -> "Beijing") or a term
glossed with it. Pairs below
``MIN_CONFIDENCE`` are left out. Each chosen pair then gets its kind (term,
proper name or general word) and its termhood — how specific it is to the
document compared with general language, less where it is mostly nested in
longer terms; fragments of longer terms are dropped (``aligner.glossary.termhood``), and
phrases built on another entry weigh less (``aligner.glossary.phrases``). A term the Korean
glosses in Latin brackets ("정보통신기술(ICT)") counts as spelled alike with that gloss.
The glossary is ordered by ``TermPair.rank_score``, the one ranking the
exports, the glossary pane and the term picker share. Where a term occurs:
``aligner.glossary.concordance``; the terms of one pair: ``aligner.glossary.pair_terms``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import product

import numpy as np

from aligner.core.values import Alignment, Progress
from aligner.embed.encoders import Encoder
from aligner.glossary.concordance import concordance as concordance  # re-exported: imported from here elsewhere
from aligner.glossary.concordance import term_lang as term_lang  # re-exported: imported from here elsewhere
from aligner.glossary.inventory import Inventory, inventories
from aligner.glossary.lexicon import looks_adjectival
from aligner.glossary.phrases import phrases_weighed
from aligner.glossary.termhood import Nesting, TermKind, general_zipf, kind_of, nesting, parts_zipf, termhood
from aligner.glossary.transliteration import sound_similarity

TOP_PER_TERM = 40  # English partners kept per Korean term (by association, ties kept)
SIM_FLOOR = 0.2  # cosine at which similarity evidence starts
SIM_SPAN = 0.75  # cosine range mapped onto [0, 1]
SOUND_FLOOR = 0.75  # sound similarity at which transliteration evidence starts
SOUND_SPAN = 0.2
ADJECTIVE_PENALTY = 0.7  # an English candidate ending in an adjective is rarely the term
SHAPE_PENALTY = 0.04  # per part of difference between the Korean and the English term
SIM_WEIGHT_MAX = 0.65  # weight of similarity vs association for pairs sharing one bead...
SIM_WEIGHT_MIN = 0.4  # ...falling towards this as they share more
MIN_CONFIDENCE = 0.4
SPELLED_ALIKE_BONUS = 1e-4  # "I-KOREA 4.0" takes "I-KOREA 4.0" rather than "I-KOREA" when both score alike
TRUSTED_CONFIDENCE = 0.5
"""A pair below this confidence is listed but never taught to a learner (``TermPair.trusted``)..."""
TRUSTED_SINGLE_SIMILARITY = 0.6
"""...nor one seen in a single pair whose terms' meanings (cosine) are further apart than this: one
co-occurrence alone pairs "촉진" with "Made" (of "Made in China 2025") and "실현" with "advancement"."""
UNTRUSTED_WEIGHT = 0.7  # an entry never taught to a learner ranks below the trusted ones like it
SECOND_RATIO = 0.85  # a second English term must score this close to the first...
SECOND_MIN = 0.6  # ...and be confident on its own
LONGER_RATIO = 0.9  # a longer Korean term this close takes the English term from its sub-term...
ADDED_COVERED = 0.35  # ...when what it adds means something in that English term (cosine; "완화" / "deregulation")
REUSE_RATIO = 0.85  # a variant reusing a taken English term must score this close to the owner


@dataclass(frozen=True)
class TermPair:
    """One glossary entry.

    ``frequency`` counts the aligned beads where both terms occur (``ko_beads``
    and ``en_beads`` those with each); ``confidence`` in [0, 1] combines
    ``association`` (shrunk bead Dice) and similarity (``similarity`` is the raw
    cosine of the two terms' embeddings); ``example`` is the index (into
    ``alignment.beads``) of a short bead showing both. ``kind`` says whether it
    is a term, a proper name or a general word and ``termhood`` in [0, 1] how
    specific it is to the document (see ``aligner.glossary.termhood``).
    """

    ko: str
    en: str
    frequency: int
    confidence: float
    example: int
    ko_beads: int = 0
    en_beads: int = 0
    similarity: float = 0.0
    association: float = 0.0

    kind: TermKind = TermKind.TERM
    termhood: float = 1.0

    @property
    def trusted(self) -> bool:
        """Sure enough to teach: confident, and, when seen together in one pair only, alike in meaning
        too (one shared pair is weak evidence: any two words of one sentence share it)."""
        return self.confidence >= TRUSTED_CONFIDENCE and (
            self.frequency >= 2 or self.similarity >= TRUSTED_SINGLE_SIMILARITY
        )

    @property
    def rank_score(self) -> float:
        """The one ordering of the glossary: confident pairs seen in several beads first,
        weighted by how term-like they are (``aligner.glossary.termhood``)."""
        spread = (1.0 - 0.5 ** min(self.frequency, 8)) ** 0.5
        return self.confidence * spread * self.termhood * (1.0 if self.trusted else UNTRUSTED_WEIGHT)


def _incidence(inv: Inventory, keys: list[str], column: dict[int, int]) -> np.ndarray:
    mat = np.zeros((len(keys), len(column)), dtype=np.float32)
    for r, key in enumerate(keys):
        for b in inv.beads[key]:
            c = column.get(b)
            if c is not None:
                mat[r, c] = 1.0
    return mat


def similarity_score(cos: np.ndarray) -> np.ndarray:
    return np.clip((np.asarray(cos, dtype=np.float64) - SIM_FLOOR) / SIM_SPAN, 0.0, 1.0)


def association_score(co: np.ndarray, fk: np.ndarray, fe: np.ndarray) -> np.ndarray:
    """Dice over beads, shrunk for rare terms: 1/1/1 -> 0.67, 10/10/10 -> 0.95."""
    return np.asarray(2.0 * co / (fk + fe + 1.0), dtype=np.float64)


def combine(sim: np.ndarray, assoc: np.ndarray, co: np.ndarray) -> np.ndarray:
    """Weighted geometric mean: both kinds of evidence are needed.

    Association over one shared bead says little; over many it says a lot, so
    its weight grows with the number of shared beads.
    """
    w = SIM_WEIGHT_MIN + (SIM_WEIGHT_MAX - SIM_WEIGHT_MIN) / np.maximum(co, 1.0)
    return np.asarray(np.power(np.maximum(sim, 1e-9), w) * np.power(np.maximum(assoc, 1e-9), 1 - w))


@dataclass
class Scored:
    """Every candidate pair with its evidence (parallel arrays over pairs)."""

    ko: Inventory
    en: Inventory
    ko_keys: list[str]
    en_keys: list[str]
    rows: np.ndarray  # Korean key index per pair
    cols: np.ndarray  # English key index per pair
    co: np.ndarray  # beads with both, per pair
    fk: np.ndarray  # beads with the Korean term, per Korean key
    fe: np.ndarray  # beads with the English term, per English key
    cos: np.ndarray
    assoc: np.ndarray
    score: np.ndarray
    linking: np.ndarray  # ``score`` with sub-terms demoted where a longer term claims the English (``link``)


def _candidate_pairs(
    kmat: np.ndarray, emat: np.ndarray, fk: np.ndarray, fe: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, co): per Korean key, its most associated English keys (ties kept)."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    shared: list[np.ndarray] = []
    step = max(1, 2_000_000 // max(1, emat.shape[0]))
    for start in range(0, kmat.shape[0], step):
        co = kmat[start : start + step] @ emat.T
        assoc = association_score(co, fk[start : start + step, None], fe[None, :])
        assoc[co == 0] = 0.0
        k = min(TOP_PER_TERM, assoc.shape[1]) - 1
        cut = -np.partition(-assoc, k, axis=1)[:, k : k + 1]
        keep_r, keep_c = np.nonzero((assoc >= cut) & (assoc > 0))
        rows.append(keep_r + start)
        cols.append(keep_c)
        shared.append(co[keep_r, keep_c])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(shared)


def score_pairs(alignment: Alignment, encoder: Encoder, progress: Progress | None = None) -> Scored | None:
    """Candidate pairs of ``alignment`` scored by association and similarity."""
    ko_inv, en_inv = inventories(alignment, progress)
    matched = [b for b, bead in enumerate(alignment.beads) if bead.src and bead.tgt]
    column = {b: c for c, b in enumerate(matched)}
    ko_keys = sorted(k for k, beads in ko_inv.beads.items() if beads & column.keys())
    en_keys = sorted(k for k, beads in en_inv.beads.items() if beads & column.keys())
    if not ko_keys or not en_keys:
        return None
    kmat = _incidence(ko_inv, ko_keys, column)
    emat = _incidence(en_inv, en_keys, column)
    fk, fe = kmat.sum(axis=1), emat.sum(axis=1)
    pr, pc, co = _candidate_pairs(kmat, emat, fk, fe)
    used_en = np.unique(pc)
    ko_text = [ko_inv.surface(k) for k in ko_keys]
    en_text = [en_inv.surface(en_keys[c]) for c in used_en.tolist()]

    def embed_progress(_label: str, done: int, total: int) -> None:
        if progress:
            progress("embedding terms", done, total)

    vecs = encoder.encode(ko_text + en_text, embed_progress)
    kvec, evec = vecs[: len(ko_text)], vecs[len(ko_text) :]
    en_row = np.searchsorted(used_en, pc)
    cos = np.empty(len(pr), dtype=np.float64)
    for s in range(0, len(pr), 20_000):
        cos[s : s + 20_000] = np.einsum("ij,ij->i", kvec[pr[s : s + 20_000]], evec[en_row[s : s + 20_000]])
    assoc = association_score(co, fk[pr], fe[pc])
    comp = _compositional(ko_inv, en_inv, ko_keys, en_keys, pr, pc, cos, encoder)
    sim = similarity_score((cos + comp) / 2) * _shape_prior(ko_inv, en_inv, ko_keys, en_keys, pr, pc)
    adjectival = np.array([looks_adjectival(en_keys[c].rsplit(" ", 1)[-1]) for c in range(len(en_keys))])
    alike = np.array(
        [
            _spelled_alike(ko_keys[r], en_keys[c]) or en_keys[c] in ko_inv.glosses.get(ko_keys[r], ())
            for r, c in zip(pr.tolist(), pc.tolist(), strict=True)
        ],
        dtype=bool,
    )
    sim[alike & (assoc >= 0.3)] = 1.0
    for p in np.nonzero((assoc >= 0.3) & (sim < 0.9))[0].tolist():
        r = int(pr[p])
        sound = (sound_similarity(ko_text[r], en_text[int(en_row[p])], SOUND_FLOOR) - SOUND_FLOOR) / SOUND_SPAN
        sim[p] = max(sim[p], min(1.0, sound))
    sim = np.where(adjectival[pc], sim * ADJECTIVE_PENALTY, sim)
    score = combine(sim, assoc, co) + SPELLED_ALIKE_BONUS * alike  # the same spelling wins a tie
    linking = _prefer_longer_korean(ko_keys, en_text, en_row, pr, pc, co, score, encoder)
    if progress:
        progress("pairing terms", 1, 1)
    return Scored(ko_inv, en_inv, ko_keys, en_keys, pr, pc, co, fk, fe, cos, assoc, score, linking)


def _spelled_alike(ko_key: str, en_key: str) -> bool:
    """The same Latin spelling on both sides, spaces and hyphens aside ("I-KOREA 4.0", "ICT")."""
    return _squashed(ko_key) == _squashed(en_key)


def _squashed(key: str) -> str:
    return key.replace("-", "").replace(" ", "")


def _compositional(
    ko_inv: Inventory,
    en_inv: Inventory,
    ko_keys: list[str],
    en_keys: list[str],
    pr: np.ndarray,
    pc: np.ndarray,
    cos: np.ndarray,
    encoder: Encoder,
) -> np.ndarray:
    """Part-by-part similarity (an F1 of best matches between the terms' parts).

    "개인정보보호" covers "personal information protection" part for part, but
    only two thirds of "personal information". Single-part pairs keep ``cos``.
    """
    comp = cos.copy()
    multi = np.array(
        [len(ko_inv.parts[ko_keys[r]]) > 1 or len(en_inv.parts[en_keys[c]]) > 1 for r, c in zip(pr, pc, strict=True)]
    )
    todo = np.nonzero(multi)[0]
    if not len(todo):
        return comp
    ko_parts = sorted({w for r in set(pr[todo].tolist()) for w in ko_inv.parts[ko_keys[r]]})
    en_parts = sorted({w for c in set(pc[todo].tolist()) for w in en_inv.parts[en_keys[c]]})
    vecs = encoder.encode(ko_parts + en_parts)
    sims = vecs[: len(ko_parts)] @ vecs[len(ko_parts) :].T
    ko_ix = {w: i for i, w in enumerate(ko_parts)}
    en_ix = {w: i for i, w in enumerate(en_parts)}
    table: list[list[float]] = sims.tolist()  # plain lists: the pairs' parts are few, numpy's per-call cost is not
    for p in todo.tolist():
        rows = [table[ko_ix[w]] for w in ko_inv.parts[ko_keys[int(pr[p])]]]
        cols = [en_ix[w] for w in en_inv.parts[en_keys[int(pc[p])]]]
        precision = max(0.0, sum(max(row[c] for c in cols) for row in rows) / len(rows))
        recall = max(0.0, sum(max(row[c] for row in rows) for c in cols) / len(cols))
        comp[p] = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return comp


def _shape_prior(
    ko_inv: Inventory, en_inv: Inventory, ko_keys: list[str], en_keys: list[str], pr: np.ndarray, pc: np.ndarray
) -> np.ndarray:
    """Translations tend to keep a compound's number of parts: a mild prior."""
    nk = np.array([len(ko_inv.parts[k]) for k in ko_keys])
    ne = np.array([len(en_inv.parts[k]) for k in en_keys])
    return np.asarray(1.0 - SHAPE_PENALTY * np.minimum(np.abs(nk[pr] - ne[pc]), 3))


def _example(ko_beads: set[int], en_beads: set[int], alignment: Alignment) -> int:
    """A bead showing both terms: the shortest one-to-one bead, else the first shared one."""
    shared = sorted(ko_beads & en_beads)
    simple = [b for b in shared if alignment.beads[b].shape == "1-1"]
    if not simple:
        return shared[0]
    return min(simple, key=lambda b: sum(len(t) for t in alignment.texts(b)))


@dataclass(frozen=True)
class LearnedGlossary:
    """The glossary and every term candidate of each side, paired or not ("원격진료" may have
    no English counterpart in a summary, but is still a term of the Korean document)."""

    pairs: tuple[TermPair, ...]
    ko_terms: tuple[str, ...] = ()
    en_terms: tuple[str, ...] = ()


def build_glossary(
    alignment: Alignment,
    encoder: Encoder,
    *,
    progress: Progress | None = None,
    limit: int | None = None,
) -> list[TermPair]:
    """Term pairs learned from ``alignment``, best first (see ``TermPair.rank_score``)."""
    pairs = list(learn_glossary(alignment, encoder, progress=progress).pairs)
    return pairs[:limit] if limit is not None else pairs


def learn_glossary(alignment: Alignment, encoder: Encoder, *, progress: Progress | None = None) -> LearnedGlossary:
    """The glossary of ``alignment`` (best first) with both sides' term candidates (their surfaces)."""
    sc = score_pairs(alignment, encoder, progress)
    if sc is None:
        return LearnedGlossary(())
    ko_terms = tuple(sc.ko.surface(k) for k in sc.ko_keys)
    en_terms = tuple(sc.en.surface(k) for k in sc.en_keys)
    return LearnedGlossary(tuple(_chosen_pairs(sc, alignment)), ko_terms, en_terms)


def _chosen_pairs(sc: Scored, alignment: Alignment) -> list[TermPair]:
    chosen = link(sc)
    ko_keys = {sc.ko_keys[int(sc.rows[p])] for p in chosen}
    en_keys = {sc.en_keys[int(sc.cols[p])] for p in chosen}
    ko_nested, en_nested = nesting(sc.ko, ko_keys), nesting(sc.en, en_keys)
    out: list[TermPair] = []
    for p in chosen:
        r, c = int(sc.rows[p]), int(sc.cols[p])
        ko_key, en_key = sc.ko_keys[r], sc.en_keys[c]
        kb, eb = sc.ko.beads[ko_key], sc.en.beads[en_key]
        ko, en = sc.ko.surface(ko_key), sc.en.surface(en_key)
        zipf = general_zipf(sc.ko.parts[ko_key], sc.en.parts[en_key])
        kind = kind_of(
            proper_share=sc.ko.proper[ko_key] / max(1, sum(sc.ko.surfaces[ko_key].values())),
            en=en,
            sound=sound_similarity(ko, en),
            ko_zipf=parts_zipf(sc.ko.parts[ko_key], "ko"),
            zipf=zipf,
        )
        weight = termhood(
            kind, zipf, ko_nested.get(ko_key, Nesting()), en_nested.get(en_key, Nesting()), sc.ko.parts[ko_key]
        )
        if weight <= 0:
            continue  # a fragment of a longer term
        out.append(
            TermPair(
                ko=ko,
                en=en,
                frequency=int(sc.co[p]),
                confidence=round(min(1.0, float(sc.score[p])), 4),
                example=_example(kb, eb, alignment),
                ko_beads=int(sc.fk[r]),
                en_beads=int(sc.fe[c]),
                similarity=round(float(sc.cos[p]), 4),
                association=round(float(sc.assoc[p]), 4),
                kind=kind,
                termhood=round(weight, 4),
            )
        )
    out = phrases_weighed(out, ko_nested)
    out.sort(key=lambda t: (-t.rank_score, -t.frequency, t.ko, t.en))
    return out


def _variants(a: str, b: str) -> bool:
    """Two Korean keys for one thing, one with a designator suffix: "베이징"/"베이징시"."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= 1


def _prefer_longer_korean(
    ko_keys: list[str],
    en_text: list[str],
    en_row: np.ndarray,
    pr: np.ndarray,
    pc: np.ndarray,
    co: np.ndarray,
    score: np.ndarray,
    encoder: Encoder,
) -> np.ndarray:
    """Scores with a sub-term demoted where a longer Korean term claims the same English
    term in the same beads about as strongly, and the English covers what the longer term
    adds: "규제 완화", not "규제", is "deregulation"; but "특허신청", not "특허신청 건수", is
    "patent applications" (건수, "number", is not in it)."""
    out = score.copy()
    by_en: dict[int, list[int]] = defaultdict(list)
    for p in np.nonzero(score >= MIN_CONFIDENCE)[0].tolist():
        by_en[int(pc[p])].append(p)
    couples: list[tuple[int, int, str]] = []  # (shorter's pair, longer's pair, what the longer adds)
    for pairs in by_en.values():
        for p, q in product(pairs, pairs):
            short, longer = ko_keys[int(pr[p])], ko_keys[int(pr[q])]
            if (
                len(longer) > len(short)
                and short in longer
                and co[q] == co[p]
                and (score[q] >= LONGER_RATIO * score[p])
            ):
                couples.append((p, q, longer.replace(short, " ", 1).strip()))
    if not couples:
        return out
    added = sorted({a for _, _, a in couples})
    targets = sorted({int(en_row[p]) for p, _, _ in couples})
    vecs = encoder.encode(added + [en_text[t] for t in targets])
    cover = vecs[: len(added)] @ vecs[len(added) :].T
    a_ix = {a: i for i, a in enumerate(added)}
    t_ix = {t: i for i, t in enumerate(targets)}
    for p, q, a in couples:
        if cover[a_ix[a], t_ix[int(en_row[p])]] >= ADDED_COVERED:
            out[p] = min(out[p], LONGER_RATIO * score[q])
    return out


def link(sc: Scored) -> list[int]:
    """Competitive linking over the scored pairs; returns the chosen pair indices."""
    first: dict[int, tuple[float, str, float]] = {}  # Korean row -> (score, English key, cosine) of its first pair
    taken: dict[int, list[tuple[float, str]]] = {}  # English col -> [(score, Korean key)]
    chosen: list[int] = []
    count: Counter[int] = Counter()
    score = sc.linking
    for p in np.argsort(-score, kind="stable").tolist():
        s = float(score[p])
        if s < MIN_CONFIDENCE:
            break
        r, c = int(sc.rows[p]), int(sc.cols[p])
        ko, en = sc.ko_keys[r], sc.en_keys[c]
        if count[r] >= 2:
            continue
        if count[r] == 1:
            best, en_first, cos_first = first[r]
            if (
                s < max(SECOND_MIN, SECOND_RATIO * best)
                or en in en_first
                or en_first in en
                or sc.cos[p] < SECOND_RATIO * cos_first
            ):
                continue
        owners = taken.get(c, [])
        glossed = en in sc.ko.glosses.get(ko, ())  # the text itself says so: "정보통신기술(ICT)"
        if owners and not glossed and not all(s >= REUSE_RATIO * o_s and _variants(ko, o_k) for o_s, o_k in owners):
            continue
        chosen.append(p)
        count[r] += 1
        first.setdefault(r, (s, en, float(sc.cos[p])))
        taken.setdefault(c, []).append((s, ko))
    return chosen
