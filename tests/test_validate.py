"""cimo.validate: every check fails and passes on its documented examples, worked examples on
the bundled theories, oracles for contradictions, loops and orphans, settings precedence."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cimo
import cimo.core.source
from cimo.core.vocabulary import SLOT, SLOTS
from cimo.errors import UsageError
from cimo.io import Format
from cimo.model import (
    CheckSettings,
    Context,
    Intervention,
    Mechanism,
    MechanismLink,
    Outcome,
    Rule,
    Theory,
)
from cimo.query import scenario
from cimo.strategies import theories
from cimo.validate import (
    Report,
    checks,
    find_project_settings,
    format_text,
    resolve_settings,
    validate,
)

DOCS = Path(__file__).parent.parent / "docs" / "checks.md"


def sections() -> dict[str, str]:
    text = DOCS.read_text()
    parts = re.split(r"^### `([A-Z]\d{3})`\n", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def example(code: str, which: str) -> str:
    body = sections()[code]
    found = re.search(which + r":\n\n```yaml\n(.*?)```", body, flags=re.S)
    assert found, f"{code}: no {which} example"
    return found.group(1)


def also(code: str, which: str) -> list[str]:
    """The further examples of a section: 'Also fails (why):' or 'Also passes (why):'."""
    body = sections()[code]
    return re.findall(r"^Also " + which + r"[^\n]*:\n\n```yaml\n(.*?)```", body, flags=re.S | re.M)


CODES = [c.code for c in checks()]
EXTRA = [
    (code, which, i)
    for code in CODES
    for which in ("fails", "passes")
    for i in range(len(also(code, which)))
]


# --------------------------------------------------------------------------- registry <-> docs


def test_the_page_documents_exactly_the_registry() -> None:
    assert set(sections()) == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_each_section_names_the_check_and_its_severity(code: str) -> None:
    check = next(c for c in checks() if c.code == code)
    assert sections()[code].lstrip().startswith(f"**{check.name}** ({check.severity}).")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    registry = checks()
    assert len({c.code for c in registry}) == len({c.name for c in registry}) == len(registry)
    assert all(re.fullmatch(r"[RMNG]\d{3}", c.code) for c in registry)
    assert {"R001", "R002", "M001", "R003", "N001", "N002", "N003", "M002", "M003"} <= set(CODES)
    assert {"R004", "R005", "G001", "M004", "N004", "N005"} <= set(CODES)


# --------------------------------------------------------------------------- fail and pass


@pytest.mark.parametrize("code", CODES)
def test_the_failing_example_fails(code: str) -> None:
    theory = cimo.loads(example(code, "Fails"), file="fails.yaml")
    report = validate(theory, select=[code], fail_on="info")
    assert [f.code for f in report.findings] and {f.code for f in report.findings} == {code}
    assert report.failed
    for f in report.findings:
        assert f.location.file == "fails.yaml" and f.location.line and f.location.column
        assert f.location.id in f.ids
        assert f.hint


@pytest.mark.parametrize("code", CODES)
def test_the_passing_example_passes(code: str) -> None:
    theory = cimo.loads(example(code, "Passes"))
    report = validate(theory, select=[code], fail_on="info")
    assert report.findings == ()
    assert not report.failed


@pytest.mark.parametrize(("code", "which", "i"), EXTRA)
def test_the_further_examples_fail_and_pass(code: str, which: str, i: int) -> None:
    theory = cimo.loads(also(code, which)[i], file="also.yaml")
    report = validate(theory, select=[code], fail_on="info")
    if which == "passes":
        assert report.findings == ()
    else:
        assert report.findings and {f.code for f in report.findings} == {code}
        assert all(f.location.line and f.hint for f in report.findings)


def test_there_are_further_examples_of_the_new_cases() -> None:
    assert {(c, w) for c, w, _ in EXTRA} >= {
        ("R001", "passes"),
        ("R002", "passes"),
        ("R003", "fails"),
        ("R003", "passes"),
        ("R004", "fails"),
        ("R005", "passes"),
        ("R006", "passes"),
        ("M002", "passes"),
        ("N001", "passes"),
    }


# --------------------------------------------------------------------------- worked examples


def test_a_pwp_draft_without_its_unless_has_one_contradiction(pwp_draft: Theory) -> None:
    report = validate(pwp_draft)
    # 2.0: three hypothesised rules cite the paper by locator only (stance: source), an info
    assert [(f.code, f.location.id) for f in report.findings] == [
        ("G001", "self-care"),
        ("R002", "boundaries"),
        *SOURCED_ONLY_PWP,
    ]
    clash = report.by_code("contradictory-rules")[0]
    assert set(clash.ids) == {"burnout", "boundaries", "stress-and-burnout"}
    # the finding points at the 'reduces' entry of rule boundaries in the file
    assert clash.location.path == (
        "rules",
        pwp_draft.rules.index(pwp_draft.rule_index["boundaries"]),
        "reduces",
        0,
    )
    assert clash.location.file is not None and clash.location.line and clash.location.column
    line = Path(clash.location.file).read_text().splitlines()[clash.location.line - 1]
    assert line[clash.location.column - 1 :].startswith("stress-and-burnout")
    assert report.failed and report.fail_on == "error"


SOURCED_ONLY_PWP = [
    ("R004", "purpose-reaffirmed-by-resilience"),
    ("R004", "reaffirmed-purpose-guides-appraisal"),
    ("R004", "resilience-buffers-burnout"),
]


def test_pwp_resilience_has_only_its_loop(pwp: Theory) -> None:
    report = validate(pwp)
    assert [(f.code, f.location.id) for f in report.findings] == [
        ("G001", "self-care"),
        *SOURCED_ONLY_PWP,
    ]
    assert {f.severity for f in report.findings} == {"info"}
    loop = report.by_code("G001")[0]
    # the shortest loop through rule self-care: it produces resilience, which reaffirms
    # purpose, which guides appraisal and so individual coping, which feeds self-care
    assert loop.ids == (
        "self-care",
        "resilience",
        "purpose-reaffirmed-by-resilience",
        "purpose-reaffirmed",
        "reaffirmed-purpose-guides-appraisal",
        "individual-coping",
    )
    assert not report.failed


def test_work_focused_group_cbt_has_no_errors(wfg: Theory) -> None:
    report = validate(wfg)
    assert not report.failed
    assert sorted((f.code, f.location.id) for f in report.findings) == [
        ("M003", "relationship-focused-change"),
        ("M003", "work-focused-change"),
        ("M005", "cbt-skills"),
        ("M005", "psychological-change"),
        ("M005", "relationship-focused-change"),
        ("M005", "work-focused-change"),
        ("N001", "group-format"),
        ("N001", "triple-foci"),
        ("R003", "work-supports-recovery"),
        # 2.0: sourced by locator only (stance: source), hypothesised: an info
        ("R004", "resume"),
        ("R004", "table-2-example-1"),
        ("R004", "table-2-example-2"),
    ]
    assert report.by_code("R003")[0].message == "rule work-supports-recovery has no mechanism"


def test_a_report_prints_and_dumps(pwp_draft: Theory) -> None:
    report = validate(pwp_draft)
    text = str(report)
    assert text.splitlines()[-1].endswith("1 error, 0 warnings, 4 infos (fails at --fail-on error)")
    assert re.match(r"^.+pwp-draft\.yaml:\d+:\d+: G001 feedback loop: ", text)
    assert "| `R002` | error | `boundaries` |" in report._repr_markdown_()
    assert Report.model_validate_json(report.model_dump_json()) == report
    # one help line per code found (R004's infos come after R002 since 2.0)
    helps = [x for x in format_text([report]).splitlines() if x.startswith("help: ")]
    assert [h.split()[1] for h in helps] == ["G001", "R002", "R004"]


def test_theories_built_in_python_are_located_by_path() -> None:
    theory = Theory(
        id="t",
        title="T",
        nodes=(Context(id="c", label="C"), Mechanism(id="m", label="M", reasoning="r")),
        rules=(Rule(id="R1", contexts=("c",), mechanisms=("m",)),),
    )
    report = validate(theory, select=["R003"])
    (finding,) = report.findings
    assert (finding.location.file, finding.location.pointer) == (None, "/rules/0")
    assert str(finding) == "/rules/0: R003 rule R1 has no outcome"


# --------------------------------------------------------------------------- selection


def test_select_and_ignore_take_codes_prefixes_and_names(pwp: Theory) -> None:
    assert validate(pwp, select=["R"]).checked == (
        "R001",
        "R002",
        "R003",
        "R004",
        "R005",
        "R006",
    )
    assert validate(pwp, select=["contradictory-rules"]).checked == ("R002",)
    assert "R002" not in validate(pwp, ignore=["R002"]).checked
    assert validate(pwp, select=["R00"], ignore=["R001", "refuted-rule-in-chain"]).checked == (
        "R002",
        "R003",
        "R004",
        "R006",
    )
    assert not validate(pwp, ignore=["R002"]).failed
    assert validate(pwp, ignore=["R002"], fail_on="info").failed


def test_an_unknown_code_is_a_usage_error_with_a_suggestion(pwp: Theory) -> None:
    with pytest.raises(UsageError, match=r"'R0022' is not a check code.*did you mean 'R002'"):
        validate(pwp, select=["R0022"])


def test_settings_precedence_arguments_then_file_then_project() -> None:
    in_file = CheckSettings(ignore=("R004",), fail_on="warning")
    project = CheckSettings(select=("R",), ignore=("M003",), fail_on="info")
    theory = Theory(id="t", title="T", check=in_file)
    assert resolve_settings(theory, project=project) == CheckSettings(
        select=("R",), ignore=("R004",), fail_on="warning"
    )
    assert resolve_settings(theory, ignore=["N"], fail_on="error", project=project) == (
        CheckSettings(select=("R",), ignore=("N",), fail_on="error")
    )
    assert resolve_settings(None) == CheckSettings(fail_on="error")


def test_the_theory_files_check_block_is_used() -> None:
    text = example("R004", "Fails") + "check:\n  fail_on: warning\n"
    assert validate(cimo.loads(text)).failed
    assert not validate(cimo.loads(example("R004", "Fails"))).failed
    ignoring = example("R004", "Fails") + "check:\n  ignore: [R004]\n  fail_on: warning\n"
    assert "R004" not in validate(cimo.loads(ignoring)).checked


def test_project_settings_are_found_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cimo]\nselect = ["R"]\nfail-on = "warning"\n'
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "inner, no cimo table"\n')
    found = find_project_settings(deep)
    assert found == (CheckSettings(select=("R",), fail_on="warning"), tmp_path / "pyproject.toml")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('fail-on = "fatal"', "fail-on = 'fatal': use one of info, warning, error"),
        ("select = 3", "select must be a list"),
        ("select = [", "cannot read it as TOML"),
    ],
)
def test_bad_project_settings_are_usage_errors(tmp_path: Path, table: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cimo]\n{table}\n")
    with pytest.raises(UsageError, match=re.escape(message)):
        find_project_settings(tmp_path)


# --------------------------------------------------------------------------- oracles


def _fires(r: Rule) -> bool:
    """A rule fires somewhere only with a context condition (or 'if: any')."""
    if "context" in r.missing_parts:
        return False
    return bool(r.contexts or r.modifiers or r.context_groups or r.any_context)


def _blocks(a: Rule, b: Rule, feeds: dict[str, set[str]]) -> bool:
    """a's UNLESS names what b needs, or what b produces (directly or through a link)."""
    unless = set(a.unless)
    needs = {*b.contexts, *b.modifiers}
    certain = [
        o
        for o in b.outcomes
        if b.mechanism_mode != "alternatives"
        or all(o not in link.then for link in b.mechanism_links)
    ]
    made = {x for o in certain for x in ({o} | feeds.get(o, set()))}
    return bool(unless & needs or unless & made or any(unless >= set(g) for g in b.context_groups))


