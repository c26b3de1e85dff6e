"""HL7 FHIR R4: instruments as ``Questionnaire`` resources, answers as ``QuestionnaireResponse``.

Resources are plain ``dict`` values shaped like FHIR JSON (``json.dumps`` writes them as
they are); no FHIR library is needed. Three functions cover the round trip, and a fourth
reads the definition a response was collected with:

- :func:`questionnaire` writes an :class:`~resilience.Instrument` as a ``Questionnaire``:
  one ``choice`` item per instrument item, one ``answerOption`` per response option, and
  the option's numeric value in the standard ``itemWeight`` extension (the successor of
  the deprecated ``ordinalValue``, which is never written).
- :func:`response` writes a set of answers as a completed ``QuestionnaireResponse``,
  stamped with the instrument's key hash (the :data:`KEY_HASH_URL` extension).
- :func:`answers_from_response` reads a ``QuestionnaireResponse`` back into answers for
  :meth:`Engine.score <resilience.Engine.score>`, refusing anything it cannot read exactly
  and naming every problem at once. A response stamped with another key hash (the
  definition changed since it was collected, even without a new version) raises
  :class:`~resilience.errors.KeyMismatchError`.
- :func:`key_hash_from_response` gives that recorded key hash, for
  :attr:`Assessment.key_hashes <resilience.Assessment.key_hashes>`.

A plan is written as a ``CarePlan`` by :func:`careplan` (one activity per step, its status
from the check-ins, its behaviour-change techniques as codes) and read back by
:func:`steps_from_careplan` and :func:`outcomes_from_careplan`.

The ``itemWeight`` of an option is the value a person's answer records, before reverse
keys or recoding. Keying stays in the library's scoring key (fingerprinted by
:attr:`Instrument.key_hash <resilience.Instrument.key_hash>`, which the questionnaire
carries as an identifier and a response as an extension), so a total is always computed
by the one scorer.

Example:
    >>> import resilience as rs
    >>> from resilience import fhir
    >>> engine = rs.Engine(load_installed=False)
    >>> ucla = engine.instruments["ucla-3"]
    >>> qr = fhir.response(ucla, {"ucla-1": 2, "ucla-2": 2, "ucla-3": 3})
    >>> engine.score("ucla-3", fhir.answers_from_response(ucla, qr)).total
    7.0
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from resilience import evidence
from resilience._scoring import answer_problems
from resilience.errors import (
    AnswerProblem,
    InstrumentDefinitionError,
    InvalidAnswersError,
    InvalidRecordError,
    KeyMismatchError,
)
from resilience.model.assessment import AnswerValue
from resilience.model.instruments import Instrument, Item, ResponseScale, Wording, wording_gaps
from resilience.model.plans import ConnectionPlan, Outcome, Step
from resilience.serialization import from_json, to_json

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "ITEM_WEIGHT_URL",
    "KEY_HASH_SYSTEM",
    "KEY_HASH_URL",
    "ORDINAL_VALUE_URL",
    "PERSON_SYSTEM",
    "PLAN_SYSTEM",
    "STEP_URL",
    "answers_from_response",
    "careplan",
    "instrument_url",
    "key_hash_from_response",
    "outcomes_from_careplan",
    "questionnaire",
    "response",
    "scale_system",
    "steps_from_careplan",
]

#: The standard extension that carries an answer option's numeric score. Written and
#: compared exactly as given here: an extension under any other URL is not a weight.
ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight"
#: The older extension for the same number (deprecated in favour of ``itemWeight``); read,
#: never written.
ORDINAL_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#: The identifier system under which a questionnaire carries its instrument's key hash.
KEY_HASH_SYSTEM = "urn:resilience:key-hash"
#: The extension under which a response records the key hash of the definition it was
#: collected with, as a ``valueString``. The project defines it; the URL is compared
#: exactly, like :data:`ITEM_WEIGHT_URL`.
KEY_HASH_URL = "urn:resilience:StructureDefinition/key-hash"

_RESPONSE = "QuestionnaireResponse"
_STATUSES = frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
# The statuses of a response whose answers are final: only these are scored by default.
_FINAL = frozenset({"completed", "amended"})
# Every value[x] an answer can carry in FHIR R4; only three of them can hold a choice here.
_VALUE_KEYS = (
    "valueBoolean",
    "valueDecimal",
    "valueInteger",
    "valueDate",
    "valueDateTime",
    "valueTime",
    "valueString",
    "valueUri",
    "valueAttachment",
    "valueCoding",
    "valueQuantity",
    "valueReference",
)

JSON = dict[str, Any]


def instrument_url(instrument: Instrument) -> str:
    """The default canonical URL of an instrument's questionnaire.

    Example:
        >>> from resilience.builtin.instruments.brs import BRS
        >>> instrument_url(BRS)
        'urn:resilience:instrument:brs'
    """
    return f"urn:resilience:instrument:{instrument.id}"


def scale_system(scale: ResponseScale) -> str:
    """The code system of a response scale's answer codes (the option label ids).

    Example:
        >>> from resilience.builtin.instruments.brs import BRS
        >>> scale_system(BRS.scale)
        'urn:resilience:scale:agree-5'
    """
    return f"urn:resilience:scale:{scale.id}"


def _computable_name(instrument_id: str) -> str:
    # FHIR asks for a machine-friendly name, ``[A-Z]([A-Za-z0-9_]){0,254}``.
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", instrument_id) if part]
    name = "".join(part[:1].upper() + part[1:] for part in parts) or "Instrument"
    if not name[0].isalpha() or not name.isascii():
        name = "Instrument" + name
    return name[:255]


def _check_wording(instrument: Instrument, wording: Wording) -> None:
    problems = []
    if wording.instrument_id != instrument.id:
        problems.append(f"the wording is for instrument {wording.instrument_id!r}")
    missing, unknown, extra = wording_gaps(instrument, wording)
    if missing:
        problems.append(f"the wording has no text for item(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"the wording has text for unknown item(s) {', '.join(unknown)}")
    if extra:
        problems.append(f"the wording has text for unknown option(s) {', '.join(extra)}")
    if problems:
        raise InstrumentDefinitionError(
            f"instrument {instrument.id!r}: wording in locale {wording.locale!r} does not fit: "
            + "; ".join(problems)
        )


def _description(instrument: Instrument) -> str:
    parts = [instrument.description] if instrument.description else []
    if instrument.citation is not None:
        source = f"Source: {instrument.citation.text}"
        if instrument.citation.doi:
            source += f" doi:{instrument.citation.doi}"
        parts.append(source)
    return "\n\n".join(parts)


def _item(instrument: Instrument, item: Item, wording: Wording | None) -> JSON:
    scale = instrument.scale_of(item)
    system = scale_system(scale)
    options = []
    for option in scale.options:
        coding: JSON = {"system": system, "code": option.label}
        display = wording.options.get(option.label, "") if wording is not None else ""
        if display.strip():
            coding["display"] = display
        options.append(
            {
                "extension": [{"url": ITEM_WEIGHT_URL, "valueDecimal": option.value}],
                "valueCoding": coding,
            }
        )
    text = wording.items.get(item.id, "") if wording is not None else ""
    return {
        "linkId": item.id,
        "text": text if text.strip() else item.label,
        "type": "choice",
        "required": instrument.missing.max_missing == 0,
        "answerOption": options,
    }


def questionnaire(
    instrument: Instrument, wording: Wording | None = None, *, url: str | None = None
) -> dict[str, Any]:
    """Write ``instrument`` as an HL7 FHIR R4 ``Questionnaire`` resource (a JSON-ready dict).

    Each instrument item becomes one ``choice`` item (``linkId`` = item id), in the
    instrument's order; it is ``required`` when the instrument tolerates no missing item.
    Each response option becomes an ``answerOption`` whose ``valueCoding`` has the system
    :func:`scale_system`, the option's label id as code, and the option's value in the
    :data:`ITEM_WEIGHT_URL` extension. The key hash is kept as an ``identifier``.

    Item texts come from ``wording`` when it is given; otherwise they are the neutral
    labels, which are descriptions in the project's words, not the validated questions.

    Args:
        instrument: The instrument to write.
        wording: Texts for the items, the options and the title, in one locale.
        url: The canonical URL; defaults to :func:`instrument_url`.

    Raises:
        InstrumentDefinitionError: ``wording`` belongs to another instrument or does not
            cover its items.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> q = questionnaire(UCLA_3)
        >>> q["url"], q["version"], [item["linkId"] for item in q["item"]]
        ('urn:resilience:instrument:ucla-3', '1', ['ucla-1', 'ucla-2', 'ucla-3'])
        >>> q["item"][0]["answerOption"][2]
        {'extension': [{'url': 'http://hl7.org/fhir/StructureDefinition/itemWeight', 'valueDecimal': 3}], 'valueCoding': {'system': 'urn:resilience:scale:ucla-3-frequency', 'code': 'often'}}
    """  # noqa: E501
    if wording is not None:
        _check_wording(instrument, wording)
    resource: JSON = {
        "resourceType": "Questionnaire",
        "url": url if url is not None else instrument_url(instrument),
        "identifier": [{"system": KEY_HASH_SYSTEM, "value": instrument.key_hash}],
        "version": instrument.version,
        "name": _computable_name(instrument.id),
        "title": (
            wording.title if wording is not None and wording.title.strip() else instrument.name
        ),
        "status": "active",
    }
    if wording is not None:
        resource["language"] = wording.locale
    description = _description(instrument)
    if description:
        resource["description"] = description
    if instrument.licence:
        resource["copyright"] = instrument.licence
    resource["item"] = [_item(instrument, item, wording) for item in instrument.items]
    return resource


def _authored(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidRecordError(
                _RESPONSE,
                [
                    "authored: a date and time needs a time zone in FHIR; "
                    "give a timezone-aware datetime"
                ],
            )
        return value.isoformat()
    return value.isoformat()


def response(
    instrument: Instrument,
    answers: Mapping[str, AnswerValue],
    *,
    subject: str | Mapping[str, Any] | None = None,
    authored: dt.datetime | dt.date | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """Write ``answers`` as a completed HL7 FHIR R4 ``QuestionnaireResponse``.

    Answered items appear in the instrument's order, each with one ``valueCoding`` answer.
    Unanswered items (``None`` or left out) are left out of the response, as FHIR advises;
    :func:`answers_from_response` reads them back as ``None``. The response carries the
    instrument's :attr:`~resilience.Instrument.key_hash` in the :data:`KEY_HASH_URL`
    extension, so that it is never read later against a changed definition.

    Args:
        instrument: The instrument answered.
        answers: Item id → declared value, or ``None`` for "not answered".
        subject: Who answered: a reference string (``"Patient/123"``) or a FHIR
            ``Reference`` object.
        authored: When the answers were given (a timezone-aware datetime, or a date).
        url: The questionnaire's canonical URL; defaults to :func:`instrument_url`.

    Raises:
        InvalidAnswersError: an unknown item, a wrong type or a value that is not on the
            scale, each problem named.
        InvalidRecordError: ``authored`` is a datetime without a time zone.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> qr = response(UCLA_3, {"ucla-1": 1, "ucla-2": 3, "ucla-3": None})
        >>> qr["questionnaire"], [item["linkId"] for item in qr["item"]]
        ('urn:resilience:instrument:ucla-3|1', ['ucla-1', 'ucla-2'])
        >>> qr["item"][1]["answer"]
        [{'valueCoding': {'system': 'urn:resilience:scale:ucla-3-frequency', 'code': 'often'}}]
        >>> qr["extension"] == [{"url": KEY_HASH_URL, "valueString": UCLA_3.key_hash}]
        True
    """
    problems = _answer_problems(instrument, answers)
    if problems:
        raise InvalidAnswersError(problems)
    resource: JSON = {
        "resourceType": _RESPONSE,
        "extension": [{"url": KEY_HASH_URL, "valueString": instrument.key_hash}],
        "questionnaire": f"{url if url is not None else instrument_url(instrument)}"
        f"|{instrument.version}",
        "status": "completed",
    }
    if subject is not None:
        resource["subject"] = {"reference": subject} if isinstance(subject, str) else dict(subject)
    if authored is not None:
        resource["authored"] = _authored(authored)
    items = []
    for item in instrument.items:
        value = answers.get(item.id)
        if value is None:
            continue
        scale = instrument.scale_of(item)
        (label,) = [option.label for option in scale.options if option.value == value]
        items.append(
            {
                "linkId": item.id,
                "answer": [{"valueCoding": {"system": scale_system(scale), "code": label}}],
            }
        )
    if items:
        resource["item"] = items
    return resource


def _answer_problems(instrument: Instrument, answers: object) -> list[AnswerProblem]:
    # The scorer's checks, each problem listed at its item's place in the caller's answers.
    problems = answer_problems(instrument, answers)
    if isinstance(answers, Mapping):
        place = {str(item_id): index for index, item_id in enumerate(answers)}
        problems.sort(key=lambda problem: place.get(str(problem.item_id), len(place)))
    return problems


# -- reading ---------------------------------------------------------------------------


def _recorded_key(resource: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """The key hash in the resource's :data:`KEY_HASH_URL` extension, and any problems."""
    extensions = resource.get("extension", [])
    if not isinstance(extensions, list):
        return None, [f"extension must be a list, not {type(extensions).__name__} @ $.extension"]
    found: str | None = None
    problems = []
    seen = False
    for index, extension in enumerate(extensions):
        where = f"$.extension[{index}]"
        if not isinstance(extension, Mapping):
            problems.append(
                f"an extension must be an object, not {type(extension).__name__} @ {where}"
            )
            continue
        # Exactly this URL, as for itemWeight; other extensions are left alone.
        if extension.get("url") != KEY_HASH_URL:
            continue
        if seen:
            problems.append(f"the key-hash extension appears more than once @ {where}")
            continue
        seen = True
        value = extension.get("valueString")
        if not isinstance(value, str) or not value.strip():
            problems.append(
                f"the key-hash extension needs a non-empty valueString, not {value!r} "
                f"@ {where}.valueString"
            )
            continue
        found = value
    return found, problems


