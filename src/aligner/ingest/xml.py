"""Shared helpers for the XML-in-a-zip formats (DOCX, ODT, HWPX, EPUB)."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

from aligner.core.budgets import MAX_MARKUP_TAGS
from aligner.core.errors import InputError
from aligner.ingest.unzip import BoundedZip

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=False)


def local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def attr(el: etree._Element, name: str) -> str | None:
    """Attribute by local name, whatever its namespace."""
    for key, value in el.attrib.items():
        if str(key).rsplit("}", 1)[-1] == name:
            return str(value)
    return None


def children(el: etree._Element) -> Iterator[etree._Element]:
    for child in el:
        if isinstance(child.tag, str):
            yield child


def open_zip(data: bytes, name: str, what: str) -> BoundedZip:
    try:
        z = BoundedZip(data, name)
    except zipfile.BadZipFile:
        raise InputError(
            f"{name}: damaged or truncated {what} file (not a readable zip); re-save or re-download it"
        ) from None
    for info in z.infolist():
        if info.flag_bits & 0x1:
            raise InputError(f"{name}: the {what} file is encrypted or DRM-protected; save an unprotected copy")
    if "META-INF/manifest.xml" in z.namelist():  # ODF/HWPX: encrypted parts are listed in the manifest
        try:
            manifest = z.read_member("META-INF/manifest.xml")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            manifest = b""
        if b"encryption-data" in manifest:
            raise InputError(f"{name}: the {what} file is password-protected; remove the password and save it again")
    return z


def member_bytes(z: BoundedZip, member: str, name: str, what: str) -> bytes:
    """``member``'s bytes within the document's budget; a missing or damaged member is one line."""
    try:
        return z.read_member(member)
    except KeyError:
        raise InputError(f"{name}: damaged {what} file ({member} is missing); re-save it") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError):
        raise InputError(f"{name}: damaged or truncated {what} file ({member} cannot be read); re-save it") from None


def check_tags(raw: bytes, name: str, part: str) -> None:
    """Refuse (one line) a single-part document (HTML, TMX/XLIFF) with more tags than a tree of about 1 GB
    holds, before parsing it (zip containers count all their parts: :meth:`BoundedZip.charge_tags`)."""
    tags = raw.count(b"<")
    if tags > MAX_MARKUP_TAGS:
        raise InputError(
            f"{name}: {part} has {tags:,} tags, more than aligner parses from one part ({MAX_MARKUP_TAGS:,}); "
            "a hostile file, or split the document"
        )


def parse_member(z: BoundedZip, member: str, name: str, what: str) -> etree._Element:
    raw = member_bytes(z, member, name, what)
    z.charge_tags(raw, member)
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError:
        raise InputError(f"{name}: damaged {what} file ({member} is not well-formed XML); re-save it") from None
