"""Columns of a scanned page: where the gutter is, and the page's parts in reading order.

Array in, array out: a grey page image (``numpy`` array, 0 = black) gives the regions
OCR reads one after the other (:mod:`aligner.ingest.ocr`).  Tesseract's own layout
analysis read across the two columns of Korean two-column scans (justified Korean
lines its syllables up in columns of their own), so the gutter is found here, from
the ink profile, and each column is read as a single column.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

_GUTTER = (0.3, 0.7)
"""Where on a page (share of its width) a gutter between two columns is looked for."""
_GUTTER_INK = 0.15
"""A gutter holds less than this share of the ink of the columns on either side of it."""


def gutter(pixels: npt.NDArray[Any]) -> tuple[int, int] | None:
    """Where a grey page image set in two columns has its gutter: its middle and half its width
    (pixels), a strip in the middle of the page with almost no ink between inked columns (a
    title or header that spans it is a few rows only); None for a page in one column."""
    ink = pixels < 128
    rows = ink.any(axis=1)
    if rows.sum() < 10:
        return None
    share = ink[rows].mean(axis=0)
    width = share.shape[0]
    k = max(3, width // 150)
    smooth = np.convolve(share, np.ones(k) / k, mode="same")
    a, b = int(_GUTTER[0] * width), int(_GUTTER[1] * width)
    middle = int(np.argmin(smooth[a:b])) + a
    left, right = smooth[int(0.1 * width) : middle - k], smooth[middle + k : int(0.9 * width)]
    if left.size == 0 or right.size == 0:
        return None
    sides = min(float(left.mean()), float(right.mean()))
    if not (sides > 0 and float(smooth[middle]) < _GUTTER_INK * sides):
        return None
    low = smooth < _GUTTER_INK * sides
    lo, hi = middle, middle
    while lo > 0 and low[lo - 1]:
        lo -= 1
    while hi < width - 1 and low[hi + 1]:
        hi += 1
    return (lo + hi) // 2, max(2, (hi - lo) // 2)


def reading_regions(pixels: npt.NDArray[Any]) -> list[tuple[int, int, int, int]]:
    """The page's parts in reading order, as ``(left, top, width, height)``: the whole page for one
    column; for two, each band of rows that spans the gutter (a title, a running header) whole,
    and each band between them as its left column, then its right one.  The gutter is followed
    down the page block by block (a page turned on the scanner turns its gutter too)."""
    height, width = pixels.shape
    found = gutter(pixels)
    if found is None:
        return [(0, 0, width, height)]
    middle, half = found
    ink = pixels < 128
    across = np.zeros(height, dtype=bool)
    wander = max(4, width // 40)
    block = max(16, height // 25)
    centres = []
    for top in range(0, height, block):
        window = ink[top : top + block, middle - wander : middle + wander].sum(axis=0)
        window = np.convolve(window, np.ones(2 * half + 1), mode="valid")  # ink within a gutter's width
        centre = middle - wander + half + int(np.argmin(window))
        centres.append(centre)
        across[top : top + block] = ink[top : top + block, centre - half : centre + half + 1].any(axis=1)
    reach = max(2, height // 80)  # about a line: a spanning line's rows all count as spanning
    across = np.convolve(across.astype(np.float64), np.ones(2 * reach + 1), mode="same") > 0
    blank = np.flatnonzero(~ink.any(axis=1))
    cuts = [0]
    for y in np.flatnonzero(across[1:] != across[:-1]).tolist():
        near = blank[np.abs(blank - (y + 1)) <= 3 * reach] if blank.size else blank
        cut = int(near[np.argmin(np.abs(near - (y + 1)))]) if near.size else y + 1  # never through a line
        if cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(height)
    split = int(np.median(centres))
    out: list[tuple[int, int, int, int]] = []
    for top, bottom in itertools.pairwise(cuts):
        if bottom <= top:
            continue
        if across[top:bottom].mean() >= 0.5:
            out.append((0, top, width, bottom - top))
        else:
            out += [(0, top, split, bottom - top), (split, top, width - split, bottom - top)]
    return out