def _structure_problems(
    instrument: Instrument,
    resource: Mapping[str, Any],
    expected_url: str,
    allow_unfinished: bool = False,
) -> list[str]:
    problems = []
    kind = resource.get("resourceType")
    if kind != _RESPONSE:
        problems.append(f"resourceType is {kind!r}, not {_RESPONSE!r} @ $.resourceType")
    problems.extend(_recorded_key(resource)[1])
    canonical = resource.get("questionnaire")
    if canonical is not None:
        if not isinstance(canonical, str):
            problems.append(
                f"questionnaire must be a canonical URL string, not {type(canonical).__name__} "
                "@ $.questionnaire"
            )
        else:
            target, _, version = canonical.partition("|")
            if target != expected_url:
                problems.append(
                    f"the response answers questionnaire {target!r}, not {expected_url!r} "
                    f"(instrument {instrument.id!r}) @ $.questionnaire"
                )
            elif version and version != instrument.version:
                problems.append(
                    f"the response answers version {version!r} of {instrument.id!r}, "
                    f"not version {instrument.version!r} @ $.questionnaire"
                )
    status = resource.get("status")
    if status is None:
        if not allow_unfinished:
            problems.append(
                "the response has no status, so its answers may not be final; pass "
                "allow_unfinished=True to read it anyway @ $.status"
            )
    elif not isinstance(status, str) or status not in _STATUSES:
        problems.append(
            f"status {status!r} is not a QuestionnaireResponse status "
            f"({', '.join(sorted(_STATUSES))}) @ $.status"
        )
    elif status == "entered-in-error":
        problems.append("the response is marked entered-in-error; it is not scored @ $.status")
    elif status not in _FINAL and not allow_unfinished:
        problems.append(
            f"the response is {status!r}, not completed or amended, so its answers may not "
            "be final; pass allow_unfinished=True to read it anyway @ $.status"
        )
    items = resource.get("item", [])
    if not isinstance(items, list):
        problems.append(f"item must be a list, not {type(items).__name__} @ $.item")
        return problems
    seen: set[str] = set()
    for index, entry in enumerate(items):
        where = f"$.item[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(f"an item must be an object, not {type(entry).__name__} @ {where}")
            continue
        link_id = entry.get("linkId")
        if not isinstance(link_id, str) or not link_id:
            problems.append(f"an item needs a linkId string, got {link_id!r} @ {where}.linkId")
            continue
        if link_id in seen:
            problems.append(f"linkId {link_id!r} appears more than once @ {where}")
        seen.add(link_id)
        nested = [f"{where}.item"] if "item" in entry else []
        answers = entry.get("answer")
        if isinstance(answers, list):
            nested.extend(
                f"{where}.answer[{n}].item"
                for n, answer in enumerate(answers)
                if isinstance(answer, Mapping) and "item" in answer
            )
        problems.extend(
            f"linkId {link_id!r}: nested items are not part of instrument "
            f"{instrument.id!r}, whose questionnaire is flat @ {path}"
            for path in nested
        )
    return problems


