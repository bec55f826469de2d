"""The built-in six mechanisms of Work-focused Relational Group CBT, and vocabularies."""

from __future__ import annotations

from collections import Counter

import pytest

from cimo.errors import UnknownIdError
from cimo.taxonomy import WORK_FOCUSED_GROUP_CBT as SIX
from cimo.taxonomy import ancestor_at, get_taxonomy, lineage
from cimo.vocabulary import S3_CHECKLIST, get_vocabulary


def test_six_mechanisms_twelve_themes_twenty_four_subthemes() -> None:
    ranks = Counter(t.rank for t in SIX.taxa)
    assert ranks == {"mechanism": 6, "theme": 12, "subtheme": 24}
    mechanisms = [t for t in SIX.taxa if t.rank == "mechanism"]
    assert [m.label for m in mechanisms] == [
        "Realise",
        "Reflect",
        "Regulate",
        "Resolve",
        "Relate",
        "Retain/Resume",
    ]
    assert all(m.definition for m in mechanisms)
    for theme in (t for t in SIX.taxa if t.rank == "theme"):
        assert sum(1 for t in SIX.taxa if t.parent == theme.id) == 2
    for mechanism in mechanisms:
        assert sum(1 for t in SIX.taxa if t.parent == mechanism.id) == 2


def test_table_3_wording_is_kept() -> None:
    by_id = SIX.by_id
    assert by_id["understanding-myself"].label == "Understanding myself (insight)"
    assert by_id["shift-in-perception-people"].source_label == "a) Shift in perception: people"
    assert by_id["retain-resume"].source_label == "6. RETAIN"
    assert by_id["regulate"].definition.startswith("Tolerating feelings")  # type: ignore[union-attr]


def test_categories_follow_the_table_3_key() -> None:
    assert {c.id for c in SIX.categories} == {
        "work-focused",
        "psychological",
        "relationship-focused",
    }
    assert by_category("work-focused") == ["retain-resume"]
    assert "relate" in by_category("relationship-focused")


def by_category(category: str) -> list[str]:
    return [t.id for t in SIX.taxa if t.rank == "mechanism" and t.category == category]


def test_lineage_and_roll_up() -> None:
    assert [t.id for t in lineage(SIX, "helping-others")] == [
        "helping-others",
        "helping-each-other",
        "relate",
    ]
    assert ancestor_at(SIX, "negotiating-phased-return", rank="theme").id == "returning-to-work"  # type: ignore[union-attr]
    assert ancestor_at(SIX, "relate", rank="subtheme") is None
    with pytest.raises(UnknownIdError, match="did you mean 'relate'"):
        lineage(SIX, "relat")
    with pytest.raises(UnknownIdError):
        ancestor_at(SIX, "relate", rank="phylum")


def test_the_old_roll_up_of_one_taxon_still_works_and_warns() -> None:
    import cimo.taxonomy

    with pytest.warns(DeprecationWarning, match=r"cimo\.taxonomy\.ancestor_at"):
        old = cimo.taxonomy.roll_up
    assert old(SIX, "negotiating-phased-return", "theme").id == "returning-to-work"
    with pytest.warns(DeprecationWarning, match="goes in the next release"):
        from cimo.taxonomy import roll_up  # noqa: F401
    with pytest.raises(AttributeError, match="no attribute 'roll_upp'"):
        cimo.taxonomy.roll_upp  # noqa: B018


def test_builtin_lookups() -> None:
    assert get_taxonomy("work-focused-group-cbt") is SIX
    assert get_vocabulary("s3-checklist") is S3_CHECKLIST
    with pytest.raises(UnknownIdError, match="built-in taxonomy"):
        get_taxonomy("six")


def test_s3_checklist_covers_the_five_component_categories() -> None:
    assert [c.id for c in S3_CHECKLIST.categories] == [
        "strategic",
        "operational",
        "content",
        "process",
        "job-retention",
    ]
    operational = {
        a.id for c in S3_CHECKLIST.categories if c.id == "operational" for a in c.aspects
    }
    assert {"format", "dose", "duration", "volume", "frequency", "deliverer"} <= operational
    assert S3_CHECKLIST.allows("content", "psychoeducation")
    assert not S3_CHECKLIST.allows("content", "format")
