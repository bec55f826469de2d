"""Which checks run and what fails: the settings and where they come from.

Each setting (``select``, ``ignore``, ``fail_on``) is taken from the first
place that sets it: the arguments (the command line), the theory file's
``check:`` block, the project's ``[tool.cimo]`` table in the nearest
``pyproject.toml`` (:func:`find_project_settings`), then the defaults.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cimo._util import did_you_mean
from cimo.core.vocabulary import Severity
from cimo.errors import UsageError
from cimo.model import CheckSettings, Theory
from cimo.validate._report import DEFAULT_FAIL_ON, SEVERITIES

__all__ = ["find_project_settings", "resolve_settings"]


def resolve_settings(
    theory: Theory | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    fail_on: Severity | None = None,
    project: CheckSettings | None = None,
) -> CheckSettings:
    """The settings in force, each taken from the first place that sets it.

    Precedence, highest first: the arguments (the command line), the theory
    file's ``check:`` block, the project's ``[tool.cimo]`` table (``project``),
    then the defaults (every check, nothing ignored, fail on ``error``). Each of
    ``select``, ``ignore`` and ``fail_on`` is resolved on its own; an empty list
    counts as not set.

    >>> from cimo.model import CheckSettings, Theory
    >>> t = Theory(id="t", title="T", check=CheckSettings(ignore=("R004",), fail_on="warning"))
    >>> resolve_settings(t, fail_on="info", project=CheckSettings(select=("R",)))
    CheckSettings(select=('R',), ignore=('R004',), fail_on='info')
    """
    layers = [
        CheckSettings(select=tuple(select or ()), ignore=tuple(ignore or ()), fail_on=fail_on),
        theory.check if theory is not None and theory.check is not None else CheckSettings(),
        project or CheckSettings(),
    ]
    return CheckSettings(
        select=next((s.select for s in layers if s.select), ()),
        ignore=next((s.ignore for s in layers if s.ignore), ()),
        fail_on=next((s.fail_on for s in layers if s.fail_on is not None), DEFAULT_FAIL_ON),
    )


def find_project_settings(
    start: str | os.PathLike[str] | None = None,
) -> tuple[CheckSettings, Path] | None:
    """Read ``[tool.cimo]`` from the nearest ``pyproject.toml`` that has one.

    Looks in ``start`` (default: the current folder) and then each parent. The
    table may hold ``select`` and ``ignore`` (lists of codes, prefixes or names)
    and ``fail-on`` (``error``, ``warning`` or ``info``); any other key is
    refused (a misspelt key would otherwise be ignored silently).

    Returns:
        The settings and the file they came from, or None when no
        ``pyproject.toml`` up the tree has a ``[tool.cimo]`` table.

    Raises:
        UsageError: if the table is there but malformed.
    """
    folder = Path(start if start is not None else Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        path = here / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise UsageError(f"{path}: cannot read it as TOML ({err})") from None
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise UsageError(f"{path}: [tool] must be a table (it is {type(tool).__name__})")
        table = tool.get("cimo")
        if table is None:
            continue
        return _settings_from_table(table, path), path
    return None


_KEYS = frozenset({"select", "ignore", "fail-on", "fail_on"})


def _settings_from_table(table: Any, path: Path) -> CheckSettings:
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.cimo] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(
            f"{path}: [tool.cimo] has the unknown key {unknown[0]!r}"
            f"{did_you_mean(unknown[0], _KEYS)}; the keys are {', '.join(sorted(_KEYS))}"
        )
    values: dict[str, Any] = {}
    for key, field in (("select", "select"), ("ignore", "ignore")):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{path}: [tool.cimo] {key} must be a list of check codes or names")
        values[field] = tuple(value)
    fail_on = table.get("fail-on", table.get("fail_on"))
    if fail_on is not None and fail_on not in SEVERITIES:
        raise UsageError(
            f"{path}: [tool.cimo] fail-on = {fail_on!r}: use one of {', '.join(SEVERITIES)}"
        )
    values["fail_on"] = fail_on
    return CheckSettings(**values)
