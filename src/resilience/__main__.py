"""Run the command line tool as ``python -m resilience`` (the same as ``resilience``)."""

from __future__ import annotations

import sys

from resilience.cli import main

if __name__ == "__main__":
    sys.exit(main())
