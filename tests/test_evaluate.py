"""Scoring against hand-computed cases (Vecalign strict/lax + omission P/R/F1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.align.metrics import read_alignment, score
from aligner.core.values import Bead


def B(src: tuple[int, ...], tgt: tuple[int, ...]) -> Bead:
    return Bead(src, tgt)


def test_perfect_alignment_scores_one() -> None:
    gold = [B((0,), (0,)), B((1,), ()), B((2,), (1, 2))]
    s = score([gold], [gold])
    assert s.f1_strict == s.f1_lax == s.omission_f1 == 1.0


def test_hand_computed_case() -> None:
    gold = [B((0,), (0,)), B((1,), (1, 2)), B((2,), ()), B((3,), (3,))]
    test = [B((0,), (0,)), B((1,), (1,)), B((), (2,)), B((2,), ()), B((3,), (3,))]
    s = score([gold], [test])
    # precision over 5 test beads: strict hits [0]:[0], [2]:[], [3]:[3] -> 3/5;
    # lax adds [1]:[1] (1 is linked to 1 in gold) -> 4/5 ([]:[2] has no source side)
    assert s.precision_strict == pytest.approx(3 / 5)
    assert s.precision_lax == pytest.approx(4 / 5)
    # recall over the 3 gold links: strict [0]:[0], [3]:[3] -> 2/3; lax all 3
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.recall_lax == pytest.approx(1.0)
    assert s.f1_strict == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    # omissions: gold {src 2}; test {src 2, tgt 2} -> P 1/2, R 1
    assert s.omission_precision == pytest.approx(0.5)
    assert s.omission_recall == pytest.approx(1.0)
    assert s.omission_f1 == pytest.approx(2 / 3)


def test_pooled_over_pairs() -> None:
    g1, t1 = [B((0,), (0,))], [B((0,), (0,))]
    g2, t2 = [B((0,), (0,)), B((1,), (1,))], [B((0, 1), (0, 1))]
    s = score([g1, g2], [t1, t2])
    assert s.precision_strict == pytest.approx(1 / 2)  # 1 of 2 test beads
    assert s.recall_strict == pytest.approx(1 / 3)  # 1 of 3 gold links
    assert s.precision_lax == 1.0


def test_multi_sentence_omission_equals_singles() -> None:
    gold = [B((0,), ()), B((1,), ())]
    assert score([gold], [[B((0, 1), ())]]).omission_f1 == 1.0


def test_mismatched_counts_rejected() -> None:
    with pytest.raises(ValueError):
        score([[B((0,), (0,))]], [])


def test_read_alignment(tmp_path: Path) -> None:
    f = tmp_path / "a.align"
    f.write_text("[0]:[0]\n[1,2]:[]\n\n[]:[1,2]\n", encoding="utf-8")
    assert [b.vecalign() for b in read_alignment(f)] == ["[0]:[0]", "[1,2]:[]", "[]:[1,2]"]


def test_eval_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from aligner.cli.main import main

    gold = tmp_path / "gold.align"
    test = tmp_path / "test.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    test.write_text("[0]:[0]\n[1]:[]\n[]:[1]\n", encoding="utf-8")
    rc = main(["eval", str(gold), str(test)])
    assert rc in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["recall_strict"] == pytest.approx(0.5)
    assert out["precision_strict"] == pytest.approx(1 / 3)
