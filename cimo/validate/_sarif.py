"""The SARIF 2.1.0 output of ``cimo check``, for code-scanning tools."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cimo._version import __version__
from cimo.validate._registry import checks
from cimo.validate._report import Report

__all__ = ["sarif"]

_SARIF_LEVEL: Mapping[str, str] = MappingProxyType(
    {"error": "error", "warning": "warning", "info": "note"}
)
_SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The checks page; each check's section is its code in lower case (``#r006``).
_DOCS = "https://cimo.readthedocs.io/en/latest/checks/"


def sarif(reports: Iterable[Report]) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the findings of several reports (one run of ``cimo check``).

    Code-scanning tools (GitHub code scanning, IDE viewers) show these findings
    on the lines of the theory files. Each check is a SARIF rule; each finding
    is a result with its file position and the rule or node id as its logical
    location.

    >>> import cimo
    >>> from cimo.validate import validate
    >>> log = sarif([validate(cimo.Theory(id="t", title="T"))])
    >>> log["version"], log["runs"][0]["tool"]["driver"]["name"]
    ('2.1.0', 'cimo')
    """
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
            }
            location: dict[str, Any] = {}
            if loc.file is not None:
                physical: dict[str, Any] = {"artifactLocation": {"uri": Path(loc.file).as_posix()}}
                if loc.line is not None:
                    region = {"startLine": loc.line}
                    if loc.column is not None:
                        region["startColumn"] = loc.column
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
                        "informationUri": _DOCS,
                        "rules": [
                            {
                                "id": c.code,
                                "name": c.name,
                                "shortDescription": {"text": c.summary},
                                "help": {"text": c.hint},
                                "helpUri": f"{_DOCS}#{c.code.lower()}",
                                "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
                            }
                            for c in registry
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
