"""Built-in plan step templates: a ladder for each of the five strategies.

Every ladder climbs from a tiny first move (rung 1) to a large one (rung 4), one effort
level per rung, so a plan that climbs one rung at a time never jumps in effort. Next to the
plain rung of each ladder sit alternatives tailored to drivers of isolation (``suits``):
face-to-face versions for remote and digital-only lives, very short versions for crowded
schedules, a first honest conversation for people raised to cope alone, and local groups
for people whose old ties were loosened by a move or another change. Each alternative has
the same effort as the rung it stands on. Other templates are written for one kind of tie
(their ``needs``): a message after a long silence, time at home with someone who shares
daily life, a group's next meeting, bringing something to the next session with a
professional. Templates that name nobody find people: groups, classes, befriending,
volunteering, a GP or social prescriber.

Four alternatives work on social cognition: they ask the person to note how well they
expect a small contact to go and how well it went (or, for a "they would rather not hear
from me" thought, what speaks for and against it), so that a gloomy expectation meets what
actually happens. Planning ranks them first when the profile reports feeling nobody
understands, keeping struggles hidden or relying only on oneself, and after the others
otherwise; the check-in records the two numbers (``CheckIn.expected`` and
``CheckIn.happened``).

Every template says what it rests on: its approach, its behaviour-change techniques (BCT
Taxonomy v1 numbers, checked against the bundled table when registered) and its
references (:mod:`resilience.builtin.references`); the evidence page of the docs is
generated from them. Each ladder states its evidence once, as a bundle its templates
spread; a template that rests on something else says what differs, and why, where it
stands (the unsent draft, for one, is practice rather than contact).

These templates are registered through ``resilience_register_plan_steps``, exactly as a
third-party plugin registers its own; ranking in :mod:`resilience.planning` decides which
one a plan uses.

Example:
    >>> from resilience.builtin.steps import TEMPLATES
    >>> [t.id for t in TEMPLATES if t.strategy.value == "reach-out" and t.suits == set()
    ...  and t.approach.value == "more-contact" and t.needs.value == "any"]
    ['reach-out/message', 'reach-out/call', 'reach-out/plan-a-visit', 'reach-out/meet', 'reach-out/organise']
    >>> [t.id for t in TEMPLATES if t.strategy.value == "reach-out" and t.suits == set()
    ...  and t.needs.value == "none"]
    ['reach-out/find-a-group', 'reach-out/contact-a-group', 'reach-out/go-once', 'reach-out/after-meeting']
    >>> sorted(t.id for t in TEMPLATES if t.approach.value == "social-cognition")
    ['invest/guess-and-ask', 'reach-out/predict-and-send', 'support/expect-and-ask', 'vulnerable/test-the-thought']
    >>> [t.id for t in TEMPLATES if t.strategy.value == "reach-out" and t.approach.value == "social-skills"]
    ['reach-out/message-as-draft']
"""  # noqa: E501

from __future__ import annotations

from typing import TypedDict

from resilience.builtin.references import (
    ARON_1997,
    HICKIN_2021,
    HOLT_LUNSTAD_2010,
    LASGAARD_2025,
    LIANG_2024,
    LIU_2023,
    MASI_2011,
)
from resilience.hookspecs import Register, hookimpl
from resilience.model.evidence import Approach, Reference
from resilience.model.plans import ConnectionNeed, Effort, StepTemplate
from resilience.model.taxonomy import IsolationDriver, Pillar, Strategy

__all__ = ["TEMPLATES", "resilience_register_plan_steps"]

_ANY = ConnectionNeed.ANY
_TRUSTED = ConnectionNeed.TRUSTED
_DORMANT = ConnectionNeed.DORMANT
_HOUSEHOLD = ConnectionNeed.HOUSEHOLD
_GROUP = ConnectionNeed.GROUP
_PRO = ConnectionNeed.PROFESSIONAL
_REMOTE = IsolationDriver.REMOTE_AND_DIGITAL
_BUSY = IsolationDriver.BUSY_LIFE
_NORMS = IsolationDriver.INDEPENDENCE_NORMS
_FEED = IsolationDriver.SHALLOW_SOCIAL_MEDIA
_MOVE = IsolationDriver.LIFE_TRANSITION

