"""A glossary a learner can trust (issue 22, findings 6 and 10): counts that agree between the
table and the concordance, concordance lines never cut, and doubtful pairs kept from learners."""

from __future__ import annotations

from textual.widgets import Static

from aligner.glossary.build import build_glossary
from aligner.session.glossary_cache import GlossaryCache
from aligner.session.workspace import Workspace
from aligner.tui.glossary_screen import GlossaryScreen

from .test_glossary_screen import SIZE, Host, settle, table_rows


async def test_counts_agree_and_lines_are_whole(kiep_workspace: Workspace) -> None:
    cache = GlossaryCache()
    glossary = build_glossary(kiep_workspace.alignment, kiep_workspace.encoder)
    cache.remember(kiep_workspace.alignment, glossary)
    entry = next(p for p in glossary if p.ko == "규제 완화")
    screen = GlossaryScreen(kiep_workspace, initial_term="규제 완화", glossary=cache)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen.show_pair(entry)
        await settle(pilot)
        title = str(screen.query_one("#concordance-title", Static).render())
        n = len(screen.lines)
        both = sum(1 for line in screen.lines if line.en_spans)
        assert f"{n} pair" in title and f"{both} with “deregulation”" in title
        assert both == entry.frequency  # the table's count is the concordance's "with both"
        freq = next(f for ko, _en, f in table_rows(screen) if ko == "규제 완화")
        assert freq == both
        # each line whole: the longest Korean sentence's end is on screen, not cut at ~50 characters
        screen_text = "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())
        flat = "".join(screen_text.split())
        for line in screen.lines:
            assert "".join(line.ko.split())[-12:] in flat


def test_learners_get_only_trusted_pairs(kiep_workspace: Workspace) -> None:
    """The two wrong pairs the issue names are not taught; right ones as weakly attested are."""
    glossary = build_glossary(kiep_workspace.alignment, kiep_workspace.encoder)
    by_ko = {p.ko: p for p in glossary}
    for ko, wrong in (("촉진", "Made"), ("실현", "advancement")):
        entry = by_ko.get(ko)
        assert entry is None or entry.en != wrong or not entry.trusted
    for ko, right in (("규제 완화", "deregulation"), ("의약품", "drugs"), ("진료", "medical treatment")):
        assert by_ko[ko].en == right and by_ko[ko].trusted


def test_sound_similarity_with_a_floor_is_exact_where_it_counts() -> None:
    """The glossary asks for a floor (the quick bound below it halves its first build): at or
    above the floor the value is the exact one, below it it stays below."""
    from aligner.glossary.build import SOUND_FLOOR
    from aligner.glossary.transliteration import sound_similarity

    pairs = [("베이징", "Beijing"), ("광둥성", "Guangdong Province"), ("알리바바", "Alibaba"), ("촉진", "Made"),
             ("항저우시", "Hangzhou City"), ("텐센트", "Tencent"), ("인공지능", "artificial intelligence"),
             ("바이두", "Baidu"), ("스마트시티", "smart city"), ("규제 완화", "deregulation")]  # fmt: skip
    for ko, en in pairs:
        exact = sound_similarity(ko, en)
        quick = sound_similarity(ko, en, SOUND_FLOOR)
        assert quick == exact if exact >= SOUND_FLOOR else quick < SOUND_FLOOR
    assert sound_similarity("베이징", "Beijing", SOUND_FLOOR) >= SOUND_FLOOR