def _weights(element: Mapping[str, Any]) -> list[tuple[str, Any]] | None:
    """Each ``itemWeight``/``ordinalValue`` on ``element`` (name, value); ``None`` if malformed."""
    extensions = element.get("extension", [])
    if not isinstance(extensions, list) or not all(isinstance(e, Mapping) for e in extensions):
        return None
    # Exactly these URLs: a look-alike (https, another path) is some other extension.
    names = {ITEM_WEIGHT_URL: "itemWeight", ORDINAL_VALUE_URL: "ordinalValue"}
    return [
        (names[e["url"]], e.get("valueDecimal", e.get("valueInteger")))
        for e in extensions
        if e.get("url") in names
    ]


def _read_answer(
    instrument: Instrument, item: Item, answer: object
) -> tuple[AnswerValue, AnswerProblem | None]:
    def problem(kind: str, message: str) -> tuple[AnswerValue, AnswerProblem]:
        return None, AnswerProblem(instrument.id, item.id, kind, message)

    if not isinstance(answer, Mapping):
        return problem("wrong-type", f"an answer must be an object, not {type(answer).__name__}")
    present = [key for key in _VALUE_KEYS if key in answer]
    if len(present) != 1:
        found = ", ".join(present) or "none"
        return problem("wrong-type", f"an answer needs exactly one value[x]; found {found}")
    (key,) = present
    raw = answer[key]
    scale = instrument.scale_of(item)
    values = ", ".join(str(v) for v in scale.values)
    weights: list[tuple[str, Any]] = []
    if key == "valueCoding":
        if not isinstance(raw, Mapping):
            return problem("wrong-type", f"valueCoding must be an object, not {type(raw).__name__}")
        code, system = raw.get("code"), raw.get("system")
        if not isinstance(code, str) or not (system is None or isinstance(system, str)):
            return problem("wrong-type", "valueCoding needs a code string (and a system string)")
        expected = scale_system(scale)
        if system is not None and system != expected:
            return problem(
                "out-of-range", f"code {code!r} is from system {system!r}, not {expected!r}"
            )
        matches = [option.value for option in scale.options if option.label == code]
        if not matches:
            codes = ", ".join(option.label for option in scale.options)
            return problem("out-of-range", f"code {code!r} is not one of {codes}")
        value = matches[0]
        coding_weights = _weights(raw)
        if coding_weights is None:
            return problem("wrong-type", "valueCoding.extension must be a list of objects")
        weights.extend(coding_weights)
    elif key in ("valueInteger", "valueDecimal"):
        number_types = (int,) if key == "valueInteger" else (int, float)
        if isinstance(raw, bool) or not isinstance(raw, number_types):
            return problem("wrong-type", f"{key} {raw!r} is not a {key[5:].lower()}")
        matches = [v for v in scale.values if v == raw]
        if not matches:
            return problem("out-of-range", f"{key} {raw!r} is not one of {values}")
        value = matches[0]
    else:
        return problem(
            "wrong-type", f"a choice is answered with valueCoding (or a number), not {key}"
        )
    answer_weights = _weights(answer)
    if answer_weights is None:
        return problem("wrong-type", "answer.extension must be a list of objects")
    weights.extend(answer_weights)
    for name, weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight != value:
            # The response's system scored this answer differently from the definition
            # (another scale, or a reverse key applied twice): reading it silently would
            # give the number a meaning it did not have there.
            return problem(
                "out-of-range",
                f"{name} {weight!r} disagrees with the answer's value {value} in the definition",
            )
    return value, None


