"""The ``resilience`` command: every command, its errors, and that plugins cannot break it."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import resilience as rs
import resilience._plugins
import resilience.storage
from resilience import cli
from test_plugins import GOOD_PLUGIN, make_distribution

UTC = dt.timezone.utc
UCLA = ["ucla-1=1", "ucla-2=2", "ucla-3=3"]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "RESILIENCE_PLUGINS",
        "RESILIENCE_DISABLE_PLUGINS",
        "RESILIENCE_STORE",
        "RESILIENCE_ERASURE_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    # Never touch the real per-user database.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None
) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An installed plugin that fails on import, and one that works."""
    site = tmp_path / "site"
    site.mkdir()
    make_distribution(
        site, "cli-broken", "0.1", {"clibroken": "cli_broken"}, {"cli_broken": "1 / 0"}
    )
    make_distribution(site, "cli-good", "0.2", {"cligood": "cli_good"}, {"cli_good": GOOD_PLUGIN})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    yield
    for module in ("cli_broken", "cli_good"):
        sys.modules.pop(module, None)


# -- help never builds an engine -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv", [["--help"], ["score", "--help"], ["plugins", "-h"], ["--version"]]
)
def test_help_and_version_build_no_engine(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("--help must not load plugins")

    monkeypatch.setattr(resilience._plugins, "build_registry", refuse)
    monkeypatch.setattr(rs.Engine, "__init__", refuse)
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "resilience" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["no-such-command"], "invalid choice"),
        (["plugins", "--bogus"], "unrecognized arguments: --bogus"),
        (["score", "ucla-3", "ucla-1=1", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    assert expected in capsys.readouterr().err


def test_python_dash_m_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "resilience", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "plugins" in result.stdout
    assert "RESILIENCE_DISABLE_PLUGINS" in result.stdout


# -- plugins -------------------------------------------------------------------------------


def test_plugins_json_lists_builtins_and_no_problems(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plugins", "--json")
    assert code == 0
    data = json.loads(out)
    names = [p["name"] for p in data["plugins"]]
    builtins = list(resilience._plugins.DEFAULT_PLUGINS)
    assert names[: len(builtins)] == builtins
    first = data["plugins"][0]
    assert first["builtin"] is True
    assert "ucla-3" in first["registered"]["instruments"]
    assert "resilience_register_instruments" in first["hooks"]
    assert data["problems"] == []
    assert err == ""


def test_plugins_reports_broken_installed_plugin_and_keeps_working(
    broken_installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "plugins", "--json")
    assert code == 0
    data = json.loads(out)
    good = [p for p in data["plugins"] if p["name"] == "cligood"]
    assert good == [
        {
            "name": "cligood",
            "distribution": "cli-good",
            "version": "0.2",
            "builtin": False,
            "hooks": ["resilience_register_instruments"],
            "registered": {"instruments": ["brs-installed"]},
        }
    ]
    (problem,) = data["problems"]
    assert problem["plugin"] == "clibroken"
    assert problem["distribution"] == "cli-broken"
    assert problem["stage"] == "import"
    assert problem["error"].startswith("ZeroDivisionError")

    code, out, _ = run(capsys, "plugins")
    assert code == 0
    assert "cligood (cli-good 0.2)" in out
    assert "1 plugin(s) skipped" in out
    assert "clibroken" in out


def test_other_commands_warn_about_broken_plugins_on_stderr(
    broken_installed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "score", "ucla-3", *UCLA)
    assert code == 0
    assert json.loads(out)["total"] == 6.0
    assert "warning: plugin 'clibroken' (distribution cli-broken)" in err
    assert "Traceback" not in err


def test_disable_plugins_environment_is_honoured(
    broken_installed: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RESILIENCE_DISABLE_PLUGINS", "cli-broken")
    _, out, _ = run(capsys, "plugins", "--json")
    data = json.loads(out)
    assert data["problems"] == []
    assert "cligood" in [p["name"] for p in data["plugins"]]


# -- instruments ---------------------------------------------------------------------------


def test_instruments_lists_every_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "instruments", "--json")
    assert code == 0
    data = {entry["id"]: entry for entry in json.loads(out)}
    assert set(data) == set(rs.Engine(load_installed=False).instruments)
    assert data["brs"]["validated"] is True
    assert "Smith" in data["brs"]["citation"]
    assert data["connection-signs"]["validated"] is False
    assert data["connection-signs"]["citation"] is None
    assert data["ucla-3"]["items"] == 3

    code, out, _ = run(capsys, "instruments")
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == len(data)
    assert any(line.startswith("ucla-3") and "validated" in line for line in lines)
    assert any(line.startswith("connection-signs") and "checklist" in line for line in lines)


# -- score ---------------------------------------------------------------------------------


def test_score_from_pairs_prints_the_score_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "ucla-3", *UCLA)
    assert code == 0, err
    data = json.loads(out)
    expected = rs.Engine(load_installed=False).score(
        "ucla-3", {"ucla-1": 1, "ucla-2": 2, "ucla-3": 3}
    )
    assert rs.from_json(out, rs.InstrumentScore) == expected
    assert data["instrument_id"] == "ucla-3"
    assert data["band"] == expected.band


def test_score_from_file_and_stdin_with_pairs_overriding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}), encoding="utf-8")
    code, out, _ = run(capsys, "score", "ucla-3", "--answers", str(answers))
    assert (code, json.loads(out)["total"]) == (0, 9.0)
    code, out, _ = run(capsys, "score", "ucla-3", "--answers", str(answers), "ucla-1=1")
    assert (code, json.loads(out)["total"]) == (0, 7.0)
    code, out, _ = run(
        capsys, "score", "ucla-3", "--answers", "-", stdin='{"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}'
    )
    assert (code, json.loads(out)["total"]) == (0, 6.0)


