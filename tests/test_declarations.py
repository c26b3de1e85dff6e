"""What an instrument means for the support flag is declared by whoever registers it.

The core (every module outside ``resilience.builtin``) reads only the declarations
(:class:`resilience.SupportDeclaration`): a plugin that replaces a built-in instrument with
its own version moves the flag with its own declaration, and no core module names a
built-in instrument or item.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

import resilience as rs
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.builtin.instruments.djg6 import DJG_6
from resilience.builtin.instruments.lsns6 import LSNS_6
from resilience.builtin.instruments.signs import CONNECTION_SIGNS
from resilience.builtin.instruments.ucla3 import UCLA_3
from resilience.model import taxonomy

NOW = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)
PACKAGE = Path(rs.__file__).resolve().parent

UCLA_WORST = {"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}
UCLA_LONELY = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}
DJG_SEVERE = {"djg-1": 3, "djg-2": 1, "djg-3": 1, "djg-4": 3, "djg-5": 2, "djg-6": 1}
DJG_MODERATE = {"djg-1": 3, "djg-2": 1, "djg-3": 3, "djg-4": 1, "djg-5": 3, "djg-6": 1}
#: Total 2 of 30 ("at-risk"), with one person in the family to talk with (lsns-2 = 1).
LSNS_AT_RISK = {"lsns-1": 1, "lsns-2": 1, "lsns-3": 0, "lsns-4": 0, "lsns-5": 0, "lsns-6": 0}
#: Total 15 (not at risk), with nobody to help (lsns-3, lsns-6) but people to talk with.
LSNS_NOBODY_TO_HELP = {
    "lsns-1": 4,
    "lsns-2": 3,
    "lsns-3": 0,
    "lsns-4": 4,
    "lsns-5": 4,
    "lsns-6": 0,
}


class Replaces:
    """A plugin that replaces built-in instruments with its own versions."""

    def __init__(self, *instruments: rs.Instrument) -> None:
        self.instruments = instruments

    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        for instrument in self.instruments:
            register(instrument, replace=True)


def profile(
    answers: dict[str, dict[str, int]],
    *replacements: rs.Instrument,
    network: rs.SupportNetwork | None = None,
) -> rs.ResilienceProfile:
    engine = rs.Engine(load_installed=False, plugins=[Replaces(*replacements)])
    return engine.profile(rs.Assessment("p", NOW, answers, network=network))


def declared(instrument: rs.Instrument, **changes: Any) -> rs.Instrument:
    return attrs.evolve(instrument, support=rs.SupportDeclaration(**changes))


# -- each built-in instrument, replaced by a plugin's version ------------------------------


def test_ucla_3_the_flag_follows_the_plugins_declaration() -> None:
    assert profile({"ucla-3": UCLA_WORST}).support_advised  # built-in: worst total is severe
    assert not profile({"ucla-3": UCLA_LONELY}).support_advised
    silent = declared(UCLA_3, label="UCLA-3", lonely_bands={"lonely"})
    assert not profile({"ucla-3": UCLA_WORST}, silent).support_advised
    strict = declared(UCLA_3, label="UCLA-3", severe_bands={"lonely"})
    flagged = profile({"ucla-3": UCLA_LONELY}, strict)
    assert flagged.support_advised
    assert "UCLA-3" in flagged.flag_reasons[0]


def test_djg_6_the_flag_follows_the_plugins_declaration() -> None:
    assert profile({"djg-6": DJG_SEVERE}).support_advised
    assert not profile({"djg-6": DJG_MODERATE}).support_advised
    assert not profile({"djg-6": DJG_SEVERE}, declared(DJG_6)).support_advised
    stricter = declared(DJG_6, label="own DJG", severe_bands={"moderately-lonely"})
    moderate = profile({"djg-6": DJG_MODERATE}, stricter)
    assert moderate.support_advised
    assert "own DJG" in moderate.flag_reasons[0]


def test_lsns_6_the_flag_follows_the_plugins_declaration() -> None:
    answers = {"ucla-3": UCLA_LONELY, "lsns-6": LSNS_AT_RISK}
    assert profile(answers).support_advised  # built-in: at risk, and lonely on the UCLA-3
    assert not profile(answers, declared(LSNS_6)).support_advised
    helpers = {"ucla-3": UCLA_LONELY, "lsns-6": LSNS_NOBODY_TO_HELP}
    assert not profile(helpers).support_advised  # the built-in reads items 2 and 5
    own = declared(LSNS_6, label="LSNS-6", confidant_items=("lsns-3", "lsns-6"))
    flagged = profile(helpers, own)
    assert flagged.support_advised
    assert any("name no one" in reason for reason in flagged.flag_reasons)


def test_connection_signs_the_flag_follows_the_plugins_declaration() -> None:
    sometimes = {sign.value: 2 for sign in rs.IsolationSign}
    assert not profile({"connection-signs": sometimes}).support_advised
    lower = attrs.evolve(
        CONNECTION_SIGNS,
        support=attrs.evolve(CONNECTION_SIGNS.support, often_from=2),
    )
    assert profile({"connection-signs": sometimes}, lower).support_advised
    # Without sign items, the checklist is not read as signs at all.
    quiet = profile({"connection-signs": sometimes}, declared(CONNECTION_SIGNS))
    assert quiet.signs == ()


def test_a_plugin_s_own_instrument_on_its_own_scale_can_report_signs() -> None:
    scale = rs.ResponseScale("ten", tuple(rs.ResponseOption(v, f"v{v}") for v in range(11)))
    signs = list(rs.IsolationSign)[:4]
    own = rs.Instrument(
        "own-signs",
        "Own signs",
        "1",
        items=tuple(rs.Item(f"s{i}", sign.label) for i, sign in enumerate(signs)),
        scale=scale,
        support=rs.SupportDeclaration(
            label="own checklist", signs={f"s{i}": s for i, s in enumerate(signs)}, often_from=7
        ),
    )
    engine = rs.Engine(load_installed=False, plugins=[Replaces(own)])
    answers = {"own-signs": {f"s{i}": 7 for i in range(4)}}
    result = engine.profile(rs.Assessment("p", NOW, answers))
    assert [r.sign for r in result.signs] == signs
    assert [r.level for r in result.signs] == [70.0] * 4
    assert result.support_advised


# -- the declarations are checked ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"severe_bands": {"very-lonely"}}, "names band 'very-lonely'"),
        ({"confidant_items": ("ucla-9",)}, "names item 'ucla-9'"),
        ({"signs": {"ucla-1": rs.IsolationSign.HIDES_STRUGGLES}}, "needs often_from"),
        (
            {"signs": {"ucla-1": rs.IsolationSign.HIDES_STRUGGLES}, "often_from": 2.5},
            "not an answer value",
        ),
    ],
)
def test_a_declaration_that_does_not_fit_the_instrument_is_refused(
    changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(rs.InstrumentDefinitionError, match=problem):
        declared(UCLA_3, **changes)


def test_a_declaration_does_not_change_the_key_hash() -> None:
    # The declaration changes no score, so answers stamped with the built-in definition
    # still score under a replacement that only declares differently.
    assert declared(UCLA_3).key_hash == UCLA_3.key_hash


def test_a_declaration_round_trips_through_json() -> None:
    for instrument in BUILTIN_INSTRUMENTS:
        assert rs.from_json(rs.to_json(instrument), rs.Instrument) == instrument


# -- no core module names a built-in instrument or item -------------------------------------


def _forbidden() -> set[str]:
    taxonomy_ids = {
        member.value
        for enum in (
            taxonomy.Pillar,
            taxonomy.Capacity,
            taxonomy.IsolationSign,
            taxonomy.IsolationDriver,
            taxonomy.Strategy,
        )
        for member in enum
    }
    ids = {instrument.id for instrument in BUILTIN_INSTRUMENTS}
    ids |= {item.id for instrument in BUILTIN_INSTRUMENTS for item in instrument.items}
    # Item ids that are the taxonomy's own values (the checklists') belong to the taxonomy.
    return ids - taxonomy_ids


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _help_texts(tree: ast.AST) -> set[int]:
    # A command's help text may give an example id; it decides nothing.
    return {
        id(keyword.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "help"
    }


def core_strings_naming_built_ins(root: Path = PACKAGE) -> list[str]:
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(map(re.escape, sorted(_forbidden(), key=len, reverse=True)))
        + r")(?![\w-])"
    )
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {"builtin", "testing"}:
            continue  # the built-in plugins themselves, and the test kit's sample data
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree) | _help_texts(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
                and pattern.search(node.value)
            ):
                found.append(f"{relative}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_no_core_module_names_a_built_in_instrument_or_item() -> None:
    assert core_strings_naming_built_ins() == []


def test_the_check_would_catch_a_core_module_naming_one(tmp_path: Path) -> None:
    (tmp_path / "builtin").mkdir()
    (tmp_path / "builtin" / "own.py").write_text('BANDS = {"djg-6": "severely-lonely"}\n')
    (tmp_path / "core.py").write_text(
        '"""Reads ucla-3 in a docstring, which is fine."""\n'
        'HELP = dict(help="an instrument id, e.g. brs")\n'
        'BANDS = {"djg-6": "severely-lonely"}\n'
        'ITEMS = ("lsns-2", "not-lsns-2x")\n'
    )
    assert core_strings_naming_built_ins(tmp_path) == [
        "core.py:3: 'djg-6'",
        "core.py:4: 'lsns-2'",
    ]
