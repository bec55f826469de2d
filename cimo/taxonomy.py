"""Mechanism taxonomies, and the built-in six mechanisms of Work-focused Relational Group CBT.

Seed 000 (Table 3, second iteration of the programme theory) merged 24
subthemes into 12 themes and collapsed those into six mechanisms: **realise,
reflect, regulate, resolve, relate and retain/resume**. The definitions of
the six come from the Results section of that paper; the themes and
subthemes carry the paper's own labels. Table 3's key colours mechanisms as
work-focused (red), psychological (green) or relationship-focused (blue); the
colours themselves did not survive in the text we have, so the category of
each mechanism here is our reading of the paper (see each taxon's ``note``).

>>> from cimo.taxonomy import get_taxonomy, lineage
>>> six = get_taxonomy("work-focused-group-cbt")
>>> [t.id for t in six.taxa if t.rank == "mechanism"]
['realise', 'reflect', 'regulate', 'resolve', 'relate', 'retain-resume']
>>> from collections import Counter
>>> Counter(t.rank for t in six.taxa)
Counter({'subtheme': 24, 'theme': 12, 'mechanism': 6})
>>> [t.id for t in lineage(six, "co-regulating")]
['co-regulating', 'managing-my-mood', 'regulate']
"""

from __future__ import annotations

from collections.abc import Mapping

from cimo._util import lookup, suggest
from cimo.errors import UnknownIdError
from cimo.model import Taxon, Taxonomy, TaxonomyCategory, Theory

__all__ = [
    "BUILTIN_TAXONOMIES",
    "WORK_FOCUSED_GROUP_CBT",
    "check_rank",
    "get_taxonomy",
    "lineage",
    "resolve_taxonomy",
    "roll_up",
]

_CITATION = (
    "Walker, N. and Hall, S. (2022), The initial design and programme theory for a new "
    "work-focused psychotherapeutic intervention to treat moderate-severe recurrent "
    "depression and enhance job retention. Mental Health Review Journal, 27(4), 372-397, "
    "Table 3. doi:10.1108/MHRJ-12-2020-0094"
)
_INFERRED = (
    "Category inferred from the paper's first-iteration change levels; Table 3's "
    "colour key is not preserved in the text."
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


def _build_six() -> Taxonomy:
    taxa: list[Taxon] = []
    for mid, label, source_label, category, definition, themes in _SIX:
        taxa.append(
            Taxon(
                id=mid,
                label=label,
                rank="mechanism",
                definition=definition,
                category=category,
                source_label=source_label,
                note=_INFERRED,
            )
        )
        for tid, tlabel, tsource, subthemes in themes:
            taxa.append(
                Taxon(
                    id=tid,
                    label=tlabel,
                    rank="theme",
                    parent=mid,
                    category=category,
                    source_label=tsource,
                )
            )
            taxa.extend(
                Taxon(id=sid, label=slabel, rank="subtheme", parent=tid, category=category)
                for sid, slabel in subthemes
            )
    return Taxonomy(
        id="work-focused-group-cbt",
        label="Mechanisms of change in Work-focused Relational Group CBT",
        description=(
            "Six hypothesised mechanisms (second iteration of the programme theory), requiring "
            "the acquisition, consolidation and application of basic CBT concepts and skills: "
            "24 subthemes merged into 12 themes and collapsed into 6 mechanisms."
        ),
        ranks=("mechanism", "theme", "subtheme"),
        categories=(
            TaxonomyCategory(
                id="work-focused",
                label="Work-focused",
                description=(
                    "Table 3 key: red. Work-related changes in self and the work environment."
                ),
            ),
            TaxonomyCategory(
                id="psychological",
                label="Psychological",
                description="Table 3 key: green. Behavioural, cognitive and emotional changes.",
            ),
            TaxonomyCategory(
                id="relationship-focused",
                label="Relationship-focused",
                description=(
                    "Table 3 key: blue. Changes in the relationship with self and with others."
                ),
            ),
        ),
        taxa=tuple(taxa),
        citation=_CITATION,
    )


#: The built-in taxonomy of seed 000: six mechanisms, 12 themes, 24 subthemes.
WORK_FOCUSED_GROUP_CBT: Taxonomy = _build_six()

#: Built-in taxonomies by name (the value a theory file gives for ``taxonomy``).
BUILTIN_TAXONOMIES: Mapping[str, Taxonomy] = {WORK_FOCUSED_GROUP_CBT.id: WORK_FOCUSED_GROUP_CBT}


def get_taxonomy(name: str) -> Taxonomy:
    """Return a built-in taxonomy by name.

    Raises:
        UnknownIdError: if there is no built-in taxonomy of that name.

    >>> get_taxonomy("work-focused-group-cbt").ranks
    ('mechanism', 'theme', 'subtheme')
    """
    return lookup(BUILTIN_TAXONOMIES, name, kind="built-in taxonomy")


def resolve_taxonomy(theory: Theory) -> Taxonomy | None:
    """The taxonomy a theory uses: its own, a built-in one it names, or none."""
    if theory.taxonomy is None or isinstance(theory.taxonomy, Taxonomy):
        return theory.taxonomy
    return get_taxonomy(theory.taxonomy)


def lineage(taxonomy: Taxonomy, taxon: str) -> tuple[Taxon, ...]:
    """A taxon and its ancestors, finest first.

    Raises:
        UnknownIdError: if ``taxon`` is not in the taxonomy.
    """
    by_id = taxonomy.by_id
    if taxon not in by_id:
        raise UnknownIdError(
            taxon,
            kind="taxon",
            suggestions=suggest(taxon, by_id),
            where=f"taxonomy {taxonomy.id!r}",
        )
    chain = [by_id[taxon]]
    while chain[-1].parent is not None:
        chain.append(by_id[chain[-1].parent])
    return tuple(chain)


def check_rank(taxonomy: Taxonomy, rank: str) -> None:
    """Make sure ``rank`` is one of the taxonomy's ranks.

    >>> check_rank(WORK_FOCUSED_GROUP_CBT, "theme")
    >>> check_rank(WORK_FOCUSED_GROUP_CBT, "themes")
    Traceback (most recent call last):
    ...
    cimo.errors.UnknownIdError: 'themes' is not a rank of taxonomy 'work-focused-group-cbt'
        (did you mean 'theme'?)

    Raises:
        UnknownIdError: if it is not, with the closest rank as "did you mean".
    """
    if rank not in taxonomy.ranks:
        raise UnknownIdError(
            rank,
            kind="rank",
            suggestions=suggest(rank, taxonomy.ranks),
            where=f"taxonomy {taxonomy.id!r}",
        )


def roll_up(taxonomy: Taxonomy, taxon: str, rank: str) -> Taxon | None:
    """The ancestor (or self) of ``taxon`` at ``rank``; None if ``taxon`` is coarser than ``rank``.

    >>> roll_up(WORK_FOCUSED_GROUP_CBT, "giving-feedback", "mechanism").label
    'Relate'
    >>> roll_up(WORK_FOCUSED_GROUP_CBT, "relate", "theme") is None
    True

    Raises:
        UnknownIdError: if ``taxon`` is not in the taxonomy or ``rank`` is not one of its ranks.
    """
    check_rank(taxonomy, rank)
    for entry in lineage(taxonomy, taxon):
        if entry.rank == rank:
            return entry
    return None
