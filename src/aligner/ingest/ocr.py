"""OCR of scanned pages: Tesseract (Korean + English) through tesserocr, cached.

A scanned page (a PDF page with no text layer, or a PNG/JPEG/TIFF image) is
recognised line by line; each :class:`OcrLine` has the box, type size and text of
a PDF text line, so the PDF layout pass (running headers and page numbers,
paragraphs, hyphenation, Korean spacing) treats it exactly like extracted text.
Words Tesseract is unsure of are kept as ``doubtful`` spans of the line's text;
the aligner marks their pairs for review.

Why tesserocr (see docs/ocr.md): measured against pytesseract on the scanned KIEP
fixtures it was about five times faster per page (one process, the model loaded
once, no image files in between) with the same text; its wheel carries its own
Tesseract, so only the language data comes from the system (``tesseract-ocr-kor``,
``tesseract-ocr-eng``).

Every result is cached per page, keyed by the file's content, the page, the
engine's version, the language data and the settings below: a reopen is instant.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.core.atomic import atomic_write_text
from aligner.core.cache_dir import usable_cache_dir
from aligner.core.errors import InputError
from aligner.core.values import Progress

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

OCR_LANGS = ("kor", "eng")
"""Tesseract's language data, in the order given to it (Korean first: its model reads Latin too)."""
OCR_DPI = 300
"""Resolution at which a scanned PDF page is rendered for OCR (a scanner's usual one)."""
LOW_WORD_CONFIDENCE = 60.0
"""Tesseract's word confidence (0-100) below which a word is doubtful."""
OCR_ENV = "ALIGNER_OCR"
"""``off`` refuses OCR (what ``--no-ocr`` sets), so scanned pages are an error or left out."""
_SETTINGS = {"psm": "4 per column", "textord_tabfind_vertical_text": "0", "dpi": OCR_DPI, "format": 5}
"""Everything that changes the result besides the engine and the data (part of the cache key).

Page segmentation "single column" (psm 4), column by column (:func:`aligner.ingest.columns.reading_regions`):
Tesseract's own layout analysis (psm 3) took justified Korean text, whose syllables line
up in columns, for vertical text or an image on the noisy single-column scans, and read
across the two columns of Korean two-column scans.  Vertical-text detection is off for
the same reason."""
_TALL = 1.25
"""A word this many times the page's median word height is in large type (or swollen by a speck)."""
_INSTALL = "apt-get install tesseract-ocr-kor tesseract-ocr-eng (Debian/Ubuntu) or set TESSDATA_PREFIX"
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/opt/local/share/tessdata",
)
_LANG_NAMES = {"kor": "Korean", "eng": "English"}


class OcrMode(StrEnum):
    ON = "on"
    OFF = "off"
    CACHED = "cached"
    """Only what the cache holds; a page never recognised raises :class:`OcrNotCached`."""


class OcrNotCached(Exception):
    """A scanned page has no cached OCR result and the caller asked for cached results only."""


def ocr_mode(requested: OcrMode | None = None) -> OcrMode:
    """The mode asked for, else the environment's (``ALIGNER_OCR=off``), else on."""
    if requested is not None:
        return requested
    return OcrMode.OFF if os.environ.get(OCR_ENV, "").strip().lower() in ("off", "0", "no") else OcrMode.ON


@dataclass(frozen=True)
class OcrLine:
    """One recognised line, in PDF page units (points, y upwards)."""

    text: str
    top: float
    bottom: float
    """The baseline, taken where it crosses the page's left edge (a turned page's lines stay level)."""
    left: float
    right: float
    size: float
    """The type size, measured as the height of capitals and ascenders above the baseline."""
    doubtful: tuple[tuple[int, int], ...] = ()
    """Spans of ``text`` holding words recognised with low confidence."""
    confidence: float = 100.0
    """The line's mean word confidence (0-100)."""


