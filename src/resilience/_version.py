# The single place the version is written; hatchling reads it at build time and
# ``resilience.__version__`` reads the installed metadata at run time.
__version__ = "0.1.0"
