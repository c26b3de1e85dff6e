"""docs/cohorts.md keeps the caveats about alpha; its code runs in the one docs runner.

Every ```python block of the page is run by ``test_docs_examples.py``, the runner of every
docs example (with the ``test`` extra, which brings numpy, pandas, pyarrow and dask); this
module only checks that the runner reaches the page and what the page must say.
"""

from __future__ import annotations

from pathlib import Path

from test_docs_examples import PAGES_WITH_CODE, python_blocks

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cohorts.md"
TEXT = PAGE.read_text(encoding="utf-8")


def test_the_docs_runner_runs_every_example_of_the_page() -> None:
    assert PAGE in PAGES_WITH_CODE
    blocks = python_blocks(PAGE)
    assert len(blocks) >= 5
    for block in blocks:
        assert "print(" in block  # each example shows the reader something


def test_the_page_says_what_alpha_does_not_tell() -> None:
    flat = " ".join(TEXT.split())
    assert "Alpha is about consistency, not validity." in flat
    assert "Dichotomous items." in flat
    assert "Small samples." in flat


def test_the_spark_sketch_uses_the_real_names() -> None:
    spark = TEXT.split("## Spark", 1)[1]
    for name in ("partition_meta", "score_partition", "mapInPandas"):
        assert name in spark
