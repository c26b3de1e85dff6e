"""Sphinx configuration. The taxonomy tables are generated from the code at build time."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import resilience  # noqa: E402

project = "resilience"
author = "The resilience developers"
copyright = "2026, The resilience developers"
release = resilience.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "taxonomy_tables",
    "cli_reference",
    "chart_gallery",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
master_doc = "index"
exclude_patterns = ["_build", "_generated"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# "Attributes:" sections become field lists, so attrs fields are not described twice.
napoleon_use_ivar = True

html_theme = "furo"
html_title = f"resilience {release}"
