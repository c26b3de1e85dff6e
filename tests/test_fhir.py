"""resilience.fhir: instruments as FHIR Questionnaires, answers as QuestionnaireResponses."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import resilience as rs
from resilience import fhir
from resilience._scoring import score
from resilience.builtin.instruments.ucla3 import make_ucla3
from resilience.errors import AnswerProblem, KeyMismatchError
from resilience.testing.strategies import answers_for, instruments, wordings

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
KEY_HASH = "urn:resilience:StructureDefinition/key-hash"
WHEN = dt.datetime(2026, 2, 9, 19, 15, tzinfo=dt.timezone(dt.timedelta(hours=2)))
ENGINE = rs.Engine(load_installed=False)
UCLA = ENGINE.instruments["ucla-3"]
MSPSS = ENGINE.instruments["mspss"]

PAGE = Path(__file__).resolve().parent.parent / "docs" / "fhir.md"
TEXT = PAGE.read_text(encoding="utf-8")
FLAT = " ".join(TEXT.split())
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)

BUILT_INS = list(ENGINE.instruments.values())
by_id = pytest.mark.parametrize("instrument", BUILT_INS, ids=lambda i: i.id)
any_instrument = st.sampled_from(BUILT_INS) | instruments()


def _weights(option: dict[str, Any]) -> list[Any]:
    return [e["valueDecimal"] for e in option["extension"] if e["url"] == ITEM_WEIGHT]


def _explicit(instrument: rs.Instrument, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with every unanswered item spelled out as None."""
    return {item.id: answers.get(item.id) for item in instrument.items}


def _qr(*items: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        **fields,
        "item": [*items],
    }


def _coded(link_id: str, code: str, **coding: Any) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [{"valueCoding": {"code": code, **coding}}]}


# -- Questionnaire ---------------------------------------------------------------------


def _check_questionnaire(instrument: rs.Instrument, q: dict[str, Any]) -> None:
    assert q["resourceType"] == "Questionnaire"
    assert q["status"] == "active"
    assert q["version"] == instrument.version
    assert {"system": "urn:resilience:key-hash", "value": instrument.key_hash} in q["identifier"]
    assert re.fullmatch(r"[A-Z][A-Za-z0-9_]{0,254}", q["name"])
    assert [item["linkId"] for item in q["item"]] == [item.id for item in instrument.items]
    for item, written in zip(instrument.items, q["item"], strict=True):
        scale = instrument.scale_of(item)
        assert written["type"] == "choice"
        assert written["required"] is (instrument.missing.max_missing == 0)
        options = written["answerOption"]
        assert [_weights(option) for option in options] == [[v] for v in scale.values]
        assert [o["valueCoding"]["code"] for o in options] == [o.label for o in scale.options]
        assert {o["valueCoding"]["system"] for o in options} == {f"urn:resilience:scale:{scale.id}"}
    text = json.dumps(q)
    assert "ordinalValue" not in text
    assert json.loads(text) == q


@by_id
def test_questionnaire_of_every_builtin(instrument: rs.Instrument) -> None:
    q = fhir.questionnaire(instrument)
    _check_questionnaire(instrument, q)
    assert q["url"] == f"urn:resilience:instrument:{instrument.id}"
    assert q["title"] == instrument.name
    assert "language" not in q
    # Without wording the texts are the neutral labels, never anything else.
    assert [item["text"] for item in q["item"]] == [item.label for item in instrument.items]
    assert all("display" not in o["valueCoding"] for i in q["item"] for o in i["answerOption"])
    if instrument.citation is not None:
        assert instrument.citation.text in q["description"]
    assert q["copyright"] == instrument.licence


def test_the_weight_sits_on_the_answer_option_with_the_exact_url() -> None:
    option = fhir.questionnaire(UCLA)["item"][0]["answerOption"][0]
    assert option["extension"] == [{"url": ITEM_WEIGHT, "valueDecimal": 1}]
    assert fhir.ITEM_WEIGHT_URL == ITEM_WEIGHT
    assert "extension" not in option["valueCoding"]