def _co_fire(a: Rule, b: Rule, opposites: dict[str, set[str]], theory: Theory) -> bool:
    # 2.0 (issue 11): rules that never fire, or where one's UNLESS is produced by the
    # other, can never fire together; before, only IF-vs-UNLESS and opposites counted
    feeds: dict[str, set[str]] = {}
    for link in theory.links:
        feeds.setdefault(link.outcome, set()).add(link.context)
    for rel in theory.relations:
        if rel.type == "feeds" and not rel.external:
            feeds.setdefault(rel.from_, set()).add(rel.to)
    needs_a, needs_b = {*a.contexts, *a.modifiers}, {*b.contexts, *b.modifiers}
    return (
        _fires(a)
        and _fires(b)
        and not _blocks(a, b, feeds)
        and not _blocks(b, a, feeds)
        and not any(opposites.get(x, set()) & needs_b for x in needs_a)
    )


def _opposites(theory: Theory) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for o in theory.outcomes:
        if o.opposite:
            out.setdefault(o.id, set()).add(o.opposite)
            out.setdefault(o.opposite, set()).add(o.id)
    return out


# few nodes and many rules, so that rules share outcomes and block each other
_DENSE = theories(min_nodes=4, max_nodes=7, min_rules=2, max_rules=10)


@st.composite
def theories_20(draw: st.DrawFn) -> Theory:
    """Dense theories whose rules use the 2.0 parts the checks read: 'within', 'if: any',
    'missing', 'despite', 'moderated_by', 'otherwise', mechanism links and modes."""
    t = draw(theories(min_nodes=5, max_nodes=9, min_rules=2, max_rules=10))
    contexts = [c.id for c in t.contexts]
    rules = []
    for r in t.rules:
        ifs = [c for c in r.contexts if c in contexts]
        within: list[str] = []
        if ifs:
            within = draw(st.lists(st.sampled_from(ifs), unique=True))
        data: dict[str, Any] = dict(r) | {
            "contexts": tuple(c for c in r.contexts if c not in within),
            "modifiers": tuple(within),
            "mechanism_mode": draw(st.sampled_from(["together", "alternatives", "unstated"])),
        }
        # an id stands in one condition or qualifier slot at most (a structural rule)
        named = {*r.contexts, *r.unless, *r.modifiers, *r.moderators, *r.despite}
        spare = [c for c in contexts if c not in named]
        if draw(st.booleans()) and spare:
            data[draw(st.sampled_from(["despite", "moderators"]))] = (draw(st.sampled_from(spare)),)
        if not r.contexts:
            data |= draw(
                st.sampled_from([{}, {"any_context": True}, {"missing_parts": ("context",)}])
            )
        if r.mechanisms and contexts and draw(st.booleans()):
            data["mechanism_links"] = (
                MechanismLink(
                    mechanism=r.mechanisms[0], requires=(draw(st.sampled_from(contexts)),)
                ),
            )
        left = [o.id for o in t.outcomes if o.id not in (*r.outcomes, *r.reduces, *r.otherwise)]
        if draw(st.booleans()) and left:
            data["otherwise"] = (*r.otherwise, draw(st.sampled_from(left)))
        rules.append(Rule.model_validate(data))
    return Theory.model_validate(dict(t) | {"rules": tuple(rules)})


