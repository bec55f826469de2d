"""The records of a check run: :class:`Check`, :class:`Finding`, :class:`Report`.

A finding says where it is with the one located-problem record of cimo,
:class:`cimo.errors.Location` (re-exported here as ``cimo.validate.Location``).

Also the plain-text output of ``cimo check`` (:func:`format_text`). These
records know nothing of the checks themselves: the registry
(:mod:`cimo.validate._registry`) makes :class:`Check` records and
:func:`cimo.validate.validate` makes the findings and the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cimo.core.vocabulary import Severity
from cimo.errors import Location
from cimo.model import CimoModel

__all__ = [
    "DEFAULT_FAIL_ON",
    "SEVERITIES",
    "Check",
    "Finding",
    "Location",
    "Report",
    "format_text",
]

#: The severities, from the least to the most severe.
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
#: The failing severity when nothing else sets one.
DEFAULT_FAIL_ON: Severity = "error"
_RANK: Mapping[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


class Check(CimoModel):
    """One check of the registry: a stable code, a name, a severity and what it looks for."""

    code: str
    """Stable code: a letter for the family (R rules, M mechanisms, N nodes, G graph), 3 digits."""
    name: str
    """A readable name, usable wherever a code is (``--select contradictory-rules``)."""
    severity: Severity
    """error, warning or info."""
    summary: str
    """What the check looks for, in one sentence."""
    hint: str
    """How to fix what it finds."""

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.severity}): {self.summary}"


class Finding(CimoModel):
    """One problem found by a check.

    >>> f = Finding(code="R003", name="incomplete-rule", severity="warning",
    ...             message="rule R2 has no outcome", ids=("R2",),
    ...             location=Location(id="R2", path=("rules", 1), file="t.yaml", line=9, column=5))
    >>> print(f)
    t.yaml:9:5: R003 rule R2 has no outcome
    """

    code: str
    name: str
    severity: Severity
    message: str
    """What is wrong, naming the ids involved."""
    hint: str | None = None
    """How to fix it."""
    ids: tuple[str, ...] = ()
    """Every rule and node id involved."""
    location: Location = Location()
    """Where the problem is (:class:`cimo.errors.Location`)."""

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


class Report(CimoModel):
    """All findings of :func:`validate` on one theory, and the settings they were found with."""

    theory: str
    """The id of the theory checked."""
    file: str | None = None
    """The file it was loaded from, if any."""
    findings: tuple[Finding, ...] = ()
    """Every finding, in the order of the registry, then document order."""
    checked: tuple[str, ...] = ()
    """The codes of the checks that ran."""
    fail_on: Severity = DEFAULT_FAIL_ON
    """The lowest severity that makes the report fail."""

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings at or above :attr:`fail_on`."""
        floor = _RANK[self.fail_on]
        return tuple(f for f in self.findings if _RANK[f.severity] >= floor)

    @property
    def failed(self) -> bool:
        """True when a finding is at or above :attr:`fail_on`."""
        return bool(self.failing)

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings by severity (``error``, ``warning``, ``info``)."""
        out: dict[str, int] = dict.fromkeys(reversed(SEVERITIES), 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def by_code(self, code: str) -> tuple[Finding, ...]:
        """The findings of one check (by code or name)."""
        return tuple(f for f in self.findings if code in (f.code, f.name))

    def __str__(self) -> str:
        lines = [str(f) for f in self.findings]
        counts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in self.counts.items())
        verdict = "fails" if self.failed else "passes"
        lines.append(
            f"{self.file or self.theory}: {counts} ({verdict} at --fail-on {self.fail_on})"
        )
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        head = f"**{self.theory}**: " + ", ".join(f"{n} {s}" for s, n in self.counts.items())
        if not self.findings:
            return head + "\n\nNo findings."
        rows = [
            "| code | severity | where | message |",
            "|---|---|---|---|",
            *(
                f"| `{f.code}` | {f.severity} | `{f.location.id or f.location}` | "
                + f.message.replace("|", "\\|")
                + " |"
                for f in self.findings
            ),
        ]
        return head + "\n\n" + "\n".join(rows)


def format_text(reports: Iterable[Report]) -> str:
    """Findings one a line (``file:line:column: CODE message``), like ruff or mypy.

    After each report's findings comes its summary line; at the end, one
    ``help:`` line for each code found (and each distinct advice of it), saying
    how to fix it.

    >>> from cimo.model import Context, Theory
    >>> from cimo.validate import validate
    >>> t = Theory(id="t", title="T", nodes=(Context(id="c", label="Employees in work"),))
    >>> print(format_text([validate(t)]))
    /nodes/0: N001 context 'c' is not used by any rule
    t: 0 errors, 1 warning, 0 infos (passes at --fail-on error)
    help: N001 use it in a rule, or remove it
    """
    lines: list[str] = []
    hints: dict[tuple[str, str], None] = {}
    for report in reports:
        lines.append(str(report))
        for f in report.findings:
            if f.hint:
                hints.setdefault((f.code, f.hint))
    # one line for each code and each distinct advice (a check may advise differently
    # on one of its cases, e.g. R003 on a part the source leaves out), in code order
    lines.extend(f"help: {code} {hint}" for code, hint in sorted(hints, key=lambda h: h[0]))
    return "\n".join(lines)