def test_weights_are_raw_values_even_for_reverse_keys_and_recodes() -> None:
    brs = fhir.questionnaire(ENGINE.instruments["brs"])
    assert [_weights(o) for o in brs["item"][1]["answerOption"]] == [[1], [2], [3], [4], [5]]
    djg = fhir.questionnaire(ENGINE.instruments["djg-6"])
    assert [_weights(o) for o in djg["item"][0]["answerOption"]] == [[1], [2], [3]]


def test_required_follows_the_missing_policy() -> None:
    assert all(item["required"] for item in fhir.questionnaire(UCLA)["item"])
    brs = fhir.questionnaire(ENGINE.instruments["brs"])  # one item may be missing
    assert not any(item["required"] for item in brs["item"])


def test_a_custom_canonical_url() -> None:
    q = fhir.questionnaire(UCLA, url="https://forms.example.org/Questionnaire/ucla-3")
    assert q["url"] == "https://forms.example.org/Questionnaire/ucla-3"


def test_questionnaire_with_the_projects_wording() -> None:
    signs = ENGINE.instruments["connection-signs"]
    wording = ENGINE.wording("connection-signs", "en")
    q = fhir.questionnaire(signs, wording)
    _check_questionnaire(signs, q)
    assert q["language"] == "en"
    assert q["title"] == (wording.title or signs.name)
    assert [item["text"] for item in q["item"]] == [wording.items[i.id] for i in signs.items]
    for item in q["item"]:
        for option in item["answerOption"]:
            coding = option["valueCoding"]
            assert coding["display"] == wording.options[coding["code"]]


@given(st.data())
def test_questionnaire_of_any_instrument_with_any_wording(data: st.DataObject) -> None:
    instrument = data.draw(instruments())
    wording = data.draw(wordings(instrument))
    q = fhir.questionnaire(instrument, wording)
    _check_questionnaire(instrument, q)
    assert q["language"] == wording.locale
    for item, written in zip(instrument.items, q["item"], strict=True):
        expected = wording.items[item.id] if wording.items[item.id].strip() else item.label
        assert written["text"] == expected


def test_wording_that_does_not_fit_is_refused() -> None:
    signs_wording = ENGINE.wording("connection-signs", "en")
    with pytest.raises(rs.InstrumentDefinitionError, match="wording is for instrument") as caught:
        fhir.questionnaire(UCLA, signs_wording)
    assert isinstance(caught.value, ValueError)
    partial = rs.Wording("ucla-3", "en", {"ucla-1": "One", "ucla-7": "Seven"}, {"never": "N"})
    with pytest.raises(rs.InstrumentDefinitionError) as caught:
        fhir.questionnaire(UCLA, partial)
    message = str(caught.value)
    assert "no text for item(s) ucla-2, ucla-3" in message
    assert "unknown item(s) ucla-7" in message
    assert "unknown option(s) never" in message


# -- round trip ------------------------------------------------------------------------


@given(st.data())
def test_reading_a_written_response_gives_back_the_answers(data: st.DataObject) -> None:
    instrument = data.draw(any_instrument)
    answers = data.draw(answers_for(instrument))
    qr = fhir.response(instrument, answers)
    assert fhir.answers_from_response(instrument, qr) == _explicit(instrument, answers)
    # The same through JSON text, as it would travel.
    read = fhir.answers_from_response(instrument, json.loads(json.dumps(qr)))
    assert read == _explicit(instrument, answers)
    # ...and what is read back scores exactly like what was written.
    assert score(instrument, read) == score(instrument, answers)
    # The key hash travels with the answers.
    assert fhir.key_hash_from_response(json.loads(json.dumps(qr))) == instrument.key_hash


@given(answers_for(UCLA, allow_missing=False))
def test_complete_answers_come_back_unchanged(answers: dict[str, Any]) -> None:
    assert fhir.answers_from_response(UCLA, fhir.response(UCLA, answers)) == answers


def test_unanswered_items_are_left_out_of_the_response() -> None:
    brs = ENGINE.instruments["brs"]
    answers = {"brs-1": 4, "brs-2": None, "brs-3": 2, "brs-4": 5, "brs-5": 1, "brs-6": 2}
    qr = fhir.response(brs, answers)
    assert [i["linkId"] for i in qr["item"]] == ["brs-1", "brs-3", "brs-4", "brs-5", "brs-6"]
    read = fhir.answers_from_response(brs, qr)
    assert read == answers
    assert ENGINE.score("brs", read).missing == ("brs-2",)
    del answers["brs-6"]
    assert fhir.answers_from_response(brs, fhir.response(brs, answers))["brs-6"] is None


