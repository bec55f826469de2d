"""The raw rows of the built-in S3 component checklist (plain data for core.builtins)."""

from __future__ import annotations

S3: tuple[tuple[str, str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    (
        "strategic",
        "Strategic components",
        (
            (
                "models-of-practice",
                "Models of practice",
                (
                    "Cognitive Behavioural Therapy (CBT)",
                    "Psychodynamic Psychotherapy (PP)",
                    "Problem-Solving Therapy (PST)",
                    "Solution Focused Brief Therapy/ Coaching (SFBT)",
                    "Stress Management or Stress Inoculation Training (SMT/SIT)",
                    "Staff Support (SS)",
                ),
            ),
            (
                "level-of-prevention",
                "Level of prevention",
                (
                    "Tertiary preventative programmes",
                    "Secondary preventative programmes",
                    "Primary preventative programmes",
                ),
            ),
            (
                "level-of-intervention",
                "Level of intervention",
                (
                    "Individual or micro level",
                    "Organisational or meso level",
                    "Societal or macro level",
                    "Interface level",
                ),
            ),
        ),
    ),
    (
        "operational",
        "Operational components",
        (
            ("focus", "Focus", ("Person-focused", "Work-focused")),
            (
                "base",
                "Base for intervention delivery",
                (
                    "Clinic",
                    "Worksite",
                    "Social Security offices",
                    "Client's home",
                    "Alternative community venues such as church halls, libraries, colleges, "
                    "or leisure centres",
                ),
            ),
            (
                "intensity",
                "Intensity",
                (
                    "High intensity interventions are delivered by qualified and experienced "
                    "psychologists or psychotherapists",
                    "Low intensity interventions are delivered by generic practitioners other "
                    "than qualified and experienced psychologists or psychotherapists or "
                    "non-clinical workers such as Human Resources personnel or peer support "
                    "volunteers",
                ),
            ),
            ("format", "Format", ("1:1 format", "Group format", "Blended")),
            (
                "duration",
                "Duration",
                (
                    "Short-term < 12 weeks",
                    "Medium-term >12 weeks < 9 months",
                    "Long-term > 9 months",
                ),
            ),
            (
                "dose",
                "Dose",
                (
                    "Very low dose < 3 hours",
                    "Low dose >3 hours < 8 hours",
                    "Medium dose > 8 hours < 24 hours",
                    "High dose > 24 hours < 32 hours",
                    "Very high dose > 32 hours",
                ),
            ),
            (
                "volume",
                "Volume",
                (
                    "Low volume interventions are when one practitioner provides the equivalent "
                    "of one hour of treatment for one client.",
                    "Medium volume interventions are when one practitioner provides the "
                    "equivalent of one hour of treatment for between two to four clients.",
                    "High volume interventions are when one practitioner provides the equivalent "
                    "of one hour of treatment for between five to twelve clients.",
                    "Very high-volume interventions are when one practitioner provides the "
                    "equivalent of one hour of treatment for more than twelve clients.",
                ),
            ),
            (
                "frequency",
                "Frequency",
                (
                    "One-off session",
                    "Daily",
                    "2-3 times per week",
                    "Once per week",
                    "Every 2-3 weeks",
                    "Monthly/bimonthly",
                ),
            ),
            ("deliverer", "Deliverer", ()),
        ),
    ),
    (
        "content",
        "Content components",
        (
            (
                "psychoeducation",
                "Psychoeducation",
                (
                    "Fight-flight response, physiological symptoms",
                    "Rationale for behavioural activation, exposure",
                    "Info about how thoughts, feelings, and behaviour interact",
                    "Information about coping in general",
                    "Info about stress, symptoms, causes of mental health problems",
                    "Information about healthy lifestyle, self-care",
                ),
            ),
            (
                "behavioural-skills",
                "Behavioural skills",
                (
                    "Relaxation, mindfulness",
                    "Behavioural activation, activity scheduling",
                    "Graded exposure, de-sensitisation",
                    "Crisis planning, relapse prevention",
                ),
            ),
            (
                "affect-regulation",
                "Emotions, affect regulation",
                (
                    "Acceptance of distressing thoughts & feelings",
                    "Expressing feelings appropriately",
                    "Eliciting client's feelings in relation to self / others / therapist",
                ),
            ),
            (
                "cognitive-restructuring",
                "Cognitive restructuring",
                (
                    "Recognising faulty thinking, behavioural experiments",
                    "Disputation",
                    "Reappraisal, reattribution",
                    "Positive reframing",
                    "Highlighting solutions / imagining a future without the problem",
                ),
            ),
            (
                "coping-strategies",
                "Coping strategies",
                (
                    "Active problem-solving (individual or team-based)",
                    "Coping with internal stressors e.g. negative inner dialogue",
                    "Coping with external stressors e.g. high workload",
                    "Goal setting, decision-making",
                ),
            ),
            (
                "intra-personal-focus",
                "Focus on intra-personal",
                (
                    "Insight, self-awareness",
                    "Improving self-esteem",
                    "Personal empowerment through assertiveness",
                ),
            ),
            (
                "inter-personal-focus",
                "Focus on inter-personal",
                (
                    "Outsight, inter-personal awareness",
                    "Coping with people",
                    "Social diversion, social support, social connectedness",
                    "Managing conflict",
                    "Improving ways of communicating and interacting",
                ),
            ),
        ),
    ),
    (
        "process",
        "Process components",
        (
            (
                "style-of-teaching-learning",
                "Style of teaching-learning",
                (
                    "Didactic lectures / PowerPoint presentations",
                    "Experiential exercises / active learning techniques",
                    "Case studies",
                    "Guided self-help",
                ),
            ),
            (
                "peer-dialogue",
                "Facilitation of more to more dialogue",
                (
                    "Group discussion, large group plenary, Q & A",
                    "Working in pairs or triads",
                    "Conversations in small groups",
                ),
            ),
            (
                "in-vivo-activities",
                "In vivo activities & skills practice",
                (
                    "Behavioural rehearsal / role play / assertiveness",
                    "Progressive muscular relaxation / mindfulness",
                    "Video feedback / inter-personal process recall (IPR)",
                    "Goal setting, problem-solving",
                    "Physical exercise",
                ),
            ),
            (
                "relationship-with-therapist",
                "Relationship with therapist",
                (
                    "Directive therapeutic relationship (conscious material)",
                    "Non-directive therapeutic relationship (unconscious material)",
                    "Repairing ruptures, limited re-parenting, corrective emotional experience",
                    "Advice-giving, offering support",
                    'Motivational enhancement, "circular / miracle questions"',
                    "Probing for exceptions, asking scaling questions",
                ),
            ),
            (
                "relationship-with-group-members",
                "Relationship with group members / significant others",
                (
                    "Participatory teamwork",
                    'Perspective-taking, "reality management"',
                    "Sharing problems together, exchanging experiences",
                    "Generating solutions and reviewing goals together",
                    "Social support / helping others / validating others' emotions",
                    "Inter-personal learning through peer feedback",
                    '"Disconfirmation of the uniqueness of one\'s problems"',
                    "Social contact before, during, after and between sessions",
                    "Inviting spouse or partner to specific group sessions",
                ),
            ),
            (
                "between-session-activities",
                "Between-session activities",
                (
                    "Homework assignments / challenges",
                    "Keeping a journal / diary / self-monitoring / self-reflection",
                    "Booster sessions following completion of programme",
                    "Text reminders / email counselling / outreach by 'phone",
                ),
            ),
            (
                "sharing-emotional-experiences",
                "Sharing emotional experiences",
                (
                    "Listening to each other",
                    "Working with transference, resistance, ambivalence, defences",
                    "Confrontation, clarification, and interpretation",
                    "Expressing empathy towards each other",
                ),
            ),
            (
                "provision-of-resources",
                "Provision of resources",
                ("Audio-recordings of relaxation / mindfulness training",),
            ),
        ),
    ),
    (
        "job-retention",
        "Job retention strategies",
        (
            (
                "provision-of-information",
                "Provision of information",
                (
                    "Information about occupational hazards",
                    "Information about coping at work",
                    "Information about organisational supports e.g. EAP counselling",
                ),
            ),
            (
                "focus-on-the-workplace",
                "Focus on the workplace",
                (
                    "Stress surveillance / use of screening tools / job profiling",
                    "Workplace assessment",
                    "Environmental improvement action plans",
                    "Regular monitoring of action plans",
                    "Individualised supervision / appraisal, focus on stress / work",
                    "Implementation of new solutions / coping strategies at work",
                ),
            ),
            (
                "support-for-line-managers",
                "Support for line managers / supervisors",
                (
                    "Advice on reducing psychosocial hazards in the workplace",
                    "Info about how to deal with sources of occupational stress",
                    "Training for managers in counselling skills",
                ),
            ),
            (
                "liaison-with-other-stakeholders",
                "Liaison with other stakeholders",
                (
                    "Facilitated dialogue with line manager, roundtables",
                    "Provision of up-dates to & collaboration between stakeholders",
                ),
            ),
            (
                "help-getting-back-to-work",
                "Help getting back to work",
                (
                    "Negotiation of workplace adjustments",
                    "Agreed return-to-work / rehabilitation plan",
                    "Conflict resolution / mediation",
                    "Gradual exposure to work situation",
                    "Phased work resumption / part-time hours",
                ),
            ),
            (
                "supporting-employment",
                "Supporting employment",
                (
                    "Place-then-train approach",
                    "Further on-the-job training / retraining",
                    "Transfer to another job, redeployment",
                    "Time- and task-management skills",
                ),
            ),
            (
                "career-management",
                "Promoting employee's career management",
                (
                    "Endorsing work as a resource for wellbeing & self-esteem",
                    "Taking responsibility for one's own professional development",
                    "Emphasising lifelong learning",
                    "Being adaptable & flexible in a changing organisational context",
                ),
            ),
        ),
    ),
)

NOTES: dict[str, str] = {
    "deliverer": "Added by cimo from Supplementary S2 ('Whom?'); not a row of S3.",
    "peer-dialogue": (
        "Label as printed in S3 ('Facilitation of more to more' ... 'dialogue'); its items "
        "(group discussion, pairs or triads, small groups) read as peer-to-peer dialogue."
    ),
}
