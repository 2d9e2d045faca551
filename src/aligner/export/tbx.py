"""Glossary files: TBX (TermBase eXchange) for CAT tools, and TSV, CSV and Anki tables.

TBX comes in two flavours:

- version 2 (default): TBX-Basic, ISO 30042:2008 — ``<martif type="TBX-Basic">``
  with ``<termEntry>``/``<langSet xml:lang>``/``<tig><term>``, what memoQ,
  Trados MultiTerm, OmegaT and most CAT tools import;
- version 3: TBX-Basic in the ISO 30042:2019 DCA style — ``<tbx>`` with
  ``<conceptEntry>``/``<langSec>``/``<termSec>``.

Each entry carries the part of speech (TBX-Basic's ``noun``, ``properNoun``
for a name), the example sentence as context, and a note with the entry's
kind (term, name or general word — ``aligner.glossary.termhood``), the bead
frequency and the confidence.
TSV and CSV have a ``kind`` column; Anki cards carry the kind as a tag.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import aligner
from aligner.core.errors import AlignerError
from aligner.core.values import Alignment
from aligner.export.tmx import clean_xml_text, escape_text
from aligner.glossary.build import TermPair
from aligner.glossary.termhood import TermKind

FORMATS = ("tsv", "csv", "tbx", "anki")
COLUMNS = ("ko", "en", "kind", "frequency", "confidence", "example_ko", "example_en")
TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
TBX3_SCHEMA = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
    "TBXcoreStructV03_TBX-Basic_integrated.rng"
)


@dataclass(frozen=True)
class GlossaryRow:
    ko: str
    en: str
    frequency: int
    confidence: float
    example_ko: str
    example_en: str
    kind: str = TermKind.TERM.value


def glossary_rows(pairs: Sequence[TermPair], alignment: Alignment) -> list[GlossaryRow]:
    """The pairs with their example sentences, ready to write."""
    rows = []
    for p in pairs:
        ko, en = alignment.texts(p.example) if 0 <= p.example < len(alignment.beads) else ("", "")
        rows.append(GlossaryRow(p.ko, p.en, p.frequency, p.confidence, ko, en, p.kind.value))
    return rows


def _cell(text: str) -> str:
    return " ".join(text.split())


def to_tsv(rows: Sequence[GlossaryRow], header: bool = False) -> str:
    """One pair a line: Korean, English, kind, frequency, confidence, example ko, example en."""
    lines = ["\t".join(COLUMNS)] if header else []
    for r in rows:
        cells = [r.ko, r.en, r.kind, str(r.frequency), f"{r.confidence:.3f}", r.example_ko, r.example_en]
        lines.append("\t".join(_cell(c) for c in cells))
    return "".join(line + "\n" for line in lines)


def to_csv(rows: Sequence[GlossaryRow], header: bool = False) -> str:
    """The TSV columns as RFC 4180 CSV (quoted where needed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    for r in rows:
        cells = [r.ko, r.en, r.kind, r.frequency, f"{r.confidence:.3f}", _cell(r.example_ko), _cell(r.example_en)]
        writer.writerow(cells)
    return out.getvalue()


def to_anki(rows: Sequence[GlossaryRow]) -> str:
    """An Anki text import (File > Import): front the Korean term, back the English
    term, a blank line, then the example pair; the third column is the entry's kind
    as a tag. Anki's header lines set comma separation, plain text (Anki escapes
    it and keeps the line breaks) and the tags column."""
    out = io.StringIO()
    out.write("#separator:comma\n#html:false\n#columns:Front,Back,Tags\n#tags column:3\n")
    writer = csv.writer(out, lineterminator="\n")
    for r in rows:
        back = r.en
        if r.example_ko or r.example_en:
            back += "\n\n" + _cell(r.example_ko) + "\n" + _cell(r.example_en)
        writer.writerow([r.ko, back.strip(), r.kind])
    return out.getvalue()


def _x(text: str) -> str:
    return escape_text(clean_xml_text(text))


def _lang_block(version: int, lang: str, term: str, context: str, indent: str, kind: str) -> list[str]:
    inner = indent + "    "
    pos = "properNoun" if kind == TermKind.NAME.value else "noun"
    body = [
        f"{inner}  <term>{_x(term)}</term>",
        f'{inner}  <termNote type="partOfSpeech">{pos}</termNote>',
    ]
    if context:
        body.append(f'{inner}  <descrip type="context">{_x(_cell(context))}</descrip>')
    outer, group = ("langSet", "tig") if version == 2 else ("langSec", "termSec")
    return [
        f'{indent}  <{outer} xml:lang="{lang}">',
        f"{inner}<{group}>",
        *body,
        f"{inner}</{group}>",
        f"{indent}  </{outer}>",
    ]


def to_tbx(rows: Sequence[GlossaryRow], *, version: int = 2, title: str = "aligner glossary") -> str:
    """A well-formed TBX-Basic document with one entry per pair."""
    if version not in (2, 3):
        raise AlignerError(f"TBX version must be 2 or 3, not {version}")
    source = f"Learned by aligner {aligner.version()} from an aligned Korean–English document pair."
    head = ['<?xml version="1.0" encoding="UTF-8"?>']
    indent = "      "
    if version == 2:
        head += [
            '<martif type="TBX-Basic" xml:lang="ko">',
            "  <martifHeader>",
            "    <fileDesc>",
            f"      <titleStmt><title>{_x(title)}</title></titleStmt>",
            f"      <sourceDesc><p>{_x(source)}</p></sourceDesc>",
            "    </fileDesc>",
            '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>',
            "  </martifHeader>",
        ]
        entry, close = "termEntry", "</martif>"
    else:
        head += [
            f'<?xml-model href="{TBX3_SCHEMA}" type="application/xml" '
            'schematypens="http://relaxng.org/ns/structure/1.0"?>',
            f'<tbx type="TBX-Basic" style="dca" xml:lang="ko" xmlns="{TBX3_NAMESPACE}">',
            "  <tbxHeader>",
            "    <fileDesc>",
            f"      <titleStmt><title>{_x(title)}</title></titleStmt>",
            f"      <sourceDesc><p>{_x(source)}</p></sourceDesc>",
            "    </fileDesc>",
            "  </tbxHeader>",
        ]
        entry, close = "conceptEntry", "</tbx>"
    lines = [*head, "  <text>", "    <body>"]
    for n, r in enumerate(rows, 1):
        note = f"kind {r.kind}; frequency {r.frequency}; confidence {r.confidence:.3f}"
        lines.append(f'{indent}<{entry} id="c{n}">')
        lines.append(f"{indent}  <note>{_x(note)}</note>")  # entry-level notes precede the languages
        lines += _lang_block(version, "ko", r.ko, r.example_ko, indent, r.kind)
        lines += _lang_block(version, "en", r.en, r.example_en, indent, r.kind)
        lines.append(f"{indent}</{entry}>")
    lines += ["    </body>", "  </text>", close]
    return "\n".join(lines) + "\n"


def render_glossary(
    pairs: Sequence[TermPair],
    alignment: Alignment,
    fmt: str,
    *,
    header: bool = False,
    tbx_version: int = 2,
    title: str = "aligner glossary",
) -> str:
    """The glossary in ``fmt`` (one of ``FORMATS``)."""
    rows = glossary_rows(pairs, alignment)
    if fmt == "tsv":
        return to_tsv(rows, header)
    if fmt == "csv":
        return to_csv(rows, header)
    if fmt == "anki":
        return to_anki(rows)
    if fmt == "tbx":
        return to_tbx(rows, version=tbx_version, title=title)
    raise AlignerError(f"unknown glossary format {fmt!r} (choose {', '.join(FORMATS)})")