def test_a_response_without_answers_has_no_item_list() -> None:
    qr = fhir.response(UCLA, {})
    assert "item" not in qr
    assert fhir.answers_from_response(UCLA, qr) == dict.fromkeys(["ucla-1", "ucla-2", "ucla-3"])


def test_response_fields() -> None:
    qr = fhir.response(
        UCLA,
        {"ucla-1": 1, "ucla-2": 2, "ucla-3": 3},
        subject="Patient/17",
        authored=dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        url="https://forms.example.org/q/ucla-3",
    )
    assert qr["resourceType"] == "QuestionnaireResponse"
    assert qr["status"] == "completed"
    assert qr["questionnaire"] == "https://forms.example.org/q/ucla-3|1"
    assert qr["subject"] == {"reference": "Patient/17"}
    assert qr["authored"] == "2026-03-01T08:00:00+01:00"
    assert qr["item"][2]["answer"] == [
        {"valueCoding": {"system": "urn:resilience:scale:ucla-3-frequency", "code": "often"}}
    ]
    with pytest.raises(rs.InvalidRecordError, match="questionnaire"):
        fhir.answers_from_response(UCLA, qr)  # another URL than the default
    assert fhir.answers_from_response(UCLA, qr, url="https://forms.example.org/q/ucla-3") == {
        "ucla-1": 1,
        "ucla-2": 2,
        "ucla-3": 3,
    }


def test_response_subject_reference_object_and_date() -> None:
    reference = {"identifier": {"system": "urn:example", "value": "p-1"}}
    qr = fhir.response(UCLA, {"ucla-1": 1}, subject=reference, authored=dt.date(2026, 2, 3))
    assert qr["subject"] == reference
    assert qr["subject"] is not reference
    assert qr["authored"] == "2026-02-03"


def test_response_refuses_a_naive_datetime() -> None:
    with pytest.raises(rs.InvalidRecordError, match="time zone") as caught:
        fhir.response(UCLA, {"ucla-1": 1}, authored=dt.datetime(2026, 1, 1, 9, 0))
    assert isinstance(caught.value, ValueError)


def test_response_refuses_bad_answers_naming_every_problem() -> None:
    bad: dict[str, Any] = {"ucla-1": 7, "ucla-2": True, "ucla-3": "2", "ucla-9": 1}
    with pytest.raises(rs.InvalidAnswersError) as caught:
        fhir.response(UCLA, bad)
    assert [(p.item_id, p.kind) for p in caught.value.problems] == [
        ("ucla-1", "out-of-range"),
        ("ucla-2", "wrong-type"),
        ("ucla-3", "wrong-type"),
        ("ucla-9", "unknown-item"),
    ]
    with pytest.raises(rs.InvalidAnswersError, match="must be a mapping"):
        fhir.response(UCLA, [("ucla-1", 1)])  # type: ignore[arg-type]


# -- reading hand-written responses ----------------------------------------------------


def test_a_hand_written_minimal_ucla3_response_scores() -> None:
    minimal = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "ucla-1", "answer": [{"valueCoding": {"code": "often"}}]},
            {"linkId": "ucla-2", "answer": [{"valueCoding": {"code": "hardly-ever"}}]},
            {"linkId": "ucla-3", "answer": [{"valueCoding": {"code": "some-of-the-time"}}]},
        ],
    }
    score = rs.Engine(load_installed=False).score(
        "ucla-3", fhir.answers_from_response(UCLA, minimal)
    )
    assert (score.total, score.band, score.missing) == (6.0, "lonely", ())


def test_numbers_and_canonicals_without_a_version_are_accepted() -> None:
    qr = _qr(
        {"linkId": "ucla-1", "answer": [{"valueInteger": 1}]},
        {"linkId": "ucla-2", "answer": [{"valueDecimal": 2.0}]},
        {"linkId": "ucla-3", "answer": [{"valueDecimal": 3}]},
        questionnaire="urn:resilience:instrument:ucla-3",
    )
    read = fhir.answers_from_response(UCLA, qr)
    assert read == {"ucla-1": 1, "ucla-2": 2, "ucla-3": 3}
    assert all(type(v) is int for v in read.values())  # the declared values, not 2.0


