"""The pandas bridge: cimo.to_frame and read_table(DataFrame) (issue 13)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import cimo
from cimo.errors import MissingDependencyError, TableError, UsageError
from cimo.exchange.table import read_cells, read_table

TEAM = Path(__file__).resolve().parent / "data" / "team-table" / "team-cmo-table.xlsx"


@pytest.fixture(scope="module")
def team() -> cimo.Theory:
    return read_table(TEAM)


def test_rules_frame_has_plain_columns(team: cimo.Theory) -> None:
    frame = cimo.to_frame(team)
    assert list(frame["rule"]) == [r.id for r in team.rules]
    assert list(frame["number"]) == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert frame.loc[0, "context"] == (
        "Newly qualified nurse on an acute ward; Protected time for the circle"
    )
    assert frame.loc[0, "theme"] == "Making space to talk"
    assert dict(frame["status"].value_counts()) == {"supported": 4, "hypothesised": 1, "refuted": 1}
    assert list(frame["participants"]) == [2, 1, 0, 2, 1, 1]
    # Plain values, never tuples or records.
    assert all(not isinstance(v, tuple) for v in frame.to_numpy().ravel())


def test_rules_frame_lists_annotations_by_kind() -> None:
    theory = cimo.load(Path(__file__).resolve().parent / "data" / "printing-2.0.yaml")
    frame = cimo.to_frame(theory)
    assert list(frame["annotations"]) == [
        "",
        "",
        "Tension: Speaking up vs keeping one's post",
        "Counter-strategy: Peer mentors outside the practice; "
        "Formal theory: Psychological safety (Edmondson 1999)",
    ]


def test_nodes_and_evidence_frames(team: cimo.Theory) -> None:
    nodes = cimo.to_frame(team, what="nodes")
    mechanisms = nodes[nodes["kind"] == "mechanism"]
    assert list(mechanisms["label"])[:2] == ["normalised", "organisation does not care"]
    assert mechanisms.iloc[0]["resource"] == "Peers share their own first-year struggles"
    reduced = nodes[nodes["label"] == "Reduced distress"].iloc[0]
    assert reduced["rules"] == 3  # the outcome of C1, a context of C5 and C6
    evidence = cimo.to_frame(team, what="evidence")
    assert len(evidence) == sum(len(r.evidence) for r in team.rules)
    witnesses = evidence.groupby("participant")["rule"].nunique()
    assert witnesses["N03"] == 2 and witnesses["N11"] == 2
    assert set(evidence["citation"]) == {"Int 1", "Int 2", "Int 3", "Int 4"}
    with pytest.raises(UsageError, match="choose 'rules', 'nodes' or 'evidence'"):
        cimo.to_frame(team, what="edges")  # type: ignore[arg-type]


def test_read_table_takes_a_dataframe_with_the_same_roles(team: cimo.Theory) -> None:
    cells = read_cells(TEAM)
    frame = pd.DataFrame(list(cells.rows), columns=list(cells.headers))
    assert frame.loc[0, "CMOC"] == "Theme 1: Making space to talk"  # a heading row
    frame.loc[1, "Status"] = None  # a missing value is an empty cell
    theory = read_table(frame, id=team.id, title=team.title)
    assert theory.rules[0].status == "hypothesised"
    assert theory.rules[1:] == team.rules[1:]
    assert theory.themes == team.themes and theory.nodes == team.nodes


def test_dataframe_problems_are_located_messages() -> None:
    frame = pd.DataFrame({"Context": ["a", "b"], "Mechanism": ["m", "m"], "Notes": ["x", "y"]})
    with pytest.raises(TableError, match=r"DataFrame, column 'Notes' \(C\): the header 'Notes'"):
        read_table(frame)
    frame = pd.DataFrame({"Context": ["a", "b"], "Outcome": ["o", "o"], "Status": ["ok", ""]})
    with pytest.raises(TableError, match=r"DataFrame, row 1, column 'Status' \(C\)"):
        read_table(frame)
    with pytest.raises(UsageError, match="a DataFrame has no sheets"):
        read_table(frame, sheet="S")


def test_missing_pandas_says_what_to_install(
    team: cimo.Theory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'cimo\[pandas\]'"):
        cimo.to_frame(team)
