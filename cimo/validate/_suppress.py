"""Findings a theory asks not to see: per rule or node, by comment, and for initial theories.

Three ways, all kept next to what they concern:

* ``check: {ignore: {R004: [C1, C2]}}`` in the theory skips a check for some
  rules or nodes only;
* a ``# cimo: ignore R004`` comment (several codes: ``R004, R001``) on the
  line where a rule or node starts in the YAML file, or on the line above it;
* ``check: {initial_theory: true}``: an initial programme theory, drawn from
  the literature, whose hypothesised rules are not expected to cite evidence
  yet (R004 does not apply to them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cimo.core.source import locate, source_of
from cimo.model import CheckSettings, Theory
from cimo.validate._report import Finding

__all__ = ["COMMENT", "kept_findings"]

#: The comment form: ``# cimo: ignore R004`` (codes or prefixes, comma- or space-separated).
COMMENT = re.compile(r"#\s*cimo:\s*ignore\s+([A-Za-z0-9][A-Za-z0-9, ]*)")


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in re.split(r"[,\s]+", text.strip()) if c)


def _commented(theory: Theory, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The codes a comment on (or just above) each record's first line ignores, by id."""
    source = source_of(theory)
    if source is None or "cimo:" not in source.text:
        return {}
    lines = source.text.splitlines()
    wanted = set(ids)
    where = [("rules", i, r.id) for i, r in enumerate(theory.rules) if r.id in wanted]
    where += [("nodes", i, n.id) for i, n in enumerate(theory.nodes) if n.id in wanted]
    out: dict[str, tuple[str, ...]] = {}
    for part, pos, ident in where:
        _, line, _ = locate(theory, (part, pos))
        if line is None:
            continue
        codes: tuple[str, ...] = ()
        for text in lines[max(line - 2, 0) : line]:  # the line above, and the line itself
            found = COMMENT.search(text)
            if found:
                codes += _codes(found.group(1))
        if codes:
            out[ident] = codes
    return out


def _matches(code: str, selectors: Sequence[str]) -> bool:
    return any(code.startswith(s) for s in selectors)


def kept_findings(
    theory: Theory, settings: CheckSettings, findings: Sequence[Finding]
) -> tuple[list[Finding], int]:
    """The findings not suppressed, and how many were.

    >>> import cimo
    >>> from cimo.validate import validate
    >>> text = '''format_version: "2.0"
    ... id: t
    ... title: T
    ... nodes: [{kind: context, id: c, label: C}, {kind: outcome, id: o, label: O},
    ...         {kind: mechanism, id: m, label: M}]
    ... rules:
    ...   - {id: C1, if: [c], because: [m], then: [o]}  # cimo: ignore R004
    ... '''
    >>> [f.code for f in validate(cimo.loads(text, file="t.yaml")).findings if f.code == "R004"]
    []
    """
    per_id: dict[str, tuple[str, ...]] = {}
    for code, ids in settings.ignore_ids:
        for ident in ids:
            per_id[ident] = (*per_id.get(ident, ()), code)
    subjects = {f.location.id for f in findings if f.location.id}
    for ident, codes in _commented(theory, subjects).items():
        per_id[ident] = (*per_id.get(ident, ()), *codes)
    hypothesised = (
        {r.id for r in theory.rules if r.status == "hypothesised"}
        if settings.initial_theory
        else set()
    )
    kept = []
    for f in findings:
        subject = f.location.id or ""
        if _matches(f.code, per_id.get(subject, ())):
            continue
        if f.code == "R004" and subject in hypothesised:
            continue
        kept.append(f)
    return kept, len(findings) - len(kept)