@pytest.mark.parametrize("status", ["in-progress", "stopped", None])
def test_an_unfinished_response_is_refused_unless_asked_for(status: str | None) -> None:
    qr = _qr(_coded("ucla-1", "often"), {"linkId": "ucla-2", "answer": []}, {"linkId": "ucla-3"})
    if status is None:
        del qr["status"]
    else:
        qr["status"] = status
    with pytest.raises(rs.InvalidRecordError, match="allow_unfinished=True") as caught:
        fhir.answers_from_response(UCLA, qr)
    assert caught.value.problems[0].endswith("@ $.status")
    read = fhir.answers_from_response(UCLA, qr, allow_unfinished=True)
    assert read == {"ucla-1": 3, "ucla-2": None, "ucla-3": None}


@pytest.mark.parametrize("status", ["completed", "amended"])
def test_a_final_response_is_read(status: str) -> None:
    qr = _qr(_coded("ucla-1", "often"))
    qr["status"] = status
    assert fhir.answers_from_response(UCLA, qr)["ucla-1"] == 3


def test_entered_in_error_is_refused_even_when_unfinished_ones_are_allowed() -> None:
    qr = _qr(_coded("ucla-1", "often"))
    qr["status"] = "entered-in-error"
    with pytest.raises(rs.InvalidRecordError, match="entered-in-error"):
        fhir.answers_from_response(UCLA, qr, allow_unfinished=True)


@pytest.mark.parametrize("url", [fhir.ITEM_WEIGHT_URL, fhir.ORDINAL_VALUE_URL])
@pytest.mark.parametrize("on", ["answer", "coding"])
def test_a_weight_that_contradicts_the_definition_is_reported(url: str, on: str) -> None:
    # "often" is 3 in UCLA-3's definition; a response system that scored it 1 (say, with
    # the key reversed) meant something else by it.
    extension = [{"url": url, "valueDecimal": 1}]
    answer: dict[str, Any] = {"valueCoding": {"code": "often"}}
    if on == "answer":
        answer["extension"] = extension
    else:
        answer["valueCoding"]["extension"] = extension
    qr = _qr({"linkId": "ucla-1", "answer": [answer]})
    with pytest.raises(rs.InvalidAnswersError) as caught:
        fhir.answers_from_response(UCLA, qr)
    (problem,) = caught.value.problems
    name = "itemWeight" if url == fhir.ITEM_WEIGHT_URL else "ordinalValue"
    assert problem.item_id == "ucla-1"
    assert f"{name} 1 disagrees" in problem.message


