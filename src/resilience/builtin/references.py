"""Built-in references: the published sources the built-in step templates rest on.

Each finding is written in the project's own words from the source's abstract (or, where
said, its published summary), and says only what was read there; every effect size given
was read in the abstract. The certainty is the one the source gives: a GRADE rating where
the authors graded their evidence, otherwise the design and the authors' own caution.

They are registered through ``resilience_register_references``, exactly as a third-party
plugin registers its own; a plugin template may cite them by importing the constants.

Example:
    >>> from resilience.builtin.references import REFERENCES
    >>> [r.id for r in REFERENCES][:3]
    ['masi-2011', 'lasgaard-2025', 'hickin-2021']
"""

from __future__ import annotations

from resilience.hookspecs import Register, hookimpl
from resilience.model.evidence import Reference

__all__ = [
    "ARON_1997",
    "HICKIN_2021",
    "HOLT_LUNSTAD_2010",
    "LASGAARD_2025",
    "LIANG_2024",
    "LIU_2023",
    "MASI_2011",
    "REFERENCES",
    "resilience_register_references",
]

#: Masi et al. 2011, as cited by the built-in steps.
MASI_2011 = Reference(
    "masi-2011",
    "Masi et al. 2011",
    "Masi, C. M., Chen, H.-Y., Hawkley, L. C., & Cacioppo, J. T. (2011). A meta-analysis of "
    "interventions to reduce loneliness. Personality and Social Psychology Review, 15(3), "
    "219–266.",
    "of four kinds of intervention (improving social skills, enhancing social support, more "
    "opportunities for social contact, and addressing maladaptive social cognition), the ones "
    "addressing social cognition did best among randomised studies, while single-group and "
    "non-randomised studies showed larger effects than randomised ones",
    "Meta-analysis; the abstract grades no certainty, and reports randomised comparisons "
    "apart, since single-group and non-randomised designs gave larger effects.",
    doi="10.1177/1088868310377394",
)

#: Lasgaard et al. 2025, as cited by the built-in steps.
LASGAARD_2025 = Reference(
    "lasgaard-2025",
    "Lasgaard et al. 2025",
    "Lasgaard, M., Qualter, P., Løvschall, C., Laustsen, L. M., Lim, M. H., Sjøl, S. E., "
    "Burke, L., Blæhr, E. E., Maindal, H. T., Hargaard, A.-S., Christensen, R., & "
    "Christiansen, J. (2025). Are loneliness interventions effective for reducing "
    "loneliness? A meta-analytic review of 280 studies. American Psychologist.",
    "across 122 randomised trials, interventions reduced loneliness by a small to moderate "
    "amount (SMD −0.50, 95% CI −0.60 to −0.39), psychological interventions most (a moderate "
    "effect) and social and emotional skills training, social network and social support "
    "interventions less (small to moderate); effects one to six months later were comparable",
    "GRADE: low or very low; the authors point to methodological limitations.",
)

#: Hickin et al. 2021, as cited by the built-in steps.
HICKIN_2021 = Reference(
    "hickin-2021",
    "Hickin et al. 2021",
    "Hickin, N., Käll, A., Shafran, R., Sutcliffe, S., Manzotti, G., & Langan, D. (2021). "
    "The effectiveness of psychological interventions for loneliness: A systematic review "
    "and meta-analysis. Clinical Psychology Review, 88, 102066.",
    "in 28 randomised trials (N = 3,039), psychological interventions reduced loneliness "
    "compared with control groups, a small to medium effect (g = 0.43), and cognitive "
    "behavioural therapy was the most common kind",
    "Meta-analysis of randomised trials of mixed quality (Cochrane risk of bias tool).",
    doi="10.1016/j.cpr.2021.102066",
)

#: Liu et al. 2023, as cited by the built-in steps.
LIU_2023 = Reference(
    "liu-2023",
    "Liu et al. 2023",
    "Liu, P. J., Rim, S., Min, L., & Min, K. E. (2023). The surprise of reaching out: "
    "Appreciated more than we think. Journal of Personality and Social Psychology, 124(4), "
    "754–771.",
    "in a series of preregistered experiments, people who reached out underestimated how "
    "much the other person appreciated it, the more so when the contact came as a surprise",
    "Preregistered experiments on a brief message or a small gift; no certainty grading.",
    doi="10.1037/pspi0000402",
)

#: Aron et al. 1997, as cited by the built-in steps.
ARON_1997 = Reference(
    "aron-1997",
    "Aron et al. 1997",
    "Aron, A., Melinat, E., Aron, E. N., Vallone, R. D., & Bator, R. J. (1997). The "
    "experimental generation of interpersonal closeness: A procedure and some preliminary "
    "findings. Personality and Social Psychology Bulletin, 23(4), 363–377.",
    "pairs who took turns at self-disclosure tasks that slowly grew more personal felt "
    "closer afterwards than pairs given comparable small-talk tasks",
    "Laboratory experiments with pairs of strangers; the authors call some of their further "
    "findings tentative.",
)

#: Liang et al. 2024, as cited by the built-in steps.
LIANG_2024 = Reference(
    "liang-2024",
    "Liang et al. 2024",
    "Liang, N., Grayson, S. J., Kussman, M. A., Mildner, J. N., & Tamir, D. I. (2024). "
    "In-person and virtual social interactions improve well-being during the COVID-19 "
    "pandemic. Computers in Human Behavior Reports, 15, 100455.",
    "in two studies during the pandemic (996 people over a year, 249 people three times a "
    "day for two weeks), calls and messages went with more social connection and positive "
    "feeling, but face-to-face interaction consistently went with more than every virtual "
    "form studied",
    "Observational studies (associations, not randomised comparisons); no certainty grading.",
    doi="10.1016/j.chbr.2024.100455",
)

#: Holt-Lunstad et al. 2010, as cited by the built-in steps.
HOLT_LUNSTAD_2010 = Reference(
    "holt-lunstad-2010",
    "Holt-Lunstad et al. 2010",
    "Holt-Lunstad, J., Smith, T. B., & Layton, J. B. (2010). Social relationships and "
    "mortality risk: A meta-analytic review. PLoS Medicine, 7(7), e1000316.",
    "across 148 studies (308,849 people), stronger social relationships went with a 50% "
    "greater likelihood of survival (OR 1.50, 95% CI 1.42 to 1.59), most for complex "
    "measures of social integration (OR 1.91) and least for living alone or not (OR 1.19, "
    "95% CI 0.99 to 1.44)",
    "Meta-analysis of observational studies: an association, not proof that relationships "
    "cause survival; the abstract grades no certainty.",
    doi="10.1371/journal.pmed.1000316",
)

#: Every built-in reference, the ones about interventions in general first.
REFERENCES: tuple[Reference, ...] = (
    MASI_2011,
    LASGAARD_2025,
    HICKIN_2021,
    LIU_2023,
    ARON_1997,
    LIANG_2024,
    HOLT_LUNSTAD_2010,
)


@hookimpl(trylast=True)
def resilience_register_references(register: Register[Reference]) -> None:
    """Register the built-in references.

    Example:
        >>> found = []
        >>> resilience_register_references(lambda ref, replace=False: found.append(ref.id))
        >>> "liu-2023" in found
        True
    """
    for reference in REFERENCES:
        register(reference)
