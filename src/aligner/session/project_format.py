"""The corrections project file format: saved beads, confirmations and what they were made against.

A project file is JSON::

    {"format": "aligner-project", "version": 1, "checksum": "sha256:…", "payload": {…}}

The payload holds the beads (with confidence and confirmed flags), the model
name, whether the documents were read one sentence per line (``presplit``; absent
in files from before it was kept), the last undoable edits (``history``, see
``aligner.session.history``), and for each side the document path, a sha256 of its text and its
sentence texts, so that a changed document can be diagnosed and confirmed
beads carried over (``aligner.session.reconcile``).  The checksum (over the canonical
JSON of the payload) detects corruption and truncation.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from aligner.core.errors import AlignerError
from aligner.core.values import Bead, Document, check_beads
from aligner.session.history import Step

FORMAT_NAME = "aligner-project"
FORMAT_VERSION = 1


class CorruptProjectError(AlignerError):
    """A project file is unreadable, truncated, tampered with or not a project file."""


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SideRecord:
    """What one side's document looked like when the project was saved."""

    lang: str
    path: str | None
    sha256: str
    sentences: tuple[str, ...]

    @staticmethod
    def from_document(document: Document) -> SideRecord:
        return SideRecord(
            lang=document.lang.value,
            path=document.path,
            sha256=text_sha256(document.source),
            sentences=tuple(document.texts),
        )


@dataclass(frozen=True)
class ProjectFile:
    """The saved state of a correction session."""

    source: SideRecord
    target: SideRecord
    beads: tuple[Bead, ...]
    model: str = ""
    saved_at: str = ""
    presplit: bool | None = None
    """The documents were segmented one sentence per line (None: not recorded)."""
    history: tuple[Step, ...] = ()
    """The last edits that can be undone, oldest first."""

    @staticmethod
    def from_documents(
        source: Document,
        target: Document,
        beads: Sequence[Bead],
        model: str = "",
        *,
        presplit: bool | None = None,
        history: Sequence[Step] = (),
    ) -> ProjectFile:
        project = ProjectFile(
            SideRecord.from_document(source), SideRecord.from_document(target), tuple(beads), model,
            presplit=presplit, history=tuple(history),
        )  # fmt: skip
        project.check()
        return project

    def check(self) -> None:
        """Raise CorruptProjectError unless the beads cover both sides exactly once, in order."""
        try:
            check_beads(self.beads, len(self.source.sentences), len(self.target.sentences))
        except ValueError as err:
            raise CorruptProjectError(f"beads do not match the saved sentences: {err}") from err

    def payload(self) -> dict[str, Any]:
        """The checksummed part of the file."""

        def bead(b: Bead) -> dict[str, Any]:
            return {**asdict(b), "confidence": b.confidence if math.isfinite(b.confidence) else 0.0}

        def step(s: Step) -> dict[str, Any]:
            return {"label": s.label, "start": s.start, "before": [bead(b) for b in s.before],
                    "after": [bead(b) for b in s.after]}  # fmt: skip

        payload: dict[str, Any] = {
            "model": self.model,
            "saved_at": self.saved_at,
            "source": asdict(self.source),
            "target": asdict(self.target),
            "beads": [bead(b) for b in self.beads],
        }
        if self.presplit is not None:
            payload["presplit"] = self.presplit
        if self.history:
            payload["history"] = [step(s) for s in self.history]
        return payload

    def to_json(self) -> str:
        payload = self.payload()
        document = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "checksum": payload_checksum(payload),
            "payload": payload,
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    def to_bytes(self) -> bytes:
        text = self.to_json()
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: fall back to \u escapes
            return (json.dumps(json.loads(text), ensure_ascii=True, indent=1) + "\n").encode()

    @staticmethod
    def from_json(text: str | bytes) -> ProjectFile:
        """Parse and verify a project file; raises CorruptProjectError with the reason."""
        return _parse(text)


def payload_checksum(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _typed(value: Any, kind: type[Any] | tuple[type[Any], ...], what: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise TypeError(f"{what} has the wrong type")
    return value


def _side(value: Any, name: str) -> SideRecord:
    sentences = tuple(_typed(s, str, f"{name} sentence") for s in _typed(value["sentences"], list, name))
    path = None if value.get("path") is None else _typed(value["path"], str, f"{name} path")
    return SideRecord(_typed(value["lang"], str, name), path, _typed(value["sha256"], str, name), sentences)


def _bead(value: Any) -> Bead:
    return Bead(
        tuple(_typed(i, int, "bead id") for i in _typed(value["src"], list, "bead")),
        tuple(_typed(i, int, "bead id") for i in _typed(value["tgt"], list, "bead")),
        float(_typed(value["confidence"], (int, float), "confidence")),
        _typed(value["confirmed"], bool, "confirmed flag"),
        _typed(value.get("edited", False), bool, "edited flag"),  # absent in files before it existed
    )


def _step(value: Any) -> Step:
    return Step(
        _typed(value["label"], str, "history label"),
        _typed(value["start"], int, "history position"),
        tuple(_bead(b) for b in _typed(value["before"], list, "history")),
        tuple(_bead(b) for b in _typed(value["after"], list, "history")),
    )


def _parse(data: str | bytes) -> ProjectFile:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, bad UTF-8
        raise CorruptProjectError(f"not valid JSON (truncated or damaged): {err}") from err
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise CorruptProjectError("not an aligner project file")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CorruptProjectError(f"unsupported format version {version!r} (written by a newer aligner?)")
    payload: Any = document.get("payload")
    try:
        ok = isinstance(payload, dict) and document.get("checksum") == payload_checksum(payload)
    except ValueError:
        ok = False
    if not ok:
        raise CorruptProjectError("checksum mismatch (the file was damaged or edited)")
    try:
        project = ProjectFile(
            source=_side(payload["source"], "source"),
            target=_side(payload["target"], "target"),
            beads=tuple(_bead(b) for b in _typed(payload["beads"], list, "beads")),
            model=_typed(payload.get("model", ""), str, "model"),
            saved_at=_typed(payload.get("saved_at", ""), str, "saved_at"),
            presplit=None if payload.get("presplit") is None else _typed(payload["presplit"], bool, "presplit"),
            history=tuple(_step(s) for s in _typed(payload.get("history", []), list, "history")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise CorruptProjectError(f"malformed project file: {err}") from err
    project.check()
    return project
