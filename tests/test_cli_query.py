"""`cimo query` and `cimo scenario`: text and JSON, did-you-mean and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cimo
from cimo.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_scenario_text_and_json() -> None:
    args = [
        "scenario",
        "work-focused-group-cbt",
        *("--context", "recurrent-depression", "-c", "in-work", "-c", "group-psychotherapy"),
        *("--intervention", "peer-facilitation", "-i", "psychoeducation"),
    ]
    code, out, _ = run(*args)
    assert code == 0
    assert "fired: figure-4, retain, work-supports-recovery" in out
    code, out, _ = run(*args, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["fired_rules"] == ["figure-4", "retain", "work-supports-recovery"]
    assert data["blocked_rules"] == []
    assert "retain-resume" in data["mechanisms"]
    assert "work-status" in data["outcomes"]


def test_scenario_without_and_blocked(tmp_path: Path) -> None:
    path = cimo.dump(cimo.load_example("pwp-resilience"), tmp_path / "pwp.yaml")
    code, out, _ = run(
        "scenario",
        str(path),
        *("-c", "high-clinical-volume", "-c", "no-time-to-reflect"),
        *("-c", "limited-supervision", "-f", "json"),
    )
    data = json.loads(out)
    assert code == 0 and data["blocked_rules"] == ["burnout"]
    assert data["blockers"] == [{"rule": "burnout", "by": ["work-boundaries", "resilience"]}]
    code, out, _ = run(
        "scenario", str(path), "-c", "lack-of-experience", "-w", "difficulty-managing-workload"
    )
    assert code == 0 and "mechanisms did not fire: individual-challenges" in out


def test_query_explain_for_whom_pathways() -> None:
    code, out, _ = run("query", "pwp-resilience", "explain", "stress-and-burnout", "--ids")
    assert code == 0 and out.startswith("How stress-and-burnout comes about\n  burnout: IF")
    code, out, _ = run("query", "pwp-resilience", "explain", "stress-and-burnout", "-f", "json")
    data = json.loads(out)
    assert [w["rule"] for w in data["ways"]] == ["burnout"]
    assert [w["rule"] for w in data["reduced_by"]] == ["boundaries"]
    code, out, _ = run("query", "pwp-resilience", "for-whom", "stress-and-burnout", "-f", "json")
    assert json.loads(out)["sets"][0]["contexts"] == ["high-clinical-volume", "limited-supervision"]
    code, out, _ = run(
        "query",
        "work-focused-group-cbt",
        "pathways",
        "--from",
        "peer-facilitation",
        "--to",
        "clinical-status",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and [p["rules"] for p in data["paths"]] == [
        ["figure-4"],
        ["retain", "work-supports-recovery"],
        ["resume", "work-supports-recovery"],
    ]
    code, out, _ = run(
        "query", "work-focused-group-cbt", "pathways", "--from", "peer-facilitation", "--to",
        "clinical-status", "--max-length", "1",
    )  # fmt: skip
    assert code == 0 and "cut short: longer pathways than 1 rules exist" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("scenario", "pwp-resilience", "-c", "high-clinical-volum"), "'high-clinical-volume'"),
        (("scenario", "pwp-resilience", "-i", "x"), "is not an intervention"),
        (("scenario", "work-focused-group-cbt", "-w", "relat"), "did you mean 'relate'"),
        (("query", "pwp-resilience", "explain", "resilence"), "did you mean 'resilience'"),
        (("query", "pwp-resilience", "for-whom", "lack-of-experience"), "is not an outcome"),
        (
            ("query", "work-focused-group-cbt", "pathways", "--from", "ot-liason", "--to", "x"),
            "did you mean 'ot-liaison'",
        ),
        (("query", "missing.yaml", "explain", "x"), "missing.yaml: no such file"),
    ],
)
def test_bad_ids_exit_2_with_did_you_mean(args: tuple[str, ...], fragment: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert fragment in err and "Traceback" not in err + out


_CIRCLES = """\
format_version: "2.0"
id: circles
title: Peer circles
nodes:
  - {kind: context, id: nqn, label: Newly qualified nurses}
  - {kind: context, id: champion, label: A ward champion}
  - {kind: intervention, id: circles, label: Peer circles}
  - {kind: mechanism, id: normalising, label: Normalising}
  - {kind: outcome, id: stay, label: Intention to stay}
  - {kind: outcome, id: absence, label: Sickness absence}
