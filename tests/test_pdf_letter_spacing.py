"""PDF lines whose syllables the producer spread apart are read as words again (issue 21, item 13).

The fixtures are letter-spaced Korean (the first four paragraphs of the KIEP abstract) from two
producers, made by tests/data/formats/make_spaced.sh: LibreOffice (``fo:letter-spacing``, the
"중국 은 인터 넷 플랫 폼과" case) and Chromium (``letter-spacing``, where only Latin letters and
digits came apart: "I C T", "2 0 2 5").
"""

from __future__ import annotations

import pytest

from aligner.ingest.text import read_document
from tests.conftest import DATA, FIXTURES

SOURCE = [p.strip() for p in (DATA / "kiep_ko.txt").read_text("utf-8").split("\n\n") if p.strip()][:4]
WORDS = set(" ".join(SOURCE).split())


def extracted_words(producer: str) -> list[str]:
    return read_document(FIXTURES / "formats" / f"spaced_ko.{producer}.pdf").text.split()


@pytest.mark.parametrize(
    ("producer", "at_least"),
    [("libreoffice", 0.98), ("chromium", 0.85)],  # Chromium also breaks lines inside words (not letter spacing)
)
def test_letter_spaced_korean_reads_as_the_words_of_the_text(producer: str, at_least: float) -> None:
    words = extracted_words(producer)
    known = sum(1 for w in words if w in WORDS)
    assert known / len(words) >= at_least, [w for w in words if w not in WORDS]
    assert len(words) <= len(" ".join(SOURCE).split()) * 1.1  # not one token per syllable
    text = " ".join(words)
    assert "정보통신기술(ICT)을" in text and "‘중국제조 2025’와" in text  # Latin and digits joined too
    assert "인터넷 플랫폼과" in text  # the real word spaces stay


def test_text_without_letter_spacing_is_read_as_before() -> None:
    """The LibreOffice fixture with ordinary spacing keeps every word space."""
    text = read_document(FIXTURES / "formats" / "kiep_ko.pdf").text
    assert "중국은 인터넷 플랫폼과 정보통신기술(ICT)을 활용해 경제와 사회 각 부문과" in " ".join(text.split())