_REACH = Strategy.REACH_OUT
_FACE = Strategy.IN_PERSON
_OPEN = Strategy.BE_VULNERABLE_FIRST
_INVEST = Strategy.INVEST_IN_RELATIONSHIPS
_SUPPORT = Strategy.SEEK_SUPPORT

_LOST_TOUCH = "someone you have lost touch with"
_FRIEND = "a friend or relative"
_SAFE = "someone you feel safe with"

# Approaches (Masi et al. 2011). Technique codes are BCT Taxonomy v1 numbers: 1.4 action
# planning, 2.4 self-monitoring of outcome(s) of behaviour, 4.4 behavioural experiments,
# 8.1 behavioural practice/rehearsal, 8.3 habit formation, 8.7 graded tasks, 12.2
# restructuring the social environment; BCIO:007029 and BCIO:007031 are the BCT Ontology
# classes "advise to seek support" (3.1) and "advise to seek emotional support" (3.3).
_CONTACT = Approach.MORE_CONTACT
_SUPPORT_APPROACH = Approach.SOCIAL_SUPPORT
_SKILLS = Approach.SOCIAL_SKILLS
_COGNITION = Approach.SOCIAL_COGNITION


class _Evidence(TypedDict):
    """What a kind of step rests on, spread into each template of that kind."""

    approach: Approach
    techniques: tuple[str, ...]
    references: tuple[Reference, ...]


def _evidence(approach: Approach, techniques: tuple[str, ...], *references: Reference) -> _Evidence:
    return _Evidence(approach=approach, techniques=techniques, references=references)


def _but(
    bundle: _Evidence,
    *,
    approach: Approach | None = None,
    techniques: tuple[str, ...] | None = None,
    references: tuple[Reference, ...] | None = None,
) -> _Evidence:
    """A ladder's evidence with what one template states differently."""
    return _Evidence(
        approach=bundle["approach"] if approach is None else approach,
        techniques=bundle["techniques"] if techniques is None else techniques,
        references=bundle["references"] if references is None else references,
    )


# One bundle per ladder (or per kind of rung within a ladder): a ladder's evidence is stated
# once here, and a template spreads it (``**_REACH_OUT``) or states what differs (``_but``).
# Reaching out to one person: each rung a graded task, planned; people underestimate how
# welcome a reach-out is (Liu et al.).
_REACH_OUT = _evidence(_CONTACT, ("8.7", "1.4"), LIU_2023, MASI_2011)
_REACH_OUT_TO_TALK = _but(_REACH_OUT, references=(LIU_2023, LASGAARD_2025))
_REACH_OUT_TO_MEET = _but(_REACH_OUT, references=(LIANG_2024, LASGAARD_2025))
# Finding and joining groups, classes and services: changing the social surroundings.
_GROUPS = _evidence(_CONTACT, ("12.2", "1.4"), LASGAARD_2025, MASI_2011)
# Face-to-face time: face-to-face contact went with more connection than any virtual form.
_FACE_TO_FACE = _evidence(_CONTACT, ("12.2", "1.4"), LIANG_2024, HOLT_LUNSTAD_2010)
_FACE_TO_FACE_REGULARLY = _but(_FACE_TO_FACE, techniques=("8.3", "12.2"))
# Opening up a little at a time: escalating, reciprocal self-disclosure (Aron et al.).
_OPEN_UP = _evidence(_SKILLS, ("8.1", "8.7"), ARON_1997, LASGAARD_2025)
# Leaning on people the person trusts and feels safe with.
_LEAN_ON = _evidence(_SUPPORT_APPROACH, ("BCIO:007031", "1.4"), LASGAARD_2025, HOLT_LUNSTAD_2010)
# Investing in a relationship: practising what keeps a tie strong.
_INVEST_IN = _evidence(_SKILLS, ("8.1", "1.4"), HOLT_LUNSTAD_2010, LASGAARD_2025)
# Seeking professional or community support.
_SEEK_SUPPORT = _evidence(_SUPPORT_APPROACH, ("BCIO:007029", "1.4"), HICKIN_2021, LASGAARD_2025)
# Testing an expectation against what happens, inside four of the ladders.
_TEST_EXPECTATIONS = _evidence(_COGNITION, ("4.4", "2.4"), MASI_2011, HICKIN_2021)

