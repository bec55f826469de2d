"""The built-in data registries: the built-in mechanism taxonomy and component vocabulary.

A theory names a built-in taxonomy or component vocabulary by id
(``taxonomy: work-focused-group-cbt``); the structural checks need the names,
and :attr:`cimo.model.Theory.component_vocabulary` the vocabulary itself. The
built-ins are kept here as plain data, below the records, so that the model
never imports the modules that present them (:mod:`cimo.taxonomy`,
:mod:`cimo.vocabulary`); :func:`cimo.core.model.builtin_taxonomy` and
:func:`cimo.core.model.builtin_vocabulary` validate them into records once.

>>> TAXONOMY_NAMES, VOCABULARY_NAMES
(('work-focused-group-cbt',), ('s3-checklist',))
>>> taxonomy_data("work-focused-group-cbt")["ranks"]
('mechanism', 'theme', 'subtheme')
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from cimo.core import _s3

__all__ = [
    "DEFAULT_VOCABULARY",
    "TAXONOMY_NAMES",
    "VOCABULARY_NAMES",
    "taxonomy_data",
    "vocabulary_data",
]

_CITATION = (
    "Walker, N. and Hall, S. (2022), The initial design and programme theory for a new "
    "work-focused psychotherapeutic intervention to treat moderate-severe recurrent "
    "depression and enhance job retention. Mental Health Review Journal, 27(4), 372-397, "
    "Table 3. doi:10.1108/MHRJ-12-2020-0094"
)
_INFERRED = (
    "Category inferred (by the encoder) from the paper's first-iteration change levels: "
    "Table 3 prints a colour key (red, green, blue) but which row has which colour is "
    "not recoverable from the text."
)

# (mechanism id, label, source label, category, definition,
#   [(theme id, theme label, source label, [(subtheme id, subtheme label), x2]), x2])
_SIX: tuple[
    tuple[str, str, str, str, str, tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]],
    ...,
] = (
    (
        "realise",
        "Realise",
        "1. REALISE",
        "psychological",
        "Recognising depression, work-related stress, or interpersonal problems. As in physical "
        'illness, mental illness may have few overt signs. A "light bulb moment" allowing a '
        "client to see problems more clearly.",
        (
            (
                "shift-in-perception-people",
                "Shift in perception: people",
                "a) Shift in perception: people",
                (
                    ("seeing-myself-differently", "Seeing myself differently"),
                    ("seeing-others-differently", "Seeing others differently"),
                ),
            ),
            (
                "shift-in-perception-problem",
                "Shift in perception: problem",
                "b) Shift in perception: problem",
                (
                    ("seeing-my-problems-differently", "Seeing my problems differently"),
                    ("seeing-others-problems-differently", "Seeing others' problems differently"),
                ),
            ),
        ),
    ),
    (
        "reflect",
        "Reflect",
        "2. REFLECT",
        "relationship-focused",
        "Observing thoughts, feelings, and behaviours from a meta-position. The process whereby "
        "a client gains insight or outsight. A more profound process of illumination allowing a "
        "client to see the underlying causes of their problems or symptoms, and those of others.",
        (
            (
                "learning-from-each-other",
                "Learning from each other",
                "a) Learning from each other",
                (
                    ("speaking-about-my-experience", "Speaking about my experience"),
                    ("listening-to-others-experience", "Listening to others' experience"),
                ),
            ),
            (
                "understanding-each-other",
                "Understanding each other",
                "b) Understanding each other",
                (
                    ("understanding-myself", "Understanding myself (insight)"),
                    ("understanding-others", "Understanding others (outsight)"),
                ),
            ),
        ),
    ),
    (
        "regulate",
        "Regulate",
        "3. REGULATE",
        "psychological",
        "Tolerating feelings (e.g., emotions, sensations, impulses) triggered by autonomic "
        "hyper- and hypo-arousal so that a client can stabilise their mood. A more adaptive form "
        "of coping by dealing directly with a problem.",
        (
            (
                "managing-my-mood",
                "Managing my mood",
                "a) Managing my mood",
                (("self-regulating", "Self-regulating"), ("co-regulating", "Co-regulating")),
            ),
            (
                "coping-strategies",
                "Coping strategies",
                "b) Coping strategies",
                (("active-coping", "Active coping"), ("passive-coping", "Passive coping")),
            ),
        ),
    ),
    (
        "resolve",
        "Resolve",
        "4. RESOLVE",
        "psychological",
        "Making decisions and taking action. Dealing with interpersonal conflict through positive "
        "competition, collaboration, and cooperation. Working through ambivalence so that a "
        "client can commit to new behaviours.",
        (
            (
                "managing-my-behaviour",
                "Managing my behaviour",
                "a) Managing my behaviour",
                (("practising-skills", "Practising skills"), ("goal-setting", "Goal-setting")),
            ),
            (
                "working-with-conflict",
                "Working with conflict",
                "b) Working with conflict",
                (
                    (
                        "saying-what-i-want",
                        "Saying what I want and finding a shared solution",
                    ),
                    (
                        "hearing-what-others-want",
                        "Hearing what others want and finding a shared solution",
                    ),
                ),
            ),
        ),
    ),
    (
        "relate",
        "Relate",
        "5. RELATE",
        "relationship-focused",
        "Getting along better with oneself and others. Learning to trust when clients who have "
        "experienced interpersonal trauma, perceive relationships as a source of threat, rather "
        "than as a source of support.",
        (
            (
                "two-way-feedback",
                "Two-way feedback",
                "a) Two-way feedback",
                (
                    ("giving-feedback", "Giving feedback"),
                    ("receiving-feedback", "Receiving feedback"),
                ),
            ),
            (
                "helping-each-other",
                "Helping each other",
                "b) Helping each other",
                (("helping-myself", "Helping myself"), ("helping-others", "Helping others")),
            ),
        ),
    ),
    (
        "retain-resume",
        "Retain/Resume",
        "6. RETAIN",
        "work-focused",
        "Being able to stay-at-work whilst experiencing some symptoms of depression. Being able "
        "to return-to-work after being off sick with depression.",
        (
            (
                "staying-at-work",
                "Staying-at-work",
                "a) Staying-at-work",
                (
                    (
                        "disclosing-mental-health-problems",
                        "Disclosing mental health problems or work-related stress",
                    ),
                    ("negotiating-reasonable-adjustments", "Negotiating reasonable adjustments"),
                ),
            ),
            (
                "returning-to-work",
                "Returning-to-work",
                "b) Returning-to-work",
                (
                    ("negotiating-phased-return", "Negotiating phased return"),
                    ("negotiating-ongoing-support", "Negotiating on-going support"),
                ),
            ),
        ),
    ),
)


def _six() -> dict[str, Any]:
    taxa: list[dict[str, Any]] = []
    for mid, label, source_label, category, definition, themes in _SIX:
        taxa.append(
            {
                "id": mid,
                "label": label,
                "rank": "mechanism",
                "definition": definition,
                "category": category,
                "source_label": source_label,
                "note": _INFERRED,
            }
        )
        for tid, tlabel, tsource, subthemes in themes:
            taxa.append(
                {
                    "id": tid,
                    "label": tlabel,
                    "rank": "theme",
                    "parent": mid,
                    "category": category,
                    "source_label": tsource,
                    "note": _INFERRED,
                }
            )
            taxa.extend(
                {
                    "id": sid,
                    "label": slabel,
                    "rank": "subtheme",
                    "parent": tid,
                    "category": category,
                    "note": _INFERRED,
                }
                for sid, slabel in subthemes
            )
    return {
        "id": "work-focused-group-cbt",
        "label": "Mechanisms of change in Work-focused Relational Group CBT",
        "description": (
            "Six hypothesised mechanisms (second iteration of the programme theory), requiring "
            "the acquisition, consolidation and application of basic CBT concepts and skills: "
            "24 subthemes merged into 12 themes and collapsed into 6 mechanisms."
        ),
        "ranks": ("mechanism", "theme", "subtheme"),
        "categories": (
            {
                "id": "work-focused",
                "label": "Work-focused",
                "description": (
                    "Table 3 key: red. Work-related changes in self and the work environment."
                ),
            },
            {
                "id": "psychological",
                "label": "Psychological",
                "description": "Table 3 key: green. Behavioural, cognitive and emotional changes.",
            },
            {
                "id": "relationship-focused",
                "label": "Relationship-focused",
                "description": (
                    "Table 3 key: blue. Changes in the relationship with self and with others."
                ),
            },
        ),
        "taxa": tuple(taxa),
        "citation": _CITATION,
    }


def _s3_checklist() -> dict[str, Any]:
    return {
        "id": "s3-checklist",
        "label": "Intervention component checklist (Supplementary Table S3)",
        "description": (
            "Components of work-focused psychotherapeutic interventions found by Intervention "
            "Component Analysis (Sutcliffe et al., 2015) of 29 relevant or potentially relevant "
            "interventions."
        ),
        "citation": (
            "Walker, N. and Hall, S. (2022). Mental Health Review Journal, 27(4), 372-397, "
            "Supplementary Table S3. doi:10.1108/MHRJ-12-2020-0094"
        ),
        "categories": tuple(
            {
                "id": cid,
                "label": clabel,
                "aspects": tuple(
                    {"id": aid, "label": alabel, "items": items, "note": _s3.NOTES.get(aid)}
                    for aid, alabel, items in aspects
                ),
            }
            for cid, clabel, aspects in _s3.S3
        ),
    }


_TAXONOMIES: MappingProxyType[str, Callable[[], dict[str, Any]]] = MappingProxyType(
    {"work-focused-group-cbt": _six}
)
_VOCABULARIES: MappingProxyType[str, Callable[[], dict[str, Any]]] = MappingProxyType(
    {"s3-checklist": _s3_checklist}
)

#: The names of the built-in mechanism taxonomies (values of a theory's ``taxonomy``).
TAXONOMY_NAMES: tuple[str, ...] = tuple(_TAXONOMIES)
#: The names of the built-in component vocabularies (values of a theory's ``vocabulary``).
VOCABULARY_NAMES: tuple[str, ...] = tuple(_VOCABULARIES)
#: The vocabulary a theory uses when it names none.
DEFAULT_VOCABULARY = "s3-checklist"


def taxonomy_data(name: str) -> dict[str, Any]:
    """The plain data of a built-in taxonomy (raises KeyError for an unknown name)."""
    return _TAXONOMIES[name]()


def vocabulary_data(name: str) -> dict[str, Any]:
    """The plain data of a built-in component vocabulary (raises KeyError for an unknown name)."""
    return _VOCABULARIES[name]()
