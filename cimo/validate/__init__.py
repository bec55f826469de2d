"""Quality checks of a theory: does it hang together?

Structural impossibilities (an unknown id, a wrong kind in a slot) already
fail when a theory is built. This module asks the quality questions a realist
team asks before publishing or testing a theory: is anything missing, is a
rule repeated, do two rules predict opposite things in the same
circumstances, is every outcome produced, is every mechanism grounded in a
context? Each question is a **check** with a stable code (``R002``), a name
(``contradictory-rules``) and a severity (error, warning or info);
:func:`validate` runs them and returns a frozen :class:`Report` with **all**
the findings, each naming the ids involved, where they are (down to
``file:line:column`` when the theory was loaded from a file) and how to fix it.

>>> import cimo
>>> from cimo.validate import validate
>>> report = validate(cimo.load_example("work-focused-group-cbt"), select=["R001", "R002"])
>>> report.findings
()
>>> report.failed
False

Every check is linear in the size of the theory: the checks group rules by
key (an outcome, a mechanism, a configuration) and never compare all pairs of
rules; feedback loops come from strongly connected components. See
``docs/checks.md`` for every code with a failing and a passing example.
"""

# The package: _report (the records and the text output), _registry (the check
# registry), _index (the lookups the checks share), _checks (the checks, one
# module for each family), settings ([tool.cimo] and precedence) and _sarif (the
# SARIF output). Everything public is imported here: use cimo.validate.

from __future__ import annotations

from collections.abc import Sequence

from cimo._util import paused_gc
from cimo.core.source import locate, source_of, table_source
from cimo.core.vocabulary import Severity
from cimo.model import CheckSettings, Theory
from cimo.validate import _checks  # noqa: F401  (registers the checks)
from cimo.validate._index import Index
from cimo.validate._registry import REGISTRY, checks, pick
from cimo.validate._report import (
    DEFAULT_FAIL_ON,
    SEVERITIES,
    Check,
    Finding,
    Location,
    Report,
    format_text,
)
from cimo.validate._sarif import sarif
from cimo.validate.settings import find_project_settings, resolve_settings

__all__ = [
    "DEFAULT_FAIL_ON",
    "SEVERITIES",
    "Check",
    "Finding",
    "Location",
    "Report",
    "checks",
    "find_project_settings",
    "format_text",
    "resolve_settings",
    "sarif",
    "validate",
]


def validate(
    theory: Theory,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    fail_on: Severity | None = None,
    project: CheckSettings | None = None,
) -> Report:
    """Run the quality checks on a theory and return every finding.

    Args:
        theory: The theory to check (never changed).
        select: Codes, code prefixes (``"R"``, ``"M00"``) or names of the checks to run
            (default: all).
        ignore: Codes, prefixes or names of checks to skip.
        fail_on: The lowest severity that makes :attr:`Report.failed` true
            (default ``error``).
        project: Settings from a project's ``[tool.cimo]`` (see
            :func:`find_project_settings`); the arguments and the theory's own
            ``check:`` block take precedence (see :func:`resolve_settings`).

    Returns:
        A frozen :class:`Report`.

    Raises:
        UsageError: if a selector names no check.

    >>> import cimo
    >>> from cimo.model import Context, Theory
    >>> t = Theory(id="t", title="T", nodes=(Context(id="c", label="Employees in work"),))
    >>> print(validate(t))
    /nodes/0: N001 context 'c' is not used by any rule
    t: 0 errors, 1 warning, 0 infos (passes at --fail-on error)
    """
    settings = resolve_settings(
        theory, select=select, ignore=ignore, fail_on=fail_on, project=project
    )
    chosen = pick(settings.select, "select") if settings.select else set(REGISTRY)
    chosen -= pick(settings.ignore, "ignore")
    ix = Index(theory)
    findings: list[Finding] = []
    source = source_of(theory)
    table = table_source(theory) if source is None else None
    with paused_gc():  # many small lists and records, no reference cycles
        for code in sorted(chosen):
            check, fn = REGISTRY[code]
            for raw in fn(ix):
                file, line, column = locate(theory, raw.loc)
                sheet: str | None = None
                row: int | None = None
                if table is not None:  # a theory read from a spreadsheet: its file and row
                    file, sheet, row = table.file, table.sheet, table.rows.get(raw.subject)
                findings.append(
                    Finding(
                        code=check.code,
                        name=check.name,
                        severity=check.severity,
                        message=raw.message,
                        hint=check.hint,
                        ids=raw.ids,
                        location=Location(
                            id=raw.subject,
                            path=raw.loc,
                            file=file,
                            line=line,
                            column=column,
                            sheet=sheet,
                            row=row,
                        ),
                    )
                )
    return Report(
        theory=theory.id,
        file=source.file if source is not None else table.file if table is not None else None,
        findings=tuple(findings),
        checked=tuple(sorted(chosen)),
        fail_on=settings.fail_on or DEFAULT_FAIL_ON,
    )
