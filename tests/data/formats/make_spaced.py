# ruff: noqa: E501  (the HTML and ODF template lines are kept as written)
"""Letter-spaced Korean PDFs from two producers, for the PDF reader's letter-spacing repair.

Writes, from the first four paragraphs of data/kiep_ko.txt (NanumMyeongjo 11 pt, justified):
``spaced_ko.html`` (CSS ``letter-spacing: 0.15em``; Chromium prints it to PDF) and
``spaced_ko.fodt`` (ODF ``fo:letter-spacing="0.06cm"``; LibreOffice converts it to PDF).
Run by make_spaced.sh.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build")


def paragraphs() -> list[str]:
    text = (ROOT / "data" / "kiep_ko.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip() and not p.startswith("#")][:4]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs())
    style = "body{font-family:'NanumMyeongjo';font-size:11pt;width:11cm} p{text-align:justify;letter-spacing:0.15em}"
    page = f"<!DOCTYPE html><html lang=ko><head><meta charset=utf-8><style>{style}</style></head><body>{body}</body></html>"
    (OUT / "spaced_ko.html").write_text(page, encoding="utf-8")
    paras = "".join(f'<text:p text:style-name="P1">{escape(p)}</text:p>\n' for p in paragraphs())
    fodt = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="NanumMyeongjo" svg:font-family="NanumMyeongjo"/></office:font-face-decls>
<office:automatic-styles>
 <style:style style:name="P1" style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.25cm"/>
  <style:text-properties style:font-name="NanumMyeongjo" style:font-name-asian="NanumMyeongjo" fo:font-size="11pt"
   style:font-size-asian="11pt" fo:letter-spacing="0.06cm" fo:language="ko" style:language-asian="ko"/>
 </style:style>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm"
  fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>
{paras}</office:text></office:body></office:document>
"""
    (OUT / "spaced_ko.fodt").write_text(fodt, encoding="utf-8")


if __name__ == "__main__":
    main()