def tessdata_dir() -> Path | None:
    """Where the language data is: ``TESSDATA_PREFIX`` if set, else the usual system folders."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        path = Path(env)
        return path / "tessdata" if not (path / "eng.traineddata").exists() and (path / "tessdata").is_dir() else path
    for folder in _TESSDATA_DIRS:
        if Path(folder, "eng.traineddata").exists() or Path(folder, "kor.traineddata").exists():
            return Path(folder)
    return None


def _engine_module(name: str) -> Any:
    try:
        import tesserocr
    except ImportError:
        raise InputError(
            f"{name}: is a scan and needs OCR, but the OCR engine is missing; "
            "install it with `pip install tesserocr` (or pass --no-ocr)"
        ) from None
    return tesserocr


def check_engine(name: str) -> tuple[Any, Path]:
    """The tesserocr module and the language data folder, or a one-line error naming what to install."""
    module = _engine_module(name)
    folder = tessdata_dir()
    missing = [lang for lang in OCR_LANGS if folder is None or not (folder / f"{lang}.traineddata").is_file()]
    if missing or folder is None:
        names = " and ".join(_LANG_NAMES[lang] for lang in missing)
        where = f" in {folder}" if folder is not None else ""
        raise InputError(
            f"{name}: is a scan and needs OCR, but Tesseract's {names} language data is missing{where}; "
            f"install it: {_INSTALL} (or pass --no-ocr)"
        )
    return module, folder


def engine_key(module: Any, folder: Path) -> str:
    """The engine's version, the language data and the settings, as one string for the cache key."""
    parts = [str(module.tesseract_version()).split("\n", 1)[0], getattr(module, "__version__", "?")]
    for lang in OCR_LANGS:
        data = (folder / f"{lang}.traineddata").read_bytes()
        parts.append(f"{lang}:{hashlib.sha256(data).hexdigest()[:16]}")
    parts.append(json.dumps(_SETTINGS, sort_keys=True))
    return "|".join(parts)


class Recogniser:
    """One Tesseract instance for a document's pages (the language model loads once)."""

    def __init__(self, name: str) -> None:
        self.module, self.folder = check_engine(name)
        self.key = engine_key(self.module, self.folder)
        self._api: Any = None

    def _ready(self) -> Any:
        if self._api is None:
            tesserocr = self.module
            self._api = tesserocr.PyTessBaseAPI(
                path=str(self.folder), lang="+".join(OCR_LANGS), psm=tesserocr.PSM.SINGLE_COLUMN
            )
            self._api.SetVariable("textord_tabfind_vertical_text", "0")
        return self._api

    def close(self) -> None:
        if self._api is not None:
            self._api.End()
            self._api = None

    def read(self, image: Image, dpi: float) -> list[OcrLine]:
        """The page's lines, top to bottom, in points (the page is ``image.height`` pixels at ``dpi``)."""
        import numpy as np

        from aligner.ingest.columns import reading_regions  # numpy: only once a page is recognised

        api = self._ready()
        api.SetVariable("user_defined_dpi", str(round(dpi)))
        api.SetImage(image)
        words: list[_Word] = []
        for left, top, width, height in reading_regions(np.asarray(image.convert("L"))):  # column by column
            api.SetRectangle(left, top, width, height)
            api.Recognize()
            words += _words(self.module, api)
        return _lines(words, image.height, 72.0 / dpi)


@dataclass(frozen=True)
class _Word:
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom (pixels, y downwards)
    confidence: float
    starts_line: bool
    space_before: bool
    baseline_y0: float  # the line's baseline where it crosses x = 0 (pixels)
    ascent: float  # from the baseline up to the word's top (pixels)


_ASCENDING = re.compile(r"[A-Z0-9bdfhkl\uac00-\ud7a3]")
"""Letters that reach the cap height (capitals, digits, ascenders but the short t, Hangul): only
words with one measure a line's type size ("use our more" stand no taller than the x-height);
a line with none ("company.") is taken to be in the page's usual size."""
_NOISE_CONFIDENCE = 50.0
_NOISE_CHARS = 4
"""A line this short recognised with less confidence than this is a speck or a smudge, not text."""
_GARBAGE_CONFIDENCE = 30.0
"""A line of any length recognised with less confidence than this is not text Tesseract could read."""
_GAP_MARK = re.compile(r"^_+$")
"""What Tesseract reads in the wide gaps of justified lines ("open _ artificial")."""


def _words(tesserocr: Any, api: Any) -> list[_Word]:
    ril = tesserocr.RIL
    out: list[_Word] = []
    it = api.GetIterator()
    if it is None:
        return out
    baseline_y0 = slope = 0.0
    for w in tesserocr.iterate_level(it, ril.WORD):
        starts_line = bool(w.IsAtBeginningOf(ril.TEXTLINE))
        if starts_line:
            base = w.Baseline(ril.TEXTLINE)
            if base:
                (x1, y1), (x2, y2) = base
                slope = (y2 - y1) / (x2 - x1) if x2 != x1 else 0.0
                baseline_y0 = y1 - x1 * slope
        try:
            text = (w.GetUTF8Text(ril.WORD) or "").strip()
        except RuntimeError:  # tesserocr's "No text returned": an empty word
            continue
        box = w.BoundingBox(ril.WORD)
        if not text or box is None or _GAP_MARK.match(text):
            continue
        ascent = baseline_y0 + slope * (box[0] + box[2]) / 2 - box[1]
        out.append(
            _Word(text, tuple(box), float(w.Confidence(ril.WORD)), starts_line, w.BlanksBeforeWord() > 0,
                  baseline_y0, ascent)
        )  # fmt: skip
    return out


