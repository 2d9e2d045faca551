"""Scans made from the KIEP PDF fixtures, as a flatbed scanner would make them.

Each page of a text PDF is rendered by pypdfium2 at a scanner's resolution, turned a
little (a page is never laid perfectly straight), given sensor noise, and the page
images are written as an image-only PDF (no text layer) by Pillow.  Used by the OCR
tests and by ``bench/bench_ocr.py``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SCAN_DPI = 300


def scan_pages(
    pdf: Path, *, pages: Sequence[int] | None = None, dpi: int = SCAN_DPI, angle: float = 0.6, seed: int = 0
) -> list[Image.Image]:
    """Grey page images of ``pdf`` (0-based ``pages``, default all), each turned by about
    ``angle`` degrees (alternating direction) with Gaussian noise and a grey paper tone."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for n in pages if pages is not None else range(len(doc)):
            bitmap = doc[n].render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            turn = angle * (1 if n % 2 == 0 else -0.7)
            image = image.rotate(turn, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32) * 0.92 + 12  # paper is not white, ink not black
            pixels += rng.normal(0.0, 9.0, pixels.shape)
            out.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L"))
        return out
    finally:
        doc.close()


def image_pdf(images: Sequence[Image.Image], dpi: int = SCAN_DPI) -> bytes:
    """An image-only PDF, one JPEG page image per page (what a scanner's "scan to PDF" writes)."""
    buf = io.BytesIO()
    first, *rest = images
    first.save(buf, format="PDF", save_all=True, append_images=rest, resolution=float(dpi), quality=85)
    return buf.getvalue()


def write_scan(pdf: Path, out: Path, **options: object) -> Path:
    """``pdf`` scanned (see :func:`scan_pages`) and written to ``out`` as an image-only PDF."""
    out.write_bytes(image_pdf(scan_pages(pdf, **options)))  # type: ignore[arg-type]
    return out


def mixed_pdf(text_pdf: Path, scanned: Path, scanned_pages: Sequence[int], out: Path) -> Path:
    """``text_pdf`` with the pages ``scanned_pages`` (0-based) replaced by those of ``scanned``."""
    doc = pdfium.PdfDocument(text_pdf)
    scan = pdfium.PdfDocument(scanned)
    try:
        for n in sorted(scanned_pages):
            doc.del_page(n)
            doc.import_pages(scan, [n], index=n)
        doc.save(out)
    finally:
        scan.close()
        doc.close()
    return out