def test_an_agreeing_item_weight_is_accepted_and_look_alikes_are_ignored() -> None:
    weight = {"url": ITEM_WEIGHT, "valueDecimal": 3}
    look_alike = {"url": "https://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}
    ordinal = {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 3}
    qr = _qr(
        {"linkId": "ucla-1", "answer": [{"extension": [weight], "valueCoding": {"code": "often"}}]},
        _coded("ucla-2", "often", extension=[weight, look_alike]),
        _coded(
            "ucla-3", "often", extension=[ordinal], system="urn:resilience:scale:ucla-3-frequency"
        ),
    )
    assert fhir.answers_from_response(UCLA, qr) == {"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}


def test_every_answer_problem_is_named_with_its_link_id() -> None:
    weight_one = [{"url": ITEM_WEIGHT, "valueDecimal": 1}]
    qr = _qr(
        _coded("mspss-1", "always"),  # unknown code
        _coded("mspss-2", "agree", system="http://loinc.org"),  # another code system
        {"linkId": "mspss-3", "answer": [{"valueInteger": 9}]},  # off the scale
        {"linkId": "mspss-4", "answer": [{"valueDecimal": 2.5}]},  # off the scale
        {"linkId": "mspss-5", "answer": [{"valueString": "agree"}]},  # not a choice value
        {"linkId": "mspss-6", "answer": [{"valueInteger": True}]},  # a bool is not a number
        {"linkId": "mspss-7", "answer": [{"valueInteger": 1}, {"valueInteger": 2}]},
        {"linkId": "mspss-8", "answer": {"valueInteger": 1}},  # not a list
        {"linkId": "mspss-9", "answer": ["often"]},  # not an object
        {"linkId": "mspss-10", "answer": [{}]},  # no value[x]
        {"linkId": "mspss-11", "answer": [{"valueInteger": 1, "valueDecimal": 1}]},
        _coded("mspss-12", "strongly-agree", extension=weight_one),  # disagreeing weight
        {"linkId": "mspss-99", "answer": [{"valueInteger": 1}]},  # unknown item
    )
    with pytest.raises(rs.InvalidAnswersError) as caught:
        fhir.answers_from_response(MSPSS, qr)
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, rs.ResilienceError)
    assert [(p.item_id, p.kind) for p in error.problems] == [
        ("mspss-1", "out-of-range"),
        ("mspss-2", "out-of-range"),
        ("mspss-3", "out-of-range"),
        ("mspss-4", "out-of-range"),
        ("mspss-5", "wrong-type"),
        ("mspss-6", "wrong-type"),
        ("mspss-7", "wrong-type"),
        ("mspss-8", "wrong-type"),
        ("mspss-9", "wrong-type"),
        ("mspss-10", "wrong-type"),
        ("mspss-11", "wrong-type"),
        ("mspss-12", "out-of-range"),
        ("mspss-99", "unknown-item"),
    ]
    assert all(p.instrument_id == "mspss" for p in error.problems)
    assert "13 problems" in str(error)
    assert "mspss/mspss-2" in str(error)


@pytest.mark.parametrize(
    ("answer", "needle"),
    [
        ({"valueCoding": "often"}, "valueCoding must be an object"),
        ({"valueCoding": {"code": 3}}, "needs a code string"),
        ({"valueCoding": {"code": "often", "system": 1}}, "needs a code string"),
        ({"valueCoding": {"code": "often", "extension": {"url": ITEM_WEIGHT}}}, "extension"),
        ({"valueCoding": {"code": "often"}, "extension": "x"}, "answer.extension"),
        ({"valueInteger": 3.0}, "not a integer"),
        ({"valueDecimal": "3"}, "not a decimal"),
        ({"valueBoolean": True}, "not valueBoolean"),
        (
            {
                "valueCoding": {"code": "often"},
                "extension": [{"url": ITEM_WEIGHT, "valueDecimal": "3"}],
            },
            "itemWeight '3' disagrees",
        ),
    ],
)
def test_malformed_answers_are_wrong_types(answer: dict[str, Any], needle: str) -> None:
    qr = _qr({"linkId": "ucla-1", "answer": [answer]}, _coded("ucla-2", "often"))
    with pytest.raises(rs.InvalidAnswersError) as caught:
        fhir.answers_from_response(UCLA, qr)
    (problem,) = caught.value.problems
    assert problem.item_id == "ucla-1"
    assert needle in problem.message


def _record_problems(resource: object) -> tuple[str, ...]:
    with pytest.raises(rs.InvalidRecordError) as caught:
        fhir.answers_from_response(UCLA, resource)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert "cannot read QuestionnaireResponse" in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize(
    ("resource", "needle"),
    [
        ([], "expected a JSON object, not list @ $"),
        ("{}", "expected a JSON object, not str @ $"),
        ({"resourceType": "Questionnaire"}, "resourceType is 'Questionnaire'"),
        ({}, "resourceType is None"),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": "urn:resilience:instrument:brs|1",
            },
            "answers questionnaire 'urn:resilience:instrument:brs', not "
            "'urn:resilience:instrument:ucla-3' (instrument 'ucla-3') @ $.questionnaire",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": "urn:resilience:instrument:ucla-3|2",
            },
            "version '2' of 'ucla-3', not version '1'",
        ),
        ({"resourceType": "QuestionnaireResponse", "questionnaire": 3}, "canonical URL string"),
        ({"resourceType": "QuestionnaireResponse", "status": "done"}, "status 'done' is not"),
        (
            {"resourceType": "QuestionnaireResponse", "status": "entered-in-error"},
            "entered-in-error",
        ),
        ({"resourceType": "QuestionnaireResponse", "item": {}}, "item must be a list"),
        (
            {"resourceType": "QuestionnaireResponse", "item": ["ucla-1"]},
            "must be an object, not str @ $.item[0]",
        ),
        ({"resourceType": "QuestionnaireResponse", "item": [{"answer": []}]}, "needs a linkId"),
        (
            {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "a"}, {"linkId": "a"}]},
            "linkId 'a' appears more than once @ $.item[1]",
        ),
        (
            {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "g", "item": []}]},
            "nested items are not part of instrument 'ucla-3'",
        ),
        (
            {
                "resourceType": "QuestionnaireResponse",
                "item": [{"linkId": "ucla-1", "answer": [{"valueInteger": 1, "item": []}]}],
            },
            "@ $.item[0].answer[0].item",
        ),
    ],
)
def test_structural_problems_are_record_errors(resource: object, needle: str) -> None:
    problems = _record_problems(resource)
    assert any(needle in problem for problem in problems), problems