def _lines(words: Sequence[_Word], height_px: int, scale: float) -> list[OcrLine]:
    groups: list[list[_Word]] = []
    for w in words:
        if w.starts_line or not groups:
            groups.append([])
        groups[-1].append(w)
    tall = [w.ascent for w in words if _ASCENDING.search(w.text)]
    page_height = statistics.median(tall) if tall else 0.0
    out: list[OcrLine] = []
    for group in groups:
        confidence = statistics.fmean(w.confidence for w in group)
        short = sum(len(w.text) for w in group) <= _NOISE_CHARS
        if confidence < _GARBAGE_CONFIDENCE or (confidence < _NOISE_CONFIDENCE and short):
            continue
        text = ""
        doubtful: list[tuple[int, int]] = []
        for k, w in enumerate(group):
            if k and w.space_before:
                text += " "
            if w.confidence < LOW_WORD_CONFIDENCE:
                doubtful.append((len(text), len(text) + len(w.text)))
            text += w.text
        measured = [w.ascent for w in group if _ASCENDING.search(w.text)]
        size = (_type_size(measured, page_height) if measured else page_height) * scale
        bottom = (height_px - group[0].baseline_y0) * scale
        left = min(w.box[0] for w in group) * scale
        right = max(w.box[2] for w in group) * scale
        out.append(OcrLine(text, bottom + size, bottom, left, right, size, tuple(doubtful), confidence))
    return out


def _type_size(heights: Sequence[float], page_height: float) -> float:
    """A line's type size from its words' heights: a line is large type only when most of its
    words are (one word's box swollen by a speck does not make a heading)."""
    tall = [h for h in heights if h > _TALL * page_height]
    rest = [h for h in heights if h <= _TALL * page_height]
    return statistics.median(tall if len(tall) > len(heights) / 2 or not rest else rest)


# ------------------------------------------------------------------------------ pages, cached


def recognise_pages(
    source: bytes,
    pages: Sequence[int],
    render: Callable[[int], tuple[Image, float]],
    name: str,
    *,
    progress: Progress | None = None,
    mode: OcrMode = OcrMode.ON,
) -> dict[int, list[OcrLine]]:
    """OCR the ``pages`` of a document (``render(page)`` gives its image and resolution).

    Cached pages are read from the cache; with ``mode`` CACHED a page that is not raises
    :class:`OcrNotCached`.  ``progress`` hears ``("OCR <file>", pages done, pages)``.
    """
    digest = hashlib.sha256(source).hexdigest()
    stage = f"OCR {Path(name).name}"
    out: dict[int, list[OcrLine]] = {}
    todo: list[int] = []
    key = _cached_engine_key(name)
    for page in pages:
        got = _load(_entry(digest, key, page)) if key is not None else None
        if got is None:
            todo.append(page)
        else:
            out[page] = got
    if todo and mode is OcrMode.CACHED:
        raise OcrNotCached(name)
    if not todo:
        return out
    recogniser = Recogniser(name)
    try:
        if progress is not None:
            progress(stage, len(out), len(pages))
        for page in todo:
            image, dpi = render(page)
            out[page] = recogniser.read(image, dpi)
            _store(_entry(digest, recogniser.key, page), out[page])
            if progress is not None:
                progress(stage, len(out), len(pages))
    finally:
        recogniser.close()
    return out


_KEYS: dict[str, str | None] = {}


def _cached_engine_key(name: str) -> str | None:
    """The engine key without loading a model (None when the engine is missing: nothing is cached then)."""
    folder = tessdata_dir()
    memo = str(folder)
    if memo not in _KEYS:
        try:
            module, folder = check_engine(name)
            _KEYS[memo] = engine_key(module, folder)
        except (InputError, OSError):
            return None
    return _KEYS[memo]


def _entry(digest: str, key: str, page: int) -> str:
    return hashlib.sha256(f"{digest}\0{key}\0{page}".encode()).hexdigest()


def _load(entry: str) -> list[OcrLine] | None:
    directory = usable_cache_dir("ocr")
    if directory is None:
        return None
    path = directory / f"{entry}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        lines = []
        for item in raw:
            doubt = tuple((int(a), int(b)) for a, b in item.pop("doubtful"))
            fields = {k: item[k] for k in ("text", "top", "bottom", "left", "right", "size", "confidence")}
            lines.append(OcrLine(doubtful=doubt, **fields))
        return lines
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:
        log.info("ignoring damaged OCR cache entry %s: %s", path, type(err).__name__)
        return None


def _store(entry: str, lines: list[OcrLine]) -> None:
    directory = usable_cache_dir("ocr")
    if directory is None:
        return
    try:
        atomic_write_text(directory / f"{entry}.json", json.dumps([asdict(ln) for ln in lines], ensure_ascii=False))
    except Exception as err:  # noqa: BLE001 - a cache only saves time
        log.info("cannot write OCR cache entry: %s", err)