def key_hash_from_response(response: Mapping[str, Any]) -> str | None:
    """The key hash of the definition a ``QuestionnaireResponse`` was collected with.

    That is the ``valueString`` of its :data:`KEY_HASH_URL` extension, which
    :func:`response` writes. It is ``None`` when the response has none, as responses
    written by other systems do. Put it in :attr:`Assessment.key_hashes
    <resilience.Assessment.key_hashes>` (``key_hashes={instrument.id: key_hash}``) so that
    the engine refuses to score the answers with a different definition.

    Args:
        response: The resource, as parsed from JSON.

    Raises:
        InvalidRecordError: the resource is not a ``QuestionnaireResponse``, or its
            extensions are malformed (not a list of objects, the key-hash extension twice
            or without a non-empty ``valueString``), each problem with its JSON path.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> qr = response(UCLA_3, {"ucla-1": 1, "ucla-2": 2, "ucla-3": 3})
        >>> key_hash_from_response(qr) == UCLA_3.key_hash
        True
        >>> print(key_hash_from_response({"resourceType": "QuestionnaireResponse"}))
        None
    """
    if not isinstance(response, Mapping):
        raise InvalidRecordError(
            _RESPONSE, [f"expected a JSON object, not {type(response).__name__} @ $"]
        )
    problems = []
    kind = response.get("resourceType")
    if kind != _RESPONSE:
        problems.append(f"resourceType is {kind!r}, not {_RESPONSE!r} @ $.resourceType")
    found, extension_problems = _recorded_key(response)
    problems.extend(extension_problems)
    if problems:
        raise InvalidRecordError(_RESPONSE, problems)
    return found


