"""Page images (PNG, JPEG, TIFF, GIF; every frame of a multi-page TIFF a page) → text by OCR.

Each frame is recognised by :mod:`aligner.ingest.ocr` at the resolution the file
records (300 dpi, a scanner's usual one, when it records none) and its lines go
through the PDF layout pass, so headers, page numbers and paragraphs are handled
as in a scanned PDF.
"""

from __future__ import annotations

import io

from aligner.core.errors import InputError
from aligner.core.values import Progress
from aligner.ingest.extracted import Extracted
from aligner.ingest.ocr import OCR_DPI, OcrMode, ocr_mode, recognise_pages
from aligner.ingest.pdf import build, ocr_lines

_MIN_DPI = 100
"""A recorded resolution below this is a screen default (72/96 dpi), not the scan's."""
MAX_IMAGE_PIXELS = 20_000 * 20_000
"""The largest page image read (Pillow's guard against decompression bombs)."""


def read_image(data: bytes, name: str, *, progress: Progress | None = None, ocr: OcrMode | None = None) -> Extracted:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    mode = ocr_mode(ocr)
    if mode is OcrMode.OFF:
        raise InputError(f"{name}: is an image (a scan?) and OCR is off (--no-ocr); allow OCR to read it")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        raise InputError(f"{name}: damaged or unreadable image ({type(err).__name__}); re-scan or re-save it") from None
    dpi = float(image.info.get("dpi", (OCR_DPI, OCR_DPI))[0] or OCR_DPI)
    dpi = dpi if dpi >= _MIN_DPI else float(OCR_DPI)

    def render(index: int) -> tuple[Image.Image, float]:
        return frames[index], dpi

    read = recognise_pages(data, range(len(frames)), render, name, progress=progress, mode=mode)
    lines = ocr_lines(read)
    pages = [lines.get(k, []) for k in range(len(frames))]
    if not any(ln.text.strip() for page in pages for ln in page):
        raise InputError(f"{name}: OCR found no text in the image (a blank or unreadable scan?)")
    return build(pages, name, fmt="image", ocr=True)
