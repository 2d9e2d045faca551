"""Bilingual files people already have: TMX (1.1–1.4) and XLIFF (1.2 and 2.x), read as
a Korean and an English document whose units pair one-to-one.

Each translation unit becomes one sentence on each side (a unit is a segment the
translator already fixed); a unit with only one side becomes an omission. Inline
codes (TMX ``bpt``/``ept``/``ph``/``it``/``ut``, XLIFF ``x``/``bx``/``ex``/``ph``/
``sc``/``ec``) are left out of the text; the text inside ``g``/``pc``/``mrk``/``hi`` is kept.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from aligner.core.budgets import TOO_DEEP, open_regular, read_input
from aligner.core.errors import InputError
from aligner.core.values import Bead, Document, Lang, Sentence
from aligner.ingest.text import detect_lang, letter_counts
from aligner.ingest.xml import check_tags

_ROOT_RE = re.compile(rb"<(?:[\w.-]+:)?(tmx|xliff)\b", re.IGNORECASE)
_CODES = {"bpt", "ept", "ph", "it", "ut", "x", "bx", "ex", "sc", "ec", "sub"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WS_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Unit:
    ident: str
    ko: str
    en: str


def bilingual_kind(path: str | Path) -> str | None:
    """ "tmx" or "xliff" if ``path`` is one (judged by its root element), else None."""
    try:
        fd = open_regular(path)  # never waits on a FIFO; a device or FIFO is no TMX (the reader says why)
    except InputError:
        return None
    with os.fdopen(fd, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf")
        if not head.lstrip().startswith(b"<"):
            return None
        if (m := _ROOT_RE.search(head)) is not None:
            return m.group(1).decode().lower()
        f.seek(0)
        return _root_name(f)


def _root_name(f: BinaryIO) -> str | None:
    """The root element's name when it lies past the first 4 KB (after a long internal DTD or comments)."""
    try:
        for _, el in etree.iterparse(f, events=("start",), resolve_entities=False, no_network=True, huge_tree=True,
                                     load_dtd=False):  # fmt: skip
            name = _local(el).lower()
            return name if name in ("tmx", "xliff") else None
    except (etree.XMLSyntaxError, OSError, ValueError):
        return None
    return None


