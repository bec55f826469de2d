"""Theory files: YAML and JSON, exact round trips, errors that point into the file."""

from __future__ import annotations

import json
import os
import textwrap
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import cimo
from cimo.core.data import to_data
from cimo.core.source import locate, source_of
from cimo.errors import FileFormatError, InvalidTheoryError, OutputError
from cimo.io import atomic_write, json_schema

GOOD = textwrap.dedent(
    """\
    format_version: "1.0"
    id: demo
    title: Demo
    nodes:
      - id: group
        kind: context
        label: Group psychotherapy
      - id: regulate
        kind: mechanism
        label: Regulate
      - id: retention
        kind: outcome
        label: Job retention
    rules:
      - id: R1
        if: [group]
        because: [regulate]
        then: [retention]
    """
)


def write(tmp_path: Path, text: str, name: str = "theory.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_file_loads_with_domain_keys(tmp_path: Path) -> None:
    t = cimo.load(write(tmp_path, GOOD))
    assert t.rules[0].contexts == ("group",)
    assert t.rules[0].mechanisms == ("regulate",)


def test_round_trip_of_every_example_is_exact(example: cimo.Theory, tmp_path: Path) -> None:
    for fmt in ("yaml", "json"):
        text = cimo.dumps(example, format=fmt)
        again = cimo.loads(text, format=fmt)
        assert again == example
        assert cimo.dumps(again, format=fmt) == text
        path = cimo.dump(example, tmp_path / f"t.{fmt}")
        assert cimo.load(path) == example


def test_dump_is_canonical_format_version_first_and_defaults_left_out(wfg: cimo.Theory) -> None:
    data = to_data(wfg)
    assert next(iter(data)) == "format_version"
    first_node = data["nodes"][0]
    assert list(first_node)[:2] == ["id", "kind"]
    assert all(
        "mechanism_mode" not in r or r["mechanism_mode"] != "together" for r in data["rules"]
    )
    assert "if" in data["rules"][0] and "contexts" not in data["rules"][0]


def test_unknown_mechanism_error_names_file_line_column_rule_and_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("because: [regulate]", "because: [regulte]"))
    with pytest.raises(InvalidTheoryError) as info:
        cimo.load(path)
    (problem,) = info.value.problems
    assert str(problem) == (
        f"{path}:17:15: rule R1: 'regulte' is not a mechanism of this theory "
        "(did you mean 'regulate'?)"
    )
    assert problem.code == "cimo.unknown_id"
    assert problem.pointer == "/rules/0/because/0"


def test_all_problems_are_listed_with_locations(tmp_path: Path) -> None:
    text = GOOD.replace("if: [group]", "if: [grup]").replace("label: Regulate", "lable: Regulate")
    text = text.replace("kind: outcome", "kind: outcom")
    with pytest.raises(InvalidTheoryError) as info:
        cimo.load(write(tmp_path, text))
    messages = [str(p) for p in info.value.problems]
    assert len(messages) == 4, messages
    assert any(
        ":10:12: node regulate: unknown key 'lable' (did you mean 'label'?)" in m for m in messages
    )
    assert any(":8:5: node regulate: missing required key 'label'" in m for m in messages)
    assert any(
        ":12:11: node retention: kind: unknown kind 'outcom' (did you mean 'outcome'?)" in m
        for m in messages
    )
    # the dangling reference is reported too, although other items failed their own checks
    assert any(":16:10: rule R1: 'grup' is not a context or outcome" in m for m in messages)


def test_a_node_kind_that_is_not_text_is_a_problem_not_a_crash() -> None:
    text = GOOD.replace("kind: context", "kind: [context]")
    with pytest.raises(InvalidTheoryError) as info:
        cimo.loads(text)
    assert info.value.problems
    assert all(p.code.startswith("pydantic.") for p in info.value.problems)


def test_bad_enum_value_gets_did_you_mean(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    label: Group psychotherapy", "    label: Group psychotherapy\n    level: mezo"
    )
    with pytest.raises(InvalidTheoryError) as info:
        cimo.load(write(tmp_path, text))
    (problem,) = info.value.problems
    assert problem.line == 8
    assert "node group: level: 'mezo' is not allowed (did you mean 'meso'?)" in str(problem)


def test_invalid_id_gets_a_slug_suggestion(tmp_path: Path) -> None:
    text = GOOD.replace("- id: R1", "- id: Rule 1")
    with pytest.raises(InvalidTheoryError) as info:
        cimo.load(write(tmp_path, text))
    assert "'Rule 1' is not a valid id" in str(info.value)
    assert "e.g. 'Rule-1'" in str(info.value)


