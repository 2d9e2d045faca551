"""The one suspicion model (session.review): bands, review order, the ``C`` report, the edited flag."""

from __future__ import annotations

import json

from aligner.align.confidence import HIGH_CONFIDENCE, LOW_CONFIDENCE
from aligner.core.values import Bead
from aligner.session import edits
from aligner.session.project_format import ProjectFile, payload_checksum
from aligner.session.review import (
    Band,
    band,
    band_counts,
    confirm_high_report,
    needs_review,
    review_order,
    status_label,
)  # fmt: skip
from aligner.session.workspace import Workspace


def test_bands_use_the_thresholds_defined_once() -> None:
    assert band(Bead((0,), (0,), LOW_CONFIDENCE - 0.01)) is Band.SUSPICIOUS
    assert band(Bead((0,), (0,), LOW_CONFIDENCE)) is Band.CHECK
    assert band(Bead((0,), (0,), HIGH_CONFIDENCE - 0.01)) is Band.CHECK
    assert band(Bead((0,), (0,), HIGH_CONFIDENCE)) is Band.CONFIDENT
    assert band(Bead((0,), (), 0.99)) is Band.CHECK  # an omission is never "confident"
    assert band(Bead((), (0,), 0.1)) is Band.SUSPICIOUS
    assert needs_review(Bead((0,), (0,), 0.6)) and not needs_review(Bead((0,), (0,), 0.6, confirmed=True))


def test_review_order_is_by_band_then_displayed_score() -> None:
    beads = [Bead((0,), (0,), 0.95), Bead((1,), (1,), 0.55), Bead((2,), (), 0.9), Bead((3,), (2,), 0.3),
             Bead((4,), (3,), 0.45), Bead((5,), (4,), 0.2, confirmed=True)]  # fmt: skip
    order = [(it.position, it.band) for it in review_order(beads)]
    assert order == [(3, Band.SUSPICIOUS), (4, Band.SUSPICIOUS), (1, Band.CHECK), (2, Band.CHECK),
                     (0, Band.CONFIDENT)]  # fmt: skip
    items = review_order(beads)
    assert [it.suspicion for it in items] == sorted((it.suspicion for it in items), reverse=True)


def test_an_edit_shows_as_edited_not_as_a_confidence() -> None:
    beads = (Bead((0,), (0,), 0.4), Bead((1,), (1,), 0.9))
    merged = edits.merge_with_next(beads, 0)
    assert merged[0].edited and merged[0].confirmed
    assert status_label(merged[0]) == "edited"
    assert status_label(Bead((0,), (0,), 0.64)) == "check 0.64"
    unconfirmed = edits.confirm(merged, 0, False)
    assert unconfirmed[0].edited and status_label(unconfirmed[0]) == "edited, check"  # back in review, no score


def test_confirm_report_counts_what_is_left_and_why() -> None:
    after = [Bead((0,), (0,), 0.9, confirmed=True), Bead((1,), (1,), 0.6), Bead((2,), (), 0.95), Bead((3,), (2,), 0.2)]
    text = confirm_high_report(1, after)
    assert text.startswith("confirmed 1 confident pairs")
    assert "left 3 unconfirmed" in text and "2 to check" in text and "1 suspicious" in text
    assert f"{LOW_CONFIDENCE:.2f}" in text and f"{HIGH_CONFIDENCE:.2f}" in text
    counts = band_counts(after)
    assert (counts.confident, counts.check, counts.suspicious, counts.confirmed) == (0, 2, 1, 1)
    assert confirm_high_report(0, after[:1]).endswith("none left to check")


def test_the_edited_flag_is_saved_and_old_project_files_still_load(kiep_workspace: Workspace) -> None:
    ws = kiep_workspace
    beads = edits.merge_with_next(ws.alignment.beads, 0)
    project = ProjectFile.from_documents(ws.ko, ws.en, beads, ws.alignment.model)
    again = ProjectFile.from_json(project.to_json())
    assert again.beads == tuple(beads) and again.beads[0].edited
    # a file written before the flag existed: no "edited" keys, its own checksum
    document = json.loads(project.to_json())
    for b in document["payload"]["beads"]:
        del b["edited"]
    document["checksum"] = payload_checksum(document["payload"])
    old = ProjectFile.from_json(json.dumps(document))
    assert [(b.src, b.tgt, b.confirmed) for b in old.beads] == [(b.src, b.tgt, b.confirmed) for b in beads]
    assert not any(b.edited for b in old.beads)
