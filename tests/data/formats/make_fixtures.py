# ruff: noqa: E501  (the ODF template lines are XML, kept readable as written)
"""Write the LibreOffice/pandoc sources for the format fixtures (run by make_fixtures.sh).

Each KIEP text (data/kiep_ko.txt, data/kiep_en.txt) becomes a flat ODT (.fodt) with a
title heading, a running header, a footer with "- N -" page numbers and the paragraphs
unchanged (also in a two-column page layout); and a markdown file (title heading + paragraphs) for pandoc.  A small
English "structure" document adds a footnote and a table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build")

DOCS = {
    "kiep_ko": (
        "중국 인터넷융합 전략의 특징과 지역 사례 연구",
        "KIEP 연구보고서 18-26 · 중국 인터넷융합 전략",
        "NanumMyeongjo",
    ),
    "kiep_en": (
        "China's Internet Plus Strategy",
        "KIEP Research Paper 18-26 · China's Internet Plus Strategy",
        "Liberation Serif",
    ),
}

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="{font}" svg:font-family="{font}" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.25cm" fo:text-align="justify"/>
  <style:text-properties style:font-name="{font}" style:font-name-asian="{font}" fo:font-size="11pt" style:font-size-asian="11pt" fo:hyphenate="true" fo:language="{lang}" style:language-asian="ko"/>
 </style:default-style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1">
  <style:paragraph-properties fo:margin-bottom="0.5cm" fo:text-align="center"/>
  <style:text-properties fo:font-size="16pt" style:font-size-asian="16pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
 </style:style>
 <style:style style:name="Header" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
  <style:header-style><style:header-footer-properties fo:margin-bottom="0.4cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:margin-top="0.4cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="Header">{header}</text:p></style:header>
  <style:footer><text:p text:style-name="Footer">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
"""
TAIL = "</office:text></office:body></office:document>\n"


def fodt(title: str, header: str, font: str, lang: str, body: str) -> str:
    head = HEAD.format(font=font, header=escape(header), lang=lang)
    return (
        head + f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(title)}</text:h>\n' + body + TAIL
    )


def paragraphs(name: str) -> list[str]:
    text = (ROOT / "data" / f"{name}.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


STRUCTURE_TITLE = "Notes on Trade Policy"
STRUCTURE_BODY = [
    "Exports of semiconductors rose sharply in the third quarter.",
    "The government expects the trend to continue next year{note}. Analysts are more cautious.",
    "Regional agreements now cover most of the country's trade.",
]
STRUCTURE_NOTE = "Ministry of Trade, quarterly outlook, October 2018."
STRUCTURE_TABLE = [["Item", "Share of exports"], ["Semiconductors", "21 percent"], ["Automobiles", "11 percent"]]


def structure_fodt() -> str:
    body = []
    for p in STRUCTURE_BODY:
        note = (
            '<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
            f"<text:note-body><text:p>{escape(STRUCTURE_NOTE)}</text:p></text:note-body></text:note>"
        )
        body.append(f"<text:p>{escape(p).replace('{note}', note)}</text:p>\n")
    rows = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in r)
        + "</table:table-row>"
        for r in STRUCTURE_TABLE
    )
    body.append(
        f'<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>{rows}</table:table>\n'
    )
    body.append("<text:p>Further work will examine services trade.</text:p>\n")
    return fodt(STRUCTURE_TITLE, "Trade Policy Notes · Working Draft", "Liberation Serif", "en", "".join(body))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (title, header, font) in DOCS.items():
        paras = paragraphs(name)
        lang = "ko" if name.endswith("ko") else "en"
        body = "".join(f"<text:p>{escape(p)}</text:p>\n" for p in paras)
        doc = fodt(title, header, font, lang, body)
        (OUT / f"{name}.fodt").write_text(doc, encoding="utf-8")
        two_columns = '<style:columns fo:column-count="2" fo:column-gap="0.6cm"/></style:page-layout-properties>'
        doc = doc.replace('fo:margin-right="2cm"/>', 'fo:margin-right="2cm">' + two_columns, 1)
        (OUT / f"twocol_{lang}.fodt").write_text(doc, encoding="utf-8")
        md = f"# {title}\n\n" + "\n\n".join(paras) + "\n"
        (OUT / f"{name}.md").write_text(md, encoding="utf-8")
    (OUT / "structure_en.fodt").write_text(structure_fodt(), encoding="utf-8")


if __name__ == "__main__":
    main()