#: Every built-in template, ladder by ladder, rung by rung.
TEMPLATES: tuple[StepTemplate, ...] = (
    # -- Reach out, even if it feels awkward: message → call → meet → organise ----------
    StepTemplate(
        "reach-out/message",
        _REACH,
        1,
        Effort.TINY,
        "Send {alias} a short message, such as a line about something that reminded you of them.",
        needs=_ANY,
        unnamed=_FRIEND,
        **_REACH_OUT,
    ),
    StepTemplate(
        "reach-out/after-a-silence",
        _REACH,
        1,
        Effort.TINY,
        "Send {alias} a short message, such as a line about something that reminded you of "
        "them. There is no need to explain the silence; most people are simply glad.",
        needs=_DORMANT,
        unnamed=_LOST_TOUCH,
        **_REACH_OUT,
    ),
    StepTemplate(
        "reach-out/message-as-draft",
        _REACH,
        1,
        Effort.TINY,
        "Write a two-line message to {alias} and keep it as a draft; sending it can wait "
        "until it feels right.",
        needs=_ANY,
        unnamed=_FRIEND,
        # Unsent, so no contact and no plan: it rehearses a reach-out (8.1) on the lowest rung.
        **_but(_REACH_OUT, approach=_SKILLS, techniques=("8.1", "8.7")),
    ),
    StepTemplate(
        "reach-out/group-next-meeting",
        _REACH,
        1,
        Effort.TINY,
        "Find out when {alias} next meets and put it in your diary.",
        needs=_GROUP,
        unnamed="a group you belong to",
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/group-one-person",
        _REACH,
        2,
        Effort.SMALL,
        "Before the next {alias} meeting, send one person there a short message, or plan to "
        "sit next to them.",
        needs=_GROUP,
        unnamed="group",
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/find-a-group",
        _REACH,
        1,
        Effort.TINY,
        "Look up one group, class or club near you, or a befriending service, and write down "
        "when it meets or how to start.",
        pillars={Pillar.BELONGING},
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/contact-a-group",
        _REACH,
        2,
        Effort.SMALL,
        "Contact the organiser of a group or class you found, or a befriending service, and "
        "ask how newcomers join.",
        pillars={Pillar.BELONGING},
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/go-once",
        _REACH,
        3,
        Effort.MEDIUM,
        "Go to one meeting, class or session and say hello to one person there.",
        pillars={Pillar.BELONGING},
        in_person=True,
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/after-meeting",
        _REACH,
        4,
        Effort.LARGE,
        "Suggest a coffee or a walk to someone you have met at a group or class, after a "
        "meeting you both went to.",
        pillars={Pillar.BELONGING, Pillar.PRACTICAL_SUPPORT},
        in_person=True,
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/message-in-a-gap",
        _REACH,
        1,
        Effort.TINY,
        "In a spare minute you already have (waiting for the kettle, the bus or a meeting), "
        "send {alias} two lines asking how they are.",
        needs=_ANY,
        suits={_BUSY},
        unnamed=_FRIEND,
        **_REACH_OUT,
    ),
    StepTemplate(
        "reach-out/predict-and-send",
        _REACH,
        1,
        Effort.TINY,
        "Before you send {alias} a short message, note from 1 to 5 how glad you expect them "
        "to be to hear from you. Send it, and when they reply, note from 1 to 5 how glad "
        "they seemed.",
        needs=_ANY,
        unnamed=_FRIEND,
        **_but(_TEST_EXPECTATIONS, references=(LIU_2023, MASI_2011)),
    ),
    StepTemplate(
        "reach-out/find-local-group",
        _REACH,
        1,
        Effort.TINY,
        "Look up one group that meets near where you live now (a club, a class, a choir, a "
        "volunteer team) and write down when it next meets.",
        pillars={Pillar.BELONGING},
        suits={_MOVE},
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/call",
        _REACH,
        2,
        Effort.SMALL,
        "Call {alias} for ten minutes, or ask by message when a short call would suit them.",
        needs=_ANY,
        unnamed=_FRIEND,
        **_REACH_OUT_TO_TALK,
    ),
    StepTemplate(
        "reach-out/call-on-the-way",
        _REACH,
        2,
        Effort.SMALL,
        "Fit a ten-minute call with {alias} into a walk or a journey you make anyway.",
        needs=_ANY,
        suits={_BUSY},
        unnamed=_FRIEND,
        **_REACH_OUT_TO_TALK,
    ),
    StepTemplate(
        "reach-out/contact-local-group",
        _REACH,
        2,
        Effort.SMALL,
        "Write to, or call, the organiser of a local group you found and ask whether "
        "newcomers are welcome at the next meeting.",
        pillars={Pillar.BELONGING},
        suits={_MOVE},
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/plan-a-visit",
        _REACH,
        3,
        Effort.MEDIUM,
        "Set a date with {alias} for a video call, or plan a visit together, and put it in "
        "your calendar.",
        needs=_ANY,
        unnamed=_FRIEND,
        **_REACH_OUT_TO_TALK,
    ),
    StepTemplate(
        "reach-out/meet",
        _REACH,
        3,
        Effort.MEDIUM,
        "Suggest a time and a place to meet {alias} (a coffee, a walk, a meal) and put it "
        "in your calendar.",
        needs=_ANY,
        in_person=True,
        unnamed=_FRIEND,
        **_REACH_OUT_TO_MEET,
    ),
    StepTemplate(
        "reach-out/join-local-group",
        _REACH,
        3,
        Effort.MEDIUM,
        "Go to one meeting of a local group and say hello to one person there.",
        pillars={Pillar.BELONGING},
        suits={_MOVE},
        in_person=True,
        **_GROUPS,
    ),
    StepTemplate(
        "reach-out/organise",
        _REACH,
        4,
        Effort.LARGE,
        "Organise something small for a few people, with {alias} among them: a shared "
        "meal, a walk, a games evening.",
        needs=_ANY,
        in_person=True,
        unnamed=_FRIEND,
        **_REACH_OUT_TO_MEET,
    ),
    StepTemplate(
        "reach-out/take-part-locally",
        _REACH,
        4,
        Effort.LARGE,
        "Go back to the local group and offer to help with something there (setting up, "
        "bringing food, welcoming the next newcomer), so that you become part of it.",
        pillars={Pillar.BELONGING, Pillar.PRACTICAL_SUPPORT},
        suits={_MOVE},
        in_person=True,
        **_GROUPS,
    ),
    # -- Choose face-to-face contact: a chat → a walk instead of a message → a visit →
    #    a regular time -----------------------------------------------------------------
    StepTemplate(
        "in-person/short-chat",
        _FACE,
        1,
        Effort.TINY,
        "Have one short face-to-face chat you would usually skip, with a neighbour, a "
        "colleague or someone at a shop you go to often.",
        in_person=True,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/work-among-people",
        _FACE,
        1,
        Effort.TINY,
        "Spend one working session where people are around (a library, a café, a shared "
        "workspace, the office) and talk to one of them.",
        suits={_REMOTE},
        in_person=True,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/group-meeting",
        _FACE,
        2,
        Effort.SMALL,
        "Go to the next {alias} meeting and talk with one person there for a few minutes.",
        needs=_GROUP,
        in_person=True,
        unnamed="group",
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/group-help",
        _FACE,
        3,
        Effort.MEDIUM,
        "Offer to help with one thing at {alias} (setting up, bringing food, welcoming "
        "someone new).",
        pillars={Pillar.BELONGING, Pillar.PRACTICAL_SUPPORT},
        needs=_GROUP,
        in_person=True,
        unnamed="a group you belong to",
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/where-people-gather",
        _FACE,
        2,
        Effort.SMALL,
        "Spend an hour where people gather (a library talk, a community café, a class) and "
        "talk with one person there.",
        in_person=True,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/volunteer-once",
        _FACE,
        3,
        Effort.MEDIUM,
        "Give a few hours to a local cause or volunteer team, and talk with the people you "
        "work alongside.",
        in_person=True,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/regular-class",
        _FACE,
        4,
        Effort.LARGE,
        "Sign up for a class or group that meets every week, and go to the first two.",
        in_person=True,
        **_FACE_TO_FACE_REGULARLY,
    ),
    StepTemplate(
        "in-person/household-time",
        _FACE,
        2,
        Effort.SMALL,
        "Set aside twenty minutes at home with {alias}, phones away, just to talk about how "
        "your days went.",
        needs=_HOUSEHOLD,
        in_person=True,
        unnamed="someone you live with",
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/household-outing",
        _FACE,
        3,
        Effort.MEDIUM,
        "Plan an hour out with {alias}, just the two of you, away from the jobs of the day.",
        needs=_HOUSEHOLD,
        in_person=True,
        unnamed="someone you live with",
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/household-ritual",
        _FACE,
        4,
        Effort.LARGE,
        "Agree with {alias} on a regular time each week that is just for the two of you, and "
        "keep the first two.",
        needs=_HOUSEHOLD,
        in_person=True,
        unnamed="someone you live with",
        **_FACE_TO_FACE_REGULARLY,
    ),
    StepTemplate(
        "in-person/walk-instead",
        _FACE,
        2,
        Effort.SMALL,
        "The next time you would message {alias}, suggest a short walk or a coffee "
        "together instead.",
        needs=_ANY,
        in_person=True,
        unnamed=_FRIEND,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/evening-off-the-feed",
        _FACE,
        2,
        Effort.SMALL,
        "Swap one evening of scrolling for half an hour with {alias} in person.",
        needs=_ANY,
        suits={_FEED},
        in_person=True,
        unnamed=_FRIEND,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/visit",
        _FACE,
        3,
        Effort.MEDIUM,
        "Visit {alias}, or invite them round, and spend an hour together with your phones "
        "put away.",
        needs=_ANY,
        in_person=True,
        unnamed=_FRIEND,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/meet-colleagues",
        _FACE,
        3,
        Effort.MEDIUM,
        "Arrange to meet one or two of the people you work with in person, for lunch or a "
        "day in the same place.",
        pillars={Pillar.BELONGING, Pillar.CO_REGULATION},
        suits={_REMOTE},
        in_person=True,
        **_FACE_TO_FACE,
    ),
    StepTemplate(
        "in-person/regular-time",
        _FACE,
        4,
        Effort.LARGE,
        "Agree with {alias} on a regular time to meet (every week or every other week) and "
        "keep the first two.",
        needs=_ANY,
        in_person=True,
        unnamed=_FRIEND,
        **_FACE_TO_FACE_REGULARLY,
    ),
    # -- Open up first: one honest thing → a current struggle → ask for support →
    #    agree to lean on each other ----------------------------------------------------
    StepTemplate(
        "vulnerable/one-honest-thing",
        _OPEN,
        1,
        Effort.TINY,
        "Tell {alias} one honest thing about your week, including a part that was not easy.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_OPEN_UP,
    ),
    StepTemplate(
        "vulnerable/first-honest-conversation",
        _OPEN,
        1,
        Effort.TINY,
        "Tell {alias}, in a sentence or two, that things have been harder lately than you "
        "have shown. You do not have to explain more than you want to, and they do not "
        "have to fix anything.",
        needs=_TRUSTED,
        suits={_NORMS},
        unnamed=_SAFE,
        **_OPEN_UP,
    ),
    StepTemplate(
        "vulnerable/test-the-thought",
        _OPEN,
        1,
        Effort.TINY,
        'When a thought like "{alias} would rather not hear from me" comes up, write down '
        "what speaks for it and what speaks against it. Then tell them one small honest thing "
        "about your week, and note from 1 to 5 how well you expected it to go and how well "
        "it went.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_TEST_EXPECTATIONS,
    ),
    StepTemplate(
        "vulnerable/write-it-down",
        _OPEN,
        1,
        Effort.TINY,
        "Write down, just for yourself, one thing that has been hard lately. Putting it into "
        "words is a first step towards sharing it.",
        pillars={Pillar.VALIDATION, Pillar.CO_REGULATION},
        # Nobody is told, so it is no rehearsal of telling (8.1): only the first graded task (8.7).
        **_but(_OPEN_UP, techniques=("8.7",)),
    ),
    StepTemplate(
        "vulnerable/listening-line",
        _OPEN,
        2,
        Effort.SMALL,
        "Tell a listening line or a befriending volunteer one honest thing about how you have "
        "been.",
        pillars={Pillar.VALIDATION, Pillar.CO_REGULATION},
        # Seeks emotional support (BCIO:007031); Holt-Lunstad studied own ties, not a helpline.
        **_but(_LEAN_ON, references=(LASGAARD_2025,)),
    ),
    StepTemplate(
        "vulnerable/share-a-struggle",
        _OPEN,
        2,
        Effort.SMALL,
        "Share one thing you are struggling with at the moment with {alias}, and let them "
        "simply listen.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_OPEN_UP,
    ),
    StepTemplate(
        "vulnerable/honest-walk",
        _OPEN,
        2,
        Effort.SMALL,
        "Meet {alias} for a walk and tell them honestly how you have been, face to face "
        "rather than in a message.",
        needs=_TRUSTED,
        suits={_REMOTE, _FEED},
        in_person=True,
        unnamed=_SAFE,
        **_OPEN_UP,
    ),
    StepTemplate(
        "vulnerable/ask-for-support",
        _OPEN,
        3,
        Effort.MEDIUM,
        "Ask {alias} for support with one specific thing: time to talk, a hand with a task, "
        "or company on a day you expect to be hard.",
        pillars={Pillar.VALIDATION, Pillar.CO_REGULATION, Pillar.PRACTICAL_SUPPORT},
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_LEAN_ON,
    ),
    StepTemplate(
        "vulnerable/lean-on-each-other",
        _OPEN,
        4,
        Effort.LARGE,
        "Agree with {alias} that either of you can call the other when things get heavy, "
        "and use that promise at least once.",
        pillars={Pillar.VALIDATION, Pillar.CO_REGULATION, Pillar.PRACTICAL_SUPPORT},
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_LEAN_ON,
    ),
    # -- Invest in people, not only activities: appreciate → ask and follow up →
    #    unhurried time → a shared ritual ----------------------------------------------
    StepTemplate(
        "invest/appreciate",
        _INVEST,
        1,
        Effort.TINY,
        "Tell {alias} one specific thing you value about them.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_INVEST_IN,
    ),
    StepTemplate(
        "invest/time-in-the-diary",
        _INVEST,
        1,
        Effort.TINY,
        "Put twenty minutes for {alias} in your diary this week, and protect it the way you "
        "would protect a work meeting.",
        needs=_TRUSTED,
        suits={_BUSY},
        unnamed=_SAFE,
        **_INVEST_IN,
    ),
    StepTemplate(
        "invest/beyond-a-like",
        _INVEST,
        1,
        Effort.TINY,
        "Instead of liking a post by {alias}, write to them personally about it.",
        needs=_ANY,
        suits={_FEED},
        unnamed=_FRIEND,
        **_INVEST_IN,
    ),
    StepTemplate(
        "invest/ask-and-follow-up",
        _INVEST,
        2,
        Effort.SMALL,
        "Ask {alias} about something that matters to them right now, and come back to it "
        "later in the week.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_INVEST_IN,
    ),
    StepTemplate(
        "invest/guess-and-ask",
        _INVEST,
        2,
        Effort.SMALL,
        "Before you ask {alias} about something that matters to them, note from 1 to 5 how "
        "glad you expect them to be that you asked; afterwards, note how glad they seemed.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_TEST_EXPECTATIONS,
    ),
    StepTemplate(
        "invest/unhurried-time",
        _INVEST,
        3,
        Effort.MEDIUM,
        "Spend unhurried time with {alias} doing something you both like, where the point "
        "is each other rather than the activity.",
        needs=_TRUSTED,
        in_person=True,
        unnamed=_SAFE,
        **_INVEST_IN,
    ),
    StepTemplate(
        "invest/offer-a-hand",
        _INVEST,
        3,
        Effort.MEDIUM,
        "Offer {alias} practical help with something they are carrying at the moment; "
        "support that flows both ways makes a tie stronger.",
        pillars={Pillar.PRACTICAL_SUPPORT, Pillar.BELONGING},
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_but(_INVEST_IN, techniques=("8.1",)),
    ),
    StepTemplate(
        "invest/shared-ritual",
        _INVEST,
        4,
        Effort.LARGE,
        "Start a small ritual with {alias} (a monthly meal, a Sunday call, a regular walk) "
        "and set the date of the next one together.",
        needs=_TRUSTED,
        unnamed=_SAFE,
        **_but(_INVEST_IN, techniques=("8.3", "1.4")),
    ),
    # -- Seek professional or community support: find → contact → attend → keep going ---
    StepTemplate(
        "support/find-out",
        _SUPPORT,
        1,
        Effort.TINY,
        "Find out what support is open to you (a GP or social prescriber, a befriending "
        "service, a community centre), and write down the name and contact details of one "
        "place to start.",
        **_SEEK_SUPPORT,
    ),
    StepTemplate(
        "support/note-for-session",
        _SUPPORT,
        1,
        Effort.TINY,
        "Note one thing from this week that you would like to bring to your next session "
        "with {alias}.",
        needs=_PRO,
        unnamed="the professional you see",
        **_SEEK_SUPPORT,
    ),
    StepTemplate(
        "support/bring-to-session",
        _SUPPORT,
        2,
        Effort.SMALL,
        "Bring that one thing to your next session with {alias}, even if it feels small.",
        needs=_PRO,
        unnamed="the professional you see",
        **_SEEK_SUPPORT,
    ),
    StepTemplate(
        "support/ask-about-more",
        _SUPPORT,
        3,
        Effort.MEDIUM,
        "Ask {alias} about a group, class or befriending service that could sit alongside "
        "the support you already have.",
        needs=_PRO,
        unnamed="the professional you see",
        # Asks for groups or befriending (social network/support work), not therapy (Hickin).
        **_but(_SEEK_SUPPORT, references=(LASGAARD_2025,)),
    ),
    StepTemplate(
        "support/social-prescriber",
        _SUPPORT,
        2,
        Effort.SMALL,
        "Ask your GP practice whether they have a social prescriber or link worker, who can "
        "connect you with local groups, classes and services.",
        # A link worker connects to groups (Lasgaard's social network work), not therapy (Hickin).
        **_but(_SEEK_SUPPORT, references=(LASGAARD_2025,)),
    ),
    StepTemplate(
        "support/find-community",
        _SUPPORT,
        1,
        Effort.TINY,
        "Look up one community programme or support group for people going through a "
        "change like yours: a move, a new job, an illness, or getting older.",
        suits={_MOVE},
        **_SEEK_SUPPORT,
    ),
    StepTemplate(
        "support/make-contact",
        _SUPPORT,
        2,
        Effort.SMALL,
        "Contact one service or group (call, write, or fill in their form) and ask how they "
        "could help.",
        **_SEEK_SUPPORT,
    ),
    StepTemplate(
        "support/expect-and-ask",
        _SUPPORT,
        2,
        Effort.SMALL,
        "Before you contact one service or group to ask how they could help, note from 1 to "
        "5 how helpful you expect the answer to be; afterwards, note how helpful it was.",
        **_TEST_EXPECTATIONS,
    ),
    StepTemplate(
        "support/first-visit",
        _SUPPORT,
        3,
        Effort.MEDIUM,
        "Go to a first appointment, session or group meeting. Saying that it is your first "
        "time is fine, and so is just listening.",
        in_person=True,
        **_but(_SEEK_SUPPORT, techniques=("BCIO:007029", "8.7")),
    ),
    StepTemplate(
        "support/volunteer",
        _SUPPORT,
        3,
        Effort.MEDIUM,
        "Give a few hours to a local cause or volunteer team; shared purpose is a quiet "
        "way into belonging.",
        pillars={Pillar.BELONGING, Pillar.PRACTICAL_SUPPORT},
        suits={_MOVE},
        in_person=True,
        **_but(_GROUPS, techniques=("12.2",)),
    ),
    StepTemplate(
        "support/keep-going",
        _SUPPORT,
        4,
        Effort.LARGE,
        "Go back for a few more sessions before you decide whether it suits you; support "
        "tends to help more once it feels familiar.",
        in_person=True,
        **_but(_SEEK_SUPPORT, techniques=("BCIO:007029", "8.3")),
    ),
)


@hookimpl(trylast=True)
def resilience_register_plan_steps(register: Register[StepTemplate]) -> None:
    """Register the built-in step templates.

    Example:
        >>> found = []
        >>> resilience_register_plan_steps(lambda template, replace=False: found.append(template))
        >>> len(found) == len(TEMPLATES)
        True
    """
    for template in TEMPLATES:
        register(template)
