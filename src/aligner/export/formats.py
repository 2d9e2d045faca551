"""Export an alignment as TSV, JSON Lines, Markdown, TMX or Vecalign bead lines.

Every format lists beads in document order.  ``min_confidence`` and
``confirmed_only`` drop beads; a bead the user confirmed always passes
``min_confidence``.  TMX skips omission beads (a translation unit needs both
languages); the other formats keep them with an empty side.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from aligner.core.errors import AlignerError
from aligner.core.output_guard import Protected, write_output_file
from aligner.core.values import Alignment, Bead, BeadKind, Document
from aligner.export.tmx import TmxUnit, build_tmx, clean_xml_text
from aligner.ingest.extracted import location_at


class ExportFormat(StrEnum):
    """The formats the aligned pairs are written in: the CLI's choices and the reader's list."""

    TMX = "tmx"
    TSV = "tsv"
    JSONL = "jsonl"
    MD = "md"
    BEADS = "beads"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def extension(self) -> str:
        """The conventional file extension."""
        return _EXTENSIONS[self]

    @property
    def needs_both_sides(self) -> bool:
        """A TMX translation unit needs both languages: pairs with no counterpart are left out."""
        return self is ExportFormat.TMX

    def units(self, beads: Sequence[Bead]) -> int:
        """How many of ``beads`` this format writes."""
        return sum(1 for b in beads if b.src and b.tgt) if self.needs_both_sides else len(beads)


_LABELS = {
    ExportFormat.TMX: "TMX 1.4", ExportFormat.TSV: "TSV", ExportFormat.JSONL: "JSON Lines",
    ExportFormat.MD: "Markdown", ExportFormat.BEADS: "bead ids",
}  # fmt: skip
_EXTENSIONS = {
    ExportFormat.TMX: ".tmx", ExportFormat.TSV: ".tsv", ExportFormat.JSONL: ".jsonl",
    ExportFormat.MD: ".md", ExportFormat.BEADS: ".align",
}  # fmt: skip
FORMATS: tuple[str, ...] = tuple(ExportFormat)
"""Export format names accepted by :func:`export`."""

TSV_HEADER = "ko\ten\tko_ids\ten_ids\ttype\tconfidence\tconfirmed"

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAKS = re.compile(r"\s*[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


@dataclass(frozen=True)
class ExportRow:
    """One bead ready for export: its position, the bead and both sides' text."""

    position: int
    bead: Bead
    ko: str
    en: str
    ko_location: str | None = None  # page/paragraph of the first sentence, for extracted documents
    en_location: str | None = None

    @property
    def bead_type(self) -> str:
        return self.bead.shape


_SURROGATE = re.compile("[\ud800-\udfff]")


def side_text(document: Document, ids: Sequence[int]) -> str:
    """The text of sentences ``ids`` of ``document``, joined with single spaces.

    Lone surrogates (undecodable bytes) become U+FFFD so every format can be encoded.
    """
    return _SURROGATE.sub("\ufffd", " ".join(document.sentences[i].text for i in ids))


def select_beads(
    alignment: Alignment,
    *,
    min_confidence: float | None = None,
    confirmed_only: bool = False,
) -> list[ExportRow]:
    """The beads that pass the filters, with their text, in document order."""
    rows: list[ExportRow] = []
    for position, bead in enumerate(alignment.beads):
        if confirmed_only and not bead.confirmed:
            continue
        if min_confidence is not None and not bead.confirmed and bead.confidence < min_confidence:
            continue
        rows.append(
            ExportRow(
                position,
                bead,
                side_text(alignment.source, bead.src),
                side_text(alignment.target, bead.tgt),
                _location(alignment.source, bead.src),
                _location(alignment.target, bead.tgt),
            )
        )
    return rows


def _location(document: Document, ids: Sequence[int]) -> str | None:
    if not ids or not document.locations:
        return None
    return location_at(document.locations, document.sentences[ids[0]].start)


def one_line(text: str) -> str:
    """Collapse tabs and line breaks (and the spaces around them) into one space; drop
    other control characters."""
    return _LINE_BREAKS.sub(" ", _CONTROL.sub("", text)).strip()


def _ids(ids: Sequence[int]) -> str:
    return ",".join(map(str, ids))


_TSV_QUOTE = re.compile('[\t\n\r"]')


