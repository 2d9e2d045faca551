#!/usr/bin/env bash
# Regenerate the bilingual fixtures in bilingual/ from the KIEP texts.
# - kiep.aligner.tmx: `aligner export` of data/kiep_ko.txt + data/kiep_en.txt (TMX 1.4b)
# - kiep.ttk.tmx, kiep.ttk.xlf: Translate Toolkit (pip install translate-toolkit): the same
#   pairs as CSV -> csv2po -> po2tmx (TMX) and po2xliff (XLIFF 1.2)
# - kiep.xliff2.xlf: XLIFF 2.0 written by make_bilingual.py after the structure of the
#   OASIS XLIFF 2.0 specification's examples (no XLIFF 2 producer installs from Debian/PyPI here)
# Usage: tests/data/formats/make_bilingual.sh PYTHON TTK_BIN_DIR
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
PY="${1:-python3}"
TTK="${2:-}"
OUT="$HERE/bilingual"
BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT
mkdir -p "$OUT"
PYTHONPATH="$ROOT/src" "$PY" -m aligner export "$ROOT/data/kiep_ko.txt" "$ROOT/data/kiep_en.txt" -o "$OUT/kiep.aligner.tmx"
PYTHONPATH="$ROOT/src" "$PY" -m aligner export "$ROOT/data/kiep_ko.txt" "$ROOT/data/kiep_en.txt" -o "$BUILD/kiep.tsv"
"$PY" "$HERE/make_bilingual.py" "$BUILD/kiep.tsv" "$BUILD/kiep.csv" "$OUT/kiep.xliff2.xlf"
if [ -n "$TTK" ]; then
  "$TTK/csv2po" --progress=none "$BUILD/kiep.csv" "$BUILD/kiep.po"
  "$TTK/po2tmx" --progress=none -l en --source-language ko "$BUILD/kiep.po" "$OUT/kiep.ttk.tmx"
  "$TTK/po2xliff" --progress=none "$BUILD/kiep.po" "$OUT/kiep.ttk.xlf"
fi
echo "bilingual fixtures written to $OUT"
