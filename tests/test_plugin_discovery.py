"""End to end: real distributions installed with pip into a fresh virtual environment.

The session fixture builds one venv (no system site-packages) and pip-installs this
project, the example plugin from ``examples/plugins/`` and two deliberately broken plugin
distributions written by the test: one that fails on import and one whose hook raises
after registering an instrument. Each check then runs in a subprocess of that venv, so a
fresh ``resilience.Engine()`` discovers plugins exactly as a user's would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import venv
from collections.abc import Mapping
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "plugins" / "resilience-example-plugin"
BIN = "Scripts" if sys.platform == "win32" else "bin"

WEEK = {
    "talked-openly": 4,
    "met-in-person": 3,
    "could-ask-for-help": 2,
    "part-of-something": 1,
}

BROKEN_IMPORT = """
    raise ImportError("this plugin needs a library that is not installed")
"""

BROKEN_HOOK = """
    import attrs
    import resilience as rs
    from resilience.builtin.instruments.brs import BRS


    @rs.hookimpl
    def resilience_register_instruments(register):
        register(attrs.evolve(BRS, id="half-registered"))
        raise RuntimeError("the second half of this plugin is broken")
"""


def _distribution(where: Path, name: str, entry_point: str, source: str) -> Path:
    module = name.replace("-", "_")
    project = where / name
    (project / module).mkdir(parents=True)
    (project / module / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["hatchling>=1.18"]
            build-backend = "hatchling.build"

            [project]
            name = "{name}"
            version = "0.0.1"
            dependencies = ["connection-resilience"]

            [project.entry-points.resilience]
            {entry_point} = "{module}"

            [tool.hatch.build.targets.wheel]
            packages = ["{module}"]
            """
        ),
        encoding="utf-8",
    )
    return project


class Venv:
    def __init__(self, path: Path, home: Path) -> None:
        self.path = path
        self.home = home
        self.python = path / BIN / "python"
        self.resilience = path / BIN / "resilience"

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("RESILIENCE_", "PYTHON", "VIRTUAL_ENV"))
        }
        env.update(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / "data"),
            RESILIENCE_STORE="memory://",
        )
        env.update(extra or {})
        return env

    def run(
        self, *argv: str | Path, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(arg) for arg in argv],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=self.env(env),
            cwd=self.home,
        )

    def python_json(self, code: str, env: Mapping[str, str] | None = None) -> dict[str, object]:
        result = self.run(self.python, "-c", textwrap.dedent(code), env=env)
        assert result.returncode == 0, result.stderr
        data: dict[str, object] = json.loads(result.stdout)
        return data


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    base = tmp_path_factory.mktemp("plugin-venv")
    home = base / "home"
    home.mkdir()
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(base / "venv")
    env = Venv(base / "venv", home)
    broken_import = _distribution(base, "resilience-broken-import", "broken-import", BROKEN_IMPORT)
    broken_hook = _distribution(base, "resilience-broken-hook", "broken-hook", BROKEN_HOOK)
    result = env.run(
        env.python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        ROOT,
        EXAMPLE,
        broken_import,
        broken_hook,
    )
    assert result.returncode == 0, f"pip failed:\n{result.stdout}\n{result.stderr}"
    return env


DISCOVER = f"""
    import json, sys, warnings
    import resilience as rs

    imported_early = "resilience_example_plugin" in sys.modules
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine = rs.Engine()
    score = engine.score("weekly-connection", {WEEK!r})
    info = {{p.name: p for p in engine.plugins()}}["example"]
    print(json.dumps({{
        "resilience_file": rs.__file__,
        "imported_early": imported_early,
        "total": score.total,
        "band": score.band,
        "wording": engine.wording("weekly-connection", "en-GB").title,
        "rule": "weekly-connection" in engine.rules,
        "half_registered": "half-registered" in engine.instruments,
        "info": [info.distribution, info.version, info.builtin,
                 {{k: list(v) for k, v in info.registered.items()}}],
        "problems": [[p.plugin, p.distribution, p.stage, p.error]
                     for p in engine.plugin_problems],
        "warnings": [str(w.message) for w in caught
                     if issubclass(w.category, rs.PluginWarning)],
    }}))
"""


def test_fresh_engine_discovers_scores_with_and_lists_the_example(installed: Venv) -> None:
    data = installed.python_json(DISCOVER)
    # The venv's own copy of the library, not the source tree.
    assert str(data["resilience_file"]).startswith(str(installed.path))
    assert data["imported_early"] is False  # `import resilience` loads no plugin
    assert (data["total"], data["band"]) == (10.0, "some-connection")
    assert data["wording"] == "Your week"
    assert data["rule"] is True
    assert data["info"] == [
        "resilience-example-plugin",
        "0.1.0",
        False,
        {
            "instruments": ["weekly-connection"],
            "wording": ["weekly-connection/en"],
            "rules": ["weekly-connection"],
        },
    ]


def test_broken_distributions_are_reported_while_the_engine_works(installed: Venv) -> None:
    data = installed.python_json(DISCOVER)
    problems = {tuple(p[:3]): p[3] for p in data["problems"]}  # type: ignore[union-attr]
    assert set(problems) == {
        ("broken-hook", "resilience-broken-hook", "resilience_register_instruments"),
        ("broken-import", "resilience-broken-import", "import"),
    }
    assert problems[("broken-import", "resilience-broken-import", "import")] == (
        "ImportError: this plugin needs a library that is not installed"
    )
    assert "second half of this plugin is broken" in str(problems)
    assert data["half_registered"] is False
    assert len(data["warnings"]) == 2  # type: ignore[arg-type]
    assert data["total"] == 10.0


def test_cli_help_and_plugins_work_despite_broken_plugins(installed: Venv) -> None:
    help_ = installed.run(installed.resilience, "--help")
    assert help_.returncode == 0, help_.stderr
    assert "plugins" in help_.stdout
    assert help_.stderr == ""

    listed = installed.run(installed.resilience, "plugins", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    example = [p for p in data["plugins"] if p["name"] == "example"]
    assert example[0]["distribution"] == "resilience-example-plugin"
    assert example[0]["registered"]["instruments"] == ["weekly-connection"]
    assert {p["plugin"] for p in data["problems"]} == {"broken-import", "broken-hook"}

    text = installed.run(installed.resilience, "plugins")
    assert text.returncode == 0, text.stderr
    assert "example (resilience-example-plugin 0.1.0)" in text.stdout
    assert "2 plugin(s) skipped" in text.stdout

    pairs = [f"{item}={value}" for item, value in WEEK.items()]
    scored = installed.run(installed.resilience, "score", "weekly-connection", *pairs)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["band"] == "some-connection"
    assert "warning: plugin 'broken-import'" in scored.stderr
    assert "Traceback" not in scored.stderr


@pytest.mark.parametrize(
    ("env", "loaded", "problems"),
    [
        (
            {"RESILIENCE_DISABLE_PLUGINS": "resilience-broken-import,broken-hook"},
            ["example"],
            [],
        ),
        ({"RESILIENCE_PLUGINS": "example"}, ["example"], []),
        ({"RESILIENCE_PLUGINS": "broken-hook"}, [], ["broken-hook"]),
        ({"RESILIENCE_PLUGINS": ""}, [], []),
    ],
)
def test_environment_variables_choose_installed_plugins(
    installed: Venv, env: dict[str, str], loaded: list[str], problems: list[str]
) -> None:
    result = installed.run(installed.resilience, "plugins", "--json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["name"] for p in data["plugins"] if not p["builtin"]] == loaded
    assert [p["plugin"] for p in data["problems"]] == problems