def tsv_field(text: str) -> str:
    """``text`` as one TSV field: bare, or (if it holds a tab, line break or double
    quote) in double quotes with its quotes doubled, as CSV readers expect.  (Python
    3.11's ``csv.writer`` leaves a lone ``\\r`` unquoted with a ``\\n`` terminator,
    which would split the record on reading, hence this one rule written out.)"""
    return '"' + text.replace('"', '""') + '"' if _TSV_QUOTE.search(text) else text


def to_tsv(rows: Sequence[ExportRow]) -> str:
    """Tab-separated, one record per bead, read back exactly by CSV readers in tab
    mode (Python's ``csv.reader(f, delimiter="\\t")``, pandas, spreadsheets)."""
    lines = [TSV_HEADER]
    for row in rows:
        b = row.bead
        fields = [
            row.ko, row.en, _ids(b.src), _ids(b.tgt), b.shape, f"{b.confidence:.4f}",
            "yes" if b.confirmed else "no",
        ]  # fmt: skip
        lines.append("\t".join(map(tsv_field, fields)))
    return "\n".join(lines) + "\n"


def to_jsonl(rows: Sequence[ExportRow]) -> str:
    out = []
    for row in rows:
        b = row.bead
        record = {
            "bead": row.position,
            "ko_ids": list(b.src),
            "en_ids": list(b.tgt),
            "ko": row.ko,
            "en": row.en,
            "type": b.shape,
            "confidence": round(b.confidence, 4),
            "confirmed": b.confirmed,
        }
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(out)


_MD_ACTIVE = re.compile(r"([\\`*_\[\]|~])")
_HTML_ACTIVE = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_cell(text: str) -> str:
    """Make ``text`` literal inside a GitHub-flavoured Markdown table cell: one line,
    every character Markdown could read as syntax inside a cell (emphasis, code,
    links and images, strikethrough, the cell bar, backslash) backslash-escaped, and
    HTML (tags, entities) written as character references."""
    text = _MD_ACTIVE.sub(r"\\\1", one_line(text))
    return re.sub("[&<>]", lambda m: _HTML_ACTIVE[m.group(0)], text)


def to_markdown(rows: Sequence[ExportRow]) -> str:
    lines = ["| Korean | English |", "| --- | --- |"]
    for row in rows:
        lines.append(f"| {markdown_cell(row.ko)} | {markdown_cell(row.en)} |")
    return "\n".join(lines) + "\n"


def to_tmx(rows: Sequence[ExportRow]) -> str:
    units = [
        TmxUnit(
            source=clean_xml_text(row.ko),
            target=clean_xml_text(row.en),
            bead_type=row.bead.shape,
            confidence=row.bead.confidence,
            confirmed=row.bead.confirmed,
            tuid=str(row.position),
            source_location=row.ko_location,
            target_location=row.en_location,
        )
        for row in rows
        if row.bead.kind is BeadKind.MATCH
    ]
    return build_tmx(units)


def to_beads(rows: Sequence[ExportRow]) -> str:
    return "".join(row.bead.vecalign() + "\n" for row in rows)


def export(
    alignment: Alignment,
    fmt: str,
    *,
    min_confidence: float | None = None,
    confirmed_only: bool = False,
) -> str:
    """Render ``alignment`` in format ``fmt`` (one of :data:`FORMATS`)."""
    writers = {
        ExportFormat.TSV: to_tsv,
        ExportFormat.JSONL: to_jsonl,
        ExportFormat.MD: to_markdown,
        ExportFormat.TMX: to_tmx,
        ExportFormat.BEADS: to_beads,
    }
    try:
        writer = writers[ExportFormat(fmt.lower())]
    except ValueError:
        raise AlignerError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})") from None
    rows = select_beads(alignment, min_confidence=min_confidence, confirmed_only=confirmed_only)
    return writer(rows)


def format_for_path(path: str | os.PathLike[str]) -> ExportFormat:
    """Guess the export format from a file name's extension."""
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    for fmt in ExportFormat:
        if suffix == fmt.extension:
            return fmt
    if suffix in (".json", ".ndjson"):
        return ExportFormat.JSONL
    if suffix in (".markdown",):
        return ExportFormat.MD
    if suffix in (".txt", ".vecalign"):
        return ExportFormat.BEADS
    raise AlignerError(f"cannot tell the export format from {os.fspath(path)!r}; give it explicitly")


def write_export(path: str | os.PathLike[str], text: str, protected: Protected = ()) -> None:
    """Write exported ``text`` to ``path`` as UTF-8, atomically, never over a ``protected`` file
    or a project file (``aligner.core.output_guard``); characters UTF-8 cannot hold become U+FFFD."""
    write_output_file(path, text.encode("utf-8", errors="replace"), protected)
