"""Reading files: encodings, refusals, character normalisation with offsets."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.core.errors import InputError
from aligner.core.values import Document, Lang
from aligner.ingest.mapped_text import MappedText, normalize_chars, repair_markdown
from aligner.ingest.text import (
    decode_bytes,
    detect_lang,
    read_document_text,
)
from aligner.segment.sentences import load_document, segment

KO = "중국은 인터넷 플러스 전략을 추진 중이다. 이는 4차 산업혁명에 대한 대응이다.\n\n둘째 문단이다.\n"
EN = "China is pursuing a strategy. It is important.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --------------------------------------------------------------------------- encodings


def test_utf8_plain(tmp_path: Path) -> None:
    text, enc = read_document_text(write(tmp_path, "a.txt", KO.encode("utf-8")))
    assert (text, enc) == (KO, "utf-8")


def test_utf8_bom_is_stripped_from_source(tmp_path: Path) -> None:
    text, enc = read_document_text(write(tmp_path, "a.txt", codecs.BOM_UTF8 + KO.encode("utf-8")))
    assert text == KO
    assert enc == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text, enc = read_document_text(write(tmp_path, "a.txt", bom + KO.encode(codec)))
    assert text == KO
    assert enc == "utf-16"


def test_bomless_utf16_of_ascii_text(tmp_path: Path) -> None:
    text, enc = read_document_text(write(tmp_path, "a.txt", EN.encode("utf-16-le")))
    assert text == EN
    assert enc == "utf-16-le"


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_cp949_korean_decoded_and_reported(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path, "ko.txt", KO.encode(codec))
    text, enc = read_document_text(path)
    assert text == KO
    assert enc == "cp949"
    doc = load_document(path, Lang.KO)
    assert doc.encoding == "cp949"
    assert doc.texts[0] == "중국은 인터넷 플러스 전략을 추진 중이다."


def test_cp1252_english_is_not_mistaken_for_korean(tmp_path: Path) -> None:
    data = "China\u2019s strategy is \u201cnew\u201d. It works.\n".encode("cp1252")
    text, enc = read_document_text(write(tmp_path, "en.txt", data))
    assert enc == "cp1252"
    assert "China\u2019s" in text


# --------------------------------------------------------------------------- refusals


def test_binary_file_refused_naming_file(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.bin", bytes(range(256)) * 4)
    with pytest.raises(InputError) as err:
        read_document_text(path)
    assert "blob.bin" in str(err.value)
    assert "binary" in str(err.value)
    assert "\n" not in str(err.value)


def test_control_characters_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "ctl.txt", b"abc\x01\x02\x03\x04\x05\x06def\x07\x08\x0e\x0f" * 20)
    with pytest.raises(InputError, match=r"ctl\.txt.*binary"):
        read_document_text(path)


def test_pdf_refused_with_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(InputError, match=r"report\.pdf.*PDF"):
        read_document_text(path)


def test_invalid_bytes_refused_naming_file(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "한국어 문장".encode() + b"\xff\xfe\xfd\x80\x81\xc0\xc1" * 50)
    with pytest.raises(InputError) as err:
        read_document_text(path)
    assert "bad.txt" in str(err.value)
    assert "decode" in str(err.value)


def test_invalid_utf8_after_bom_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + b"abc \xff\xfe def")
    with pytest.raises(InputError, match=r"bom\.txt"):
        read_document_text(path)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  \r\n", "\u00a0\u200b\n\u3000".encode(), codecs.BOM_UTF8 + b"\n"])
def test_empty_or_whitespace_only_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(InputError, match=r"empty\.txt is empty"):
        load_document(path, Lang.EN)


def test_missing_file_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt"):
        read_document_text(tmp_path / "nope.txt")


def test_segment_refuses_empty_source() -> None:
    with pytest.raises(InputError, match="is empty"):
        segment(" \n\u200b ", Lang.KO)


# --------------------------------------------------------------------------- language


def test_detect_lang() -> None:
    assert detect_lang(KO) is Lang.KO
    assert detect_lang(EN) is Lang.EN
    assert detect_lang("중국은 ICT와 AI, IoT 분야의 R&D 투자를 늘렸다.") is Lang.KO
    assert detect_lang("The Korean word 경제 means economy.") is Lang.EN
    assert detect_lang("1234 ... !!!") is None
    assert detect_lang("") is None


# --------------------------------------------------------------------------- normalisation


def assert_mapped(src: str, m: MappedText) -> None:
    assert len(m.starts) == len(m.ends) == len(m.text)
    for i in range(len(m.text)):
        a, b = int(m.starts[i]), int(m.ends[i])
        assert 0 <= a < b <= len(src)


def test_normalize_chars_with_offsets() -> None:
    src = "A\r\nB\rC\u00a0D\u200bE\ufeffF\uff01\uff1f\uff08x\uff09\u3000G"
    m = normalize_chars(src)
    assert m.text == "A\nB\nC DEF!?(x) G"
    assert_mapped(src, m)
    assert m.span(0, 2) == (0, 3)  # "A\n" covers "A\r\n"
    i = m.text.index("E")
    assert src[m.span(i - 1, i + 1)[0] : m.span(i - 1, i + 1)[1]] == "D\u200bE"


def test_markdown_repair_keeps_map() -> None:
    src = "A \\$2 trillion **market** here"
    m = repair_markdown(normalize_chars(src))
    assert m.text == "A $2 trillion market here"
    a = m.text.index("$")
    s0, s1 = m.span(a, a + 2)
    assert src[s0:s1] == "\\$2"
    k = m.text.index("market")
    s0, s1 = m.span(k, k + 6)
    assert src[s0:s1] == "market"


def test_document_offsets_survive_bom_crlf_nbsp_zero_width(tmp_path: Path) -> None:
    raw = "첫\u200b문장이다.\u00a0둘째 문장이다.\r\n\r\n셋째\uff0c 문장이다\uff01\r\n"
    path = write(tmp_path, "ko.txt", codecs.BOM_UTF8 + raw.encode("utf-8"))
    doc = load_document(path, Lang.KO)
    assert doc.source == raw
    assert doc.texts == ["첫문장이다.", "둘째 문장이다.", "셋째, 문장이다!"]
    for s in doc.sentences:
        piece = doc.source[s.start : s.end]
        assert " ".join(normalize_chars(piece).text.split()) == s.text
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1]


# --------------------------------------------------------------------------- fuzz


@settings(max_examples=60, deadline=10_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000), st.text(max_size=2000).map(lambda t: t.encode("utf-8"))))
def test_random_bytes_give_document_or_input_error(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "fuzz.txt", data)
    for lang in (Lang.KO, Lang.EN, None):
        try:
            doc = load_document(path, lang)
        except InputError as err:
            assert "\n" not in str(err)
            continue
        assert isinstance(doc, Document)
        assert len(doc) > 0
        for s in doc.sentences:
            assert 0 <= s.start < s.end <= len(doc.source)
            assert s.text and s.text == s.text.strip()


def test_decode_bytes_names_input() -> None:
    with pytest.raises(InputError, match="<mine>"):
        decode_bytes(b"\x00\x01\x02" * 10, "<mine>")