def answers_from_response(
    instrument: Instrument,
    response: Mapping[str, Any],
    *,
    url: str | None = None,
    check_key: bool = True,
    allow_unfinished: bool = False,
) -> dict[str, AnswerValue]:
    """Read a FHIR ``QuestionnaireResponse`` into answers for ``instrument``.

    Items are matched by ``linkId``. An answer's ``valueCoding`` code is the option's label
    id; a ``valueInteger`` or ``valueDecimal`` equal to a declared value is accepted too. An
    ``itemWeight`` (or the older ``ordinalValue``) found on an answer or its coding must
    agree with the value the definition gives the answer. Every item
    of the instrument is in the result: an item without an answer, or absent, is ``None``
    (missing), so whether too many are missing is left to the scorer.

    Nothing is guessed. Problems with the resource as a whole (not a
    ``QuestionnaireResponse``, a ``questionnaire`` canonical naming another instrument or
    another version, an unknown status or ``entered-in-error``, a status other than
    ``completed`` or ``amended`` (or none) unless ``allow_unfinished``, a malformed item list, a
    repeated or missing ``linkId``, nested items) raise :class:`InvalidRecordError`, each
    with its JSON path. Otherwise problems with single answers (an unknown ``linkId``, an
    unknown code, a value off the scale, a wrong type) raise :class:`InvalidAnswersError`.
    Either way, every problem is listed at once, and both are ``ValueError``.

    A response that records the key hash it was collected with (the :data:`KEY_HASH_URL`
    extension, written by :func:`response`) must record ``instrument``'s: a different hash
    means the definition changed since (a moved cut-off, say, which need not change the
    version), so the answers could mean something else now. A response without one, as
    other systems write them, is read without this check.

    Args:
        instrument: The instrument the response answers.
        response: The resource, as parsed from JSON.
        url: The questionnaire's canonical URL; defaults to :func:`instrument_url`.
        check_key: Compare the recorded key hash with ``instrument``'s. Pass ``False``
            only to hand the decision on: read the hash with
            :func:`key_hash_from_response` and record it in :attr:`Assessment.key_hashes
            <resilience.Assessment.key_hashes>`, where the engine checks it.
        allow_unfinished: Also read a response that is ``in-progress`` or ``stopped``
            (or has no status), whose answers may not be final.

    Raises:
        InvalidRecordError: the resource as a whole cannot be read.
        KeyMismatchError: the response records another key hash than ``instrument``'s.
        InvalidAnswersError: single answers cannot be read.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> answers_from_response(UCLA_3, {
        ...     "resourceType": "QuestionnaireResponse",
        ...     "status": "completed",
        ...     "item": [
        ...         {"linkId": "ucla-1", "answer": [{"valueCoding": {"code": "often"}}]},
        ...         {"linkId": "ucla-3", "answer": [{"valueInteger": 2}]},
        ...     ],
        ... })
        {'ucla-1': 3, 'ucla-2': None, 'ucla-3': 2}

        A response collected while the "lonely" band started at 7 is not read as UCLA-3
        with the cut-off at 6, although both are version 1:

        >>> from resilience.builtin.instruments.ucla3 import make_ucla3
        >>> collected = response(make_ucla3(lonely_from=7), {"ucla-1": 2})
        >>> answers_from_response(UCLA_3, collected)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        resilience.errors.KeyMismatchError: instrument 'ucla-3': the answers were collected with definition key ...
    """  # noqa: E501
    if not isinstance(response, Mapping):
        raise InvalidRecordError(
            _RESPONSE, [f"expected a JSON object, not {type(response).__name__} @ $"]
        )
    expected_url = url if url is not None else instrument_url(instrument)
    structural = _structure_problems(instrument, response, expected_url, allow_unfinished)
    if structural:
        raise InvalidRecordError(_RESPONSE, structural)
    recorded = _recorded_key(response)[0]
    if check_key and recorded is not None and recorded != instrument.key_hash:
        # Before the answers: under another definition, their problems may be artefacts.
        raise KeyMismatchError(instrument.id, recorded, instrument.key_hash, instrument.version)
    known = {item.id: item for item in instrument.items}
    result: dict[str, AnswerValue] = dict.fromkeys(known)
    problems: list[AnswerProblem] = []
    for entry in response.get("item", []):
        link_id = entry["linkId"]
        item = known.get(link_id)
        if item is None:
            problems.append(
                AnswerProblem(
                    instrument.id,
                    link_id,
                    "unknown-item",
                    f"linkId {link_id!r} is not an item of this instrument",
                )
            )
            continue
        answers = entry.get("answer", [])
        if not isinstance(answers, list):
            problems.append(
                AnswerProblem(
                    instrument.id,
                    link_id,
                    "wrong-type",
                    f"answer must be a list, not {type(answers).__name__}",
                )
            )
            continue
        if len(answers) > 1:
            problems.append(
                AnswerProblem(
                    instrument.id,
                    link_id,
                    "wrong-type",
                    f"a single-choice item takes one answer, not {len(answers)}",
                )
            )
            continue
        if answers:
            value, problem = _read_answer(instrument, item, answers[0])
            if problem is not None:
                problems.append(problem)
            result[link_id] = value
    if problems:
        raise InvalidAnswersError(problems)
    return result