def test_every_structural_problem_is_listed_at_once() -> None:
    problems = _record_problems(
        {
            "resourceType": "Observation",
            "questionnaire": "urn:resilience:instrument:ucla-3|0.9",
            "status": "entered-in-error",
            "item": [{"linkId": ""}, {"linkId": "ucla-1"}, {"linkId": "ucla-1"}],
        }
    )
    assert len(problems) == 5
    assert [p.rsplit("@ ", 1)[1] for p in problems] == [
        "$.resourceType",
        "$.questionnaire",
        "$.status",
        "$.item[0].linkId",
        "$.item[2]",
    ]


def test_errors_use_the_library_problem_type() -> None:
    with pytest.raises(rs.InvalidAnswersError) as caught:
        fhir.answers_from_response(UCLA, _qr(_coded("x", "often")))
    assert caught.value.problems == (
        AnswerProblem(
            "ucla-3", "x", "unknown-item", "linkId 'x' is not an item of this instrument"
        ),
    )


# -- the key hash a response was collected with ---------------------------------------


class MovedCutOff:
    """Replaces UCLA-3 with a definition whose "lonely" band starts at 7 (same version)."""

    @rs.hookimpl
    def resilience_register_instruments(self, register: object) -> None:
        register(make_ucla3(lonely_from=7), replace=True)  # type: ignore[operator]


MOVED = rs.Engine(plugins=[MovedCutOff()], load_installed=False)
SIX = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}  # lonely from 6, not lonely from 7


def _with_key(resource: dict[str, Any], *extensions: Any) -> dict[str, Any]:
    return {**resource, "extension": [*extensions]}


def test_the_response_records_the_key_hash_in_a_project_extension() -> None:
    qr = fhir.response(UCLA, SIX)
    assert fhir.KEY_HASH_URL == KEY_HASH
    assert qr["extension"] == [{"url": KEY_HASH, "valueString": UCLA.key_hash}]
    # The questionnaire names the same definition, as an identifier.
    identifiers = fhir.questionnaire(UCLA)["identifier"]
    assert {"system": fhir.KEY_HASH_SYSTEM, "value": fhir.key_hash_from_response(qr)} in (
        identifiers
    )
    # Nothing lands in meta, which servers may rewrite without a new version.
    assert "meta" not in qr


def test_the_moved_cut_off_changes_the_key_hash_but_not_the_version() -> None:
    moved = MOVED.instruments["ucla-3"]
    assert (moved.version, moved.key_hash != UCLA.key_hash) == (UCLA.version, True)
    assert fhir.response(moved, SIX)["questionnaire"] == fhir.response(UCLA, SIX)["questionnaire"]


