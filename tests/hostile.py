"""Hostile documents, made on the spot: compression bombs in every container aligner reads, huge HWP
records, a huge TMX unit, deep nesting.  Shared by tests/test_input_budgets.py and bench/bench_budgets.py.

Each bomb starts from a real file of the format's own producer where one is at hand (the
LibreOffice/pandoc fixtures in tests/data/formats) and swaps its body for one that inflates to
``size`` bytes; HWP files are written as OLE2 compound files by :func:`write_cfb`.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

FORMATS = Path(__file__).parent / "data" / "formats"
MiB = 1 << 20

# the member that holds each format's body, and the fixture it comes from
BODIES = {
    "docx": ("kiep_en.docx", "word/document.xml"),
    "odt": ("kiep_en.odt", "content.xml"),
    "epub": ("kiep_en.epub", None),  # the first spine chapter
    "hwpx": (None, "Contents/section0.xml"),
}
_PARAGRAPH = {
    "docx": b"<w:p><w:r><w:t>" + b"A" * 4000 + b"</w:t></w:r></w:p>",
    "odt": b"<text:p>" + b"A" * 4000 + b"</text:p>",
    "epub": b"<p>" + b"A" * 4000 + b"</p>",
    "hwpx": b"<hp:p><hp:run><hp:t>" + b"A" * 4000 + b"</hp:t></hp:run></hp:p>",
}


def _chunks(unit: bytes, size: int) -> Iterator[bytes]:
    """Whole copies of ``unit`` (so markup stays well-formed), about ``size`` bytes in all, a MiB at a time."""
    per = max(1, MiB // len(unit))
    left = -(-size // len(unit))
    while left > 0:
        yield unit * min(per, left)
        left -= per


def _epub_chapter(z: zipfile.ZipFile) -> str:
    return next(n for n in z.namelist() if n.endswith((".xhtml", ".html")) and "nav" not in n)


def zip_bomb(fmt: str, out: Path, size: int, body: bytes | None = None, *, dense: bool = False) -> Path:
    """A ``fmt`` document (docx, odt, epub, hwpx) whose body member inflates to about ``size`` bytes
    of long paragraphs (``dense``: of one-letter paragraphs, the most elements a byte can buy), or,
    given ``body``, holds that body."""
    fixture, member = BODIES[fmt]
    if fixture is None:  # HWPX: no producer at hand; the container layout Hancom writes
        members = {"mimetype": b"application/hwp+zip", "Contents/content.hpf": b"<opf:package/>"}
    else:
        with zipfile.ZipFile(FORMATS / fixture) as z:
            member = member or _epub_chapter(z)
            members = {n: z.read(n) for n in z.namelist()}
    assert member is not None
    head, _, tail = _split_body(members.get(member, b""), fmt)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in members.items():
            if name == member:
                continue
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(name, data, compress_type=kind)
        with z.open(member, "w", force_zip64=True) as f:
            f.write(head)
            unit = _PARAGRAPH[fmt].replace(b"A" * 4000, b"A") if dense else _PARAGRAPH[fmt]
            for chunk in [body] if body is not None else _chunks(unit, size):
                f.write(chunk)
            f.write(tail)
    return out


def _split_body(xml: bytes, fmt: str) -> tuple[bytes, bytes, bytes]:
    """The member's XML before and after its paragraphs (a made-up shell when there is none)."""
    if fmt == "hwpx" or not xml:
        ns = b'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'
        return b"<hs:sec " + ns + b">", b"", b"</hs:sec>"
    close = {"docx": b"<w:sectPr", "odt": b"</office:text>", "epub": b"</body>"}[fmt]
    cut = xml.find(close)
    if cut < 0 and fmt == "docx":
        cut = xml.find(b"</w:body>")
    return xml[:cut], b"", xml[cut:]


