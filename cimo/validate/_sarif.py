"""The SARIF 2.1.0 output of ``cimo check``, for code-scanning tools (GitHub code scanning).

What GitHub's ingestion needs, and what this writes (checked in the tests
with the SARIF 2.1.0 schema and Microsoft's SARIF Multitool, GitHub rules):

* every rule (check) with ``shortDescription``, ``fullDescription``, ``help``
  (text and Markdown) and a ``helpUri``;
* every result with a ``ruleId``, a ``level``, a ``message`` and a physical
  location: the theory file and line (YAML/JSON), or the spreadsheet and
  row a table-built theory came from (its line, for a CSV file);
* file locations relative to ``%SRCROOT%`` (``uriBaseId``), which
  ``originalUriBaseIds`` defines as the root given (by default the current
  directory, as GitHub's upload action runs in the checkout); a file
  outside that root gets an absolute ``file://`` URI;
* ``partialFingerprints`` made from the check, the theory, the element and
  the message, so an alert keeps its identity when lines move;
* the working directory in ``invocations``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from cimo._version import __version__
from cimo.errors import Location
from cimo.validate._registry import checks
from cimo.validate._report import Report

__all__ = ["SRCROOT", "sarif"]

_SARIF_LEVEL: Mapping[str, str] = MappingProxyType(
    {"error": "error", "warning": "warning", "info": "note"}
)
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_CHECKS_PAGE = "https://cimo.readthedocs.io/en/latest/checks/"
#: The base id that file locations are relative to.
SRCROOT = "%SRCROOT%"
#: Files whose rows are their lines (a spreadsheet row is a line of a CSV file).
_TEXT_TABLES = frozenset({".csv", ".tsv", ".txt"})


def _artifact(file: str, root: Path) -> dict[str, Any]:
    path = Path(file)
    absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _region(loc: Location) -> dict[str, int] | None:
    line = loc.line
    if line is None and loc.row is not None and Path(loc.file or "").suffix.lower() in _TEXT_TABLES:
        line = loc.row
    if line is None:
        return None
    region = {"startLine": line}
    if loc.column is not None:
        region["startColumn"] = loc.column
    return region


def _fingerprint(code: str, theory: str, loc: Location, message: str) -> str:
    key = "\x1f".join((code, theory, loc.id or "", loc.pointer, message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def sarif(
    reports: Iterable[Report], *, root: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings of several reports (one run of ``cimo check``).

    Code-scanning tools (GitHub code scanning, IDE viewers) show these findings
    on the lines of the theory files. Each check is a SARIF rule; each finding
    is a result with its file position and the rule or node id as its logical
    location.

    Args:
        reports: The reports.
        root: The folder file locations are relative to (``%SRCROOT%``); by
            default the current directory (run ``cimo check`` from the
            repository's root, as GitHub's upload action expects).

    >>> import cimo
    >>> from cimo.validate import validate
    >>> log = sarif([validate(cimo.load_example("doctors-mental-health"))], root=cimo.__path__[0])
    >>> log["version"], log["runs"][0]["tool"]["driver"]["name"]
    ('2.1.0', 'cimo')
    >>> where = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    >>> where["artifactLocation"], where["region"]
    ({'uri': 'examples/doctors-mental-health.csv', 'uriBaseId': '%SRCROOT%'}, {'startLine': 2})
    """
    base = Path(root if root is not None else Path.cwd()).resolve()
    registry = checks()
    index = {c.code: i for i, c in enumerate(registry)}
    results: list[dict[str, Any]] = []
    for report in reports:
        for f in report.findings:
            loc = f.location
            result: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
                "partialFingerprints": {
                    "cimoFinding/v1": _fingerprint(f.code, report.theory, loc, f.message)
                },
            }
            location: dict[str, Any] = {}
            file = loc.file or report.file
            if file is not None:
                physical: dict[str, Any] = {"artifactLocation": _artifact(file, base)}
                region = _region(loc) if loc.file else None
                if region:
                    physical["region"] = region
                location["physicalLocation"] = physical
            if loc.id is not None:
                location["logicalLocations"] = [
                    {"name": loc.id, "fullyQualifiedName": f"{report.theory}{loc.pointer}"}
                ]
            if location:
                result["locations"] = [location]
            results.append(result)
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cimo",
                        "version": __version__,
                        "informationUri": _CHECKS_PAGE,
                        "rules": [
                            {
                                "id": c.code,
                                "name": c.name,
                                "shortDescription": {"text": c.summary},
                                "fullDescription": {"text": f"{c.summary}. {c.hint}"},
                                "help": {
                                    "text": c.hint,
                                    "markdown": f"**{c.code} {c.name}**: {c.summary}.\n\n{c.hint}",
                                },
                                "helpUri": f"{_CHECKS_PAGE}#{c.code.lower()}",
                                "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
                                "properties": {"tags": ["realist-theory", c.name]},
                            }
                            for c in registry
                        ],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri() + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "workingDirectory": {"uri": Path.cwd().resolve().as_uri() + "/"},
                    }
                ],
                "results": results,
            }
        ],
    }