# -- plans as CarePlan ---------------------------------------------------------------------

#: The identifier system of a plan's person (the host's own id, which stays pseudonymous).
PERSON_SYSTEM = "urn:resilience:person"
#: The identifier system of a plan: ``person id/cycle/day made``.
PLAN_SYSTEM = "urn:resilience:plan"
#: The extension on each ``CarePlan.activity`` that carries the library's own record of the
#: step (a ``valueString`` holding its JSON), so that a plan's steps read back exactly.
STEP_URL = "urn:resilience:StructureDefinition/plan-step"

_CAREPLAN = "CarePlan"
# What a step's check-ins say, as CarePlan.activity.detail.status.
_ACTIVITY_STATUS: dict[Outcome | None, str] = {
    None: "not-started",
    Outcome.DONE: "completed",
    Outcome.PARTLY: "in-progress",
    Outcome.SKIPPED: "cancelled",
}
# Read back: "scheduled" is what other systems may write for a step not begun yet.
_OUTCOME_OF_STATUS: dict[str, Outcome | None] = {
    **{status: outcome for outcome, status in _ACTIVITY_STATUS.items()},
    "scheduled": None,
}


def _technique_codings(step: Step) -> list[JSON]:
    codings: list[JSON] = []
    for technique in step.techniques:
        codings.append(
            {"system": evidence.BCTT_SYSTEM, "code": technique.code, "display": technique.label}
        )
        if technique.bcto_id is not None:
            coding: JSON = {"system": evidence.BCTO_SYSTEM, "code": technique.bcto_id}
            if technique.bcto_label is not None:
                coding["display"] = technique.bcto_label
            codings.append(coding)
    return codings


