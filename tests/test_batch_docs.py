"""The code on docs/cohorts.md runs, and the page keeps the caveats about alpha."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cohorts.md"
TEXT = PAGE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_every_python_example_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(BLOCKS[index], f"{PAGE.name}[block {index}]", "exec"), {})
    assert capsys.readouterr().out  # each example shows something


def test_the_page_says_what_alpha_does_not_tell() -> None:
    flat = " ".join(TEXT.split())
    assert "Alpha is about consistency, not validity." in flat
    assert "Dichotomous items." in flat
    assert "Small samples." in flat


def test_the_spark_sketch_uses_the_real_names() -> None:
    spark = TEXT.split("## Spark", 1)[1]
    for name in ("partition_meta", "score_partition", "mapInPandas"):
        assert name in spark
