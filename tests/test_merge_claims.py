"""merge: stated and inferred are claims (a disagreement is a conflict); sources can be the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app
from cimo.errors import UnknownIdError, UsageError

TEMPLATE = """
format_version: "2.0"
id: {name}
title: {name}
sources: [{{id: {source}, citation: "{citation}", doi: "{doi}"}}]
themes: [{{id: peer, label: Peer support}}]
nodes:
  - {{kind: context, id: nqn, label: Newly qualified nurses}}
  - {{kind: outcome, id: stay, label: Intention to stay{polarity}}}
relations:
  - {{type: feeds, from: stay, to: nqn{stated}}}
rules:
  - id: R1
    if: [nqn]
    then: [stay]
    {theme}
    evidence: [{{source: {source}, locator: p. 4, stance: supports}}]
"""


def review(
    name: str,
    *,
    source: str = "smith",
    citation: str = "Smith J (2020) Peer circles. BMJ",
    doi: str = "10.1136/bmj.m1",
    stated: str = "",
    theme: str = "theme: peer",
    polarity: str = "",
) -> cimo.Theory:
    return cimo.loads(
        TEMPLATE.format(
            name=name,
            source=source,
            citation=citation,
            doi=doi,
            stated=stated,
            theme=theme,
            polarity=polarity,
        )
    )


def test_a_relation_stated_by_one_input_and_inferred_by_another_conflicts() -> None:
    stated, inferred = review("a"), review("b", stated=", stated: false")
    for pair in ([stated, inferred], [inferred, stated]):
        result = cimo.merge(pair)
        assert [(c.kind, c.field) for c in result.conflicts] == [("relation", "stated")]
        assert set(result.conflicts[0].values) == {True, False}
    assert cimo.merge([inferred, inferred]).ok


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        ({"theme": "theme: peer\n    inferred: [theme]"}, {}),
        ({}, {"theme": "theme: peer\n    inferred: [theme]"}),
        (
            {"polarity": ", polarity: desired, inferred: [polarity]"},
            {"polarity": ", polarity: desired"},
        ),
    ],
)
def test_a_field_marked_inferred_by_one_input_and_stated_by_another_conflicts(
    mine: dict[str, str], theirs: dict[str, str]
) -> None:
    result = cimo.merge([review("a", **mine), review("b", **theirs)])
    assert [c.field for c in result.conflicts] == ["inferred"]
    assert "marks inferred, another gives as stated" in str(result)


def test_an_inferred_mark_from_the_only_input_that_gives_the_value_is_kept() -> None:
    guessed = review("a", theme="theme: peer\n    inferred: [theme]")
    silent = review("b", theme="")
    for pair in ([guessed, silent], [silent, guessed]):
        result = cimo.merge(pair)
        assert result.ok, result.conflicts
        assert result.theory is not None
        assert result.theory.rules[0].theme == "peer"
        assert result.theory.rules[0].inferred == ("theme",)


def test_sources_can_be_declared_the_same() -> None:
    a = review("a", source="smith20")
    b = review("b", citation="Smith, J. 2020. Peer circles, BMJ.")
    assert not cimo.merge([a, b]).conflicts  # two sources, each cited by its own input
    result = cimo.merge([a, b], equivalences={"smith20": "smith"})
    assert result.ok, result.conflicts
    assert result.theory is not None
    assert [(s.id, s.citation) for s in result.theory.sources] == [
        ("smith", "Smith, J. 2020. Peer circles, BMJ.")  # the canonical source's wording
    ]
    assert [e.source for e in result.theory.rules[0].evidence] == ["smith"]  # one entry now
    assert ("smith20", "smith") in result.unified
    other_doi = review("b", doi="10.1136/bmj.m2")
    conflicts = cimo.merge([a, other_doi], equivalences={"smith20": "smith"}).conflicts
    assert [(c.kind, c.id, c.field) for c in conflicts] == [("source", "smith", "doi")]


def test_source_equivalences_are_checked() -> None:
    a, b = review("a", source="smith20"), review("b")
    with pytest.raises(UnknownIdError, match=r"node, rule or source.*did you mean 'smith20'"):
        cimo.merge([a, b], equivalences={"smith2": "smith"})
    with pytest.raises(UsageError, match="one is a source and the other is not"):
        cimo.merge([a, b], equivalences={"smith20": "nqn"})


def test_cli_same_accepts_sources(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "ab.yaml"
    cimo.dump(review("a", source="smith20"), a)
    cimo.dump(review("b"), b)
    result = CliRunner().invoke(
        app, ["merge", str(a), str(b), "--same", "smith20=smith", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "unified smith20 with smith" in result.stderr
    assert [s.id for s in cimo.load(out).sources] == ["smith"]


def test_a_stated_or_inferred_conflict_is_settled_like_any_other() -> None:
    guessed = review("a", theme="theme: peer\n    inferred: [theme]", stated=", stated: false")
    stated = review("b")
    ours = cimo.merge([guessed, stated], prefer="ours")
    assert ours.ok and ours.theory is not None
    assert ours.theory.rules[0].inferred == ("theme",)
    assert ours.theory.relations[0].stated is False
    assert {c.field for c in ours.resolved} == {"inferred", "stated"}
    theirs = cimo.merge([guessed, stated], prefer="theirs")
    assert theirs.ok and theirs.theory is not None
    assert theirs.theory.rules[0].inferred == ()
    assert theirs.theory.relations[0].stated is True