def _activity(plan: ConnectionPlan, step: Step, converter: cattrs.Converter | None) -> JSON:
    outcome = plan.outcome(step.id)
    code: JSON = {"text": step.approach.label if step.approach is not None else step.action}
    codings = _technique_codings(step)
    if codings:
        code = {"coding": codings, **code}
    detail: JSON = {
        "kind": "Task",
        "code": code,
        "reasonCode": [{"text": evidence.why(step) or step.reason}],
        "status": _ACTIVITY_STATUS[outcome],
        "scheduledPeriod": {"end": step.due.isoformat()},
        "description": step.action,
    }
    activity: JSON = {
        "extension": [{"url": STEP_URL, "valueString": to_json(step, converter=converter)}],
    }
    notes = [
        {
            "time": check_in.on.isoformat(),
            "text": f"{check_in.outcome.value}" + (f": {check_in.note}" if check_in.note else ""),
        }
        for check_in in plan.check_ins
        if check_in.step_id == step.id
    ]
    if notes:
        activity["progress"] = notes
    activity["detail"] = detail
    return activity


def careplan(
    plan: ConnectionPlan,
    *,
    subject: Mapping[str, Any] | None = None,
    converter: cattrs.Converter | None = None,
) -> JSON:
    """Write a plan as an HL7 FHIR R4 ``CarePlan``: one activity per step.

    Each activity's ``detail`` says what to do (``description``), by when
    (``scheduledPeriod.end``), why (``reasonCode``: the step's "why this step" sentence,
    or its reason when it carries no evidence), its behaviour-change techniques as codes
    (``code.coding``: BCT Taxonomy v1 numbers under :data:`~resilience.evidence.BCTT_SYSTEM`
    and BCT Ontology ids under :data:`~resilience.evidence.BCTO_SYSTEM`) and its status from
    the check-ins: ``not-started`` while open, ``completed`` when done, ``in-progress``
    when partly done, ``cancelled`` when skipped. Each check-in is a ``progress`` note. The
    plan is ``completed`` once every step has a check-in, ``active`` before.

    Args:
        plan: The plan.
        subject: The FHIR reference to the person (``{"reference": "Patient/123"}``); by
            default the plan's person id under :data:`PERSON_SYSTEM`.
        converter: The converter that writes each step's record (the engine's, if a
            plugin extended it).

    Example:
        >>> import datetime as dt
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> profile = rs.ResilienceProfile("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...     {rs.Pillar.BELONGING: rs.PillarScore(rs.Pillar.BELONGING, 25.0, 1.0)}, {})
        >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
        >>> plan = plan.check_in(rs.CheckIn(plan.steps[0].id, dt.date(2026, 1, 6),
        ...                                 rs.Outcome.DONE))
        >>> resource = careplan(plan)
        >>> resource["resourceType"], resource["status"], resource["intent"]
        ('CarePlan', 'active', 'plan')
        >>> resource["activity"][0]["detail"]["status"]
        'completed'
    """
    if not isinstance(plan, ConnectionPlan):
        raise TypeError(f"careplan() takes a ConnectionPlan, not {type(plan).__name__}")
    finished = bool(plan.steps) and all(plan.outcome(s.id) is not None for s in plan.steps)
    targets = ", ".join(pillar.label.lower() for pillar in plan.targets)
    resource: JSON = {
        "resourceType": _CAREPLAN,
        "identifier": [
            {
                "system": PLAN_SYSTEM,
                "value": f"{plan.person_id}/{plan.cycle}/{plan.made_on.isoformat()}",
            }
        ],
        "status": "completed" if finished else "active",
        "intent": "plan",
        "title": "Connection plan",
        "description": "Small steps to rebuild connection"
        + (f", aimed at {targets}." if targets else "."),
        "subject": dict(subject)
        if subject is not None
        else {"identifier": {"system": PERSON_SYSTEM, "value": plan.person_id}},
        "created": plan.made_on.isoformat(),
    }
    if plan.steps:
        resource["period"] = {
            "start": plan.made_on.isoformat(),
            "end": max(step.due for step in plan.steps).isoformat(),
        }
        resource["activity"] = [_activity(plan, step, converter) for step in plan.steps]
    return resource


