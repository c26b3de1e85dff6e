"""The version of the library.

The single place the version is written: hatchling reads it at build time, and
``resilience.__version__`` reads it at run time without ``importlib.metadata`` (which would
cost a third of the start-up time).
"""

__version__ = "0.1.0"