def test_json_errors_are_located_too(tmp_path: Path) -> None:
    data = cimo.loads(GOOD)
    text = cimo.dumps(data, format="json").replace('"regulate"\n', '"regulat"\n')
    path = write(tmp_path, text, "t.json")
    with pytest.raises(InvalidTheoryError) as info:
        cimo.load(path)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    line = text.splitlines()[problem.line - 1]  # type: ignore[operator]
    assert line[problem.column - 1 :].startswith('"regulat"')  # type: ignore[operator]


def test_minified_json_errors_are_located(tmp_path: Path) -> None:
    text = json.dumps(to_data(cimo.loads(GOOD)), separators=(",", ":")).replace(
        '"group"]', '"grp"]'
    )
    with pytest.raises(InvalidTheoryError) as info:
        cimo.loads(text, format="json", file="t.json")
    (problem,) = info.value.problems
    assert problem.line == 1
    assert text[problem.column - 1 :].startswith('"grp"')  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("format_version: '1.0'\nid: [unclosed\n", "not valid YAML", 3),
        (
            "format_version: '1.0'\nid: !!python/object/apply:os.system ['echo hi']\n",
            "plain data only",
            2,
        ),
        ("format_version: '1.0'\na: &x [1]\nb: *x\n", "aliases (*name) are not allowed", 2),
        ("- just\n- a list\n", "a theory file is a mapping", 1),
        ("id: t\ntitle: T\n", "missing 'format_version'", 1),
        ("", "the file is empty", None),
    ],
)
def test_unsafe_or_malformed_yaml_is_refused_clearly(
    text: str, fragment: str, line: int | None
) -> None:
    with pytest.raises(FileFormatError) as info:
        cimo.loads(text, file="t.yaml")
    assert fragment in str(info.value)
    assert info.value.line == line
    assert str(info.value).startswith("t.yaml")


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = "format_version: '1.0'\na: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    for i in range(1, 10):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    with pytest.raises(FileFormatError, match="aliases"):
        cimo.loads(bomb)


def test_yaml_11_booleans_and_dates_stay_text(tmp_path: Path) -> None:
    text = GOOD.replace("label: Regulate", "label: no").replace("title: Demo", "title: 2021-05-01")
    t = cimo.loads(text)
    assert t.index["regulate"].label == "no"
    assert t.title == "2021-05-01"
    assert cimo.loads(cimo.dumps(t)) == t


def test_future_format_version_is_explained() -> None:
    with pytest.raises(
        InvalidTheoryError,
        match=r"this file is format '2\.0', but this version of cimo reads format '1\.0'",
    ):
        cimo.loads(GOOD.replace('"1.0"', '"2.0"'))


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.yaml", None, "no such file"),
        ("theory.txt", "x", "name the file .yaml, .yml or .json"),
        ("latin1.yaml", b"format_version: '1.0'\nid: t\ntitle: caf\xe9\n", "not UTF-8"),
        ("a-folder", "folder", "is a folder, not a theory file"),
        ("folder.yaml", "folder", "is a folder, not a theory file"),
    ],
)
def test_file_problems_are_messages(
    tmp_path: Path, name: str, content: str | bytes | None, fragment: str
) -> None:
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(FileFormatError, match=fragment):
        cimo.load(path)


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert cimo.load(path).id == "demo"


def test_json_syntax_error_has_line_and_column() -> None:
    with pytest.raises(FileFormatError) as info:
        cimo.loads('{"format_version": "1.0",\n "id": }', format="json", file="t.json")
    assert info.value.line == 2
    assert str(info.value).startswith("t.json:2:")