def _careplan_activities(resource: object) -> list[tuple[str, Mapping[str, Any]]]:
    """The activities of a CarePlan with their JSON paths, or the problems of its frame."""
    if not isinstance(resource, Mapping):
        raise InvalidRecordError(
            _CAREPLAN, [f"expected a JSON object, not {type(resource).__name__} @ $"]
        )
    if resource.get("resourceType") != _CAREPLAN:
        raise InvalidRecordError(
            _CAREPLAN,
            [f"resourceType must be 'CarePlan', not {resource.get('resourceType')!r} @ $"],
        )
    activities = resource.get("activity", [])
    if not isinstance(activities, list):
        raise InvalidRecordError(_CAREPLAN, ["activity must be a list @ $.activity"])
    found: list[tuple[str, Mapping[str, Any]]] = []
    problems: list[str] = []
    for index, activity in enumerate(activities):
        path = f"$.activity[{index}]"
        if isinstance(activity, Mapping):
            found.append((path, activity))
        else:
            problems.append(f"expected a JSON object @ {path}")
    if problems:
        raise InvalidRecordError(_CAREPLAN, problems)
    return found


def _step_record(path: str, activity: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The step JSON an activity carries, or a problem."""
    extensions = activity.get("extension", [])
    if not isinstance(extensions, list):
        return None, f"extension must be a list @ {path}.extension"
    values = [
        e.get("valueString")
        for e in extensions
        if isinstance(e, Mapping) and e.get("url") == STEP_URL
    ]
    if len(values) != 1 or not isinstance(values[0], str):
        return None, (
            f"expected one {STEP_URL} extension with a valueString (written by careplan()) "
            f"@ {path}.extension"
        )
    return values[0], None


def steps_from_careplan(
    resource: Mapping[str, Any], *, converter: cattrs.Converter | None = None
) -> tuple[Step, ...]:
    """Read the steps back from a ``CarePlan`` written by :func:`careplan`.

    Raises:
        InvalidRecordError: not a ``CarePlan``, or an activity without a readable step
            record; every problem is named with its JSON path.

    Example:
        >>> import datetime as dt
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> profile = rs.ResilienceProfile("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...                                {}, {})
        >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
        >>> steps_from_careplan(careplan(plan)) == plan.steps
        True
    """
    steps: list[Step] = []
    problems: list[str] = []
    for path, activity in _careplan_activities(resource):
        text, problem = _step_record(path, activity)
        if problem is not None:
            problems.append(problem)
            continue
        assert text is not None
        try:
            steps.append(from_json(text, Step, converter=converter))
        except InvalidRecordError as error:
            problems.extend(f"{p} (in the step record @ {path})" for p in error.problems)
    if problems:
        raise InvalidRecordError(_CAREPLAN, problems)
    return tuple(steps)


def outcomes_from_careplan(resource: Mapping[str, Any]) -> dict[str, Outcome | None]:
    """Each step's outcome as a ``CarePlan``'s activity statuses say, by step id.

    The inverse of the statuses :func:`careplan` writes; ``scheduled`` (as other systems
    may write for a step not begun) reads as open, like ``not-started``. So a status that
    another system changed (a coach marking a step done) can be brought back as a
    check-in.

    Raises:
        InvalidRecordError: not a ``CarePlan``, an activity without a step record, or a
            status with no outcome here (``on-hold``, ``stopped``, ``unknown``,
            ``entered-in-error``), each named with its JSON path.

    Example:
        >>> import datetime as dt
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> profile = rs.ResilienceProfile("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...                                {}, {})
        >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
        >>> first = plan.steps[0].id
        >>> plan = plan.check_in(rs.CheckIn(first, dt.date(2026, 1, 6), rs.Outcome.SKIPPED))
        >>> outcomes_from_careplan(careplan(plan))[first]
        <Outcome.SKIPPED: 'skipped'>
    """
    outcomes: dict[str, Outcome | None] = {}
    problems: list[str] = []
    for path, activity in _careplan_activities(resource):
        text, problem = _step_record(path, activity)
        detail = activity.get("detail")
        status = detail.get("status") if isinstance(detail, Mapping) else None
        if problem is not None:
            problems.append(problem)
        if status not in _OUTCOME_OF_STATUS:
            problems.append(
                f"detail.status {status!r} says no outcome; expected one of "
                f"{', '.join(sorted(_OUTCOME_OF_STATUS))} @ {path}.detail.status"
            )
            continue
        if text is None:
            continue
        try:
            step_id = from_json(text, Step).id
        except InvalidRecordError as error:
            problems.extend(f"{p} (in the step record @ {path})" for p in error.problems)
            continue
        outcomes[step_id] = _OUTCOME_OF_STATUS[status]
    if problems:
        raise InvalidRecordError(_CAREPLAN, problems)
    return outcomes
