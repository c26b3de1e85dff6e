"""The newcomer's pages stay true: their code runs, the CLI reference is the parser's own.

getting-started.md, tutorial.md, gallery.md, cli.md and responsible-use.md, and every
install line anywhere in the README and the docs.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import resilience as rs
from resilience import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
import chart_gallery  # noqa: E402
import cli_reference  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("RESILIENCE_PLUGINS", "RESILIENCE_DISABLE_PLUGINS"):
        env.pop(name, None)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        RESILIENCE_STORE=str(tmp_path / "walk.db"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


# -- getting started ---------------------------------------------------------------------


def test_getting_started_opens_with_the_readmes_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first, second = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)[:2]
    page = blocks("getting-started.md", "sh")
    assert page[:2] == [first, second]


def test_the_week_in_the_terminal_runs_as_written(tmp_path: Path) -> None:
    walk = [
        block
        for block in blocks("getting-started.md", "sh")
        if block.lstrip().startswith(("resilience", "printf"))
    ]
    assert len(walk) >= 5
    script = "set -e\n" + "".join(walk)
    # The signs checklist asks seven questions: the person types one answer per line.
    answers = "3\n1\n2\n2\n4\n3\n1\n"
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=environment(tmp_path),
        input=answers,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for words in ("Stored: Signs of disconnection", "Profile of me", "This week", "1 done"):
        assert words in result.stdout, words
    for chart in ("history.png", "profile.png"):
        assert (tmp_path / chart).read_bytes()[:8] == PNG


def test_the_readmes_week_in_the_terminal_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (week,) = [b for b in re.findall(r"```sh\n(.*?)```", readme, flags=re.S) if "checkin" in b]
    result = subprocess.run(
        ["bash", "-c", "set -e\n" + week],
        cwd=tmp_path,
        env=environment(tmp_path),
        input="2\n" * 7,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Re-assessment" not in result.stdout  # one profile only: nothing to compare yet
    assert "1 done" in result.stdout
    assert (tmp_path / "history.png").read_bytes()[:8] == PNG


def test_every_install_line_names_the_distribution_the_project_owns() -> None:
    pages = [ROOT / "README.md", *DOCS.glob("*.md"), *ROOT.glob("examples/**/README.md")]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = pyproject.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    extras = set(re.findall(r"^([a-z][a-z0-9-]*) = \[", section, re.MULTILINE))
    assert {"postgres", "plot", "batch", "dask", "test", "docs"} <= extras
    found = 0
    for page in pages:
        for line in page.read_text(encoding="utf-8").splitlines():
            for match in re.finditer(r"pip install ([^`\n#&]*)", line):
                found += 1
                args = [a for a in shlex.split(match.group(1)) if not a.startswith("-")]
                for arg in args:
                    name, _, extra = arg.partition("[")
                    if name in (".", "./") or name.startswith(("./", ".[")):
                        continue  # a checkout, or the example plugin's folder
                    assert name == "connection-resilience", f"{page.name}: {line}"
                    if extra:
                        assert extra.rstrip("]") in extras, f"{page.name}: {line}"
    assert found >= 6


# -- tutorial ------------------------------------------------------------------------------


def test_the_tutorial_runs_as_one_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = blocks("tutorial.md", "python")
    assert len(code) >= 9
    namespace: dict[str, object] = {}
    for number, block in enumerate(code):
        exec(compile(block, f"tutorial.md[{number}]", "exec"), namespace)
    out = capsys.readouterr().out
    for words in (
        "3 problems with the answers",
        "Plan for p-tutorial",
        "Re-assessment",
        "erased 6 records",
    ):
        assert words in out, words
    assert not re.search(r"\d+\.\d{4,}", out)


# -- gallery -------------------------------------------------------------------------------


def test_the_gallery_draws_its_pictures_from_its_own_code(tmp_path: Path) -> None:
    chart_gallery.draw(DOCS / "gallery.md", tmp_path)
    page = (DOCS / "gallery.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\(_generated/gallery/([\w.-]+)\)", page)
    assert pictures == ["profile.png", "strengths.png", "progress.png"]
    for name in pictures:
        data = (tmp_path / name).read_bytes()
        assert data[:8] == PNG
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert 800 <= width <= 1000
        assert 400 <= height <= 700


# -- the CLI reference ---------------------------------------------------------------------


def test_the_cli_reference_is_the_parsers_own_help(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "```{include} _generated/cli.md" in (DOCS / "cli.md").read_text(encoding="utf-8")
    reference = cli_reference.render()
    monkeypatch.setenv("COLUMNS", cli_reference.WIDTH)
    parser = cli.build_parser(default_store=cli_reference.DEFAULT_STORE)
    commands = cli_reference._commands(parser)
    assert {"check", "profile", "plan", "checkin", "history", "instruments"} <= set(commands)
    for name, command in commands.items():
        assert f"## resilience {name}\n\n```text\n{command.format_help().rstrip()}\n```" in (
            reference
        )
    for status, meaning in cli.EXIT_CODES.items():
        assert f"| {status} | {meaning} |" in reference
    assert "/root" not in reference
    assert "/home/" not in reference


def test_responsible_use_lists_every_validated_instrument() -> None:
    page = (DOCS / "responsible-use.md").read_text(encoding="utf-8")
    engine = rs.Engine(load_installed=False)
    for instrument in engine.instruments.values():
        if instrument.validated:
            short = re.search(r"\(([^)]+)\)\s*$", instrument.name)
            label = short.group(1) if short else instrument.name
            assert label in page, instrument.id
    assert "never a diagnosis" in page.lower() or "not a diagnosis" in page.lower()
