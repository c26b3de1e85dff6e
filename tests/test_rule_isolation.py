"""A scoring rule of an installed plugin cannot take the engine down, nor slip junk in.

Each fault lives in its own installed distribution (a ``*.dist-info`` with an entry point
on ``sys.path``, found by ``importlib.metadata`` as pip's would be). Building a profile
with it is a ``ScoringRuleError`` naming the rule and the plugin, whatever the rule raised
(``SystemExit`` from ``sys.exit(3)``, ``GeneratorExit``, a custom ``BaseException``) or
returned (NaN, wrong types, a string where an enum belongs); ``check_scoring_rule``
reports the very same problem. Only ``KeyboardInterrupt`` is let through.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import resilience as rs
from resilience.testing import check_scoring_rule

UTC = dt.timezone.utc
ASSESSMENT = rs.Assessment(
    "p-1", dt.datetime(2026, 1, 5, tzinfo=UTC), {"ucla-3": {"ucla-1": 2, "ucla-2": 1, "ucla-3": 1}}
)

PLUGIN = """
import math
import sys

import resilience as rs

P = rs.Pillar.BELONGING


class Custom(BaseException):
    pass


def forged(**fields):
    # A contribution whose fields were changed after it was built: what a careless or
    # hostile rule can hand back past the constructor's checks.
    made = rs.Contribution("fault", "1", P, 50.0, 1.0)
    for name, value in fields.items():
        object.__setattr__(made, name, value)
    return made


class Sneaky:
    def __repr__(self):
        raise SystemExit("from repr")


def rule(assessment, scores):
{body}


@rs.hookimpl
def resilience_register_scoring_rules(register):
    register(rs.ScoringRule("fault", "1", "breaks on purpose", rule))
"""

#: The rule's body, what the error must say, and the type of its cause (None: no cause).
FAULTS: dict[str, tuple[str, str, type[BaseException] | None]] = {
    "sys.exit(3)": ("sys.exit(3)", "SystemExit: 3", SystemExit),
    "SystemExit": ("raise SystemExit('bye')", "SystemExit: bye", SystemExit),
    "GeneratorExit": ("raise GeneratorExit", "GeneratorExit", GeneratorExit),
    "custom BaseException": ("raise Custom('boom')", "Custom: boom", BaseException),
    "exits halfway through": (
        "yield rs.Contribution('fault', '1', P, 50.0, 1.0)\nsys.exit(4)",
        "SystemExit: 4",
        SystemExit,
    ),
    "NaN built": (
        "return [rs.Contribution('fault', '1', P, math.nan, 1.0)]",
        "value must be a finite number, not nan",
        rs.InvalidValueError,
    ),
    "NaN forged": ("return [forged(value=math.nan)]", "value that is not finite (nan)", None),
    "infinite weight forged": (
        "return [forged(weight=math.inf)]",
        "weight that is not finite (inf)",
        None,
    ),
    "a string for the value": (
        "return [forged(value='50')]",
        "value that is of type str, not a number",
        None,
    ),
    "a bool for the weight": (
        "return [forged(weight=True)]",
        "weight that is of type bool, not a number",
        None,
    ),
    "a string for the pillar": (
        "return [forged(target='belonging')]",
        "for 'belonging', not a Pillar or Capacity",
        None,
    ),
    "an unknown pillar": (
        "return [rs.Contribution('fault', '1', 'friendship', 50.0, 1.0)]",
        "friendship",
        rs.InvalidValueError,
    ),
    "a NaN input": (
        "return [forged(inputs={'total': math.nan})]",
        "input 'total' that is not finite",
        None,
    ),
    "an input not named by text": (
        "return [forged(inputs={3: 1.0, 'x': 2.0})]",
        "input names must be text",
        None,
    ),
    "a reason that is not text": (
        "return [forged(reason=7)]",
        "reason of type int, expected text",
        None,
    ),
    "a mapping": ("return {'belonging': 50.0}", "returned dict, expected an iterable", None),
    "a string": ("return 'belonging'", "returned str, expected an iterable", None),
    "None in the list": ("return [None]", "returned NoneType None, not Contribution", None),
    "a repr that exits": ("return [Sneaky()]", "raised when read (SystemExit: from repr)", None),
}


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], str]]:
    """Install one distribution whose rule has the given body; return its entry-point name."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    modules: list[str] = []

    def install(body: str) -> str:
        module = f"acme_fault_{len(modules)}"
        modules.append(module)
        source = PLUGIN.format(body=textwrap.indent(body, "    "))
        (site / f"{module}.py").write_text(source, encoding="utf-8")
        info = site / f"{module}-1.0.dist-info"
        info.mkdir()
        name = module.replace("_", "-")
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[resilience]\n{name} = {module}\n", encoding="utf-8"
        )
        importlib.invalidate_caches()
        return name

    yield install
    for module in modules:
        sys.modules.pop(module, None)


def _engine(name: str) -> rs.Engine:
    engine = rs.Engine(environ={"RESILIENCE_PLUGINS": name})
    assert engine.plugin_problems == ()
    assert [p.name for p in engine.plugins() if not p.builtin] == [name]
    return engine


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_a_faulty_installed_rule_is_a_scoring_rule_error_naming_rule_and_plugin(
    fault: str, install: Callable[[str], str]
) -> None:
    body, expected, cause = FAULTS[fault]
    name = install(body)
    engine = _engine(name)
    with pytest.raises(rs.ScoringRuleError) as caught:
        engine.profile(ASSESSMENT)
    error = caught.value
    assert (error.rule, error.plugin) == ("fault", name)
    assert str(error).startswith(f"scoring rule 'fault' (plugin {name}): ")
    assert expected in error.detail
    assert error.detail.endswith("; the profile is not built without it")
    if cause is None:
        assert error.__cause__ is None
    else:
        assert isinstance(error.__cause__, cause)
    # The engine is still there and answers: only profiles that need the rule stop.
    assert engine.score("ucla-3", {"ucla-1": 2, "ucla-2": 1, "ucla-3": 1}).total == 4.0

    # The contract checker plugin authors use reports the very same problem.
    with pytest.raises(AssertionError) as checked:
        check_scoring_rule(engine.rules["fault"], max_examples=5)
    assert str(checked.value).startswith("scoring rule 'fault' ")
    assert expected in str(checked.value)
    if cause is not None:
        assert "raised on a valid assessment" in str(checked.value)


def test_keyboard_interrupt_in_a_rule_is_the_user_and_goes_through(
    install: Callable[[str], str],
) -> None:
    engine = _engine(install("raise KeyboardInterrupt"))
    with pytest.raises(KeyboardInterrupt):
        engine.profile(ASSESSMENT)
    with pytest.raises(KeyboardInterrupt):
        check_scoring_rule(engine.rules["fault"], max_examples=5)


def test_a_sound_installed_rule_still_counts(install: Callable[[str], str]) -> None:
    engine = _engine(install("return [rs.Contribution('fault', '1', 'belonging', 10.0, 1.0)]"))
    profile = engine.profile(ASSESSMENT)
    assert any(c.rule == "fault" for c in profile.explanation)
    check_scoring_rule(engine.rules["fault"], max_examples=5)