rules:
  - {id: C1, if: [champion], with: [circles], because: [normalising], then: [stay]}
  - {id: C6, if: [nqn], with: [circles], because: [normalising], reduces: [absence],
     status: refuted}
relations:
  - {type: feeds, from: nqn, to: champion, stated: false}
"""


def test_refuted_rules_and_inferred_relations_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "circles.yaml"
    path.write_text(_CIRCLES)
    base = ["scenario", str(path), "-c", "nqn", "-i", "circles", "-f", "json"]
    code, out, _ = run(*base)
    data = json.loads(out)
    assert code == 0 and data["fired_rules"] == ["C1"] and data["set_aside"] == ["C6"]
    data = json.loads(run(*base, "--include-refuted")[1])
    assert data["fired_rules"] == ["C6", "C1"] and data["set_aside"] == []
    data = json.loads(run(*base, "--stated-only")[1])
    assert data["fired_rules"] == [] and data["set_aside"] == ["C6"]
    code, out, _ = run("query", str(path), "explain", "absence")
    assert code == 0 and "set aside (refuted" in out and "C6" in out
    code, out, _ = run("query", str(path), "explain", "absence", "--include-refuted", "--ids")
    assert "reduced by C6: IF nqn WITH circles REDUCES absence" in out and "[refuted]" in out
    code, out, _ = run("query", str(path), "for-whom", "stay", "--stated-only", "--ids")
    assert "champion, with circles [C1]" in out and "nqn" not in out
    code, out, _ = run("query", str(path), "for-whom", "stay", "--ids")
    assert "nqn, with circles [C1]" in out
    code, out, _ = run("query", str(path), "pathways", "--from", "nqn", "--to", "stay", "--ids")
    assert "nqn -> [C1] -> stay" in out
    code, out, _ = run(
        "query", str(path), "pathways", "--from", "nqn", "--to", "stay", "--stated-only"
    )
    assert "no pathway" in out


# Issue 19 (S15): every public query is reachable from `cimo query`, in three formats.
_EVERY_QUERY = [
    ("explain", "work-status"),
    ("for-whom", "work-status"),
    ("pathways", "--from", "peer-facilitation", "--to", "work-status"),
    ("circumstances", "work-status"),
    ("evidence", "--min-witnesses", "2"),
    ("coverage",),
    (
        "counterfactual",
        "-c",
        "group-psychotherapy",
        "-c",
        "therapists-encourage-participation",
        "-w",
        "cbt-skills",
    ),
    ("chains", "--max-length", "4"),
]


@pytest.mark.parametrize("args", _EVERY_QUERY, ids=lambda a: a[0])
def test_every_query_from_the_command_line(args: tuple[str, ...]) -> None:
    base = ("query", "work-focused-group-cbt", *args)
    code, text, err = run(*base)
    assert code == 0, err
    code, out, _ = run(*base, "--format", "json")
    assert code == 0 and isinstance(json.loads(out), dict)
    code, md, _ = run(*base, "-f", "markdown")
    assert code == 0 and md.startswith("**")
    assert text.splitlines()[0] in md  # the same heading, as Markdown


def test_query_results_match_python() -> None:
    wfg = cimo.load_example("work-focused-group-cbt")
    _, out, _ = run("query", "work-focused-group-cbt", "evidence", "-f", "json")
    assert json.loads(out) == cimo.query.evidence(wfg).model_dump(mode="json")
    _, out, _ = run(
        "query",
        "work-focused-group-cbt",
        "counterfactual",
        "-c",
        "group-psychotherapy",
        "-c",
        "therapists-encourage-participation",
        "-w",
        "cbt-skills",
    )
    base = cimo.query.scenario(
        wfg, contexts=["group-psychotherapy", "therapists-encourage-participation"]
    )
    assert "cbt-skills" in base.mechanisms  # the counterfactual takes something away
    # The command line names elements by label, as Python does with labels=True.
    shown = cimo.query.counterfactual(wfg, base, without=["cbt-skills"], labels=True)
    assert out == str(shown) + "\n"
    assert "Acquiring, consolidating and applying basic CBT concepts and skills" in out


def test_roll_up_and_focus_are_theories_again(tmp_path: Path) -> None:
    wfg = cimo.load_example("work-focused-group-cbt")
    code, out, _ = run("query", "work-focused-group-cbt", "focus", "--iteration", "1", "-f", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)["rules"]] == [
        r.id for r in cimo.edit.focus(wfg, iteration=1).rules
    ]
    target = tmp_path / "themes.yaml"
    code, _, err = run(
        "query", "work-focused-group-cbt", "roll-up", "--rank", "theme", "-o", str(target)
    )
    assert code == 0 and "wrote" in err
    assert cimo.load(target) == cimo.edit.roll_up(wfg, rank="theme")
    code, md, _ = run("query", "work-focused-group-cbt", "roll-up", "-f", "markdown")
    assert code == 0 and md.startswith("### ")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ("query", "work-focused-group-cbt", "evidnce"),
            "no command 'evidnce' (did you mean 'evidence'?)",
        ),
        (("query", "work-focused-group-cbt", "zzz"), "its commands are: explain, for-whom"),
        (("chek", "x"), "did you mean 'check'"),
        (("query", "work-focused-group-cbt", "pathways", "--to", "x"), "missing option '--from'"),
    ],
)
def test_a_typo_gets_cimos_usual_message(args: tuple[str, ...], fragment: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert err.startswith("error: ") and fragment in err
    assert "╭" not in err + out and "No such command" not in err  # no framed box


def test_scenario_names_the_option_for_an_id_of_the_other_kind() -> None:
    # S29: `cimo scenario t.yaml -c peer-circles` (an intervention).
    code, _, err = run("scenario", "work-focused-group-cbt", "-c", "peer-facilitation")
    assert code == 2
    assert "'peer-facilitation' is not a context or outcome of this theory: it is an " in err
    assert "intervention; use interventions= (-i/--intervention" in err
    code, _, err = run("scenario", "work-focused-group-cbt", "-i", "in-work")
    assert "it is a context; use contexts= (-c/--context" in err


def test_counts_and_empty_lists_read_naturally(tmp_path: Path) -> None:
    # S34: "1 witnesses", "outcomes no intervention reaches: none".
    _, out, _ = run("query", "work-focused-group-cbt", "evidence", "--min-witnesses", "1")
    assert "1 witness (" in out and "1 witnesses" not in out
    # (the example's Table 2 outcomes come from contexts, so use a theory whose
    # every outcome some intervention reaches)
    reached = tmp_path / "reached.yaml"
    reached.write_text(
        "format_version: '2.0'\nid: t\ntitle: T\nnodes:\n"
        "  - {id: c, kind: context, label: C}\n"
        "  - {id: i, kind: intervention, label: I}\n"
        "  - {id: m, kind: mechanism, label: M}\n"
        "  - {id: o, kind: outcome, label: O}\n"
        "rules:\n  - {id: r, if: [c], with: [i], because: [m], then: [o]}\n",
        encoding="utf-8",
    )
    code, out, err = run("query", str(reached), "coverage")
    assert code == 0, err
    assert "every outcome is reached from some intervention" in out
    assert ": none" not in out
    _, out, _ = run("query", "work-focused-group-cbt", "coverage", "--ids")
    assert "outcomes no intervention reaches: self-efficacy" in out


def test_results_name_elements_by_label_for_people_and_by_id_on_request(tmp_path: Path) -> None:
    # S14: stakeholders read labels; --ids (and Python's default) keep the ids.
    path = tmp_path / "circles.yaml"
    path.write_text(_CIRCLES, encoding="utf-8")
    code, out, _ = run("query", str(path), "for-whom", "stay")
    assert code == 0
    assert out.startswith("For whom “Intention to stay” is expected")
    assert "“A ward champion”, with “Peer circles” [C1]" in out and "  champion," not in out
    code, out, _ = run("query", str(path), "for-whom", "stay", "-f", "markdown")
    assert "**For whom “Intention to stay” is expected**" in out
    _, ids, _ = run("query", str(path), "for-whom", "stay", "--ids")
    assert "champion, with circles [C1]" in ids
    _, data, _ = run("query", str(path), "for-whom", "stay", "-f", "json")
    assert json.loads(data)["sets"][0]["contexts"] == ["champion"]  # JSON: always ids
    _, out, _ = run("scenario", str(path), "-c", "champion", "-i", "circles")
    assert "outcomes: “Intention to stay”" in out and "given “A ward champion”" in out