@given(st.one_of(_DENSE, theories_20()))
def test_contradictions_match_a_pairwise_oracle(theory: Theory) -> None:
    opposites = _opposites(theory)
    live = [r for r in theory.rules if r.status != "refuted"]
    expected: set[str] = set()
    for a, b in itertools.permutations(live, 2):
        if not _co_fire(a, b, opposites, theory):
            continue
        expected |= {f"reduces:{o}" for o in set(a.outcomes) & set(b.reduces)}
        expected |= {
            "opposite:" + ",".join(sorted((x, y)))
            for x in a.outcomes
            for y in b.outcomes
            if y in opposites.get(x, ())
        }
    found: set[str] = set()
    for f in validate(theory, select=["R002"]).findings:
        rule_a, rule_b = (theory.rule_index[i] for i in f.ids[:2])
        assert _co_fire(rule_a, rule_b, opposites, theory)
        if "reduces it" in f.message:
            assert f.ids[2] in rule_a.outcomes and f.ids[2] in rule_b.reduces
            found.add(f"reduces:{f.ids[2]}")
        else:
            assert f.ids[2] in rule_a.outcomes and f.ids[3] in rule_b.outcomes
            found.add("opposite:" + ",".join(sorted(f.ids[2:4])))
    assert found == expected


# 2.0 (issue 11): R006, a bypassed UNLESS, against its definition written pairwise