def test_loaded_theory_remembers_its_file_but_edits_do_not(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    t = cimo.load(path)
    source = source_of(t)
    assert source is not None and source.file == str(path)
    assert locate(t, ("rules", 0, "then", 0)) == (str(path), 18, 12)
    edited = cimo.update(t, title="New")
    assert source_of(edited) is None
    assert locate(edited, ("rules", 0)) == (None, None, None)


def test_atomic_write_leaves_nothing_behind_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old")
    with pytest.raises(OutputError, match="does not exist"):
        atomic_write(tmp_path / "no-such-folder" / "x.yaml", "new")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_atomic_write_keeps_the_old_file_on_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_atomic_write_into_unwritable_folder_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(OutputError, match=r"cannot write .*Permission denied"):
        atomic_write(tmp_path / "x.yaml", "x")
    assert list(tmp_path.iterdir()) == []


def test_json_schema_accepts_every_example_and_rejects_bad_documents(example: cimo.Theory) -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(to_data(example))
    bad = to_data(example) | {"nodes": [{"id": "x", "kind": "contxt", "label": "X"}]}
    assert list(validator.iter_errors(bad))
    assert "format_version" in schema["required"]


def test_committed_schema_file_matches_the_model() -> None:
    committed = (
        Path(__file__).parent.parent / "docs" / "schema" / f"theory-{cimo.FORMAT_VERSION}.json"
    )
    assert json.loads(committed.read_text()) == json_schema(), "run: cimo schema -o " + str(
        committed
    )


def test_every_located_error_holds_one_location_record() -> None:
    from cimo.errors import Location, Problem, TableError

    problem = Problem("bad", loc=("rules", 0), file="t.yaml", line=3, column=5)
    assert problem.location == Location(path=("rules", 0), file="t.yaml", line=3, column=5)
    assert str(problem.location) == "t.yaml:3:5"
    with pytest.raises(FileFormatError) as info:
        cimo.loads('{"format_version": "1.0",\n "id": }', format="json", file="t.json")
    assert (info.value.location.file, info.value.location.line) == ("t.json", 2)
    table = TableError("twice", file="cmo.csv", sheet="S", row=5, column="'ID' (A)")
    assert table.location == Location(file="cmo.csv", sheet="S", row=5, cell="'ID' (A)")
    assert str(table) == "cmo.csv, sheet 'S', row 5, column 'ID' (A): twice"
    # as data, a location off a spreadsheet has the fields of a validation finding's location
    assert problem.location.model_dump(mode="json") == {
        "id": None,
        "path": ["rules", 0],
        "file": "t.yaml",
        "line": 3,
        "column": 5,
    }
    assert table.location.model_dump()["cell"] == "'ID' (A)"
    with pytest.raises(ValueError, match="frozen"):
        problem.location.line = 4  # type: ignore[misc]


def test_moved_names_warn_at_their_old_public_home() -> None:
    import cimo.core.data
    import cimo.core.source

    with pytest.warns(DeprecationWarning, match=r"cimo\.core\.source\.SourceText"):
        assert cimo.io.SourceText is cimo.core.source.SourceText
    with pytest.warns(DeprecationWarning, match=r"cimo\.core\.data\.from_data"):
        assert cimo.io.from_data is cimo.core.data.from_data
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cimo.io.nothing  # noqa: B018


def _modeline_schema(theory_file: Path) -> dict[str, Any]:
    """The schema a theory file names in its yaml-language-server modeline, as the server reads it.

    yaml-language-server takes ``$schema=`` from a ``# yaml-language-server:`` comment and
    resolves a relative path against the folder of the file.
    """
    first = theory_file.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    target = first[len(prefix) :].strip()
    path = Path(target) if Path(target).is_absolute() else theory_file.parent / target
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_a_local_schema_modeline_validates_the_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cimo.cli import app

    folder = tmp_path / "theories"
    folder.mkdir()
    result = CliRunner().invoke(app, ["schema", "-o", str(folder / "theory.schema.json")])
    assert result.exit_code == 0
    good = folder / "good.yaml"
    text = cimo.dumps(cimo.load_example("pwp-resilience"), format="yaml")
    good.write_text("# yaml-language-server: $schema=./theory.schema.json\n" + text)
    schema = _modeline_schema(good)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(good.read_text()))) == []
    bad = folder / "bad.yaml"
    bad.write_text(good.read_text().replace("kind: context", "kind: contxt", 1))
    errors = list(validator.iter_errors(yaml.safe_load(bad.read_text())))
    assert errors and "contxt" in str(errors[0].instance)


def test_the_docs_build_publishes_the_schema_at_its_id() -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    root = Path(__file__).parent.parent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # plugins' own deprecations
        config = load_config(str(root / "mkdocs.yml"))
    assert config["site_url"] == cimo.io.schema.DOCS_URL
    published = {f.src_uri: config["site_url"] + f.url for f in get_files(config)}
    assert published[f"schema/theory-{cimo.FORMAT_VERSION}.json"] == cimo.io.SCHEMA_ID
    assert json_schema()["$id"] == cimo.io.SCHEMA_ID
    # The documented modeline names the URL the build produces.
    page = (root / "docs" / "file-format.md").read_text(encoding="utf-8")
    assert f"# yaml-language-server: $schema={cimo.io.SCHEMA_ID}" in page