def deep_nesting(fmt: str, out: Path, depth: int) -> Path:
    """An ODT, HWPX or TMX whose one paragraph nests ``depth`` inline elements."""
    if fmt == "tmx":
        seg = b"<hi>" * depth + "깊은 문장".encode() + b"</hi>" * depth
        tu = b'<tu><tuv xml:lang="ko"><seg>' + seg + b'</seg></tuv><tuv xml:lang="en"><seg>Deep.</seg></tuv></tu>'
        out.write_bytes(b'<?xml version="1.0"?><tmx version="1.4"><header srclang="ko"/><body>' + tu + b"</body></tmx>")
        return out
    inner = {"odt": (b"<text:span>", b"</text:span>"), "hwpx": (b"<hp:ctrl>", b"</hp:ctrl>")}[fmt]
    paragraph = {"odt": (b"<text:p>", b"</text:p>"), "hwpx": (b"<hp:p><hp:run>", b"</hp:run></hp:p>")}[fmt]
    body = paragraph[0] + inner[0] * depth + "깊은 문장입니다.".encode() + inner[1] * depth + paragraph[1]
    return zip_bomb(fmt, out, 0, body)


def huge_tmx(out: Path, chars: int) -> Path:
    """A TMX of a few ordinary units and one whose Korean side is ``chars`` characters long."""
    units = [
        ("한국과 중국은 협력한다.", "Korea and China cooperate."),
        ("가" * chars, "A very long unit."),
        ("경제가 성장했다.", "The economy grew."),
    ]
    body = "".join(
        f'<tu tuid="{k}"><tuv xml:lang="ko"><seg>{ko}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>'
        for k, (ko, en) in enumerate(units, 1)
    )
    out.write_text(f'<?xml version="1.0"?><tmx version="1.4"><header srclang="ko"/><body>{body}</body></tmx>', "utf-8")
    return out


# --------------------------------------------------------------------------- HWP 5.0 (OLE2 compound files)