def _conds(r: Rule) -> set[str]:
    return {*r.contexts, *r.modifiers, *r.interventions}


def _static_bypass(a: Rule, b: Rule, u: str, outcome: str, slot: str) -> bool:
    """The definition, pairwise: B gives A's outcome from a subset of A's conditions."""
    if a.id == b.id or "refuted" in (a.status, b.status) or u in _conds(a):
        return False
    if outcome not in getattr(b, slot):
        return False
    if not b.contexts and not b.modifiers and not b.context_groups and not b.any_context:
        return False
    if "context" in b.missing_parts or "context" in a.missing_parts:
        return False
    if not a.contexts and not a.modifiers and not a.context_groups and not a.any_context:
        return False
    if not _conds(b) <= _conds(a) or u in (*b.unless, *b.despite, *b.moderators):
        return False
    return not set(b.unless) & _conds(a) and not b.context_groups and not b.mechanism_links


@given(st.one_of(_DENSE, theories_20()))
def test_bypasses_match_a_pairwise_oracle_confirmed_by_scenario(t: Theory) -> None:
    expected: set[tuple[str, str, str, str]] = set()
    for a, b in itertools.permutations(t.rules, 2):
        if a.context_groups or b.context_groups or b.mechanism_links:
            continue  # the oracle covers the flat slots
        for u in a.unless:
            hits = [
                o
                for slot in ("outcomes", "reduces")
                for o in getattr(a, slot)
                if _static_bypass(a, b, u, o, slot)
            ]
            if not hits:
                continue
            given_ = [*a.contexts, *a.modifiers, u]
            sc = scenario(t, contexts=dict.fromkeys(given_), interventions=a.interventions)
            if a.id in sc.blocked_rules and b.id in sc.fired_rules:
                expected |= {(a.id, b.id, u, o) for o in hits if o in (*sc.outcomes, *sc.reduced)}
    found = set()
    for f in validate(t, select=["R006"]).findings:
        a_id, b_id, u, *outcomes = f.ids
        a, b = t.rule_index[a_id], t.rule_index[b_id]
        if a.context_groups or b.context_groups or b.mechanism_links:
            continue
        found |= {(a_id, b_id, u, o) for o in outcomes}
    assert found == expected


