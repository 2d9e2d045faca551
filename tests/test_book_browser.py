"""Parallel-text web books in headless Chromium (Debian ``chromium`` + ``chromium-driver``, via selenium)
at a phone's width (390 px) and a desktop's, read back from the page's own DOM.

Set ``ALIGNER_BOOK_SCREENSHOTS=docs`` to keep the screenshots of each layout (docs/books.md shows them).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aligner.core.values import Alignment, Lang
from aligner.export.book import BookFormat, BookOptions, Layout, render_book
from aligner.session.workspace import Workspace

from .test_reader_browser import CHROMIUM, DRIVER, FLAGS, pytestmark  # noqa: F401 - slow, skipped without Chromium

BOOK_FLAGS = (*FLAGS, "--hide-scrollbars", "--force-device-scale-factor=1")
PHONE, DESKTOP = (390, 844), (1280, 900)

SIDES = """return Array.from(document.querySelectorAll('[data-ids]')).map(el => {
  const r = el.getBoundingClientRect();
  return {lang: el.lang, ids: el.dataset.ids, text: el.textContent.trim(), left: r.left, right: r.right,
          top: r.top, bottom: r.bottom, shown: r.height > 0 && el.checkVisibility({visibilityProperty: true}),
          pair: el.closest('.pair') !== null};
});"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*BOOK_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def _open(driver: Any, path: Path, size: tuple[int, int]) -> None:
    driver.set_window_size(*size)
    driver.get(path.as_uri())
    width = driver.execute_script("return window.innerWidth")
    if width != size[0]:  # the window's frame takes its share: make the page itself the asked width
        driver.set_window_size(size[0] + (size[0] - width), size[1])
    assert driver.execute_script("return window.innerWidth") == size[0]


def _book(tmp_path: Path, alignment: Alignment, options: BookOptions) -> Path:
    data, _ = render_book(alignment, options)
    path = tmp_path / f"book-{options.layout.value}-{options.lead.value}.html"
    path.write_bytes(data)
    return path


def _expected(alignment: Alignment, lead: Lang, learner: bool = False) -> list[tuple[str, str, str]]:
    """(lang, ids, text) of every side in reading order: each pair's lead side, then its counterpart
    (in the learner layout a sentence with no counterpart stands alone, marked)."""
    sides = []
    for bead in alignment.beads:
        ko = ("ko", ",".join(map(str, bead.src)), " ".join(alignment.source.sentences[i].text for i in bead.src))
        en = ("en", ",".join(map(str, bead.tgt)), " ".join(alignment.target.sentences[j].text for j in bead.tgt))
        first, second = (ko, en) if lead is Lang.KO else (en, ko)
        sides += [first] if learner and not second[1] else [first, second]
    return sides


def _check_order(sides: list[dict[str, Any]], alignment: Alignment, lead: Lang, learner: bool = False) -> None:
    expected = _expected(alignment, lead, learner)
    assert [(s["lang"], s["ids"]) for s in sides] == [(lang, ids) for lang, ids, _ in expected]
    for side, (_, ids, text) in zip(sides, expected, strict=True):
        if ids:
            assert " ".join(side["text"].split()).startswith(" ".join(text.split())), (side, text)
        else:
            assert side["text"].startswith("no ")  # a sentence with no counterpart, plainly marked


def _shoot(driver: Any, tmp_path: Path, name: str) -> None:
    driver.save_screenshot(str(tmp_path / name))
    keep = os.environ.get("ALIGNER_BOOK_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / name, Path(keep) / name)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("pair", ["kiep_workspace", "docx_workspace"], ids=["sample", "docx"])
def test_interleaved_each_sentence_followed_by_its_counterpart(
    driver: Any, request: pytest.FixtureRequest, pair: str, tmp_path: Path, size: tuple[int, int]
) -> None:
    alignment = request.getfixturevalue(pair).alignment
    _open(driver, _book(tmp_path, alignment, BookOptions(format=BookFormat.HTML)), size)
    sides = driver.execute_script(SIDES)
    _check_order(sides, alignment, Lang.KO)
    for lead, other in zip(sides[::2], sides[1::2], strict=True):
        assert lead["shown"] and other["shown"]
        assert other["top"] >= lead["bottom"] - 1  # under it
    assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0]
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    if size == PHONE and pair == "docx_workspace":
        _shoot(driver, tmp_path, "book-interleaved-phone.png")