def test_score_empty_value_means_unanswered(capsys: pytest.CaptureFixture[str]) -> None:
    pairs = [f"brs-{n}=3" for n in range(1, 6)]
    code, out, err = run(capsys, "score", "brs", *pairs, "brs-6=")
    assert code == 0, err
    assert json.loads(out)["missing"] == ["brs-6"]


@pytest.mark.parametrize(
    ("argv", "expected", "status"),
    [
        (["score", "phq-9", "a=1"], "no instrument 'phq-9' is registered", cli.EXIT_NOT_FOUND),
        (
            ["score", "ucla-3", "ucla-1=9", "ucla-2=x", "ucla-3=1"],
            "2 problems with the answers",
            cli.EXIT_INPUT,
        ),
        (["score", "ucla-3", "ucla-1"], "expected ITEM=VALUE", cli.EXIT_INPUT),
        (["score", "ucla-3", "--answers", "/no/such/file.json"], "No such file", 4),
    ],
)
def test_errors_print_one_line_and_a_distinct_exit_status(
    argv: list[str], expected: str, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == status
    assert out == ""
    assert err.startswith("resilience: error: ")
    assert err.count("\n") == 1
    assert expected in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "expected"), [("{not json", "not valid JSON"), ("[1]", "list")]
)
def test_bad_answers_file_is_an_error(
    content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "score", "ucla-3", "--answers", str(answers))
    assert code == cli.EXIT_INPUT
    assert expected in err


# -- export, import, forget ----------------------------------------------------------------


def _seed(url: str) -> rs.Assessment:
    assessment = rs.Assessment(
        "p-1",
        dt.datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
        {"ucla-3": {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1}},
    )
    with rs.Engine(store=url, load_installed=False) as engine:
        engine.store.append(assessment)
        engine.store.append(rs.CheckIn("s1", dt.date(2026, 2, 4), rs.Outcome.DONE), person_id="p-1")
        engine.store.append(rs.Assessment("p-2", dt.datetime(2026, 2, 3, tzinfo=UTC), {}))
    return assessment


