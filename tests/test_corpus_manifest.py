"""How corpus mode finds its pairs: the folder naming rules and the manifest format."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.core.errors import InputError
from aligner.corpus.manifest import load_corpus


def touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n", encoding="utf-8")


def test_folder_pairs_by_tag_and_by_language_folders(tmp_path: Path) -> None:
    touch(tmp_path, "a.ko.pdf", "a.en.docx", "b_ko.txt", "b_en.md", "2019/ko/r.hwp", "2019/en/r.pdf",
          "2019/ko/only.txt", "c.ko.txt", "c.ko.md", "c.en.txt", "README.md",
          ".hidden.ko.txt", ".hidden.en.txt", "a.ko.a.en.aligner.json", "a.ko.a.en.aligner.json.bak",
          "out/corpus.ko.txt", "out/corpus.en.txt")
    corpus = load_corpus(tmp_path, exclude=tmp_path / "out")
    pairs = {e.id: (corpus.display(e.ko), corpus.display(e.en)) for e in corpus.entries}
    assert pairs == {
        "a": ("a.ko.pdf", "a.en.docx"),
        "b": ("b_ko.txt", "b_en.md"),
        "2019/r": ("2019/ko/r.hwp", "2019/en/r.pdf"),
    }
    unpaired = {corpus.display(u.path): u.reason for u in corpus.unpaired}
    assert set(unpaired) == {"2019/ko/only.txt", "c.ko.txt", "c.ko.md", "c.en.txt", "README.md"}
    assert "no English counterpart" in unpaired["2019/ko/only.txt"]
    assert "2 files share the name 'c'" in unpaired["c.ko.md"]
    assert "2 Korean candidates" in unpaired["c.en.txt"]
    assert "no language" in unpaired["README.md"]


def test_manifest_paths_ids_comments_and_header(tmp_path: Path) -> None:
    manifest = tmp_path / "lists" / "pairs.tsv"
    manifest.parent.mkdir()
    manifest.write_text("ko\ten\tid\n# comment\n\n../k/1.txt\t../e/1.txt\tfirst\n../k/2.hwp\t../e/2.pdf\n",
                        encoding="utf-8")
    corpus = load_corpus(manifest)
    assert [(e.id, e.ko, e.en) for e in corpus.entries] == [
        ("first", manifest.parent / "../k/1.txt", manifest.parent / "../e/1.txt"),
        ("../k/2", manifest.parent / "../k/2.hwp", manifest.parent / "../e/2.pdf"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a.txt\n", "line 1: expected 'korean-path<TAB>english-path[<TAB>id]', got 1 field"),
        ("a.txt\tb.txt\tx\nc.txt\td.txt\tx\n", "line 2: id 'x' already used on line 1"),
        ("# nothing\n", "lists no document pairs"),
    ],
)
def test_bad_manifests_are_one_line_errors_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    manifest = tmp_path / "m.tsv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")) as err:
        load_corpus(manifest)
    assert str(manifest) in str(err.value) and "\n" not in str(err.value)


def test_missing_input_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such manifest or folder"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(InputError, match="found no document pairs"):
        load_corpus(tmp_path)
