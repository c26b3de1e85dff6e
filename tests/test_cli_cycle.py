"""The ``resilience`` command walks a person through the whole cycle, and fails cleanly.

check → profile → plan → check-ins → history → plot, with a real SQLite file and real
answers typed on standard input, as a person in a terminal would.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import resilience as rs
from resilience import cli

SIGNS = ["3", "1", "2", "3", "4", "2", "1"]  # one answer per connection-signs item
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("RESILIENCE_PLUGINS", "RESILIENCE_DISABLE_PLUGINS", "RESILIENCE_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cycle.db'}"


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | io.TextIOBase | None = None
) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin) if isinstance(stdin, str) else stdin  # type: ignore[assignment]
    try:
        code = cli.main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def stored(url: str, person: str, kind: str) -> list[object]:
    with rs.Engine(store=url, load_installed=False) as engine:
        return [r.record for r in engine.store.history(person, kind)]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG, f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# -- check: asking, re-asking, leaving ------------------------------------------------------


def test_check_asks_each_item_and_re_asks_with_the_reason(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "\n".join(["9", "x", *SIGNS]) + "\n"
    code, out, err = run(
        capsys, "check", "connection-signs", "--person", "p-1", "--store", store, stdin=typed
    )
    assert code == 0, err
    assert "1/7" in err
    assert "7/7" in err
    assert "Almost always" in err  # the options, in their wording
    assert "9 is not one of the answers; type one of 0, 1, 2, 3, 4." in err
    assert "'x' is not a number" in err
    assert "Stored: Signs of disconnection" in out
    (assessment,) = stored(store, "p-1", "assessment")
    assert isinstance(assessment, rs.Assessment)
    items = [
        item.id for item in rs.Engine(load_installed=False).instruments["connection-signs"].items
    ]
    assert dict(assessment.answers["connection-signs"]) == dict(
        zip(items, map(int, SIGNS), strict=True)
    )
    assert len(stored(store, "p-1", "profile")) == 1


@pytest.mark.parametrize("how", ["end of input", "ctrl-c"])
def test_leaving_part_way_stores_nothing(
    how: str, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    class Interrupting(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            if self.tell() >= 4:
                raise KeyboardInterrupt
            return super().readline()

    stdin: str | io.TextIOBase = "3\n1\n" if how == "end of input" else Interrupting("3\n1\n")
    code, out, err = run(
        capsys, "check", "connection-signs", "--person", "p-1", "--store", store, stdin=stdin
    )
    assert code == cli.EXIT_CANCELLED
    assert "nothing was stored" in err or "interrupted" in err
    assert "Traceback" not in err
    assert out == ""
    assert stored(store, "p-1", "assessment") == []


def test_a_validated_scale_without_wording_says_how_to_get_it(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "ucla-3", "--person", "p-1", "--store", store, stdin="")
    assert code == cli.EXIT_NOT_FOUND
    assert "resilience_register_wording" in err
    assert "--answers" in err
    assert "--by-label" in err
    assert err.count("\n") == 1
    # Asked by item id and the project's own labels when the person chooses that.
    code, out, err = run(
        capsys,
        "check",
        "ucla-3",
        "--person",
        "p-1",
        "--by-label",
        "--store",
        store,
        stdin="3\n2\n3\n",
    )
    assert code == 0, err
    assert "ucla-1: lack of companionship" in err
    assert "hardly ever" in err
    assert "not the validated wording" in " ".join(err.split())
    assert "total 8 of 3 to 9 (Lonely)" in out


def test_answers_from_a_file_are_checked_before_anything_is_stored(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"ucla-1": 7, "ucla-2": 2, "ucla-3": 1}), encoding="utf-8")
    code, _out, err = run(
        capsys, "check", "ucla-3", "--person", "p-1", "--answers", str(bad), "--store", store
    )
    assert code == cli.EXIT_INPUT
    assert "ucla-1" in err
    assert "Traceback" not in err
    assert stored(store, "p-1", "assessment") == []


def test_a_pillar_resting_on_little_evidence_is_never_called_the_weakest(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The signs checklist alone gives every pillar a thin first look: naming one of them
    # "the weakest" would state a finding that four checklist answers cannot carry.
    engine = rs.Engine(load_installed=False)
    answers = {item.id: 3 for item in engine.instruments["connection-signs"].items}
    given = tmp_path / "signs.json"
    given.write_text(json.dumps(answers), encoding="utf-8")
    code, out, _err = run(
        capsys,
        "check",
        "connection-signs",
        "--person",
        "p-1",
        "--answers",
        str(given),
        "--store",
        store,
    )
    assert code == cli.EXIT_OK
    assert "Stored:" in out
    assert "Weakest pillar now" not in out
    code, out, _err = run(
        capsys,
        "check",
        "ucla-3",
        "--person",
        "p-1",
        "--answers",
        "-",
        "--store",
        store,
        stdin='{"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}',
    )
    assert code == cli.EXIT_OK
    assert "Weakest pillar now:" in out  # the UCLA-3 gives solid evidence


# -- the whole week ------------------------------------------------------------------------


def test_a_week_of_the_cycle(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "ucla.json"
    answers.write_text(json.dumps({"ucla-1": 3, "ucla-2": 2, "ucla-3": 3}), encoding="utf-8")
    assert (
        run(
            capsys,
            "check",
            "connection-signs",
            "--person",
            "p-1",
            "--store",
            store,
            stdin="\n".join(SIGNS) + "\n",
        )[0]
        == 0
    )
    code, out, err = run(
        capsys, "check", "ucla-3", "--person", "p-1", "--answers", str(answers), "--store", store
    )
    assert code == 0, err
    assert "also reads your answers of the last 28 days to: connection-signs" in out

    code, out, err = run(capsys, "profile", "p-1", "--store", store)
    assert code == 0, err
    assert "Meaning and belonging" in out
    assert "'Lonely'" in out
    assert not re.search(r"\d+\.\d{3,}", out)  # no long floats
    assert "ucla-3:" not in out
    assert "severely-lonely" not in out
    assert all(len(line) <= 88 for line in out.splitlines())

    code, out, err = run(capsys, "plan", "p-1", "--store", store, "--today", "2026-12-01")
    assert code == 0, err
    assert "A new plan was made and stored." in out
    assert "This week" in out
    assert "Later (" in out
    (plan,) = stored(store, "p-1", "plan")
    assert isinstance(plan, rs.ConnectionPlan)
    # A second look shows the same plan; it makes no new one.
    code, again, _ = run(capsys, "plan", "p-1", "--store", store, "--today", "2026-12-01")
    assert "A new plan" not in again
    assert len(stored(store, "p-1", "plan")) == 1

    code, out, err = run(capsys, "checkin", "p-1", "1", "done", "--felt", "4", "--store", store)
    assert code == 0, err
    assert f"step {plan.steps[0].id}, done" in out
    assert "1 done" in out
    assert "felt 4 of 5" in out
    second = plan.steps[1].id
    code, out, err = run(
        capsys, "checkin", "p-1", second, "skipped", "--note", "too tired", "--store", store
    )
    assert code == 0, err
    latest = stored(store, "p-1", "plan")[0]
    assert isinstance(latest, rs.ConnectionPlan)
    assert [(c.step_id, c.outcome, c.note) for c in latest.check_ins] == [
        (plan.steps[0].id, rs.Outcome.DONE, None),
        (second, rs.Outcome.SKIPPED, "too tired"),
    ]
    assert len(stored(store, "p-1", "check-in")) == 2

    chart = tmp_path / "history.png"
    code, out, err = run(capsys, "history", "p-1", "--plot", str(chart), "--store", store)
    assert code == 0, err
    assert "Profiles of p-1" in out
    assert "Re-assessment" in out  # two profiles: what changed between them
    assert "1 done, 1 skipped" in out
    width, height = png_size(chart)
    assert 800 <= width <= 2000
    assert 600 <= height <= 1400

    picture = tmp_path / "profile.png"
    assert run(capsys, "profile", "p-1", "--plot", str(picture), "--store", store)[0] == 0
    assert png_size(picture)[0] >= 800

    code, out, _ = run(capsys, "history", "p-1", "--json", "--store", store)
    data = json.loads(out)
    assert len(data["profiles"]) == 2
    assert data["progress"]["overall"]["done"] == 1


def test_every_cycle_command_speaks_json(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ucla-1": 1, "ucla-2": 1, "ucla-3": 2}), encoding="utf-8")
    _code, out, _ = run(
        capsys,
        "check",
        "ucla-3",
        "--person",
        "p-2",
        "--answers",
        str(answers),
        "--json",
        "--store",
        store,
    )
    assert json.loads(out)["score"]["total"] == 4.0
    profile = json.loads(run(capsys, "profile", "p-2", "--json", "--store", store)[1])
    assert profile["person_id"] == "p-2"
    plan = json.loads(run(capsys, "plan", "p-2", "--json", "--store", store)[1])
    step = plan["steps"][0]["id"]
    checked = json.loads(
        run(capsys, "checkin", "p-2", step, "partly", "--json", "--store", store)[1]
    )
    assert checked["check_ins"][0]["outcome"] == "partly"
    shown = json.loads(run(capsys, "instruments", "show", "ucla-3", "--json")[1])
    assert shown["id"] == "ucla-3"
    assert shown["wording"] is None


# -- failures: one line, a distinct status, never a traceback --------------------------------


@pytest.mark.parametrize(
    ("argv", "status", "words"),
    [
        (["profile", "nobody"], cli.EXIT_NOT_FOUND, "no profile of 'nobody' is stored yet"),
        (["plan", "nobody"], cli.EXIT_NOT_FOUND, "no profile of 'nobody'"),
        (["checkin", "nobody", "1", "done"], cli.EXIT_NOT_FOUND, "no plan of 'nobody'"),
        (["history", "nobody"], cli.EXIT_NOT_FOUND, "nothing is stored for 'nobody'"),
        (["check", "phq-9", "--person", "p"], cli.EXIT_NOT_FOUND, "no instrument 'phq-9'"),
        (["instruments", "show", "phq-9"], cli.EXIT_NOT_FOUND, "no instrument 'phq-9'"),
        (["instruments", "show"], cli.EXIT_USAGE, "instruments show ID"),
        (["plan", "p", "--today", "soon"], cli.EXIT_INPUT, "--today takes a date"),
        (["check", "brs", "--person", "p", "--driver", "boredom"], cli.EXIT_INPUT, "boredom"),
        (["check", "brs", "--person", "p", "--answers", "/no/such.json"], 4, "No such file"),
    ],
)
def test_failures_are_one_line_with_a_distinct_status(
    argv: list[str], status: int, words: str, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv, "--store", store, stdin="")
    assert code == status, err
    assert words in err
    assert err.startswith("resilience: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "\x1b[" not in err + out


def test_a_step_that_is_not_in_the_plan_is_not_found(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}), encoding="utf-8")
    run(capsys, "check", "ucla-3", "--person", "p-3", "--answers", str(answers), "--store", store)
    run(capsys, "plan", "p-3", "--store", store)
    code, _, err = run(capsys, "checkin", "p-3", "c9-99", "done", "--store", store)
    assert code == cli.EXIT_NOT_FOUND
    assert "no step 'c9-99'" in err
    code, _, err = run(
        capsys, "checkin", "p-3", "1", "done", "--on", "2026-13-01", "--store", store
    )
    assert code == cli.EXIT_INPUT
    assert "--on takes a date" in err
    with pytest.raises(SystemExit) as caught:  # --felt outside 1–5 is a usage error
        cli.main(["checkin", "p-3", "1", "done", "--felt", "7", "--store", store])
    assert caught.value.code == cli.EXIT_USAGE


def test_a_store_that_fails_is_its_own_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("these are not records\n" * 100, encoding="utf-8")
    code, _, err = run(capsys, "profile", "p-1", "--store", str(not_a_database))
    assert code == cli.EXIT_STORAGE
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_debug_shows_the_traceback(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(rs.UnknownInstrumentError):
        cli.main(["instruments", "show", "phq-9", "--debug"])


def test_help_names_the_default_store_and_every_exit_status() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "resilience", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "", "HOME": "/home/someone", "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "RESILIENCE_STORE" in text
    assert "/home/someone/.local/share/resilience/resilience.db" in text
    for status in cli.EXIT_CODES:
        assert f"{status} " in text
    for command in ("check", "profile", "plan", "checkin", "history", "instruments"):
        assert command in text


def test_instruments_show_gives_items_options_scoring_bands_citation_and_licence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "instruments", "show", "brs")
    assert code == 0
    for words in (
        "Brief Resilience Scale",
        "Items (short labels; the wording is not shipped)",
        "(reverse-keyed)",
        "Options",
        "strongly agree",
        "Scoring",
        "mean of the items, 1 to 5",
        "Bands",
        "Citation",
        "doi:10.1080/10705500802222972",
        "Licence",
    ):
        assert words in out, words
    code, out, _ = run(capsys, "instruments", "show", "connection-signs")
    assert "reflection aid, not a clinical screening tool" in out
    assert "Small everyday pressures" in out  # the project's own wording is shown


# -- junk never escapes as a traceback -----------------------------------------------------

_JUNK_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_JUNK_FILE = st.one_of(
    st.binary(max_size=40),
    st.sampled_from(
        [
            b"[" * 5000 + b"]" * 5000,
            b'{"ucla-1": 1e999}',
            b'{"ucla-1": [1]}',
            b"\xff\xfe",
            b'{"ucla-1": 99999999999999999999999}',
            b"null",
            b'{"": null}',
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(
        ["check", "network", "profile", "plan", "checkin", "history", "show", "score", "import"]
    ),
    word=_JUNK_TEXT,
    other=_JUNK_TEXT,
    content=_JUNK_FILE,
    store_url=st.one_of(st.none(), _JUNK_TEXT, st.sampled_from(["", "sqlite://", "::", "x://"])),
)
def test_junk_gives_one_line_and_a_documented_status(
    command: str, word: str, other: str, content: bytes, store_url: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        junk = Path(folder) / "junk.json"
        junk.write_bytes(content)
        store = ["--store", store_url if store_url is not None else f"{folder}/s.db"]
        argv = {
            "check": ["check", word or "ucla-3", "--person", other or "p", "--answers", str(junk)],
            "profile": ["profile", word],
            "plan": ["plan", word, "--today", other or "2026-01-01"],
            "checkin": ["checkin", word, other or "1", "done"],
            "history": ["history", word],
            "show": ["instruments", "show", word or "x"],
            "score": ["score", "ucla-3", "--answers", str(junk)],
            "network": ["check", "brs", "--person", "p", "--network", str(junk)],
            "import": ["import", str(junk)],
        }[command]
        err = io.StringIO()
        out = io.StringIO()
        old = sys.stdin, sys.stdout, sys.stderr
        here = os.getcwd()
        # A junk store URL is a relative path: it must land in the throwaway folder.
        os.chdir(folder)
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
        try:
            try:
                code = cli.main([*argv, *store])
            except SystemExit as caught:  # argparse: a usage error
                code = caught.code
        finally:
            sys.stdin, sys.stdout, sys.stderr = old
            os.chdir(here)
        assert code in cli.EXIT_CODES, (argv, err.getvalue())
        assert code != cli.EXIT_ERROR, err.getvalue()  # 1 means something escaped: a bug
        assert "Traceback" not in err.getvalue()
        if code not in (cli.EXIT_OK, cli.EXIT_USAGE):
            assert err.getvalue().count("\n") == 1, err.getvalue()
