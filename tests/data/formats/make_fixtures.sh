#!/usr/bin/env bash
# Regenerate the format fixtures in this folder from data/kiep_ko.txt and data/kiep_en.txt.
# Needs: libreoffice-writer-nogui fonts-nanum pandoc qpdf poppler-utils (Debian), and the
# project venv's python (for pypdfium2, used to build the image-only PDF).
# Usage: tests/data/formats/make_fixtures.sh [python]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PY="${1:-python3}"
BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT
cd "$BUILD"
"$PY" "$HERE/make_fixtures.py" "$BUILD"

# LibreOffice: flat ODT (heading, running header, "- N -" page-number footer) -> PDF, DOCX, ODT.
for fmt in pdf docx odt; do
  soffice --headless --convert-to "$fmt" --outdir "$BUILD" kiep_ko.fodt kiep_en.fodt structure_en.fodt >/dev/null
done
soffice --headless --convert-to pdf --outdir "$BUILD" twocol_ko.fodt twocol_en.fodt >/dev/null

# pandoc: markdown (title heading + paragraphs) -> EPUB, and standalone HTML with a
# navigation bar and a site footer around the article (main-content extraction must drop them).
cat > nav.html <<'NAV'
<header><nav><ul><li><a href="/">KIEP Home</a></li><li><a href="/research">Research Reports</a></li><li><a href="/about">About the Institute</a></li></ul></nav></header>
NAV
cat > foot.html <<'FOOT'
<footer><p>Copyright 2018 Korea Institute for International Economic Policy. All rights reserved.</p><p><a href="/privacy">Privacy policy</a> · <a href="/contact">Contact us</a></p></footer>
FOOT
for lang in ko en; do
  pandoc -f markdown-smart -s "kiep_$lang.md" -o "kiep_$lang.html" --metadata title="KIEP 18-26 ($lang)" -B nav.html -A foot.html
  pandoc -f markdown-smart "kiep_$lang.md" -o "kiep_$lang.epub" --metadata title="KIEP 18-26" --metadata lang="$lang" 2>/dev/null
done

# Bad files.
mkdir -p bad
head -c 30000 kiep_en.pdf > bad/truncated.pdf
qpdf --encrypt secret secret 256 -- kiep_en.pdf bad/password.pdf
pdftoppm -r 60 -f 1 -l 1 -jpeg kiep_en.pdf page
"$PY" - <<'PYEOF'
import glob
import pypdfium2 as pdfium
pdf = pdfium.PdfDocument.new()
jpeg = sorted(glob.glob("page*.jpg"))[0]
img = pdfium.PdfImage.new(pdf)
img.load_jpeg(jpeg)
w, h = img.get_px_size()
page = pdf.new_page(w, h)
img.set_matrix(pdfium.PdfMatrix().scale(w, h))
page.insert_obj(img)
page.gen_content()
pdf.save("bad/image-only.pdf")
PYEOF
printf 'just some notes\n' > notes.txt && printf 'a,b\n1,2\n' > table.csv
zip -q -X bad/unknown.zip notes.txt table.csv
head -c 6000 "$HERE/hwp/changing-paragraph-text.hwp" > bad/truncated.hwp
head -c 9000 kiep_ko.docx > bad/truncated.docx
# Password-protected ODT (LibreOffice through UNO, Debian python3-uno) and DOCX (msoffcrypto-tool,
# ECMA-376 agile encryption; pip install msoffcrypto-tool), both of structure_en.
if /usr/bin/python3 -c "import uno" 2>/dev/null; then
  /usr/bin/python3 "$HERE/make_password_odt.py" "$BUILD/structure_en.fodt" "$BUILD/bad/password.odt" secret
fi
if command -v msoffcrypto-tool >/dev/null; then
  msoffcrypto-tool -e -p secret structure_en.docx bad/password.docx
fi

cp kiep_ko.pdf kiep_en.pdf kiep_ko.docx kiep_en.docx kiep_ko.odt kiep_en.odt \
   kiep_ko.html kiep_en.html kiep_ko.epub kiep_en.epub \
   structure_en.pdf structure_en.docx structure_en.odt twocol_ko.pdf twocol_en.pdf "$HERE/"
mkdir -p "$HERE/bad" && cp bad/* "$HERE/bad/"
echo "fixtures written to $HERE"
