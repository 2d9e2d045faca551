"""The corpus outputs, assembled from the parts in manifest order.

``corpus.tmx`` (TMX 1.4b, one ``<tu>`` per 1-1/1-2/2-1 unit, ``tuid`` = ``doc#bead``),
``corpus.jsonl`` (every unit with its provenance), ``report.tsv`` (one row per
document) and ``unpaired.tsv``.  Filters apply here, so changing them needs no
realignment; a bead the user confirmed always passes ``min_confidence``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligner.core.atomic import atomic_write_text
from aligner.core.values import BeadKind
from aligner.corpus.manifest import Corpus, CorpusEntry
from aligner.export.formats import one_line
from aligner.export.tmx import TmxUnit, build_tmx, clean_xml_text

TMX_NAME = "corpus.tmx"
JSONL_NAME = "corpus.jsonl"
REPORT_NAME = "report.tsv"
UNPAIRED_NAME = "unpaired.tsv"
REPORT_COLUMNS = (
    "id", "ko", "en", "status", "ko_sentences", "en_sentences", "beads", "omissions", "confirmed",
    "mean_confidence", "units", "tm_units", "warnings",
)


@dataclass(frozen=True)
class Filters:
    min_confidence: float | None = None
    drop_omissions: bool = False

    def keep(self, unit: dict[str, Any]) -> bool:
        if self.drop_omissions and unit["kind"] != BeadKind.MATCH.value:
            return False
        if self.min_confidence is not None and not unit["confirmed"]:
            return bool(unit["confidence"] >= self.min_confidence)
        return True


@dataclass(frozen=True)
class DocReport:
    """One document's line in the report."""

    id: str
    ko: str
    en: str
    status: str
    ko_sentences: int = 0
    en_sentences: int = 0
    beads: int = 0
    omissions: int = 0
    confirmed: int = 0
    mean_confidence: float | None = None
    units: int = 0
    tm_units: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def sentences(self) -> int:
        return self.ko_sentences + self.en_sentences

    def row(self) -> list[str]:
        conf = "" if self.mean_confidence is None else f"{self.mean_confidence:.4f}"
        counts = [self.ko_sentences, self.en_sentences, self.beads, self.omissions, self.confirmed]
        return [
            self.id, self.ko, self.en, self.status, *map(str, counts), conf,
            str(self.units), str(self.tm_units), " | ".join(one_line(w) for w in self.warnings),
        ]


def _relative(corpus: Corpus, message: str) -> str:
    """Messages name files relative to the corpus root, so reports do not depend on where it lies."""
    return message.replace(f"{corpus.root}{os.sep}", "") if corpus.root is not None else message


def report_for(entry: CorpusEntry, corpus: Corpus, result: dict[str, Any], kept: Sequence[dict[str, Any]]) -> DocReport:
    ko, en = corpus.display(entry.ko), corpus.display(entry.en)
    if result.get("status") != "ok":
        return DocReport(entry.id, ko, en, "failed", warnings=(_relative(corpus, str(result.get("error", "failed"))),))
    units = result["units"]
    matches = [u["confidence"] for u in units if u["kind"] == BeadKind.MATCH.value]
    return DocReport(
        entry.id, ko, en, "ok",
        ko_sentences=result["ko_sentences"],
        en_sentences=result["en_sentences"],
        beads=len(units),
        omissions=len(units) - len(matches),
        confirmed=sum(1 for u in units if u["confirmed"]),
        mean_confidence=sum(matches) / len(matches) if matches else None,
        units=len(kept),
        tm_units=sum(1 for u in kept if u["kind"] == BeadKind.MATCH.value),
        warnings=tuple(_relative(corpus, w) for w in result.get("warnings", ())),
    )


def _record(doc_id: str, unit: dict[str, Any]) -> str:
    record = {"doc": doc_id, **{k: v for k, v in unit.items() if k != "kind"}}
    record["confidence"] = round(unit["confidence"], 4)
    return json.dumps(record, ensure_ascii=False) + "\n"


def _tsv(rows: Sequence[Sequence[str]]) -> str:
    return "".join("\t".join(one_line(cell) for cell in row) + "\n" for row in rows)


def assemble(
    out: Path,
    corpus: Corpus,
    results: Sequence[tuple[CorpusEntry, dict[str, Any]]],
    filters: Filters,
) -> list[DocReport]:
    """Write the four output files atomically; returns the report rows."""
    reports: list[DocReport] = []
    jsonl: list[str] = []
    units: list[TmxUnit] = []
    for entry, result in results:
        kept = [u for u in result.get("units", ()) if filters.keep(u)] if result.get("status") == "ok" else []
        reports.append(report_for(entry, corpus, result, kept))
        for unit in kept:
            jsonl.append(_record(entry.id, unit))
            if unit["kind"] == BeadKind.MATCH.value:
                units.append(TmxUnit(
                    source=clean_xml_text(unit["ko"]), target=clean_xml_text(unit["en"]), bead_type=unit["type"],
                    confidence=unit["confidence"], confirmed=unit["confirmed"], tuid=f"{entry.id}#{unit['bead']}",
                ))
    atomic_write_text(out / TMX_NAME, build_tmx(units))
    atomic_write_text(out / JSONL_NAME, "".join(jsonl))
    atomic_write_text(out / REPORT_NAME, _tsv([list(REPORT_COLUMNS), *(r.row() for r in reports)]))
    unpaired = [["file", "reason"], *([corpus.display(u.path), u.reason] for u in corpus.unpaired)]
    atomic_write_text(out / UNPAIRED_NAME, _tsv(unpaired))
    return reports
