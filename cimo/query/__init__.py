"""Ask a theory what works, for whom, in what circumstances, and how.

Free functions, theory first, keyword-only options; every answer is a frozen,
typed result that prints in plain words, shows as Markdown in a notebook and
dumps to JSON (``result.model_dump(mode="json")``).

* Look-ups and filters: :func:`get_node`, :func:`get_rule` (``strict=``),
  :func:`select_rules`, :func:`select_nodes`.
* How and for whom: :func:`explain`, :func:`for_whom`, :func:`circumstances`,
  :func:`pathways`, :func:`chains`.
* What happens: :func:`scenario` (forward reasoning to a fixed point),
  :func:`counterfactual` (what is lost without a part) and :func:`clashes`
  (contradictory predictions in one scenario).
* Gaps and evidence: :func:`coverage`, :func:`evidence` (incl. demi-regularities).
* Views that are theories again moved to :mod:`cimo.edit`
  (:func:`cimo.edit.roll_up`, :func:`cimo.edit.focus`); ``cimo.query.focus``
  and ``cimo.query.roll_up`` still work for one release, with a warning.

>>> import cimo
>>> from cimo import query
>>> wfg = cimo.load_example("work-focused-group-cbt")
>>> s = query.scenario(wfg, contexts=["recurrent-depression", "in-work", "group-psychotherapy"],
...                    interventions=["peer-facilitation", "psychoeducation"])
>>> s.fired_rules
('figure-4', 'retain', 'work-supports-recovery')
"""

import warnings
from typing import Any

from cimo.query._base import Result
from cimo.query._chains import Chain, Chains, chains
from cimo.query._clashes import Clash, clashes
from cimo.query._coverage import (
    ComponentReach,
    Coverage,
    DemiRegularity,
    EvidenceSummary,
    GroupEvidence,
    InterventionReach,
    MechanismEvidence,
    RuleEvidence,
    SourceAppraisal,
    coverage,
    evidence,
)
from cimo.query._explain import Explanation, MechanismStep, Way, explain
from cimo.query._for_whom import (
    Accounts,
    Circumstance,
    Circumstances,
    ContextSet,
    ForWhom,
    circumstances,
    for_whom,
)
from cimo.query._lookup import get_node, get_rule, select_nodes, select_rules
from cimo.query._pathways import Pathway, Pathways, pathways
from cimo.query._scenario import (
    Blocked,
    Counterfactual,
    Derivation,
    Qualified,
    Scenario,
    counterfactual,
    scenario,
)

__all__ = [
    "Accounts",
    "Blocked",
    "Chain",
    "Chains",
    "Circumstance",
    "Circumstances",
    "Clash",
    "ComponentReach",
    "ContextSet",
    "Counterfactual",
    "Coverage",
    "DemiRegularity",
    "Derivation",
    "EvidenceSummary",
    "Explanation",
    "ForWhom",
    "GroupEvidence",
    "InterventionReach",
    "MechanismEvidence",
    "MechanismStep",
    "Pathway",
    "Pathways",
    "Qualified",
    "Result",
    "RuleEvidence",
    "Scenario",
    "SourceAppraisal",
    "Way",
    "chains",
    "circumstances",
    "clashes",
    "counterfactual",
    "coverage",
    "evidence",
    "explain",
    "for_whom",
    "get_node",
    "get_rule",
    "pathways",
    "scenario",
    "select_nodes",
    "select_rules",
]


def __getattr__(name: str) -> Any:
    """``focus`` and ``roll_up`` moved to :mod:`cimo.edit`: the old names warn for one release."""
    if name in ("focus", "roll_up"):
        warnings.warn(
            f"cimo.query.{name} moved to cimo.edit.{name}; the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        from cimo import edit

        return getattr(edit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