@given(st.one_of(_DENSE, theories_20()))
def test_loops_are_found_exactly_when_rules_feed_each_other_in_a_cycle(theory: Theory) -> None:
    import networkx as nx

    # 2.0: 'otherwise' produces, 'within', 'if_any' and 'requires' consume, and 'feeds'
    # relations lead on like links (from an outcome, a mechanism or a rule)
    linked: dict[str, set[str]] = {}
    for link in theory.links:
        linked.setdefault(link.outcome, set()).add(link.context)
    for rel in theory.relations:
        if rel.type == "feeds" and not rel.external:
            linked.setdefault(rel.from_, set()).add(rel.to)
    g: nx.DiGraph[str] = nx.DiGraph()
    for a in theory.rules:
        made = (*a.outcomes, *a.reduces, *a.otherwise, *a.mechanisms, a.id)
        fed = {x for o in made for x in linked.get(o, set())} | {
            *a.outcomes,
            *a.reduces,
            *a.otherwise,
        }
        for b in theory.rules:
            needs = {*b.contexts, *b.unless, *b.modifiers}
            needs |= {c for grp in b.context_groups for c in grp}
            needs |= {c for m in b.mechanism_links for c in m.requires}
            if fed & needs:
                g.add_edge(a.id, b.id)
    loops = validate(theory, select=["G001"]).findings
    assert bool(loops) == (not nx.is_directed_acyclic_graph(g))
    for f in loops:
        rules = [i for i in f.ids if i in theory.rule_index]
        for u, v in itertools.pairwise([*rules, rules[0]]):
            assert g.has_edge(u, v)