_SECTOR = 512
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def write_cfb(out: Path, streams: dict[str, bytes]) -> Path:
    """An OLE2 compound file (version 3) holding ``streams`` ("Storage/Stream" or "Stream" names).

    Every stream is padded to at least 4,096 bytes so it lives in regular sectors (no mini stream).
    """
    data = {k: v.ljust(4096, b"\0") for k, v in streams.items()}
    sectors: list[bytes] = []
    fat: list[int] = []
    starts: dict[str, int] = {}
    for name, blob in data.items():
        n = -(-len(blob) // _SECTOR)
        starts[name] = len(sectors)
        fat += [len(sectors) + i + 1 for i in range(n - 1)] + [_END]
        sectors += [blob[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\0") for i in range(n)]
    # directory: root, then each storage and stream; storages chain their children by right sibling
    storages = sorted({k.split("/")[0] for k in data if "/" in k})
    entries: list[dict[str, Any]] = [{"name": "Root Entry", "type": 5}]
    top: list[int] = []
    for name in [k for k in data if "/" not in k] + storages:
        top.append(len(entries))
        entries.append({"name": name, "type": 2 if name in data else 1})
    for storage in storages:
        kids = [k for k in data if k.startswith(storage + "/")]
        index = next(i for i, e in enumerate(entries) if e["name"] == storage)
        first = len(entries)
        for k, key in enumerate(kids):
            entries.append({"name": key.split("/")[1], "type": 2, "key": key,
                            "right": first + k + 1 if k + 1 < len(kids) else _NOSTREAM})  # fmt: skip
        entries[index]["child"] = first
    for k, i in enumerate(top):
        entries[i]["right"] = top[k + 1] if k + 1 < len(top) else _NOSTREAM
    entries[0]["child"] = top[0]
    raw_dir = b""
    for e in entries:
        encoded = str(e["name"]).encode("utf-16-le") + b"\0\0"
        key = str(e.get("key", e["name"]))
        is_stream = e["type"] == 2
        start = starts[key] if is_stream else _END
        size = len(data[key]) if is_stream else 0
        raw_dir += (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), e["type"], 1,
                    _NOSTREAM, e.get("right", _NOSTREAM), e.get("child", _NOSTREAM))
                    + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))  # fmt: skip
    raw_dir = raw_dir.ljust(-(-len(raw_dir) // _SECTOR) * _SECTOR, b"\0")
    dir_start = len(sectors)
    n_dir = len(raw_dir) // _SECTOR
    fat += [dir_start + i + 1 for i in range(n_dir - 1)] + [_END]
    sectors += [raw_dir[i * _SECTOR : (i + 1) * _SECTOR] for i in range(n_dir)]
    per = _SECTOR // 4
    n_fat = 1
    while n_fat * per < len(fat) + n_fat:
        n_fat += 1
    assert n_fat <= 109, "too big for a header-only FAT"
    fat_start = len(sectors)
    fat += [_FATSECT] * n_fat
    fat += [_FREE] * (n_fat * per - len(fat))
    raw_fat = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [raw_fat[i * _SECTOR : (i + 1) * _SECTOR] for i in range(n_fat)]
    difat = [fat_start + i for i in range(n_fat)] + [_FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", *difat))  # fmt: skip
    out.write_bytes(header + b"".join(sectors))
    return out


def hwp_header(flags: int) -> bytes:
    return b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags)


def hwp_record(tag: int, level: int, payload: bytes) -> bytes:
    if len(payload) < 0xFFF:
        return struct.pack("<I", tag | level << 10 | len(payload) << 20) + payload
    return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(payload)) + payload


PARA_TEXT = 0x10 + 51


def _deflate(chunks: Iterator[bytes]) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b"".join(c.compress(chunk) for chunk in chunks) + c.flush()


def hwp_section_bomb(out: Path, size: int) -> Path:
    """An HWP whose one section inflates to ``size`` bytes of ordinary paragraphs."""
    para = hwp_record(PARA_TEXT, 0, "가나다라 ".encode("utf-16-le") * 100)
    body = _deflate(_chunks(para, size))
    return write_cfb(out, {"FileHeader": hwp_header(1), "BodyText/Section0": body})


def hwp_record_bomb(out: Path, chars: int) -> Path:
    """An HWP with one PARA_TEXT record of ``chars`` characters (its size read from the record header)."""
    def records() -> Iterator[bytes]:
        yield struct.pack("<II", PARA_TEXT | 0xFFF << 20, chars * 2)
        yield from _chunks("가".encode("utf-16-le"), chars * 2)

    return write_cfb(out, {"FileHeader": hwp_header(1), "BodyText/Section0": _deflate(records())})


def hwp_many_records(out: Path, size: int) -> Path:
    """An HWP whose section is ``size`` bytes of empty records (a 128 KB file of 30 million records)."""
    empty = struct.pack("<I", 0x10 + 60)  # a tag the reader skips, no payload
    return write_cfb(out, {"FileHeader": hwp_header(1), "BodyText/Section0": _deflate(_chunks(empty, size))})


def hwp_distribution_bomb(out: Path, size: int) -> Path:
    """A distribution (배포용) HWP whose encrypted ViewText section inflates to ``size`` bytes."""
    from aligner.ingest.hwp_distribution import _key

    seed_and_data = bytes(range(256))
    key = _key(seed_and_data)
    para = hwp_record(PARA_TEXT, 0, "가나다라 ".encode("utf-16-le") * 100)
    deflated = _deflate(_chunks(para, size))
    deflated += b"\0" * (-len(deflated) % 16)
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    encrypted = encryptor.update(deflated) + encryptor.finalize()
    stream = struct.pack("<I", 0x10 + 12 | 256 << 20) + seed_and_data + encrypted
    return write_cfb(out, {"FileHeader": hwp_header(1 | 4), "ViewText/Section0": stream})


def pdf_bomb(out: Path, size: int) -> Path:
    """A one-page PDF whose content stream inflates to ``size`` bytes of text-showing operators."""
    ops = b"BT /F1 1 Tf 10 10 Td (A) Tj ET\n"
    stream = _deflate_zlib(_chunks(ops, size))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, obj in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % k + obj + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    out.write_bytes(bytes(pdf))
    return out


def _deflate_zlib(chunks: Iterator[bytes]) -> bytes:
    c = zlib.compressobj(9)
    return b"".join(c.compress(chunk) for chunk in chunks) + c.flush()
