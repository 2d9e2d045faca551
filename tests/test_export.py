"""Export formats: TSV, JSONL, Markdown, TMX 1.4b (DTD-valid, read back by translate-toolkit), beads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

import aligner
from aligner.core.errors import AlignerError
from aligner.core.values import Alignment, Bead, Document, Lang, Sentence
from aligner.export.formats import (
    FORMATS,
    TSV_HEADER,
    export,
    format_for_path,
    markdown_cell,
    one_line,
    select_beads,
    write_export,
)
from aligner.export.tmx import clean_xml_text
from tests.conftest import TMX_DTD


def make_doc(lang: Lang, texts: list[str]) -> Document:
    sentences, pos = [], 0
    for i, text in enumerate(texts):
        sentences.append(Sentence(i, text, pos, pos + len(text), paragraph=0))
        pos += len(text) + 1
    return Document(lang, " ".join(texts), tuple(sentences))


KO = [
    "첫 문장입니다.",
    "태그 <b>&amp;</b> \"따옴표\" 'apos' 입니다.",
    "탭\t그리고\n줄바꿈, 파이프 | 와 역슬래시 \\ 입니다.",
    "제어문자\x00\x07\x1b[31m 와 이모지 🎉👩‍💻.",
    "번역이 없는 문장.",
]
EN = [
    "The first sentence.",
    "Rich markup [bold]like this[/bold] and <&>\"' all together.",
    "Tab\tand\r\nnewline | pipe \\ backslash, form feed\x0c.",
    "Emoji 🎉 and a lone surrogate \ud800 and \ufffe noncharacter.",
]
BEADS = (
    Bead((0,), (0,), 0.91, False),
    Bead((1,), (1,), 0.42, True),
    Bead((2,), (2,), 0.77, False),
    Bead((3,), (3,), 0.15, False),
    Bead((4,), (), 0.30, False),
)


@pytest.fixture()
def alignment() -> Alignment:
    a = Alignment(make_doc(Lang.KO, KO), make_doc(Lang.EN, EN), BEADS, model="test-model")
    a.check()
    return a


def test_tsv_has_header_and_reads_back_exactly_with_csv(alignment: Alignment) -> None:
    text = export(alignment, "tsv")
    assert text.split("\n")[0] == TSV_HEADER and text.endswith("\n")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    assert records[0] == TSV_HEADER.split("\t")
    rows = records[1:]
    assert len(rows) == len(BEADS)
    assert all(len(row) == 7 for row in rows)
    assert rows[2][0] == KO[2]  # tab and newline kept, the field quoted
    assert rows[2][1] == EN[2]
    assert rows[0][0] == KO[0] and '"' not in text.split("\n")[1]  # plain fields stay bare
    assert rows[1][2:] == ["1", "1", "1-1", "0.4200", "yes"]
    assert rows[4][1:] == ["", "4", "", "1-0", "0.3000", "no"]


def test_jsonl_one_object_per_bead(alignment: Alignment) -> None:
    records = [json.loads(line) for line in export(alignment, "jsonl").splitlines()]
    assert len(records) == len(BEADS)
    assert records[1] == {
        "bead": 1,
        "ko_ids": [1],
        "en_ids": [1],
        "ko": KO[1],
        "en": EN[1],
        "type": "1-1",
        "confidence": 0.42,
        "confirmed": True,
    }
    assert records[2]["en"] == EN[2]  # JSON keeps the text exactly
    assert records[4]["type"] == "1-0" and records[4]["en_ids"] == [] and records[4]["en"] == ""


def _cells(row: str) -> list[str]:
    """Split a GFM table row on unescaped pipes."""
    cells, current, i = [], "", 0
    while i < len(row):
        ch = row[i]
        if ch == "\\" and i + 1 < len(row):
            current += row[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(current)
            current = ""
        else:
            current += ch
        i += 1
    cells.append(current)
    return [c.strip() for c in cells[1:-1]]


def test_markdown_two_column_table_with_escaped_pipes(alignment: Alignment) -> None:
    lines = export(alignment, "md").splitlines()
    assert lines[:2] == ["| Korean | English |", "| --- | --- |"]
    assert len(lines) == 2 + len(BEADS)
    assert all(len(_cells(line)) == 2 for line in lines)
    assert _cells(lines[4])[0] == "탭 그리고 줄바꿈, 파이프 \\| 와 역슬래시 \\\\ 입니다."
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in lines[3]
    assert _cells(lines[6]) == ["번역이 없는 문장.", ""]
    assert markdown_cell("a|b\\|c") == "a\\|b\\\\\\|c"


def test_beads_lines_parse_back(alignment: Alignment) -> None:
    text = export(alignment, "beads")
    assert text.splitlines()[0] == "[0]:[0]" and text.splitlines()[4] == "[4]:[]"
    assert tuple(Bead.parse(line) for line in text.splitlines()) == tuple(Bead(b.src, b.tgt) for b in BEADS)


def _parse_tmx(text: str) -> etree._Element:
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    return etree.fromstring(text.encode("utf-8"), parser)


def test_tmx_is_valid_against_the_dtd(alignment: Alignment) -> None:
    root = _parse_tmx(export(alignment, "tmx"))
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    header = root.find("header")
    assert header is not None
    assert (
        dict(header.attrib).items()
        >= {
            "creationtool": "aligner",
            "creationtoolversion": aligner.__version__,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": "ko",
            "datatype": "plaintext",
        }.items()
    )
    tus = root.findall("body/tu")
    assert len(tus) == 4  # the 1-0 bead has no English side and is left out
    first = tus[1]
    assert [child.tag for child in first] == ["prop", "prop", "prop", "tuv", "tuv"]
    props = {p.get("type"): p.text for p in first.findall("prop")}
    assert props["x-bead-type"] == "1-1" and props["x-confidence"] == "0.4200"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [tuv.get(xml_lang) for tuv in first.findall("tuv")] == ["ko", "en"]
    assert first.findtext("tuv/seg") == KO[1]


def test_tmx_reads_back_with_translate_toolkit(alignment: Alignment) -> None:
    store = tmxfile.parsestring(export(alignment, "tmx").encode("utf-8"), "ko", "en")
    units = store.units
    expected = [b for b in BEADS if b.src and b.tgt]
    assert len(units) == len(expected)
    for unit, bead in zip(units, expected, strict=True):
        ko, en = KO[bead.src[0]], EN[bead.tgt[0]]
        assert unit.source == clean_xml_text(ko)
        assert unit.target == clean_xml_text(en.replace("\ud800", "\ufffd"))  # "\r" survives as &#13;
    assert units[1].source == "태그 <b>&amp;</b> \"따옴표\" 'apos' 입니다."
    assert units[1].target == "Rich markup [bold]like this[/bold] and <&>\"' all together."
    assert units[3].source == "제어문자[31m 와 이모지 🎉👩‍💻."
    assert units[3].target == "Emoji 🎉 and a lone surrogate \ufffd and  noncharacter."


def test_clean_xml_text() -> None:
    assert clean_xml_text("a\x00b\x08c\td\ne\rf\x7f") == "abc\td\ne\rf\x7f"
    assert clean_xml_text("\ud83c\ufffe\uffff🎉\ue000") == "🎉\ue000"


def test_filters(alignment: Alignment) -> None:
    kept = [r.position for r in select_beads(alignment, min_confidence=0.5)]
    assert kept == [0, 1, 2]  # bead 1 is below 0.5 but confirmed by the user
    assert [r.position for r in select_beads(alignment, confirmed_only=True)] == [1]
    assert export(alignment, "beads", min_confidence=0.5) == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
    assert export(alignment, "beads", min_confidence=0.2).splitlines()[-1] == "[4]:[]"
    tmx = _parse_tmx(export(alignment, "tmx", confirmed_only=True))
    assert [tu.get("tuid") for tu in tmx.findall("body/tu")] == ["1"]
    assert export(alignment, "jsonl", min_confidence=0.99, confirmed_only=True).count("\n") == 1


def test_multi_sentence_beads_join_with_spaces() -> None:
    a = Alignment(
        make_doc(Lang.KO, ["가.", "나."]),
        make_doc(Lang.EN, ["A.", "B.", "C."]),
        (Bead((0, 1), (0, 1), 0.8), Bead((), (2,), 0.1)),
    )
    rows = list(csv.reader(io.StringIO(export(a, "tsv"), newline=""), delimiter="\t"))[1:]
    assert rows[0][:5] == ["가. 나.", "A. B.", "0,1", "0,1", "2-2"]
    assert rows[1][:5] == ["", "C.", "", "2", "0-1"]
    assert json.loads(export(a, "jsonl").splitlines()[1])["type"] == "0-1"


def test_empty_alignment_exports() -> None:
    a = Alignment(make_doc(Lang.KO, []), make_doc(Lang.EN, []), ())
    for fmt in FORMATS:
        export(a, fmt)
    etree.DTD(str(TMX_DTD)).assertValid(_parse_tmx(export(a, "tmx")))


def test_unknown_format(alignment: Alignment) -> None:
    with pytest.raises(AlignerError, match="unknown export format 'csv'"):
        export(alignment, "csv")


def test_format_for_path() -> None:
    assert format_for_path("out/pairs.TMX") == "tmx"
    assert format_for_path("a.tsv") == "tsv"
    assert format_for_path("a.jsonl") == "jsonl"
    assert format_for_path("a.md") == "md"
    assert format_for_path("a.align") == "beads"
    with pytest.raises(AlignerError, match="give it explicitly"):
        format_for_path("a.docx")


def test_one_line() -> None:
    assert one_line("a \n b\t\tc\r\nd\u2028e") == "a b c d e"
    assert one_line("plain text") == "plain text"
    assert one_line("nul\x00 bell\x07 esc\x1b[0m del\x7f") == "nul bell esc[0m del"


def test_write_export_is_atomic_and_utf8(alignment: Alignment, tmp_path: Path) -> None:
    target = tmp_path / "out.tmx"
    target.write_text("old content")
    text = export(alignment, "tmx")
    write_export(target, text)
    assert target.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tmx"]  # no temp file left behind
    write_export(tmp_path / "lone.txt", "bad \ud800 surrogate")
    assert (tmp_path / "lone.txt").read_text(encoding="utf-8") == "bad ? surrogate"


def test_write_export_into_missing_directory_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match=r"cannot write .*directory does not exist"):
        write_export(tmp_path / "missing" / "out.tsv", "x")


def test_write_export_keeps_existing_permissions(tmp_path: Path) -> None:
    target = tmp_path / "shared.tsv"
    target.write_text("old")
    target.chmod(0o640)
    write_export(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640
