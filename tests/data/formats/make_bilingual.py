"""TSV export of the aligner → a CSV for Translate Toolkit's csv2po, and an XLIFF 2.0 file."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from xml.sax.saxutils import escape


def main() -> None:
    tsv, csv_out, xliff2 = (Path(a) for a in sys.argv[1:4])
    rows = list(csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"))
    pairs = [(r["ko"], r["en"]) for r in rows if r["ko"] and r["en"]]
    with csv_out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(["location", "source", "target"])
        for k, (ko, en) in enumerate(pairs, 1):
            w.writerow([f"kiep:{k}", ko, en])
    units = "".join(
        f'  <unit id="u{k}">\n    <segment>\n      <source>{escape(ko)}</source>\n'
        f"      <target>{escape(en)}</target>\n    </segment>\n  </unit>\n"
        for k, (ko, en) in enumerate(pairs, 1)
    )
    xliff2.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ko-KR" trgLang="en-US">\n'
        f' <file id="kiep" original="kiep_ko.txt">\n{units} </file>\n</xliff>\n',
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
