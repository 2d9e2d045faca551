"""TMX 1.4b serialisation of aligned sentence pairs.

The output validates against the TMX 1.4 DTD: a header carrying every required
attribute, then one ``<tu>`` per unit with its ``<prop>`` elements before the
two ``<tuv>`` elements.  Text is XML-escaped and characters XML 1.0 forbids
(most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import aligner

# Everything outside the XML 1.0 Char production:
# #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit: a Korean segment, an English segment and bead metadata."""

    source: str
    target: str
    bead_type: str
    confidence: float
    confirmed: bool = False
    tuid: str | None = None
    source_location: str | None = None  # where the segment came from ("p. 12"), if known
    target_location: str | None = None


def clean_xml_text(text: str) -> str:
    """Remove characters that XML 1.0 cannot represent, even as character references."""
    return _XML_FORBIDDEN.sub("", text)


def escape_text(text: str) -> str:
    """Escape character data (and attribute values) for XML; also removes forbidden characters.

    ``\\r`` is written as ``&#13;`` so that parsers do not normalise it away.
    """
    text = clean_xml_text(text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
        .replace("\r", "&#13;")
    )


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{escape_text(value)}"' for name, value in pairs)


def tmx_date(moment: datetime) -> str:
    """TMX date format: ``YYYYMMDDThhmmssZ`` in UTC."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def build_tmx(
    units: Iterable[TmxUnit],
    *,
    srclang: str = "ko",
    tgtlang: str = "en",
    creationdate: datetime | None = None,
) -> str:
    """Return a complete TMX 1.4b document (UTF-8 declared) for ``units``."""
    header = [
        ("creationtool", "aligner"),
        ("creationtoolversion", aligner.version()),
        ("segtype", "sentence"),
        ("o-tmf", "aligner"),
        ("adminlang", "en"),
        ("srclang", srclang),
        ("datatype", "plaintext"),
    ]
    if creationdate is not None:
        header.append(("creationdate", tmx_date(creationdate)))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        '<tmx version="1.4">',
        f"  <header{_attrs(header)}/>",
        "  <body>",
    ]
    for unit in units:
        tu_attrs = [("tuid", unit.tuid)] if unit.tuid is not None else []
        lines.append(f"    <tu{_attrs(tu_attrs)}>")
        lines.append(f'      <prop type="x-bead-type">{escape_text(unit.bead_type)}</prop>')
        lines.append(f'      <prop type="x-confidence">{unit.confidence:.4f}</prop>')
        lines.append(f'      <prop type="x-confirmed">{"yes" if unit.confirmed else "no"}</prop>')
        sides = ((srclang, unit.source, unit.source_location), (tgtlang, unit.target, unit.target_location))
        for lang, text, location in sides:
            lines.append(f'      <tuv xml:lang="{escape_text(lang)}">')
            if location:
                lines.append(f'        <prop type="x-location">{escape_text(location)}</prop>')
            lines.append(f"        <seg>{escape_text(text)}</seg>")
            lines.append("      </tuv>")
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines)
