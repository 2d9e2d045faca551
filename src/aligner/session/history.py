"""Undo and redo over alignment states, each step named, the recent ones kept in the project file.

A step records only what an edit changed: the beads it replaced (``before``,
starting at ``start``) and the beads that took their place (``after``), so a
long history of a long document stays small.  Each step has a label saying what
it did ("merge pairs #3 and #4"), which undo and redo announce.  The last
:data:`SAVED_STEPS` steps that can be undone are saved with the corrections and
restored on reopen (``steps`` / ``from_steps``); steps that do not fit the saved
beads are never applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aligner.core.errors import AlignerError
from aligner.core.values import Bead, check_beads

Beads = tuple[Bead, ...]
EditOp = Callable[[Beads], Beads]

SAVED_STEPS = 50
"""How many undoable steps the project file keeps (older ones are forgotten on saving)."""


@dataclass(frozen=True)
class Step:
    """One edit: ``before`` (at ``start``) was replaced by ``after``."""

    label: str
    start: int
    before: Beads
    after: Beads

    @staticmethod
    def between(old: Beads, new: Beads, label: str) -> Step:
        """The step from ``old`` to ``new``: the run of beads between their common ends."""
        start = 0
        limit = min(len(old), len(new))
        while start < limit and old[start] == new[start]:
            start += 1
        end = 0
        while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
            end += 1
        return Step(label, start, old[start : len(old) - end], new[start : len(new) - end])

    def forward(self, beads: Beads) -> Beads:
        return self._swap(beads, self.before, self.after)

    def backward(self, beads: Beads) -> Beads:
        return self._swap(beads, self.after, self.before)

    def _swap(self, beads: Beads, old: Beads, new: Beads) -> Beads:
        if beads[self.start : self.start + len(old)] != old:
            raise AlignerError(f"the saved step “{self.label}” does not fit these pairs")
        return beads[: self.start] + new + beads[self.start + len(old) :]


class EditHistory:
    """Linear undo/redo over alignment states.

    ``apply`` runs an operation on the current state; if it raises, nothing
    changes.  Applying after an undo discards the redo branch.  At most
    ``limit`` past states are kept.
    """

    def __init__(self, beads: Sequence[Bead], *, limit: int = 1000, steps: Sequence[Step] = ()) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._current: Beads = tuple(beads)
        self._steps: list[Step] = list(steps)[-limit:]
        self._position = len(self._steps)
        self._limit = limit

    @staticmethod
    def from_steps(beads: Sequence[Bead], steps: Sequence[Step]) -> EditHistory:
        """A history ending at ``beads`` whose undoable steps are ``steps`` (saved ones).

        Raises AlignerError when undoing them does not give valid alignments of the same sentences.
        """
        current = tuple(beads)
        n_src, n_tgt = sum(len(b.src) for b in current), sum(len(b.tgt) for b in current)
        state = current
        for step in reversed(steps):
            state = step.backward(state)
            try:
                check_beads(state, n_src, n_tgt)
            except ValueError as err:
                raise AlignerError(f"the saved step “{step.label}” does not fit these pairs: {err}") from err
        return EditHistory(current, steps=steps)

    @property
    def current(self) -> Beads:
        return self._current

    @property
    def can_undo(self) -> bool:
        return self._position > 0

    @property
    def can_redo(self) -> bool:
        return self._position < len(self._steps)

    @property
    def undo_label(self) -> str | None:
        """What ``undo`` would undo, or None."""
        return self._steps[self._position - 1].label if self.can_undo else None

    @property
    def redo_label(self) -> str | None:
        """What ``redo`` would redo, or None."""
        return self._steps[self._position].label if self.can_redo else None

    def saved_steps(self, keep: int = SAVED_STEPS) -> tuple[Step, ...]:
        """The last ``keep`` steps that can be undone (what the project file keeps)."""
        return tuple(self._steps[max(0, self._position - keep) : self._position])

    def apply(self, op: EditOp, label: str = "edit") -> Beads:
        """Apply ``op`` (a function beads -> beads) and record the result as a step named ``label``."""
        new = tuple(op(self._current))
        if new == self._current:
            return new
        del self._steps[self._position :]
        self._steps.append(Step.between(self._current, new, label))
        if len(self._steps) > self._limit:
            del self._steps[: len(self._steps) - self._limit]
        self._position = len(self._steps)
        self._current = new
        return new

    def undo(self) -> Beads:
        if not self.can_undo:
            raise AlignerError("nothing to undo")
        self._position -= 1
        self._current = self._steps[self._position].backward(self._current)
        return self._current

    def redo(self) -> Beads:
        if not self.can_redo:
            raise AlignerError("nothing to redo")
        self._current = self._steps[self._position].forward(self._current)
        self._position += 1
        return self._current
