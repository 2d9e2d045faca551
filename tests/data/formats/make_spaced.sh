#!/usr/bin/env bash
# Regenerate spaced_ko.chromium.pdf and spaced_ko.libreoffice.pdf (letter-spaced Korean, two producers).
# Needs: chromium, libreoffice-writer-nogui, fonts-nanum (Debian).  Usage: tests/data/formats/make_spaced.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT
python3 "$HERE/make_spaced.py" "$BUILD"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$HERE/spaced_ko.chromium.pdf" "file://$BUILD/spaced_ko.html" >/dev/null 2>&1
soffice --headless --convert-to pdf --outdir "$BUILD" "$BUILD/spaced_ko.fodt" >/dev/null
cp "$BUILD/spaced_ko.pdf" "$HERE/spaced_ko.libreoffice.pdf"