def test_another_key_hash_is_refused_naming_the_instrument_and_both_hashes() -> None:
    old = make_ucla3(lonely_from=7)
    qr = json.loads(json.dumps(fhir.response(old, SIX)))
    with pytest.raises(KeyMismatchError) as caught:
        fhir.answers_from_response(UCLA, qr)
    error = caught.value
    assert (error.instrument_id, error.recorded, error.current) == (
        "ucla-3",
        old.key_hash,
        UCLA.key_hash,
    )
    message = str(error)
    assert "'ucla-3'" in message
    assert old.key_hash[:12] in message
    assert UCLA.key_hash[:12] in message
    assert isinstance(error, rs.ResilienceError)
    assert isinstance(error, ValueError)
    # Reading it with the definition it was collected with works.
    assert fhir.answers_from_response(old, qr) == SIX


def test_a_tampered_key_hash_is_refused_before_the_answers_are_read() -> None:
    tampered = _with_key(
        _qr(_coded("ucla-1", "always")), {"url": KEY_HASH, "valueString": "0" * 64}
    )
    with pytest.raises(KeyMismatchError, match="definition key 000000000000…"):
        fhir.answers_from_response(UCLA, tampered)
    # With the check handed on, the answers are read (and their own problem named).
    with pytest.raises(rs.InvalidAnswersError, match="'always' is not one of"):
        fhir.answers_from_response(UCLA, tampered, check_key=False)


@given(any_instrument, st.text("0123456789abcdef", min_size=1, max_size=64))
def test_any_other_key_hash_is_refused(instrument: rs.Instrument, recorded: str) -> None:
    qr = fhir.response(instrument, {})
    qr["extension"][0]["valueString"] = recorded
    assert fhir.key_hash_from_response(qr) == recorded
    expected = dict.fromkeys(item.id for item in instrument.items)
    if recorded == instrument.key_hash:  # practically never drawn, but then it must pass
        assert fhir.answers_from_response(instrument, qr) == expected
    else:
        with pytest.raises(KeyMismatchError) as caught:
            fhir.answers_from_response(instrument, qr)
        assert (caught.value.instrument_id, caught.value.recorded) == (instrument.id, recorded)
        assert caught.value.current == instrument.key_hash
    assert fhir.answers_from_response(instrument, qr, check_key=False) == expected


def test_a_response_without_a_key_hash_is_accepted() -> None:
    written = fhir.response(UCLA, SIX)
    del written["extension"]
    assert fhir.key_hash_from_response(written) is None
    assert fhir.answers_from_response(UCLA, written) == SIX
    # Other extensions, look-alike URLs included, are not a key hash.
    others = _with_key(
        written,
        {"url": "https://example.org/fhir/StructureDefinition/device", "valueString": "tablet"},
        {"url": "urn:resilience:StructureDefinition/key-hash/", "valueString": "0" * 64},
        {"url": "urn:resilience:key-hash", "valueString": "0" * 64},
    )
    assert fhir.key_hash_from_response(others) is None
    assert fhir.answers_from_response(UCLA, others) == SIX
    assert fhir.key_hash_from_response(_with_key(written)) is None


@pytest.mark.parametrize(
    ("extension", "needle"),
    [
        ({"url": KEY_HASH}, "key-hash extension needs a non-empty valueString, not None "),
        ({"url": KEY_HASH, "valueString": ""}, "not '' @ $.extension[0].valueString"),
        ({"url": KEY_HASH, "valueString": " "}, "non-empty valueString"),
        ({"url": KEY_HASH, "valueCode": "ab12"}, "non-empty valueString"),
        ({"url": KEY_HASH, "valueString": 12}, "not 12 @ $.extension[0].valueString"),
        ("urn:resilience:key-hash", "an extension must be an object, not str @ $.extension[0]"),
    ],
)
def test_a_malformed_key_hash_extension_is_a_record_error(extension: Any, needle: str) -> None:
    resource = _with_key(_qr(_coded("ucla-1", "often")), extension)
    problems = _record_problems(resource)
    assert any(needle in problem for problem in problems), problems
    with pytest.raises(rs.InvalidRecordError) as caught:
        fhir.key_hash_from_response(resource)
    assert caught.value.problems == problems