@given(theories())
def test_orphans_and_duplicates_match_their_definitions(theory: Theory) -> None:
    named = {ref for r in theory.rules for _, _, ref in r.references()}
    # 2.0: the nested parts of rules (if_any, mechanism links, leads_to), relations and
    # variants name nodes too
    named |= {
        x
        for r in theory.rules
        for x in (
            *(c for g in r.context_groups for c in g),
            *(c for m in r.mechanism_links for c in (*m.requires, *m.then)),
            *(x for step in r.outcome_steps for x in (step.from_, step.to)),
        )
    }
    named |= {x for rel in theory.relations for x in (rel.from_, rel.to)}
    named |= {x for o in theory.outcomes if o.variant_of for x in (o.id, o.variant_of)}
    named |= {x for link in theory.links for x in (link.outcome, link.context)}
    named |= {x for o in theory.outcomes if o.opposite for x in (o.id, o.opposite)}
    report = validate(theory, select=["N001", "R001"])
    assert {f.location.id for f in report.by_code("N001")} == {
        n.id for n in theory.nodes if n.id not in named
    }
    for f in report.by_code("R001"):
        a, b = (theory.rule_index[i] for i in f.ids)
        for slot in ("contexts", "unless", "interventions", "mechanisms", "outcomes", "reduces"):
            assert set(getattr(a, slot)) == set(getattr(b, slot))


@given(theories(min_rules=1), st.data())
def test_a_shuffled_copy_of_a_rule_is_a_duplicate(theory: Theory, data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(theory.rules))
    # every slot reversed; the other parts (format 2.0 ones included) kept as they are
    copy = cimo.evolve(
        rule,
        id="copy-of-" + rule.id,
        **{s.attr: tuple(reversed(getattr(rule, s.attr))) for s in SLOTS},
    )
    bigger = cimo.add(theory, copy)
    assert any("copy-of-" + rule.id in f.ids for f in validate(bigger, select=["R001"]).findings)


@given(theories(max_rules=6), st.sampled_from(["yaml", "json"]))
def test_file_positions_agree_with_cimo_io_locate(theory: Theory, fmt: Format) -> None:
    loaded = cimo.loads(cimo.dumps(theory, format=fmt), format=fmt, file=f"t.{fmt}")
    for f in validate(loaded, fail_on="info").findings:
        assert (f.location.file, f.location.line, f.location.column) == cimo.core.source.locate(
            loaded, f.location.path
        )


@given(theories())
def test_validation_is_deterministic_and_leaves_the_theory_alone(theory: Theory) -> None:
    before = theory.model_dump()
    first = validate(theory, fail_on="info")
    assert validate(theory, fail_on="info") == first
    assert theory.model_dump() == before
    assert first.failed == bool(first.findings)


def test_an_outcome_and_its_opposite_clash_only_when_both_can_hold() -> None:
    nodes = (
        Context(id="c", label="C"),
        Context(id="d", label="D"),
        Mechanism(id="m", label="M", reasoning="r"),
        Outcome(id="up", label="Engaged", opposite="down"),
        Outcome(id="down", label="Disengaged"),
    )
    clash = Theory(
        id="t",
        title="T",
        nodes=nodes,
        rules=(
            Rule(id="R1", contexts=("c",), mechanisms=("m",), outcomes=("up",)),
            Rule(id="R2", contexts=("d",), mechanisms=("m",), outcomes=("down",)),
        ),
    )
    (f,) = validate(clash, select=["R002"]).findings
    assert f.ids == ("R1", "R2", "up", "down")
    apart = Theory(
        id="t",
        title="T",
        nodes=nodes,
        rules=(
            Rule(id="R1", contexts=("c",), unless=("d",), mechanisms=("m",), outcomes=("up",)),
            Rule(id="R2", contexts=("d",), mechanisms=("m",), outcomes=("down",)),
        ),
    )
    assert validate(apart, select=["R002"]).findings == ()