def test_side_by_side_two_columns_on_desktop_one_on_a_phone(
    driver: Any, docx_workspace: Workspace, tmp_path: Path
) -> None:
    alignment = docx_workspace.alignment
    page = _book(tmp_path, alignment, BookOptions(format=BookFormat.HTML, layout=Layout.SIDE_BY_SIDE))
    _open(driver, page, DESKTOP)
    sides = driver.execute_script(SIDES)
    _check_order(sides, alignment, Lang.KO)
    rows = [s for s in sides if s["pair"]]  # the chapter's title and its translation are a heading, not a row
    assert len(rows) >= 2 * (len(alignment.beads) - 1)
    for ko, en in zip(rows[::2], rows[1::2], strict=True):
        assert en["left"] >= ko["right"] - 1 and abs(en["top"] - ko["top"]) < 1  # beside it, same row
    _shoot(driver, tmp_path, "book-side-by-side-desktop.png")
    _open(driver, page, PHONE)
    sides = driver.execute_script(SIDES)
    _check_order(sides, alignment, Lang.KO)
    for ko, en in zip(sides[::2], sides[1::2], strict=True):
        assert en["top"] >= ko["bottom"] - 1  # falls back to interleaved
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    _shoot(driver, tmp_path, "book-side-by-side-phone.png")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_learner_hides_the_english_until_clicked(
    driver: Any, docx_workspace: Workspace, tmp_path: Path, size: tuple[int, int]
) -> None:
    from selenium.webdriver.common.by import By

    alignment = docx_workspace.alignment
    _open(driver, _book(tmp_path, alignment, BookOptions(format=BookFormat.HTML, layout=Layout.LEARNER)), size)
    sides = driver.execute_script(SIDES)
    _check_order(sides, alignment, Lang.KO, learner=True)
    korean = [s for s in sides if s["lang"] == "ko" and s["ids"] and s["pair"]]
    english = [s for s in sides if s["lang"] == "en" and s["ids"] and s["pair"]]  # the title's stays shown
    assert korean and all(s["shown"] for s in korean)
    assert english and not any(s["shown"] for s in english)
    summaries = driver.find_elements(By.CSS_SELECTOR, "details.pair > summary")
    first, second = summaries[0], summaries[1]
    bead = int(first.find_element(By.XPATH, "..").get_attribute("data-bead"))
    hidden = first.find_element(By.XPATH, "../p[@lang='en']")
    assert not hidden.is_displayed()
    first.click()
    assert hidden.is_displayed()
    assert hidden.text == alignment.texts(bead)[1]
    assert not second.find_element(By.XPATH, "../p[@lang='en']").is_displayed()  # only the one tapped
    assert driver.execute_script("return document.documentElement.scrollWidth") <= size[0]
    first.click()
    assert not hidden.is_displayed()  # tapped again: hidden again
    if size == PHONE:
        second.click()
        _shoot(driver, tmp_path, "book-learner-phone.png")


def test_english_lead_with_chapters_in_order(driver: Any, chapters_workspace: Workspace, tmp_path: Path) -> None:
    alignment = chapters_workspace.alignment
    options = BookOptions(format=BookFormat.HTML, layout=Layout.SIDE_BY_SIDE, lead=Lang.EN)
    _open(driver, _book(tmp_path, alignment, options), PHONE)
    _check_order(driver.execute_script(SIDES), alignment, Lang.EN)
    headings = driver.execute_script("return Array.from(document.querySelectorAll('.title')).map(h => h.innerText)")
    assert headings == ["Spring in Seoul", "Summer in Busan"]
    assert driver.execute_script("return document.documentElement.lang") == "en"


def test_epub_pages_open_in_a_browser_engine_like_an_e_reader(
    driver: Any, docx_workspace: Workspace, tmp_path: Path
) -> None:
    """Blink-based readers (Thorium, Google Play Books) render the EPUB's XHTML pages as Chromium does:
    the learner page keeps every English sentence hidden until its Korean one is tapped."""
    from selenium.webdriver.common.by import By

    alignment = docx_workspace.alignment
    data, _ = render_book(alignment, BookOptions(layout=Layout.LEARNER))
    book = tmp_path / "book.epub"
    book.write_bytes(data)
    with zipfile.ZipFile(book) as z:
        z.extractall(tmp_path / "unzipped")
    _open(driver, tmp_path / "unzipped" / "OEBPS" / "chapter-001.xhtml", PHONE)
    assert driver.execute_script("return document.contentType") == "application/xhtml+xml"
    sides = driver.execute_script(SIDES)
    _check_order(sides, alignment, Lang.KO, learner=True)
    assert not any(s["shown"] for s in sides if s["lang"] == "en" and s["pair"])
    summary = driver.find_elements(By.CSS_SELECTOR, "details.pair > summary")[2]
    summary.click()
    assert summary.find_element(By.XPATH, "../*[@lang='en']").is_displayed()
    rule = "return getComputedStyle(document.querySelector('details .other')).borderLeftStyle"
    assert driver.execute_script(rule) == "solid"  # the stylesheet inside the EPUB applies
