"""Hostile input never wins: the corpus in tests/data/bad/ run through the command line.

Every case names a file (or a special file the test makes), a command line, the
exit code expected and a phrase the message or the output must hold
(``tests/data/bad/cases.toml``, written by ``make_cases.py``). For every case:
no traceback, the exit code expected, the phrase, no temporary file left, and
for a bad case no output file written.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cimo.cli import app

BAD = Path(__file__).parent / "data" / "bad"
CASES: dict[str, dict[str, Any]] = tomllib.loads((BAD / "cases.toml").read_text("utf-8"))


def test_the_corpus_is_large_and_every_file_has_a_case() -> None:
    files = {p.name for p in BAD.iterdir()} - {"cases.toml", "make_cases.py", "README.md"}
    assert files <= set(CASES)
    assert sum(1 for c in CASES.values() if c["exit"] == 2) >= 200
    assert sum(1 for c in CASES.values() if c["exit"] == 0) >= 25


def _setup(kind: str, file: Path, out: Path) -> None:
    """Make the special file a case needs (inside the test's own folder)."""
    if kind == "fifo":
        os.mkfifo(file)
    elif kind == "folder":
        file.mkdir()
    elif kind == "dev-zero":
        file.symlink_to("/dev/zero")
    elif kind == "too-large":
        with file.open("wb") as handle:  # a sparse file: large, but takes no disk
            handle.truncate(2**40)
    elif kind == "out-fifo":
        os.mkfifo(out)
    elif kind == "out-device":
        _device(out)
    elif kind == "out-link-device":
        _device(out.with_name("dev"))
        out.symlink_to("dev")
    elif kind == "out-link-loop":
        out.symlink_to(out.name)
    elif kind == "out-link-input":
        out.symlink_to(file.name)
    elif kind == "out-link-file":
        (out.parent / "real.txt").write_text("old\n")
        out.symlink_to("real.txt")
    elif kind.startswith("pyproject:"):
        (file.parent / "pyproject.toml").write_text(kind.removeprefix("pyproject:"))
    elif kind != "absent":
        raise AssertionError(f"unknown set-up {kind!r}")


def _device(path: Path) -> None:
    """A character device like /dev/null, made in the test folder (needs root)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        os.mkfifo(path)  # not root: a FIFO is another file that is not regular


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = CASES[name]
    if spec.get("exe") and shutil.which("dot") is None:
        pytest.fail("this case runs Graphviz's dot; install it or pass --skip-exe")
    work = tmp_path / "w"
    work.mkdir()
    file, out = work / name, work / "out"
    if (BAD / name).exists():
        shutil.copyfile(BAD / name, file)
    _setup(spec.get("setup", "absent" if not file.exists() else ""), file, out) if spec.get(
        "setup"
    ) else None
    monkeypatch.chdir(work)
    args = [a.replace("{file}", name).replace("{out}", "out") for a in shlex.split(spec["args"])]
    before = {p.name: _snapshot(p) for p in work.iterdir()}
    result = CliRunner().invoke(app, args)
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == spec["exit"], text[-2000:]
    leftovers = [p.name for p in work.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers
    if spec["exit"] == 2:
        assert spec["says"] in result.stderr, result.stderr[-2000:]
        assert result.stderr.startswith("error: ") or "Error" in result.stderr
        after = {p.name: _snapshot(p) for p in work.iterdir()}
        assert after == before, "a failed command changed the folder"
    else:
        written = [p for p in work.iterdir() if p.name.startswith("out") and p.is_file()]
        shown = result.stdout + "".join(_text(p) for p in written)
        assert spec["says"] in shown, shown[-2000:]
        if "lacks" in spec:
            assert spec["lacks"] not in shown


def _snapshot(path: Path) -> tuple[int, int, bytes]:
    st = path.lstat()
    data = path.read_bytes()[:4096] if stat.S_ISREG(st.st_mode) and st.st_size < 2**30 else b""
    return st.st_mode, st.st_size if stat.S_ISREG(st.st_mode) else 0, data


def _text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace")


LONG = " ".join(f"word{i}" for i in range(3000))  # about 20,000 characters


def _long_label_theory() -> Any:
    import cimo

    return cimo.Theory(
        id="t",
        title="T",
        nodes=(cimo.Context(id="c", label=LONG), cimo.Outcome(id="o", label="O\r\nnext")),
        rules=(cimo.Rule(id="R1", contexts=("c",), outcomes=("o",)),),
    )


def test_a_20000_character_label_is_elided_in_the_picture_and_whole_in_the_tooltip() -> None:
    from cimo.render import rule_cards, theory_map
    from cimo.render._look import MAX_LABEL_LINES

    assert len(LONG) > 20_000
    source = theory_map(_long_label_theory()).source
    node = next(line for line in source.splitlines() if line.lstrip().startswith('"c" ['))
    label = node[node.index("label=<") : node.index(">,", node.index("label=<"))]
    assert label.count("<BR") == MAX_LABEL_LINES - 1 and "…" in label
    assert LONG in node.replace('" + "', "")  # the tooltip, in quoted pieces DOT joins
    assert "␍" not in source  # a Windows line break is a line break
    assert "…" in rule_cards(_long_label_theory()).source


@pytest.mark.exe
def test_a_20000_character_label_renders_as_svg(tmp_path: Path) -> None:
    from cimo.render import theory_map

    out = tmp_path / "long.svg"
    theory_map(_long_label_theory()).save(out, format="svg")
    svg = out.read_text()
    assert "word2999" in svg  # in the tooltip
    assert svg.count("<text") < 60  # the picture shows a few lines, not hundreds