def test_extension_problems_are_listed_with_the_others() -> None:
    repeated = {"url": KEY_HASH, "valueString": UCLA.key_hash}
    problems = _record_problems(
        {
            "resourceType": "QuestionnaireResponse",
            "extension": [repeated, 7, repeated],
            "status": "done",
        }
    )
    assert [p.rsplit("@ ", 1)[1] for p in problems] == [
        "$.extension[1]",
        "$.extension[2]",
        "$.status",
    ]
    assert "appears more than once" in problems[1]
    assert _record_problems({**_qr(), "extension": {}}) == (
        "extension must be a list, not dict @ $.extension",
    )
    with pytest.raises(rs.InvalidRecordError, match="extension must be a list, not dict"):
        fhir.key_hash_from_response({**_qr(), "extension": {}})


@pytest.mark.parametrize(
    ("resource", "needle"),
    [
        ([], "expected a JSON object, not list @ $"),
        ({"resourceType": "Questionnaire"}, "resourceType is 'Questionnaire'"),
    ],
)
def test_key_hash_from_response_reads_only_questionnaire_responses(
    resource: Any, needle: str
) -> None:
    with pytest.raises(rs.InvalidRecordError, match=re.escape(needle)):
        fhir.key_hash_from_response(resource)


def test_a_questionnaire_response_round_trip_scores_through_the_engine() -> None:
    """Questionnaire → response → JSON → read → Assessment with keys → profile."""
    questionnaire = fhir.questionnaire(UCLA)
    qr = fhir.response(UCLA, SIX, subject="Patient/7", authored=WHEN)
    travelled = json.loads(json.dumps(qr))
    key_hash = fhir.key_hash_from_response(travelled)
    assert key_hash is not None
    assert {"system": fhir.KEY_HASH_SYSTEM, "value": key_hash} in questionnaire["identifier"]
    answers = fhir.answers_from_response(UCLA, travelled)
    assessment = rs.Assessment("p-7", WHEN, {UCLA.id: answers}, key_hashes={UCLA.id: key_hash})
    profile = ENGINE.profile(assessment)
    ucla = profile.scores["ucla-3"]
    assert (ucla.total, ucla.band, ucla.key_hash) == (6.0, "lonely", key_hash)


def test_a_response_is_not_scored_by_an_engine_whose_definition_moved() -> None:
    qr = json.loads(json.dumps(fhir.response(UCLA, SIX, authored=WHEN)))
    moved = MOVED.instruments["ucla-3"]
    # Read against the moved definition: refused at once.
    with pytest.raises(KeyMismatchError):
        fhir.answers_from_response(moved, qr)
    # Read without the check, with the hash handed to the engine: the engine refuses.
    key_hash = fhir.key_hash_from_response(qr)
    assert key_hash == UCLA.key_hash
    answers = fhir.answers_from_response(moved, qr, check_key=False)
    assessment = rs.Assessment("p-7", WHEN, {"ucla-3": answers}, key_hashes={"ucla-3": key_hash})
    with pytest.raises(KeyMismatchError) as caught:
        MOVED.profile(assessment)
    assert (caught.value.recorded, caught.value.current) == (UCLA.key_hash, moved.key_hash)
    # Re-scoring with the moved definition is a decision the app makes on purpose.
    rescored = MOVED.profile(MOVED.stamp(assessment, replace=True)).scores["ucla-3"]
    assert (rescored.total, rescored.band) == (6.0, "not-lonely")
    # The engine the answers were collected with still scores them as they were meant.
    assert ENGINE.profile(assessment).scores["ucla-3"].band == "lonely"


# -- the documentation page ------------------------------------------------------------


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 5


def test_the_page_states_the_codes_and_the_extension() -> None:
    assert ITEM_WEIGHT in TEXT
    assert "SNOMED CT 422650009" in FLAT
    assert '"Social isolation"' in FLAT
    assert "LOINC 93159-2" in FLAT
    assert "LOINC 77849-8" in FLAT
    assert "No LOINC code was found for UCLA-3, LSNS-6 or DJG" in FLAT
    assert "never diagnoses" in FLAT
    assert "not the validated questions" in FLAT
    assert "do not add the weights up" in FLAT


def test_the_page_explains_where_the_key_hash_goes_and_what_reading_does() -> None:
    assert KEY_HASH in TEXT
    assert "Why an extension, and not a tag in `meta`." in FLAT
    assert "**No hash**: the response is accepted." in FLAT
    assert "{class}`~resilience.KeyMismatchError`" in FLAT
    assert "check_key=False" in FLAT
