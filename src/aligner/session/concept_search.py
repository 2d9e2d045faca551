"""Concept search for a session: the pair's glossary handed to its searcher.

``concepts_of`` turns what the glossary learned into the search package's plain
``Concept`` values: every glossary entry with both sides (a doubtful translation
only adds results that say which term brought them), every other term candidate
of either side alone (it still finds its own sentences: "원격진료" has no
English in the summary).  ``with_concepts`` learns the glossary (cached per state
of the pairs) and gives the workspace a searcher that looks queries up in it.
"""

from __future__ import annotations

from aligner.core.values import Progress
from aligner.glossary.build import LearnedGlossary
from aligner.search.concepts import Concept
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace


def concepts_of(learned: LearnedGlossary) -> list[Concept]:
    """The glossary's pairs, then every other term of each side without a translation."""
    out = [Concept(p.ko, p.en) for p in learned.pairs]
    paired_ko, paired_en = {p.ko for p in learned.pairs}, {p.en for p in learned.pairs}
    out += [Concept(t, "") for t in learned.ko_terms if t not in paired_ko]
    out += [Concept("", t) for t in learned.en_terms if t not in paired_en]
    return out


def with_concepts(workspace: Workspace, glossary: GlossaryCache, progress: Progress | None = None) -> Workspace:
    """``workspace`` whose searcher also finds the document's terms and their translations
    (the glossary is learned first when it is not known for these pairs: seconds)."""
    learned = glossary.learn_terms(workspace.alignment, workspace.encoder, progress)
    searcher = workspace.searcher
    workspace.use_searcher(searcher.with_concepts(searcher.concept_index(concepts_of(learned))))
    return workspace