def test_export_forget_and_import_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'people.db'}"
    assessment = _seed(url)

    code, out, _ = run(capsys, "export", "p-1", "--store", url)
    assert code == 0
    lines = out.splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["assessment", "check-in"]
    assert {json.loads(line)["person_id"] for line in lines} == {"p-1"}

    exported = tmp_path / "p-1.jsonl"
    code, _, err = run(capsys, "export", "p-1", "--store", url, "--output", str(exported))
    assert code == 0
    assert exported.read_text(encoding="utf-8") == out
    assert "exported 2 record(s)" in err

    code, _, err = run(capsys, "forget", "p-1", "--store", url)
    assert code == 2
    assert "--yes" in err
    assert run(capsys, "export", "p-1", "--store", url)[1] == out  # nothing was erased

    code, out_forget, _ = run(capsys, "forget", "p-1", "--yes", "--store", url)
    assert code == 0
    assert "erased 2 record(s)" in out_forget
    assert run(capsys, "export", "p-1", "--store", url)[1] == ""
    assert run(capsys, "export", "p-2", "--store", url)[1] != ""  # others are kept

    code, out_import, _ = run(capsys, "import", str(exported), "--store", url)
    assert (code, out_import.strip()) == (0, "imported 2 new record(s)")
    with rs.Engine(store=url, load_installed=False) as engine:
        assert engine.store.latest("p-1", "assessment").record == assessment


def test_store_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    _seed(url)
    monkeypatch.setenv("RESILIENCE_STORE", url)
    code, out, _ = run(capsys, "export", "p-1")
    assert code == 0
    assert len(out.splitlines()) == 2


def test_default_store_is_the_storage_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'default.db'}"
    _seed(url)
    monkeypatch.setattr(resilience.storage, "default_store_url", lambda: url)
    code, out, _ = run(capsys, "forget", "p-2", "--yes")
    assert (code, out.strip()) == (0, "erased 1 record(s) of 'p-2'")


def test_unknown_store_scheme_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "p-1", "--store", "mongodb://db/app")
    assert code == cli.EXIT_INPUT
    assert "no storage backend for scheme 'mongodb'" in err


# -- CSV export, retention and erasure receipts ----------------------------------------------


def _seed_profiles(url: str) -> list[rs.ResilienceProfile]:
    engine = rs.Engine(store=url, load_installed=False)
    profiles = [
        engine.profile(
            rs.Assessment(
                "p-1",
                dt.datetime(2026, 2, day, 10, 0, tzinfo=UTC),
                {
                    "ucla-3": {"ucla-1": 1, "ucla-2": day % 3 + 1, "ucla-3": 2},
                    "brs": {"brs-1": 4, "brs-2": 2, "brs-3": 5, "brs-4": 1, "brs-5": day % 5 + 1},
                },
            )
        )
        for day in (3, 1)  # appended newest first: the CSV still lists them oldest first
    ]
    with engine:
        for profile in profiles:
            engine.store.append(profile)
        engine.store.append(rs.CheckIn("s1", dt.date(2026, 2, 4), rs.Outcome.DONE), person_id="p-1")
    return profiles[::-1]


def test_export_scores_and_strengths_as_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    url = f"sqlite:///{tmp_path / 'csv.db'}"
    profiles = _seed_profiles(url)

    code, out, _ = run(capsys, "export", "p-1", "--format", "scores-csv", "--store", url)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    expected = [(p, p.scores[i]) for p in profiles for i in sorted(p.scores)]
    assert [(r["assessed_at"], r["instrument_id"]) for r in rows] == [
        (p.assessed_at.isoformat(), s.instrument_id) for p, s in expected
    ]
    for row, (_, score) in zip(rows, expected, strict=True):
        assert float(row["total"]) == score.total
        assert row["band"] == (score.band or "")
        assert row["key_hash"] == score.key_hash
        assert row["missing"].split() == list(score.missing)
    assert {r["missing"] for r in rows if r["instrument_id"] == "brs"} == {"brs-6"}

    target = tmp_path / "strengths.csv"
    code, _, err = run(
        capsys, "export", "p-1", "-f", "strengths-csv", "-o", str(target), "--store", url
    )
    assert code == 0
    assert "exported 2 profile(s) of 'p-1' as strengths-csv" in err
    data = target.read_bytes()
    assert data.count(b"\r\n") == 1 + 2 * (len(rs.Pillar) + len(rs.Capacity))
    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    belonging = [r for r in rows if r["target"] == "belonging"]
    assert [float(r["strength"]) if r["strength"] else None for r in belonging] == [
        p.pillars[rs.Pillar.BELONGING].strength for p in profiles
    ]

    code, out, _ = run(capsys, "export", "p-1", "--store", url)  # jsonl stays the default
    assert [json.loads(line)["kind"] for line in out.splitlines()] == [
        "profile",
        "profile",
        "check-in",
    ]
    with pytest.raises(SystemExit) as caught:  # a usage error, from argparse
        cli.main(["export", "p-1", "--format", "xlsx", "--store", url])
    assert caught.value.code == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err


