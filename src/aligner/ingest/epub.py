"""EPUB → chapters in spine order, each walked into blocks (zip + lxml).

``META-INF/container.xml`` names the package document; its spine orders the XHTML
chapters; each chapter's ``<body>`` is walked by :mod:`aligner.ingest.markup`.
Navigation documents are skipped; DRM (an ``encryption.xml`` listing content) is refused.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from aligner.core.errors import InputError
from aligner.ingest.extracted import Extracted, TextBuilder
from aligner.ingest.markup import walk_markup
from aligner.ingest.xml import attr, member_bytes, open_zip, parse_member


def read_epub(data: bytes, name: str) -> Extracted:
    z = open_zip(data, name, "EPUB")
    names = set(z.namelist())
    if "META-INF/encryption.xml" in names:
        enc = parse_member(z, "META-INF/encryption.xml", name, "EPUB")
        if any(attr(ref, "URI") for ref in enc.iter("{*}CipherReference")):
            raise InputError(f"{name}: the EPUB is DRM-protected (encrypted content); use a DRM-free copy")
    container = parse_member(z, "META-INF/container.xml", name, "EPUB")
    rootfile = next((attr(r, "full-path") for r in container.iter("{*}rootfile")), None)
    if not rootfile:
        raise InputError(f"{name}: damaged EPUB (container.xml names no package); re-save it")
    opf = parse_member(z, rootfile, name, "EPUB")
    base = posixpath.dirname(rootfile)
    items = {attr(i, "id"): i for i in opf.iter("{*}item")}
    builder = TextBuilder("epub", name)
    chapter = 0
    for ref in opf.iter("{*}itemref"):
        item = items.get(attr(ref, "idref"))
        if item is None or "nav" in (attr(item, "properties") or "").split():
            continue
        if (attr(item, "media-type") or "") not in ("application/xhtml+xml", "text/html"):
            continue
        href = posixpath.normpath(posixpath.join(base, attr(item, "href") or ""))
        if href not in names:
            continue
        chapter += 1
        raw = member_bytes(z, href, name, "EPUB")
        z.charge_tags(raw, href)
        root = _parse_chapter(raw, name)
        body = next(root.iter("{*}body"), root)
        walk_markup(body, builder, f"ch. {chapter}")
    return builder.build()


def _parse_chapter(raw: bytes, name: str) -> etree._Element:
    try:
        return etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    except etree.XMLSyntaxError:
        raise InputError(f"{name}: damaged EPUB chapter (not well-formed XHTML)") from None