def _local(el: etree._Element) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _text(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and _local(child) not in _CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return _WS_RE.sub(" ", "".join(parts)).strip()


def _parse(path: Path) -> etree._Element:
    data = read_input(path)
    check_tags(data, str(path), "the file")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise InputError(f"{path}: damaged file (not well-formed XML: {err.msg}); re-export it") from None


_Raw = tuple[str, dict[str, str]]  # unit id, text by language code


def _orient(raw: list[_Raw], name: Path) -> list[Unit]:
    """Which side is Korean and which English: the side written in Hangul is Korean
    (language codes can be wrong: po2xliff labels every source "en-US"); the codes
    ("ko-KR", "en") decide only between sides in the same script."""
    langs = list(dict.fromkeys(lang for _, texts in raw for lang in texts))
    hangul_share = {}
    for lang in langs:
        hangul, latin = letter_counts(" ".join(t.get(lang, "") for _, t in raw))
        hangul_share[lang] = 3 * hangul / max(1, 3 * hangul + latin)
    ranked = sorted(langs, key=lambda lang: (-hangul_share[lang], not lang.lower().startswith("ko")))
    ko = ranked[0] if ranked and hangul_share[ranked[0]] >= 0.5 else None
    en = next((lang for lang in reversed(ranked) if lang != ko and hangul_share[lang] < 0.5), None)
    if ko is None or en is None:
        found = ", ".join(lang or "(none)" for lang in langs)
        raise InputError(f"{name}: needs a Korean and an English side; its languages are {found}")
    return [Unit(ident, texts.get(ko, ""), texts.get(en, "")) for ident, texts in raw]


def _tmx_units(root: etree._Element, name: Path) -> list[Unit]:
    raw: list[_Raw] = []
    for k, tu in enumerate(root.iter("{*}tu", "tu"), 1):
        texts: dict[str, str] = {}
        for tuv in tu:
            if _local(tuv) != "tuv":
                continue
            lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
            seg = next((s for s in tuv if _local(s) == "seg"), None)
            if seg is not None:
                texts[lang] = _text(seg)
        raw.append((tu.get("tuid") or str(k), texts))
    return _orient(raw, name)


def _pair(source: str, target: str, src_lang: str, tgt_lang: str) -> dict[str, str]:
    if src_lang == tgt_lang:  # undeclared languages: keep the two sides apart
        src_lang, tgt_lang = src_lang + "#source", tgt_lang + "#target"
    return {src_lang: source, tgt_lang: target}


def _xliff_units(root: etree._Element, name: Path) -> list[Unit]:
    raw: list[_Raw] = []
    version = root.get("version") or ""
    if version.startswith("2"):
        src_lang, tgt_lang = root.get("srcLang") or "", root.get("trgLang") or ""
        for unit in root.iter("{*}unit"):
            for k, seg in enumerate((s for s in unit if _local(s) == "segment"), 1):
                source = next((_text(s) for s in seg if _local(s) == "source"), "")
                target = next((_text(s) for s in seg if _local(s) == "target"), "")
                raw.append((f"{unit.get('id')}#{k}", _pair(source, target, src_lang, tgt_lang)))
        return _orient(raw, name)
    for file in root.iter("{*}file"):
        src_lang, tgt_lang = file.get("source-language") or "", file.get("target-language") or ""
        for tu in file.iter("{*}trans-unit"):
            if tu.get("restype") == "x-gettext-domain-header":
                continue
            source = next((_text(s) for s in tu if _local(s) == "source"), "")
            target = next((_text(s) for s in tu if _local(s) == "target"), "")
            raw.append((tu.get("id") or str(len(raw) + 1), _pair(source, target, src_lang, tgt_lang)))
    return _orient(raw, name)


def read_units(path: str | Path) -> tuple[str, list[Unit]]:
    """The kind ("tmx"/"xliff") and the units of a bilingual file, Korean side first."""
    path = Path(path)
    kind = bilingual_kind(path)
    if kind is None:
        raise InputError(f"{path}: not a TMX or XLIFF file")
    root = _parse(path)
    try:
        units = _tmx_units(root, path) if kind == "tmx" else _xliff_units(root, path)
    except RecursionError:
        raise InputError(f"{path}: {TOO_DEEP}") from None
    units = [u for u in units if u.ko or u.en]
    if not units:
        raise InputError(f"{path}: no translation units with text")
    if not any(u.ko for u in units) or not any(u.en for u in units):
        raise InputError(f"{path}: needs text on both a Korean and an English side")
    if detect_lang(" ".join(u.ko for u in units)) is not Lang.KO:
        raise InputError(f"{path}: the side marked Korean has no Hangul")
    return kind, units


def bilingual_documents(path: str | Path) -> tuple[Document, Document, tuple[Bead, ...]]:
    """The Korean and English documents of a TMX/XLIFF file and the file's own pairing."""
    kind, units = read_units(path)
    sides: dict[Lang, list[Sentence]] = {Lang.KO: [], Lang.EN: []}
    sources: dict[Lang, list[str]] = {Lang.KO: [], Lang.EN: []}
    locations: dict[Lang, list[tuple[int, str]]] = {Lang.KO: [], Lang.EN: []}
    offsets = {Lang.KO: 0, Lang.EN: 0}
    beads = []
    for p, unit in enumerate(units):
        ids: dict[Lang, tuple[int, ...]] = {}
        for lang, text in ((Lang.KO, unit.ko), (Lang.EN, unit.en)):
            if not text:
                ids[lang] = ()
                continue
            start = offsets[lang]
            sentence = Sentence(len(sides[lang]), text, start, start + len(text), p)
            locations[lang].append((start, f"unit {unit.ident}"))
            sides[lang].append(sentence)
            sources[lang].append(text)
            offsets[lang] = start + len(text) + 2
            ids[lang] = (sentence.index,)
        beads.append(Bead(ids[Lang.KO], ids[Lang.EN]))
    docs = {
        lang: Document(
            lang,
            "\n\n".join(sources[lang]),
            tuple(sides[lang]),
            path=str(path),
            encoding=kind,
            locations=tuple(locations[lang]),
        )
        for lang in (Lang.KO, Lang.EN)
    }
    return docs[Lang.KO], docs[Lang.EN], tuple(beads)