def test_forget_before_and_the_erasure_receipts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'retain.db'}"
    _seed(url)  # p-1: an assessment on 3 Feb and a check-in on 4 Feb; p-2: one on 3 Feb

    code, _, err = run(capsys, "forget", "--before", "2026-02-04", "--store", url)
    assert code == 2
    assert "--yes" in err
    code, out, _ = run(capsys, "forget", "--before", "2026-02-04", "--yes", "--store", url)
    assert (code, out.strip()) == (0, "erased 2 record(s) from before 2026-02-04")
    assert [
        json.loads(line)["kind"]
        for line in run(capsys, "export", "p-1", "--store", url)[1].splitlines()
    ] == ["check-in"]
    code, out, _ = run(capsys, "forget", "p-1", "--yes", "--store", url)
    assert (code, out.strip()) == (0, "erased 1 record(s) of 'p-1'")

    code, out, _ = run(capsys, "erasures", "--store", url)
    assert code == 0
    receipts = [json.loads(line) for line in out.splitlines()]
    assert [(r["total"], r["before"]) for r in receipts] == [
        (1, "2026-02-04T00:00:00+00:00"),
        (1, "2026-02-04T00:00:00+00:00"),
        (1, None),
    ]
    assert "p-1" not in out
    assert "p-2" not in out
    code, out, _ = run(capsys, "erasures", "p-1", "--store", url)
    mine = [json.loads(line) for line in out.splitlines()]
    assert [r["counts"] for r in mine] == [
        {"assessment": 1, "check-in": 0, "plan": 0, "profile": 0},
        {"assessment": 0, "check-in": 1, "plan": 0, "profile": 0},
    ]
    assert run(capsys, "erasures", "p-3", "--store", url)[1] == ""


@pytest.mark.parametrize(
    ("argv", "message", "status"),
    [
        (["forget", "--yes"], "either PERSON or --before", cli.EXIT_USAGE),
        (
            ["forget", "p-1", "--before", "2026-01-01", "--yes"],
            "either PERSON or --before",
            cli.EXIT_USAGE,
        ),
        (["forget", "--before", "soon", "--yes"], "--before takes a date", cli.EXIT_INPUT),
        (["forget", "--before", "2026-01-01T10:00", "--yes"], "no UTC offset", cli.EXIT_INPUT),
    ],
)
def test_forget_argument_errors(
    argv: list[str], message: str, status: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'args.db'}"
    code, _, err = run(capsys, *argv, "--store", url)
    assert code == status
    assert message in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
@pytest.mark.parametrize("format_", ["jsonl", "scores-csv", "strengths-csv"])
def test_export_files_are_created_readable_by_their_owner_only(
    format_: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'private.db'}"
    _seed_profiles(url)
    expected = run(capsys, "export", "p-1", "--format", format_, "--store", url)[1]
    target = tmp_path / f"p-1.{format_}"
    old_umask = os.umask(0o022)  # a typical umask, under which open() makes files 0644
    try:
        code, _, _ = run(capsys, "export", "p-1", "-f", format_, "-o", str(target), "--store", url)
    finally:
        os.umask(old_umask)
    assert code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == expected.encode()  # line ends exactly as written
    # Writing again replaces the content rather than appending to it.
    target.write_text("x" * 100_000, encoding="utf-8")
    assert run(capsys, "export", "p-1", "-f", format_, "-o", str(target), "--store", url)[0] == 0
    assert target.read_bytes() == expected.encode()


def test_a_wrong_erasure_key_is_an_error_not_an_empty_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'keyed.db'}"
    _seed(url)
    monkeypatch.setenv("RESILIENCE_ERASURE_KEY", "the right key")
    assert run(capsys, "forget", "p-1", "--yes", "--store", url)[0] == 0
    assert len(run(capsys, "erasures", "p-1", "--store", url)[1].splitlines()) == 1
    monkeypatch.setenv("RESILIENCE_ERASURE_KEY", "a wrong key")
    code, out, err = run(capsys, "erasures", "p-1", "--store", url)
    assert (code, out) == (cli.EXIT_STORAGE, "")
    assert "erasure key does not match" in err