def test_doctors_table_lacks_evidence_and_reasoning_only() -> None:
    doctors = cimo.load_example("doctors-mental-health")
    report = validate(doctors, fail_on="warning")
    # the CMO table gives no evidence per row and words mechanisms as one phrase
    assert {f.code for f in report.findings} == {"R004", "M003"}
    assert {f.location.id for f in report.by_code("R004")} == {r.id for r in doctors.rules}
    assert {f.location.id for f in report.by_code("M003")} == {
        m.id for m in doctors.mechanisms if m.reasoning is None
    }
    assert report.counts == {"error": 0, "warning": 19, "info": 13}


@pytest.mark.parametrize("slot", [s.keyword for s in SLOTS])
def test_an_id_named_in_any_slot_of_the_vocabulary_is_used(slot: str) -> None:
    # the checks' index is built from core.vocabulary.SLOTS: every slot counts as a use
    kind = SLOT[slot].kinds[0]
    others: dict[str, Context | Intervention | Mechanism | Outcome] = {
        "context": Context(id="x", label="Another context"),
        "intervention": Intervention(id="x", label="Another intervention"),
        "mechanism": Mechanism(id="x", label="Another mechanism", reasoning="why"),
        "outcome": Outcome(id="x", label="Another outcome"),
    }
    nodes = (
        Context(id="c", label="Employees in work"),
        Mechanism(id="m", label="Relate", reasoning="trust"),
        Outcome(id="o", label="Job retention"),
        others[kind],
    )
    base = {"id": "R1", "contexts": ("c",), "mechanisms": ("m",), "outcomes": ("o",)}
    attr = SLOT[slot].attr
    rule = Rule.model_validate({**base, attr: (*base.get(attr, ()), "x")})
    unused = Theory(id="t", title="T", nodes=nodes, rules=(Rule.model_validate(base),))
    used = Theory(id="t", title="T", nodes=nodes, rules=(rule,))
    assert [f.location.id for f in validate(unused, select=["N001"]).findings] == ["x"]
    assert validate(used, select=["N001"]).findings == ()


def test_findings_are_located_with_the_one_location_record() -> None:
    from cimo.errors import Location

    assert cimo.validate.Location is Location
    theory = cimo.load_example("pwp-resilience")
    report = cimo.validate.validate(theory)
    assert report.findings
    for finding in report.findings:
        assert type(finding.location) is Location
        # as data, a finding's location has exactly the fields it always had
        assert list(finding.model_dump(mode="json")["location"]) == [
            "id",
            "path",
            "file",
            "line",
            "column",
        ]


# Issue 19 (S31): R004 on an initial, literature-only hypothesised rule.
_S31 = """\
format_version: "2.0"
id: t
title: T
nodes:
  - {kind: context, id: c, label: C}
  - {kind: mechanism, id: m, label: M}
  - {kind: outcome, id: o, label: O}
rules:
  - {id: C1, if: [c], because: [m], then: [o]}
  - {id: C2, if: [c], because: [m], then: [o], status: supported}
  # cimo: ignore R004, R001
  - {id: C3, if: [c], because: [m], then: [o]}
  - {id: C4, if: [c], because: [m], then: [o]}  # cimo: ignore R004
"""


def _r004(text: str) -> list[str]:
    report = cimo.validate.validate(cimo.loads(text, file="t.yaml"), select=["R004"])
    return sorted(f.location.id or "" for f in report.findings)


def test_check_suppression_per_rule_per_code_by_comment_and_for_initial_theories() -> None:
    assert _r004(_S31) == ["C1", "C2"]  # the comments on C3 and C4 silence them
    per_rule = _S31.replace("title: T\n", "title: T\ncheck: {ignore: {R004: [C1]}}\n")
    assert _r004(per_rule) == ["C2"]
    initial = _S31.replace("title: T\n", "title: T\ncheck: {initial_theory: true}\n")
    assert _r004(initial) == ["C2"]  # the supported rule still needs its evidence
    theory = cimo.loads(per_rule, file="t.yaml")
    assert cimo.loads(cimo.dumps(theory), file="again.yaml").check == theory.check
    assert "R004:\n    - C1" in cimo.dumps(theory)
