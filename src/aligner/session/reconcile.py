"""Carrying saved corrections over to the current documents.

``reconcile`` compares a saved project with the documents as they are now:
when neither side's sentences changed, the saved alignment applies as it is;
otherwise only confirmed beads whose sentences are all still there, identical
and contiguous, carry over (as constraints for a fresh alignment), and the
rest are reported as dropped with the reason.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from pathlib import Path

from aligner.core.values import Bead, Document
from aligner.session.project_format import ProjectFile, SideRecord, text_sha256

_SIDE_NAMES = {"source": "Korean", "target": "English"}


class LoadStatus(StrEnum):
    MISSING = "missing"  # no project file: align from scratch
    CORRUPT = "corrupt"  # a file exists but neither it nor its backup is usable
    UNCHANGED = "unchanged"  # same sentences: ``beads`` is the saved alignment
    CHANGED = "changed"  # a document changed: only ``constraints`` carry over


@dataclass(frozen=True)
class DroppedBead:
    """A confirmed bead that could not be carried over, in the saved file's ids."""

    bead: Bead
    reason: str


@dataclass(frozen=True)
class SideChange:
    """How one document's sentences differ from the saved ones."""

    changed: bool
    removed: tuple[int, ...] = ()  # saved ids with no identical sentence now
    added: tuple[int, ...] = ()  # current ids with no identical saved sentence


@dataclass(frozen=True)
class ProjectLoad:
    """What could be restored from a project file for the current documents."""

    status: LoadStatus
    path: Path
    project: ProjectFile | None = None
    beads: tuple[Bead, ...] | None = None
    constraints: tuple[Bead, ...] = ()
    dropped: tuple[DroppedBead, ...] = ()
    discarded_unconfirmed: int = 0
    source_change: SideChange | None = None
    target_change: SideChange | None = None
    used_backup: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """A short human summary (warnings included)."""
        return "; ".join(part for part in (self.warning, self.info) if part)

    @property
    def info(self) -> str:
        """What was restored, when all went well (information, not a warning)."""
        if self.status is LoadStatus.UNCHANGED and self.beads is not None:
            return f"restored {len(self.beads)} beads ({len(self.constraints)} confirmed)"
        return ""

    @property
    def warning(self) -> str:
        """What the user should know went wrong or changed (empty when nothing did)."""
        parts = list(self.warnings)
        if self.status is LoadStatus.CHANGED:
            changed = [
                _SIDE_NAMES[name]
                for name, change in (("source", self.source_change), ("target", self.target_change))
                if change is not None and change.changed
            ]
            parts.append(
                f"the {' and '.join(changed)} text changed since the corrections were saved: "
                f"kept {len(self.constraints)} confirmed beads, dropped {len(self.dropped)}, "
                f"{self.discarded_unconfirmed} unconfirmed beads will be realigned"
            )
            parts.extend(f"dropped {d.bead.vecalign()}: {d.reason}" for d in self.dropped)
        return "; ".join(parts)


def _id_map(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Map saved sentence ids to current ids for identical sentences, keeping order."""
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    return {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}


def _side_change(saved: SideRecord, doc: Document) -> tuple[SideChange, dict[int, int]]:
    if saved.sentences == tuple(doc.texts):
        return SideChange(False), {i: i for i in range(len(doc))}
    mapping = _id_map(saved.sentences, doc.texts)
    hit = set(mapping.values())
    removed = tuple(i for i in range(len(saved.sentences)) if i not in mapping)
    return SideChange(True, removed, tuple(j for j in range(len(doc)) if j not in hit)), mapping


def _carry(ids: tuple[int, ...], mapping: dict[int, int], saved: SideRecord, name: str) -> tuple[int, ...] | str:
    """The bead side's current ids, or the reason it cannot be carried over."""
    for i in ids:
        if i not in mapping:
            text = " ".join(saved.sentences[i].split())
            text = text if len(text) <= 40 else text[:39] + "…"
            return f"{name} sentence {i} changed or was removed: “{text}”"
    new = tuple(mapping[i] for i in ids)
    if any(b != a + 1 for a, b in pairwise(new)):
        return f"text was inserted between its {name} sentences"
    return new


def reconcile(project: ProjectFile, source: Document, target: Document) -> ProjectLoad:
    """Compare a saved project with the current documents (status UNCHANGED or CHANGED)."""
    src_change, src_map = _side_change(project.source, source)
    tgt_change, tgt_map = _side_change(project.target, target)
    warnings = tuple(
        f"the {name} file changed on disk but its sentences did not"
        for name, change, rec, doc in (
            ("Korean", src_change, project.source, source),
            ("English", tgt_change, project.target, target),
        )
        if not change.changed and rec.sha256 != text_sha256(doc.source)
    )
    confirmed = tuple(b for b in project.beads if b.confirmed)
    unchanged = not src_change.changed and not tgt_change.changed
    kept: list[Bead] = list(confirmed) if unchanged else []
    dropped: list[DroppedBead] = []
    for bead in () if unchanged else confirmed:
        src = _carry(bead.src, src_map, project.source, "Korean")
        tgt = _carry(bead.tgt, tgt_map, project.target, "English")
        if isinstance(src, str) or isinstance(tgt, str):
            dropped.append(DroppedBead(bead, src if isinstance(src, str) else str(tgt)))
        else:
            kept.append(Bead(src, tgt, bead.confidence, True, bead.edited))
    return ProjectLoad(
        LoadStatus.UNCHANGED if unchanged else LoadStatus.CHANGED,
        Path(),
        project,
        beads=project.beads if unchanged else None,
        constraints=tuple(kept),
        dropped=tuple(dropped),
        discarded_unconfirmed=0 if unchanged else len(project.beads) - len(confirmed),
        source_change=src_change,
        target_change=tgt_change,
        warnings=warnings,
    )
